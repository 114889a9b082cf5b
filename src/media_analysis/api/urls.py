"""The one check every http(s) URL in a request body passes: media URLs and callbacks."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

import httpx
from pydantic import AfterValidator

MAX_URL_LENGTH = 4096


def checked_http_url(value: str | None) -> str | None:
    """An http(s) URL with a host, or None for an empty value."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > MAX_URL_LENGTH:
        raise ValueError("URL is too long")
    scheme = value.split(":", 1)[0].lower()
    if scheme not in ("http", "https") or "://" not in value:
        raise ValueError("only http:// and https:// URLs are accepted")
    try:
        host = httpx.URL(value).host
    except httpx.InvalidURL:
        raise ValueError("the URL is not valid") from None
    if not host:
        raise ValueError("the URL has no host name")
    return value


def file_name_in_url(url: str) -> str | None:
    """The last part of the URL's path (``talk.mp3``), what a download would be saved as."""
    name = unquote(httpx.URL(url).path.rstrip("/").rsplit("/", 1)[-1]).strip()
    return name or None


HttpUrl = Annotated[str | None, AfterValidator(checked_http_url)]
