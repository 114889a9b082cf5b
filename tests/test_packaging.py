"""The package metadata installs without deprecation warnings from setuptools."""

from __future__ import annotations

import re
import tomllib

from tests.paths import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())


def test_the_licence_is_an_spdx_expression_that_setuptools_reads_without_warning() -> None:
    assert isinstance(PYPROJECT["project"]["license"], str)
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if "setuptools" in r]
    minimum = re.search(r">=\s*(\d+)", setuptools)
    assert minimum is not None and int(minimum.group(1)) >= 77  # SPDX strings need 77+
