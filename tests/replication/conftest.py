"""The remote fixtures (moto S3 + DynamoDB, file:// directories) come from tests/conftest.py."""
