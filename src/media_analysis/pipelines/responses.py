"""The seed's AnalyzeResponse shape, shared by every understanding pipeline."""

from __future__ import annotations

import time
from typing import Any


def finish_response(result: dict[str, Any], kind: str, started: float) -> dict[str, Any]:
    """The seed's AnalyzeResponse fields, whatever pipeline produced the result."""
    return {
        "status": "completed",
        "media_type": kind,
        "frame_count": result.get("frame_count", 0),
        "contact_sheet_path": result.get("contact_sheet_path"),
        "contact_sheets": result.get("contact_sheets", []),
        "transcript": result.get("transcript"),
        "providers": result.get("providers", []),
        **result,
        "analysis_result": result.get("analysis_result") or {},
        "processing_time_ms": round((time.monotonic() - started) * 1000),
    }
