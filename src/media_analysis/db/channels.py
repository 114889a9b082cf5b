"""PostgreSQL NOTIFY channels shared by API processes and workers, and the one way to notify."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

JOBS_CHANNEL = "media_analysis_jobs"  # payload: job type of a new runnable job
EVENTS_CHANNEL = "media_analysis_events"  # payload: "<job id>:<sequence>"
CANCEL_CHANNEL = "media_analysis_cancel"  # payload: job id
# payload: job id with new deliveries; migration 0006's trigger notifies it by name
WEBHOOKS_CHANNEL = "media_analysis_webhooks"

ALL_CHANNELS = (JOBS_CHANNEL, EVENTS_CHANNEL, CANCEL_CHANNEL, WEBHOOKS_CHANNEL)

NOTIFY = text("SELECT pg_notify(:channel, :payload)")


async def notify(session: AsyncSession, channel: str, payload: str) -> None:
    """NOTIFY is delivered when the surrounding transaction commits, never before."""
    await session.execute(NOTIFY, {"channel": channel, "payload": payload})
