"""Every setting is documented in the README table and in config/.env.example."""

from __future__ import annotations

import re

import pytest

from media_analysis.config import Settings, env_var_name
from tests.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()
ENV_EXAMPLE = (REPO_ROOT / "config" / ".env.example").read_text()


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_each_setting_is_documented(field: str) -> None:
    variable = env_var_name(field)
    assert f"{variable}=" in ENV_EXAMPLE, f"{variable} missing from config/.env.example"
    assert f"`{variable}`" in README, f"{variable} missing from the README's table"


def test_readme_starts_with_the_two_commands() -> None:
    head = README.split("## ", 1)[0]
    assert "make run" in head and "make test" in head


def test_the_architecture_map_names_only_files_and_rooms_that_exist() -> None:
    text = (REPO_ROOT / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`([\w./]+(?:\.py|/))`", text))
    assert len(named) > 20
    # A name is a path from the package or the repository, or a file in the room its row
    # is about ("chain.py" in providers/).
    package = REPO_ROOT / "src" / "media_analysis"
    known = {p.relative_to(package).as_posix() for p in package.rglob("*")}
    known |= {p.name for p in package.rglob("*")}
    missing = [
        name for name in named if name.rstrip("/") not in known and not (REPO_ROOT / name).exists()
    ]
    assert missing == []
