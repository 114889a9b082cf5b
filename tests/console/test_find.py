"""Finding jobs from the console: the list, archive search, and asking a job again."""

from __future__ import annotations

import pytest

from tests.console.conftest import Console, submit_and_wait
from tests.media.clips import JFK_WAV


@pytest.fixture(scope="session")
async def speech_job(console_server: str) -> str:
    return await submit_and_wait(console_server, "/analyze", JFK_WAV, prompt="Who speaks?")


async def test_archive_search_opens_the_job_at_the_matching_time(
    console: Console, speech_job: str
) -> None:
    page = console.page
    await console.open("/#/search")
    await page.fill("#search-q", "country")
    await page.press("#search-q", "Enter")
    hit = page.locator(f"#search-results a.snippet[href^='#/job/{speech_job}']").first
    await hit.wait_for()
    assert await hit.locator("mark").first.inner_text() == "country"
    await console.screenshot("search")
    await hit.click()
    await page.wait_for_function(
        "() => document.getElementById('player')?.readyState >= 1 "
        "&& document.querySelector('.word.current')"
    )
    at = await page.evaluate("document.getElementById('player').currentTime")
    assert 5 < at < 7
    current = await page.locator(".word.current").inner_text()
    assert current in ("your", "country")


async def test_snippets_show_marks_and_nothing_else_as_markup(console: Console) -> None:
    await console.open("/")
    parsed = await console.page.evaluate(
        """async () => {
            const { markedSnippet } = await import('/console/dom.js');
            const holder = document.createElement('div');
            const snippet = '<img src=x onerror=alert(1)> a <mark>hit</mark> <b>b</b>';
            holder.append(markedSnippet(snippet));
            return [holder.querySelectorAll('*').length, holder.querySelector('mark').textContent,
                    holder.textContent];
        }"""
    )
    assert parsed == [1, "hit", "<img src=x onerror=alert(1)> a hit <b>b</b>"]


async def test_the_jobs_list_filters_by_status_and_type(console: Console, speech_job: str) -> None:
    page = console.page
    await console.open("/#/jobs")
    row = page.locator(f"#job-list a[href='#/job/{speech_job}']")
    await row.wait_for()
    await page.select_option("#filter-type", "analyze")
    await page.select_option("#filter-status", "failed")
    await page.click(".filters button")
    await page.locator("#job-list li").first.wait_for()
    assert await row.count() == 0
    await page.select_option("#filter-status", "completed")
    await page.click(".filters button")
    await row.wait_for()
    await console.screenshot("jobs")


async def test_a_finished_job_can_be_asked_again(console: Console, speech_job: str) -> None:
    page = console.page
    await console.open(f"/#/job/{speech_job}")
    await page.fill("#reask-prompt", "What does the speaker ask for?")
    await page.click("#reask button[type=submit]")
    await page.wait_for_function(f"() => !location.hash.includes('{speech_job}')")
    analysis = page.locator("#analysis")
    await analysis.wait_for(timeout=60_000)
    assert await analysis.locator("#local-analysis").is_visible()
    assert "What does the speaker ask for?" in await analysis.inner_text()
    assert await page.locator(f"#job-summary a[href='#/job/{speech_job}']").count() == 1
    await console.screenshot("reanalysis")
