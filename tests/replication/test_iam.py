"""Attenuated AWS access, with moto's IAM enforcement switched on.

moto checks S3 actions against their resources, checks every DynamoDB action
against resource ``*``, and never evaluates conditions such as
``dynamodb:LeadingKeys`` (../shared/FACTS.md): so these tests restrict
DynamoDB by action only, and the LeadingKeys policy is documented in the
README, not tested.
"""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest

from replication import open_backend
from replication.errors import RemoteAccessError
from replication.remote_store import RemoteStore
from replication.sync import clone_into, push
from tests.replication.test_sync import commit_rows, head_rows, open_db


def _policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(actions, resources="*"):
    return {"Effect": "Allow", "Action": list(actions), "Resource": resources}


def _principal(iam, name: str, policy: str) -> tuple[str, str]:
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def _set_auth(endpoint: str, body: str) -> None:
    req = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=body.encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})  # a form body would be parsed away
    with urllib.request.urlopen(req, timeout=10) as reply:
        assert reply.status == 200


@pytest.fixture
def enforced(aws_remote, aws_env, monkeypatch):
    """Principals (admin, reader, primes-only) and a switch that turns enforcement on, then off again."""
    iam = boto3.session.Session().client("iam")
    suffix = aws_remote.bucket[-12:]
    b = aws_remote.bucket
    keys = {
        "admin": _principal(iam, f"admin-{suffix}", _policy(_allow(["*"]))),
        "reader": _principal(iam, f"reader-{suffix}", _policy(
            _allow(["s3:GetObject", "s3:ListBucket", "dynamodb:GetItem", "dynamodb:DescribeTable"]))),
        "primes": _principal(iam, f"primes-{suffix}", _policy(
            _allow(["s3:GetObject", "s3:PutObject"], [f"arn:aws:s3:::{b}/primes/*"]),
            _allow(["s3:ListBucket"], [f"arn:aws:s3:::{b}"]),
            _allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DescribeTable"]))),
    }
    iam.close()

    def become(who: str) -> None:
        key_id, secret = keys[who]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)

    _set_auth(aws_env, "0")
    try:
        yield become
    finally:
        _set_auth(aws_env, "inf")


def remote(url) -> RemoteStore:
    return RemoteStore(open_backend(url))


def test_read_only_and_path_limited_principals(enforced, aws_remote, tmp_path):
    primes_url, other_url = aws_remote.url("primes"), aws_remote.url("other")
    enforced("admin")
    a = open_db(tmp_path / "a")
    try:
        commit_rows(a, "main", "t", {i: i for i in range(500)})
        push(a, remote(primes_url), "origin", "main", "main")
        push(a, remote(other_url), "origin", "main", "main")
    finally:
        a.close()

    # read-only: clone and pull work, push fails with one clear line and changes nothing
    enforced("reader")
    r = open_db(tmp_path / "reader", init=False)
    try:
        clone_into(r, remote(primes_url), "origin", None)
        assert len(head_rows(r, "main", "t")) == 500
        commit_rows(r, "main", "t", {999: 1})
        before = remote(primes_url)
        before.refresh()
        with pytest.raises(RemoteAccessError) as denied:
            push(r, remote(primes_url), "origin", "main", "main")
        message = str(denied.value)
        assert "\n" not in message and "403" in message and "PutObject" in message
        after = remote(primes_url)
        after.refresh()
        assert after.manifest == before.manifest
    finally:
        r.close()

    # limited to primes/* in S3: pushes primes, cannot clone another database
    enforced("primes")
    p = open_db(tmp_path / "primes-only", init=False)
    try:
        clone_into(p, remote(primes_url), "origin", None)
        commit_rows(p, "main", "t", {1000: 1})
        assert push(p, remote(primes_url), "origin", "main", "main").new == p.head("main")
    finally:
        p.close()
    o = open_db(tmp_path / "other", init=False)
    try:
        with pytest.raises(RemoteAccessError, match="S3 GetObject"):
            clone_into(o, remote(other_url), "origin", None)
    finally:
        o.close()
