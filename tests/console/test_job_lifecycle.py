"""Following a job live from the console, cancelling one, and a key the server refuses."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.async_api import Browser

from tests.console.conftest import Console, open_console
from tests.console.test_media_views import upload

POLL_SECONDS = 0.1


async def progress_values(console: Console) -> list[float]:
    """The progress bar's values, sampled until the job's view says it finished."""
    page = console.page
    seen: list[float] = []
    while not await page.locator("#job-stage", has_text="Finished").count():
        value = await page.evaluate("document.getElementById('job-progress')?.value ?? -1")
        if value >= 0 and (not seen or seen[-1] != value):
            seen.append(value)
        await asyncio.sleep(POLL_SECONDS)
    return seen


async def test_a_running_job_shows_its_progress_move(console: Console, long_video: Path) -> None:
    page = console.page
    await upload(console, "frames", str(long_video))
    await page.locator("#job-progress").wait_for()
    seen = await asyncio.wait_for(progress_values(console), timeout=120)
    assert len([value for value in seen if 0 < value < 100]) >= 1, seen
    assert len(set(seen)) >= 2, seen
    await page.locator("#job-summary .badge", has_text="completed").wait_for()
    assert await page.locator("#stages li", has_text="extracting_frames").count() == 1
    await page.locator("#frames").wait_for()
    assert await page.locator("#frames li").count() == 180


async def test_a_running_job_can_be_cancelled(console: Console, long_video: Path) -> None:
    page = console.page
    await page.set_viewport_size({"width": 1280, "height": 900})
    await upload(console, "frames", str(long_video))
    await page.wait_for_function(
        "() => document.getElementById('job-stage')?.textContent.startsWith('extracting_frames')"
    )
    await page.click("#cancel-job")
    error = page.locator("#job-error")
    await error.wait_for(timeout=60_000)
    assert await error.locator("h2").inner_text() == "Cancelled"
    assert await page.locator("#job-summary .badge").inner_text() == "cancelled"
    await console.screenshot("cancelled")


async def test_a_refused_key_says_so_clearly(
    browser: Browser, console_server: str, screenshots: Path
) -> None:
    console = await open_console(browser, console_server, screenshots, api_key=None)
    page = console.page
    await console.open("/#/jobs")
    await page.fill("#api-key", "not-the-key")
    await page.click("#key-form button")
    notice = page.locator("#notice")
    await notice.wait_for()
    text = await notice.inner_text()
    assert "refused the API key" in text and "401" in text
    assert await page.evaluate("document.activeElement.id") == "api-key"
    await console.screenshot("refused-key")
    await page.context.close()
    assert console.offsite == []
    # The browser itself logs the refused requests; nothing else may be logged.
    assert [e for e in console.errors if "status of 401" not in e] == []
