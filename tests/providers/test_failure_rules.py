"""The one table reading an HTTP status, used by transcription and vision alike."""

from __future__ import annotations

import httpx
import pytest

from media_analysis.providers.failure_rules import kind_for_status
from media_analysis.providers.failures import FailureKind, ProviderFailure
from media_analysis.providers.openai_vision import OpenAICompatibleVision, OpenAIVisionConfig
from media_analysis.providers.vision import VisionRequest

STATUS_KINDS: list[tuple[int, FailureKind]] = [
    (400, "misconfigured"),
    (401, "auth"),
    (402, "auth"),
    (403, "auth"),
    (404, "misconfigured"),
    (408, "timeout"),
    (413, "too_large"),
    (422, "server"),
    (424, "server"),
    (429, "throttled"),
    (498, "throttled"),
    (499, "server"),
    (500, "server"),
    (502, "server"),
    (503, "server"),
    (504, "server"),
]


@pytest.mark.parametrize(("status", "kind"), STATUS_KINDS)
def test_status_table(status: int, kind: FailureKind) -> None:
    assert kind_for_status(status) == kind


@pytest.mark.parametrize(
    ("status", "kind"), [(422, "server"), (424, "server"), (498, "throttled"), (499, "server")]
)
async def test_vision_reads_statuses_with_the_same_table(status: int, kind: FailureKind) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, json={"error": {"message": "not now"}}, headers={"retry-after": "2"}
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        vision = OpenAICompatibleVision(
            OpenAIVisionConfig(base_url="http://vision.test", model="m"), http_client=client
        )
        with pytest.raises(ProviderFailure) as caught:
            await vision.analyze(VisionRequest(prompt="?", images=[]))

    assert (caught.value.kind, caught.value.status) == (kind, status)
    assert caught.value.message == "not now"
    assert caught.value.retry_after == (2.0 if kind == "throttled" else None)
