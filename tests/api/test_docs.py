"""Swagger UI and ReDoc load everything from the service itself, so they work offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

ABSOLUTE_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+", re.IGNORECASE)
# A URL the browser would load by itself: an image or script source, a CSS url().
LOADED_URL = re.compile(r"""(?:\bsrc\s*[:=]\s*["']|url\(\s*["']?)(?:https?:)?//""")


class ReferencedUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def referenced_urls(html: str) -> list[str]:
    parser = ReferencedUrls()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_reference_only_their_own_host(
    client: httpx.AsyncClient, page: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert ABSOLUTE_URL.search(response.text) is None, "the page names another host"
    urls = referenced_urls(response.text)
    assert any(url.endswith(".js") for url in urls)
    for url in urls:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert LOADED_URL.search(asset.text) is None, f"{url} loads from another host"


async def test_the_docs_read_the_served_openapi_document(client: httpx.AsyncClient) -> None:
    swagger = (await client.get("/docs")).text
    redoc = (await client.get("/redoc")).text
    assert "url: '/openapi.json'" in swagger
    assert '"validatorUrl": null' in swagger
    assert 'spec-url="/openapi.json"' in redoc
    assert (await client.get("/openapi.json")).json()["info"]["title"] == "Media Analysis API"


async def test_redoc_bundle_has_no_remote_logo(client: httpx.AsyncClient) -> None:
    bundle = await client.get("/docs-assets/redoc.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in bundle.text
    assert "Redoc" in bundle.text and len(bundle.content) > 500_000
