"""The body of a webhook: ``{type, timestamp, data}`` with the job as the API shows it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from media_analysis.db.models import Job
from media_analysis.pipelines.job_views import job_json

# Frames, segments and words can run to thousands of entries; receivers fetch
# them through the job's assets and transcript links instead.
MAX_LIST_ITEMS = 20


def event_body(job: Job, event_type: str, occurred_at: datetime) -> bytes:
    data = job_json(job)
    omitted: dict[str, int] = {}
    data["result"] = _compact(data.get("result"), "result", omitted)
    if omitted:
        data["omitted"] = omitted
    body = {
        "type": event_type,
        "timestamp": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _compact(value: Any, path: str, omitted: dict[str, int]) -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if isinstance(item, list) and len(item) > MAX_LIST_ITEMS:
                omitted[f"{path}.{key}"] = len(item)
            else:
                kept[key] = _compact(item, f"{path}.{key}", omitted)
        return kept
    if isinstance(value, list):
        return [_compact(item, f"{path}[{index}]", omitted) for index, item in enumerate(value)]
    return value
