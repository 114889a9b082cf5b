"""A completed video job says so when only part of the declared duration decoded."""

from __future__ import annotations

from collections.abc import Sequence

from media_analysis.media.frames import Frame
from media_analysis.pipelines.specs.parts import ProblemNote

# A video track may end a little before the container's declared end (audio runs on);
# a shortfall larger than this is a file that was cut short.
MIN_SHORTFALL_SECONDS = 1.0
MIN_SHORTFALL_SHARE = 0.05


def truncation_warnings(
    frames: Sequence[Frame], fps: float, declared_seconds: float
) -> list[ProblemNote]:
    """A ``truncated`` warning when the frames stop well short of the declared end."""
    if not frames:
        return []
    decoded = frames[-1].timestamp + 1 / fps
    allowed = max(MIN_SHORTFALL_SECONDS, 2 / fps, MIN_SHORTFALL_SHARE * declared_seconds)
    if declared_seconds - decoded <= allowed:
        return []
    message = f"only {decoded:.1f} s of the declared {declared_seconds:.1f} s could be decoded"
    return [ProblemNote(code="truncated", message=message)]
