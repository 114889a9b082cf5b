"""The secret that signs per-job callbacks: configured, or generated once and kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
from media_analysis.db.models import ServiceSetting
from media_analysis.webhooks.signing import new_secret

SECRET_KEY = "webhook_secret"  # noqa: S105 (the row name, not the secret)


async def callback_secret(session: AsyncSession, settings: Settings) -> str:
    """MEDIA_ANALYSIS_WEBHOOK_SECRET, else the one stored on first start (the caller commits).

    It lives in the database rather than a file so every API and worker process,
    wherever it runs, signs with the same secret.
    """
    configured = settings.webhook_secret.get_secret_value()
    if configured:
        return configured
    await session.execute(
        insert(ServiceSetting)
        .values(key=SECRET_KEY, value=new_secret())
        .on_conflict_do_nothing(index_elements=[ServiceSetting.key])
    )
    stored = select(ServiceSetting.value).where(ServiceSetting.key == SECRET_KEY)
    return (await session.execute(stored)).scalar_one()


async def read_callback_secret(settings: Settings, database_url: str) -> str:
    engine = create_engine(settings, database_url)
    try:
        async with create_session_factory(engine)() as session:
            secret = await callback_secret(session, settings)
            await session.commit()
    finally:
        await engine.dispose()
    return secret
