"""Fixtures for remotes: a real S3 + DynamoDB endpoint (a moto server) and file:// dirs.

Why a server and not an in-process mock: Grove's AWS backend is configured
only by the standard environment variables, exactly as on AWS, so tests
point it at an HTTP endpoint and exercise the real client stack (signing,
retries, connection pool, error parsing).

To use them in a test directory, import them into its ``conftest.py``::

    from tests.remote_fixtures import aws_env, aws_remote, file_remote, moto_admin, moto_server  # noqa: F401

(Import all five: a fixture's dependencies must be visible too.  Each
conftest that imports ``moto_server`` gets its own session-scoped server;
importing them once in ``tests/conftest.py`` instead shares one server
across the whole run.)

- ``moto_server`` (session): starts ``python -m moto.server`` on a free
  loopback port, waits until it accepts connections, yields its endpoint URL
  (``http://127.0.0.1:PORT``), and stops it by PID.  Its log is in the
  session's temporary directory (``moto_server.log``).
- ``aws_env`` (function): points the standard AWS environment variables at
  that server (fake credentials, us-east-1) and hides any profile or config
  file of the developer's (subprocesses inherit them).  Returns the endpoint URL.
- ``moto_admin`` (session): (s3, dynamodb) boto3 clients for the server,
  for setting up and inspecting resources.
- ``aws_remote`` (function): a fresh, uniquely named S3 bucket and DynamoDB
  table (hash key ``db`` S, on demand), created here with boto3 because
  Grove never creates AWS resources.  Returns an ``AwsRemote``::

      aws_remote.table, aws_remote.bucket
      aws_remote.url("some/db")        -> "aws://[table:bucket]/some/db"
      aws_remote.s3, aws_remote.dynamodb  (boto3 clients, to inspect or break things;
                                           shared by the session: do not close them)

  moto keeps state in memory for the server's life; names are unique, so
  tests never see each other's data.
- ``file_remote`` (function): ``file://<tmp_path>/remote`` as a string: a
  directory that does not exist yet (a push creates it); append ``/name``
  for more databases.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import pytest

START_TIMEOUT = 30.0  # seconds; moto answers ~0.5 s after start on an idle machine
STOP_TIMEOUT = 10.0
REGION = "us-east-1"
# Variables that could send boto3 somewhere else than the moto server.
_AWS_VARIABLES_TO_CLEAR = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_listening(proc: subprocess.Popen, port: int, deadline: float) -> bool:
    """True once ``port`` accepts a connection; False if ``proc`` exits first."""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.02)  # poll interval of a bounded wait, not a guess at readiness
    raise TimeoutError(f"moto server did not listen on port {port} within {START_TIMEOUT} s")


def _die_with_parent() -> None:
    """Linux: SIGTERM the server if pytest dies without tearing down (e.g. SIGKILL)."""
    try:
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: teardown is the only stop
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("moto") / "moto_server.log"
    deadline = time.monotonic() + START_TIMEOUT
    with open(log_path, "ab") as log:
        # The free port may be taken between probing and binding: try another then.
        for _attempt in range(3):
            port = _free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            try:
                up = _wait_until_listening(proc, port, deadline)
            except BaseException:
                _stop(proc)
                raise
            if up:
                break
        else:
            raise RuntimeError(f"moto server failed to start; see {log_path}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _point_at(mp: pytest.MonkeyPatch, endpoint: str, missing_file: str) -> None:
    """Set the standard AWS variables for ``endpoint``; hide profiles and config files."""
    for name in _AWS_VARIABLES_TO_CLEAR:
        mp.delenv(name, raising=False)
    mp.setenv("AWS_CONFIG_FILE", missing_file)
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", missing_file)
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    mp.setenv("AWS_ENDPOINT_URL", endpoint)
    mp.setenv("AWS_ACCESS_KEY_ID", "testing")
    mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mp.setenv("AWS_REGION", REGION)
    mp.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def aws_env(moto_server, monkeypatch, tmp_path):
    _point_at(monkeypatch, moto_server, str(tmp_path / "no-aws-config"))
    return moto_server


@dataclass
class AwsRemote:
    table: str
    bucket: str
    s3: object  # boto3 S3 client
    dynamodb: object  # boto3 DynamoDB client

    def url(self, path: str = "db") -> str:
        return f"aws://[{self.table}:{self.bucket}]/{path}"


def create_aws_resources(s3, dynamodb, table: str, bucket: str) -> None:
    """Create a bucket and a manifest table as an operator would."""
    s3.create_bucket(Bucket=bucket)
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "db", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "db", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture(scope="session")
def moto_admin(moto_server, tmp_path_factory):
    """(s3, dynamodb) boto3 clients for the moto server, made once (a client costs
    ~0.1 s to create); they keep the endpoint and credentials they were made with."""
    import boto3

    with pytest.MonkeyPatch.context() as mp:  # a developer's profile must not leak in
        _point_at(mp, moto_server, str(tmp_path_factory.mktemp("aws") / "no-aws-config"))
        session = boto3.session.Session()
        s3 = session.client("s3")
        dynamodb = session.client("dynamodb")
    yield s3, dynamodb
    s3.close()
    dynamodb.close()


@pytest.fixture
def aws_remote(aws_env, moto_admin):
    s3, dynamodb = moto_admin
    suffix = uuid.uuid4().hex[:12]
    table, bucket = f"grove-test-{suffix}", f"grove-test-{suffix}"
    create_aws_resources(s3, dynamodb, table, bucket)
    return AwsRemote(table, bucket, s3, dynamodb)


@pytest.fixture
def file_remote(tmp_path) -> str:
    return "file://" + os.path.join(str(tmp_path), "remote")
