"""The root: a JSON index for API clients, the web console for browsers."""

from __future__ import annotations

import httpx
import pytest

from media_analysis import __version__
from media_analysis.api.root import prefers_html

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("accept", [None, "application/json", "*/*", "application/json, text/html"])
async def test_api_clients_get_an_index_of_the_api(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = await client.get("/", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "Accept"
    index = response.json()
    assert index["service"] == "Media Analysis API"
    assert index["version"] == __version__
    assert {"docs", "redoc", "openapi", "health", "jobs", "archive", "analyze"} <= set(
        index["links"]
    )
    documented = (await client.get(index["links"]["openapi"])).json()["paths"]
    for name, path in index["links"].items():
        assert path in documented or (await client.get(path)).status_code == 200, name


async def test_browsers_get_the_console(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert 'href="/docs"' in response.text and 'href="/redoc"' in response.text


def test_html_is_chosen_only_when_ranked_above_json() -> None:
    assert prefers_html(BROWSER_ACCEPT)
    assert prefers_html("text/html;q=0.9, application/json;q=0.5")
    assert not prefers_html("application/json;q=1, text/html;q=0.9")
    assert not prefers_html("text/html;q=0")
    assert not prefers_html("text/html;q=bogus")
    assert not prefers_html("")
