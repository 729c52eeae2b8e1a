"""A remote in AWS: the manifest in DynamoDB, table files in S3.

``aws://[table:bucket]/path`` (Dolt's layout).  Why the pair: S3 holds
large immutable objects cheaply but offers no compare-and-swap that every
S3-compatible store honours; DynamoDB's conditional PutItem is an atomic,
strongly consistent compare-and-swap on a small item.  So the one mutable
fact (the manifest) goes to DynamoDB and everything else to S3.  This is
the only module in Grove that imports boto3.

DynamoDB table (hash key ``db``, type S; one item per database)::

    +------------+--------------------------------------------------------+
    | db    (S)  | path                        "team/inventory"           |
    | root  (B)  | Manifest.root               20 bytes                   |
    | lck   (B)  | Manifest.lock               20 bytes: the CAS token    |
    | specs (S)  | Manifest.specs              "name:count:name:count"    |
    | vers  (S)  | Manifest.version            "1"                        |
    +------------+--------------------------------------------------------+

(``lck``, not ``lock``: LOCK is a DynamoDB reserved word, and a reserved
word in a condition expression needs an attribute-name placeholder.)  The
lock is recomputed from root and specs on every read and must equal
``lck``; a mismatch is ``CorruptionError``.

S3 bucket::

    <path>/<table file name>      one object per table file, never rewritten
    <other path>/<name>           other databases sharing the bucket

Operations and the permissions they need (Grove never creates, configures
or deletes the table or the bucket)::

    read_manifest      dynamodb:GetItem (ConsistentRead: see every accepted CAS)
    update_manifest    dynamodb:PutItem with ConditionExpression
                         attribute_not_exists(db)  (first push)  or  lck = :expected
    put_table_file     s3:PutObject (SDK-computed CRC32 checks the upload)
    read_range(s)      s3:GetObject with Range: bytes=a-b, or bytes=-n for the last n
    table_file_exists  s3:GetObject of bytes=0-0 (not HeadObject: a HEAD error has no
                       body, so "no such key" and "no such bucket" both read as 404)
    delete_table_files s3:DeleteObject (DeleteObjects, 1000 keys per request)

Grant ``s3:ListBucket`` on the bucket as well: without it S3 answers 403,
not 404, for a key that does not exist, and a missing table file is then
reported as an access error.

Configuration comes from the standard AWS sources exactly as for any boto3
program (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``,
``AWS_PROFILE`` and the config files, instance roles, ``AWS_ENDPOINT_URL``
for S3-/DynamoDB-compatible endpoints), with one addition: boto3 reads the
region only from ``AWS_DEFAULT_REGION`` and the config file, so
``AWS_REGION`` (which the AWS CLI v2 and the other SDKs honour, first) is
passed on explicitly when set.  Timeouts and retries are the constructor's
(defaults below), so ``AWS_MAX_ATTEMPTS``/``AWS_RETRY_MODE`` do not apply.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError, IncompleteReadError
from botocore.exceptions import ConnectionError as BotoConnectionError

from storage.errors import CorruptionError
from storage.manifest import FORMAT_VERSION, Manifest, parse_specs

from replication.backend import RemoteStats, check_manifest, check_table_file, check_table_file_name
from replication.errors import RemoteAccessError, RemoteResourceMissingError
from replication.remote_url import RemoteURL

# Parallel range reads: enough to hide S3's ~10-30 ms first-byte latency
# when a pull fetches many chunks, few enough not to be throttled.
READ_WORKERS = 16
# The HTTP pool must hold a connection per reader plus the caller's own calls.
POOL_CONNECTIONS = READ_WORKERS + 4
# botocore's "standard" mode retries throttling, 5xx and connection errors with
# jittered backoff; 5 attempts ride out a brief outage without hanging a push.
MAX_ATTEMPTS = 5
DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes

# Error codes that may pass if the same request is sent again.
_RETRYABLE_CODES = {
    "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException",
    "RequestLimitExceeded", "SlowDown", "InternalError", "InternalServerError",
    "ServiceUnavailable", "RequestTimeout", "TransactionConflictException",
}
_NEVER_CREATED = "does not exist (Grove never creates AWS resources)"


class AwsBackend:
    """A remote database at ``path`` in a DynamoDB table and an S3 bucket."""

    def __init__(self, table: str, bucket: str, path: str, *,
                 connect_timeout: float = 10.0, read_timeout: float = 60.0,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        self.table = table
        self.bucket = bucket
        self.path = path
        self.url = str(RemoteURL("aws", path, table, bucket))
        self.stats = RemoteStats()
        config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            max_pool_connections=POOL_CONNECTIONS,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )
        region = os.environ.get("AWS_REGION") or None  # None: boto3's own resolution
        try:
            session = boto3.session.Session()
            self._s3 = session.client("s3", region_name=region, config=config)
            self._dynamodb = session.client("dynamodb", region_name=region, config=config)
        except BotoCoreError as e:
            raise RemoteAccessError(f"{self.url}: cannot set up AWS clients: {e} "
                                    "(set AWS_REGION or AWS_DEFAULT_REGION?)") from e
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"AwsBackend({self.url!r})"

    # -- manifest ---------------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        self._check_open()
        reply = self._call_dynamodb("GetItem", self._dynamodb.get_item, TableName=self.table,
                                    Key={"db": {"S": self.path}}, ConsistentRead=True)
        item = reply.get("Item")
        if not item:
            return None
        return self._decode_item(item)

    def update_manifest(self, expected_lock: bytes | None, new: Manifest) -> bool:
        self._check_open()
        check_manifest(new)
        item = {
            "db": {"S": self.path},
            "root": {"B": new.root},
            "lck": {"B": new.lock},
            "specs": {"S": new.specs},
            "vers": {"S": str(new.version)},
        }
        if expected_lock is None:
            condition = {"ConditionExpression": "attribute_not_exists(db)"}
        else:
            condition = {"ConditionExpression": "lck = :expected",
                         "ExpressionAttributeValues": {":expected": {"B": expected_lock}}}
        try:
            self._call_dynamodb("PutItem", self._dynamodb.put_item, TableName=self.table,
                                Item=item, **condition)
        except _ConditionFailed:
            return False
        return True

    def _decode_item(self, item: dict) -> Manifest:
        where = f"DynamoDB table '{self.table}' item db={self.path!r}"
        try:
            version = item["vers"]["S"]
            root, lock, specs = item["root"]["B"], item["lck"]["B"], item["specs"]["S"]
        except (KeyError, TypeError) as e:
            raise CorruptionError(f"{where}: manifest item lacks attribute {e}", where=where) from None
        if version != str(FORMAT_VERSION):
            raise CorruptionError(f"{where}: unknown manifest version {version!r}", where=where)
        try:
            manifest = Manifest.make(bytes(root), parse_specs(specs))
        except ValueError as e:
            raise CorruptionError(f"{where}: cannot decode manifest: {e}", where=where) from None
        if manifest.lock != bytes(lock):
            raise CorruptionError(f"{where}: manifest contents do not match its lock", where=where)
        return manifest

    # -- table files ------------------------------------------------------

    def put_table_file(self, name: str, data: bytes) -> None:
        self._check_open()
        check_table_file(name, data)
        self._call_s3("PutObject", self._s3.put_object, Key=self._key(name), Body=data,
                      written=len(data))

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        self._check_open()
        check_table_file_name(name)
        if length < 0:
            raise ValueError(f"negative length {length}")
        if length == 0:
            # S3 has no empty range; keep the contract (missing file raises).
            if not self.table_file_exists(name):
                raise self._missing_file(name)
            return b""
        byte_range = f"bytes=-{length}" if offset < 0 else f"bytes={offset}-{offset + length - 1}"
        try:
            return self._call_s3("GetObject", self._s3.get_object, Key=self._key(name),
                                 Range=byte_range, read_body=True)
        except _NoSuchKey:
            raise self._missing_file(name) from None
        except _InvalidRange:  # offset at or past the end (or an empty object)
            return b""

    def read_ranges(self, requests: list[tuple[str, int, int]]) -> list[bytes]:
        self._check_open()
        if len(requests) <= 1:
            return [self.read_range(*r) for r in requests]
        pool = self._reader_pool()
        futures = [pool.submit(self.read_range, *r) for r in requests]
        try:
            return [f.result() for f in futures]
        finally:
            for f in futures:  # after a failure, skip what has not started
                f.cancel()

    def table_file_exists(self, name: str) -> bool:
        self._check_open()
        check_table_file_name(name)
        try:
            self._call_s3("GetObject", self._s3.get_object, Key=self._key(name),
                          Range="bytes=0-0", read_body=True, count_read=False)
        except _NoSuchKey:
            return False
        except _InvalidRange:  # an empty object exists
            return True
        return True

    def delete_table_files(self, names: list[str]) -> None:
        self._check_open()
        for name in names:
            check_table_file_name(name)
        failures = []
        for i in range(0, len(names), DELETE_BATCH):
            keys = [{"Key": self._key(n)} for n in names[i : i + DELETE_BATCH]]
            reply = self._call_s3("DeleteObjects", self._s3.delete_objects,
                                  Delete={"Objects": keys, "Quiet": True})
            failures += [e for e in reply.get("Errors", ()) if e.get("Code") != "NoSuchKey"]
        if failures:
            first = failures[0]
            raise RemoteAccessError(
                f"{self.url}: could not delete {len(failures)} table file(s), e.g. "
                f"{first.get('Key')}: {first.get('Code')}: {first.get('Message')}",
                code=first.get("Code", ""))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        self._s3.close()
        self._dynamodb.close()

    # -- helpers ----------------------------------------------------------

    def _key(self, name: str) -> str:
        return f"{self.path}/{name}"

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"{self!r} is closed")

    def _reader_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(READ_WORKERS, thread_name_prefix="grove-s3-read")
            return self._pool

    def _missing_file(self, name: str) -> RemoteResourceMissingError:
        return RemoteResourceMissingError(f"table file '{name}' in {self.url}")

    def _call_s3(self, operation: str, method, *, written: int = 0,
                 read_body: bool = False, count_read: bool = True, **params):
        """One S3 request; returns the reply, or its body's bytes if ``read_body``."""
        self.stats.add()
        try:
            reply = method(Bucket=self.bucket, **params)
            if operation == "PutObject":
                self.stats.add(requests=0, written=written, files=1)
            if not read_body:
                return reply
            with reply["Body"] as body:
                data = body.read()
        except ClientError as e:
            code = _code(e)
            if code == "NoSuchBucket":
                raise RemoteResourceMissingError(
                    f"S3 bucket '{self.bucket}'", f"S3 bucket '{self.bucket}' {_NEVER_CREATED}") from None
            if code == "NoSuchKey":
                raise _NoSuchKey() from None
            if code == "InvalidRange":
                raise _InvalidRange() from None
            what = f"S3 {operation} of s3://{self.bucket}/{params.get('Key', self.path + '/')}"
            raise _access_error(self.url, what, e) from e
        except BotoCoreError as e:
            raise _access_error(self.url, f"S3 {operation}", e) from e
        if count_read:
            self.stats.add(requests=0, read=len(data))
        return data

    def _call_dynamodb(self, operation: str, method, **params) -> dict:
        """One DynamoDB request; raises _ConditionFailed for a lost compare-and-swap."""
        self.stats.add()
        try:
            return method(**params)
        except ClientError as e:
            code = _code(e)
            if code == "ConditionalCheckFailedException":
                raise _ConditionFailed() from None
            if code == "ResourceNotFoundException":
                raise RemoteResourceMissingError(
                    f"DynamoDB table '{self.table}'",
                    f"DynamoDB table '{self.table}' {_NEVER_CREATED}") from None
            what = f"DynamoDB {operation} on table '{self.table}' item db={self.path!r}"
            raise _access_error(self.url, what, e) from e
        except BotoCoreError as e:
            raise _access_error(self.url, f"DynamoDB {operation}", e) from e


class _NoSuchKey(Exception):
    """Internal: S3 has no object at the key (callers decide what that means)."""


class _InvalidRange(Exception):
    """Internal: the range starts at or past the end of the object."""


class _ConditionFailed(Exception):
    """Internal: a conditional PutItem found a different lock."""


def _code(e: ClientError) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))


def _access_error(url: str, what: str, e: Exception) -> RemoteAccessError:
    """RemoteAccessError for an SDK failure, retryable when trying again may pass."""
    if isinstance(e, ClientError):
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = _code(e)
        message = e.response.get("Error", {}).get("Message", "")
        # moto (and some proxies) report a bare HTTP status as the code, e.g. "403".
        retryable = code in _RETRYABLE_CODES or status >= 500
        return RemoteAccessError(f"{url}: {what} failed: {code} (HTTP {status}): {message}",
                                 retryable=retryable, code=code)
    retryable = isinstance(e, (BotoConnectionError, HTTPClientError, IncompleteReadError))
    return RemoteAccessError(f"{url}: {what} failed: {e}", retryable=retryable,
                             code=type(e).__name__)
