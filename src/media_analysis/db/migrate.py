"""Run Alembic migrations from code (the CLI, the embedded server and tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(url: str) -> Config:
    root = _project_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def _project_root() -> Path:
    for candidate in (Path.cwd(), PROJECT_ROOT):
        if (candidate / "migrations" / "env.py").is_file():
            return candidate
    raise FileNotFoundError("the migrations/ folder was not found next to alembic.ini")
