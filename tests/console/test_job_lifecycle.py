"""Following a job live from the console, cancelling one, and a key the server refuses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from playwright.async_api import Browser
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.console.conftest import API_KEY, Console, open_console
from tests.console.test_media_views import upload
from tests.fakes import run_fake_server

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


async def test_a_jobs_deliveries_show_and_can_be_sent_again(console: Console) -> None:
    received: list[str] = []

    async def hook(request: Request) -> Response:
        received.append(request.headers["webhook-id"])
        return Response(status_code=204)

    receiver = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    with run_fake_server(receiver) as receiver_url:
        async with httpx.AsyncClient(base_url=console.base_url, timeout=90) as http:
            submitted = await http.post(
                "/api/media/documents?wait=60",
                headers={"X-API-Key": API_KEY},
                files={"file": ("notes.txt", b"Harbour notes: forty cranes on Tuesday.\n")},
                data={"callback_url": f"{receiver_url}/hook"},
            )
        job_id = submitted.json()["id"]
        page = console.page
        await console.open(f"/#/job/{job_id}")
        row = page.locator("#deliveries tr.delivery")
        for _ in range(100):
            if await row.locator(".badge", has_text="delivered").count():
                break
            await asyncio.sleep(0.2)
            await page.reload()
        assert receiver_url in await row.inner_text()
        await row.locator("button.replay").click()
        await row.locator(".form-message", has_text="Queued again").wait_for()
        for _ in range(100):
            if len(received) == 2:
                break
            await asyncio.sleep(0.1)
        await console.screenshot("deliveries")
    assert len(received) == 2 and received[0] == received[1]
