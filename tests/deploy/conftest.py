from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest

from tests.database import database_url, drop_database, recreate_database


@pytest.fixture
def fresh_db(pg_server: str) -> Iterator[str]:
    """An empty database of its own (not migrated), dropped afterwards."""
    name = f"media_analysis_deploy_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(recreate_database(pg_server, name))
    yield database_url(pg_server, name)
    asyncio.run(drop_database(pg_server, name))
