"""The API reference renders in a browser that can reach nothing but the service."""

from __future__ import annotations

from tests.console.conftest import Console


async def test_swagger_ui_lists_the_operations_offline(console: Console) -> None:
    page = console.page
    await console.open("/docs")
    operations = page.locator(".opblock")
    await operations.first.wait_for()
    assert await operations.count() > 20
    assert await page.locator(".opblock-summary-path", has_text="/api/media/jobs/{job_id}").count()
    await console.screenshot("docs")


async def test_redoc_renders_offline(console: Console) -> None:
    page = console.page
    await console.open("/redoc")
    await page.locator("h1", has_text="Media Analysis API").wait_for()
    assert await page.locator("h2", has_text="List jobs, newest first").count() == 1


async def test_the_console_links_to_the_docs(console: Console) -> None:
    await console.open("/")
    await console.page.locator("#submit-form").wait_for()
    assert await console.page.locator("a[href='/docs']").count() == 1
    assert await console.page.locator("a[href='/redoc']").count() == 1
    await console.screenshot("submit")
