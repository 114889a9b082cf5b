"""A local S3-compatible server (moto's standalone server) on loopback, and a bucket in it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from moto.server import ThreadedMotoServer

from media_analysis.config import env_var_name
from tests.conftest import free_port, make_settings

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Bucket:
    endpoint: str
    name: str
    prefix: str

    @property
    def url(self) -> str:
        return f"s3://{self.name}/{self.prefix}"

    def env(self) -> dict[str, str]:
        """What a process needs in its environment to use this bucket."""
        return {env_var_name(field): value for field, value in self.settings_values().items()}

    def settings_values(self) -> dict[str, str]:
        return {
            "storage_url": self.url,
            "aws_endpoint_url": self.endpoint,
            "aws_region": REGION,
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": SECRET_KEY,
        }

    def settings(self, tmp_path: Path, **overrides: Any) -> Any:
        return make_settings(tmp_path, **{**self.settings_values(), **overrides})


@contextmanager
def s3_server() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def create_bucket(endpoint: str) -> S3Bucket:
    """A new bucket: moto takes unsigned path-style requests, so a plain PUT creates it."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    httpx.put(f"{endpoint}/{name}").raise_for_status()
    return S3Bucket(endpoint, name, "media")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> S3Bucket:
    return create_bucket(s3_endpoint)
