"""Importing the old file-based service's data into the database and the new layout.

``layout`` finds the legacy files, ``record``/``mapping`` read a job's JSON,
``plan`` (with ``assets``, ``texts``, ``job_row``) works out the rows and copies,
``importer`` writes them a job per transaction, ``verify`` checks what landed and
``report``/``render`` say what happened.
"""

from media_analysis.legacy.importer import import_legacy
from media_analysis.legacy.layout import ImportRefused
from media_analysis.legacy.render import render_json, render_text
from media_analysis.legacy.report import ImportReport

__all__ = ["ImportRefused", "ImportReport", "import_legacy", "render_json", "render_text"]
