"""The web console in Debian's Chromium, driven by Playwright, against `media-analysis serve`.

Every request that is not to the server under test is aborted and recorded: the console
and the API docs must work with no network but the service itself.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, Route, async_playwright

from tests.database import database_url, drop_database, recreate_database
from tests.e2e.server import running_server, service_env
from tests.media.clips import make_video

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
API_KEY = "console-key-0123456789"
KEY_STORAGE = "media-analysis-api-key"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 375

NO_CHROMIUM = (
    "the browser tests need Debian's Chromium at /usr/bin/chromium "
    "(apt-get install chromium); Playwright cannot download a browser here"
)
SCREENSHOTS: list[Path] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for folder in SCREENSHOTS:
        terminalreporter.write_line(f"console screenshots: {folder}")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="console-screenshots-"))
    SCREENSHOTS.append(folder)
    print(f"console screenshots: {folder}")
    return folder


@pytest.fixture(scope="session")
def console_server(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with two workers and an administrator's key, on a database of its own."""
    name = f"media_analysis_console_{os.getpid()}"
    asyncio.run(recreate_database(pg_server, name))
    env = service_env(
        tmp_path_factory.mktemp("console-server"),
        DATABASE_URL=database_url(pg_server, name),
        MEDIA_ANALYSIS_API_KEY=API_KEY,
        MEDIA_ANALYSIS_ADMIN_API_KEYS=API_KEY,
    )
    try:
        with running_server(env, "--workers", "2") as base_url:
            yield base_url
    finally:
        asyncio.run(drop_database(pg_server, name))


@pytest.fixture(scope="session")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minute of video: long enough to watch its progress and to cancel it mid-way."""
    return make_video(tmp_path_factory.mktemp("media") / "minute.mp4", seconds=60, size="640x360")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@dataclass
class Console:
    """A browser tab on the console, with what it tried to reach and what it logged."""

    page: Page
    base_url: str
    screenshots: Path
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def open(self, path: str = "/") -> None:
        await self.page.goto(self.base_url + path)

    async def screenshot(self, name: str) -> None:
        """Desktop and 375 px wide; at 375 px nothing may stick out sideways."""
        page = self.page
        await page.screenshot(path=self.screenshots / f"{name}-desktop.png", full_page=True)
        await page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        await page.wait_for_timeout(200)
        await page.screenshot(path=self.screenshots / f"{name}-375.png", full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth")
        await page.set_viewport_size(DESKTOP)
        assert overflow <= PHONE_WIDTH, f"{name} is {overflow} px wide on a 375 px screen"


async def open_console(
    browser: Browser, base_url: str, screenshots: Path, api_key: str | None
) -> Console:
    context = await browser.new_context(viewport=DESKTOP, accept_downloads=True)
    if api_key:
        await context.add_init_script(f"sessionStorage.setItem({KEY_STORAGE!r}, {api_key!r})")
    page = await context.new_page()
    console = Console(page, base_url, screenshots)
    own_host = urlsplit(base_url).netloc

    async def guard(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != own_host:
            console.offsite.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", guard)

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.errors.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: console.errors.append(f"uncaught: {error}"))
    return console


@pytest.fixture
async def console(
    browser: Browser, console_server: str, screenshots: Path
) -> AsyncIterator[Console]:
    """A tab that already holds the API key; it must log no error and reach no other host."""
    tab = await open_console(browser, console_server, screenshots, API_KEY)
    yield tab
    await tab.page.context.close()
    assert tab.offsite == [], f"requests to other hosts: {tab.offsite}"
    assert tab.errors == [], f"console errors: {tab.errors}"


async def submit_and_wait(base_url: str, path: str, media: Path, **fields: str) -> str:
    """A finished job made through the API, for the tests that start from one."""
    async with httpx.AsyncClient(base_url=base_url, timeout=90) as http:
        with media.open("rb") as upload:
            response = await http.post(
                f"/api/media{path}?wait=60",
                headers={"X-API-Key": API_KEY},
                files={"file": (media.name, upload)},
                data=fields,
            )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"
    job_id: str = response.json()["id"]
    return job_id
