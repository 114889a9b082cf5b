from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="'ok' when every check passes.")
    checks: dict[str, dict[str, Any]] = Field(
        description="One entry per dependency: database, ffmpeg, storage, providers."
    )


class QueueStatus(BaseModel):
    depth: int = Field(description="Jobs waiting to be claimed.")
    oldest_pending_age_seconds: float = Field(description="How long the oldest has waited.")


class ServiceStatus(BaseModel):
    uptime_seconds: float
    jobs: dict[str, int] = Field(description="Number of jobs in each status.")
    queue: QueueStatus
    workers: dict[str, Any] = Field(description="Workers with a recent heartbeat.")
    system: dict[str, Any] = Field(description="CPU, memory and disk of the host.")


class PublicConfig(BaseModel):
    model_config = {"extra": "allow"}

    auth_required: bool
    database: Literal["embedded", "external"]
    providers: dict[str, Any] = Field(
        description="Each provider with `configured: true/false`; never a secret."
    )
