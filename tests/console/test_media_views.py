"""Uploading from the console and looking at what came back: transcripts, sheets, frames."""

from __future__ import annotations

import hashlib

import httpx

from tests.console.conftest import API_KEY, Console
from tests.media.clips import BIG_BUCK_BUNNY, CORPUS, JFK_WAV

WAIT_MS = 90_000
CURRENT_WORD = "document.querySelector('.word.current')"


async def upload(console: Console, action: str, media: str) -> str:
    """Submits a file from the form; returns the new job's id once its view opens."""
    page = console.page
    await console.open("/")
    await page.select_option("#action", action)
    await page.set_input_files("#file", media)
    await page.click("#submit-form button[type=submit]")
    await page.wait_for_url("**/#/job/*")
    return page.url.rsplit("/", 1)[1]


async def test_a_transcript_follows_playback_and_a_click_seeks(console: Console) -> None:
    page = console.page
    await upload(console, "transcript", str(JFK_WAV))
    words = page.locator("#transcript-words .word")
    await words.first.wait_for(timeout=WAIT_MS)
    texts = await words.all_inner_texts()
    assert "Americans" in texts and "country" in texts
    await page.wait_for_function("() => document.getElementById('player').readyState >= 2")

    clicked = texts.index("country")
    await words.nth(clicked).click()
    start = float(await words.nth(clicked).get_attribute("data-start") or "nan")
    assert await page.evaluate(f"{CURRENT_WORD}.textContent") == "country"
    assert abs(await page.evaluate("document.getElementById('player').currentTime") - start) < 0.5
    # Playback goes on from the clicked word, and the highlight moves with it.
    await page.wait_for_function(
        "() => [...document.querySelectorAll('#transcript-words .word')]"
        f".indexOf({CURRENT_WORD}) > {clicked}",
        timeout=20_000,
    )
    await page.evaluate("document.getElementById('player').pause()")
    await console.screenshot("transcript")

    async with page.expect_download() as download_info:
        await page.click("button[data-format=srt]")
    subtitles = (await download_info.value).path()
    assert "-->" in (await subtitles).read_text()


async def test_contact_sheets_open_the_frame_a_tile_shows(console: Console) -> None:
    page = console.page
    job_id = await upload(console, "sheets", str(BIG_BUCK_BUNNY))
    sheets = page.locator("#sheets figure")
    await page.locator("#frames").wait_for(timeout=WAIT_MS)
    assert await sheets.count() == 3
    assert await page.locator("#sheets .tile").count() == 16

    tile = page.locator("#sheets .tile[data-frame-index='8']")
    await tile.scroll_into_view_if_needed()
    assert await tile.get_attribute("aria-label") == "Frame 8 at 0:02.7"
    await tile.click()
    assert await page.inner_text("#frame-title") == "Frame 8 at 0:02.7"
    await page.wait_for_function(
        "() => document.getElementById('frame-image').naturalWidth === 1280"
    )
    shown = await page.evaluate(
        """async () => {
            const shown = await fetch(document.getElementById('frame-image').src);
            const bytes = await shown.arrayBuffer();
            const digest = await crypto.subtle.digest('SHA-256', bytes);
            const hex = (byte) => byte.toString(16).padStart(2, '0');
            return [...new Uint8Array(digest)].map(hex).join('');
        }"""
    )
    assert shown == await frame_digest(console.base_url, job_id, frame_index=8)
    await page.screenshot(path=console.screenshots / "frame-desktop.png")
    await page.keyboard.press("Escape")
    assert not await page.evaluate("document.getElementById('frame-dialog').open")
    await console.screenshot("contact-sheets")


async def frame_digest(base_url: str, job_id: str, frame_index: int) -> str:
    headers = {"X-API-Key": API_KEY}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as http:
        frames = (await http.get(f"/api/media/jobs/{job_id}/assets?asset_type=frame")).json()
        frame = next(asset for asset in frames if asset["frame_index"] == frame_index)
        content = (await http.get(frame["url"])).content
    return hashlib.sha256(content).hexdigest()


async def test_a_document_shows_its_text_by_section(console: Console) -> None:
    page = console.page
    await upload(console, "document", str(CORPUS / "crazyones.pdf"))
    page_one = page.locator("#document-text #section-1")
    await page_one.wait_for(timeout=WAIT_MS)
    assert await page_one.locator("h3").inner_text() == "page 1"
    assert "Here" in await page_one.inner_text() and "crazy ones" in await page_one.inner_text()
    assert await page.locator("#analysis #local-analysis").is_visible()
