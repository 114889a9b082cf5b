"""The service page: status, readiness, providers, and webhook subscriptions."""

from __future__ import annotations

from tests.console.conftest import Console


async def test_the_service_page_shows_the_service_and_manages_subscriptions(
    console: Console,
) -> None:
    page = console.page
    await console.open("/#/service")
    await page.locator("#status #job-counts li").first.wait_for()
    assert "waiting" in await page.locator("#status").inner_text()
    readiness = page.locator("#readiness")
    await readiness.wait_for()
    assert "database" in await readiness.inner_text()
    await page.locator("#providers table").wait_for()

    await page.fill("#webhook-url", "http://127.0.0.1:9/hook")
    await page.uncheck("#event-job\\.failed")
    await page.click("#subscribe button[type=submit]")
    secret = page.locator("#webhook-secret")
    await secret.wait_for()
    assert (await secret.inner_text()).startswith("whsec_")
    row = page.locator("#subscriptions .subscription", has_text="127.0.0.1:9/hook")
    assert "job.completed, job.cancelled" in await row.inner_text()
    await console.screenshot("service")

    await page.reload()
    row = page.locator("#subscriptions .subscription", has_text="127.0.0.1:9/hook")
    await row.wait_for()
    assert await page.locator("#webhook-secret").count() == 0  # shown only once
    await row.locator("button.danger").click()
    await page.locator("#subscriptions .hint", has_text="No subscriptions").wait_for()
