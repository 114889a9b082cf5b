"""The storage URL is checked at start-up, and the bucket settings come from AWS_* variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from media_analysis.config import Settings, describe_settings_error, parse_storage_url
from tests.conftest import serving_app
from tests.s3_server import S3Bucket


@pytest.mark.parametrize(
    ("url", "parsed"),
    [
        ("file://", ("file", "", "")),
        ("s3://media", ("s3", "media", "")),
        ("s3://media/jobs/2026/", ("s3", "media", "jobs/2026")),
    ],
)
def test_storage_urls_name_a_backend_bucket_and_prefix(url: str, parsed: tuple[str, ...]) -> None:
    assert parse_storage_url(url) == parsed


@pytest.mark.parametrize("url", ["ftp://media", "s3://", "/var/media", "file:///elsewhere"])
def test_a_wrong_storage_url_stops_start_up_naming_the_variable(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, storage_url=url)  # type: ignore[call-arg]
    message = describe_settings_error(caught.value)
    assert message.startswith("invalid configuration: MEDIA_ANALYSIS_STORAGE_URL: use file://")


def test_the_usual_aws_variables_configure_the_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIA_ANALYSIS_STORAGE_URL", "s3://media/jobs")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://minio:9000")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_S3_FORCE_PATH_STYLE", "false")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.aws_endpoint_url == "http://minio:9000"
    assert settings.aws_region == "eu-central-1"
    assert settings.aws_access_key_id.get_secret_value() == "key-id"
    assert settings.aws_secret_access_key.get_secret_value() == "secret"
    assert settings.aws_s3_force_path_style is False


async def test_the_public_config_names_the_backend_but_not_the_bucket_or_keys(
    s3_bucket: S3Bucket, tmp_path: Path, db_url: str
) -> None:
    values = s3_bucket.settings_values()
    async with serving_app(tmp_path, db_url, workers=0, **values) as (client, _app):
        config = (await client.get("/api/media/config")).json()
    assert config["storage"] == "s3"
    shown = json.dumps(config)
    for hidden in (s3_bucket.name, s3_bucket.endpoint, values["aws_secret_access_key"]):
        assert hidden not in shown
    assert config["presigned_downloads"] is False
