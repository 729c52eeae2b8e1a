"""Remote fixtures (a moto S3 + DynamoDB server, file:// directories): see tests/remote_fixtures.py."""

from tests.remote_fixtures import aws_env, aws_remote, file_remote, moto_server  # noqa: F401
