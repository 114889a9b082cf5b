from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.s3_server import S3Bucket, create_bucket, s3_server


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> S3Bucket:
    return create_bucket(s3_endpoint)
