from __future__ import annotations

import pytest

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.openai_vision import (
    OpenAICompatibleVision,
    OpenAIVisionConfig,
    chat_completions_url,
)
from media_analysis.providers.vision import VisionRequest
from tests.fakes.vision import FakeOpenAIChat, VisionFakeError
from tests.providers.conftest import OPENAI_VISION_KEY


def openai_compatible(
    fake: FakeOpenAIChat, *, api_key: str = OPENAI_VISION_KEY
) -> OpenAICompatibleVision:
    config = OpenAIVisionConfig(
        base_url=f"{fake.base_url}/v1", model="qwen2.5-vl-7b", api_key=api_key, name="self_hosted"
    )
    return OpenAICompatibleVision(config)


async def test_answer_is_read_from_chat_completions(
    openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    openai_vision_fake.answer = "<think>tiles…</think>A red car enters at 00:01."

    answer = await openai_compatible(openai_vision_fake).analyze(vision_request)

    assert answer.text == "A red car enters at 00:01."
    assert (answer.provider, answer.model) == ("self_hosted", "qwen2.5-vl-7b")
    assert answer.usage["total_tokens"] == 920
    [sent] = openai_vision_fake.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {OPENAI_VISION_KEY}"
    assert sent.body["max_tokens"] == 1024


async def test_same_message_shape_as_minimax(
    openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    await openai_compatible(openai_vision_fake).analyze(vision_request)

    user_parts = openai_vision_fake.requests[0].body["messages"][1]["content"]
    assert [part["type"] for part in user_parts] == [
        "text", "text", "image_url", "text", "image_url"
    ]  # fmt: skip


async def test_keyless_server_gets_no_authorization_header(
    openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    openai_vision_fake.api_key = ""

    answer = await openai_compatible(openai_vision_fake, api_key="").analyze(vision_request)

    assert answer.text
    assert "authorization" not in openai_vision_fake.requests[0].headers


async def test_rejected_key_is_auth_and_not_echoed(
    openai_vision_fake: FakeOpenAIChat, vision_request: VisionRequest
) -> None:
    wrong_key = "sk-wrongVisionKey0123456789"
    with pytest.raises(ProviderFailure) as caught:
        await openai_compatible(openai_vision_fake, api_key=wrong_key).analyze(vision_request)

    assert caught.value.kind == "auth"
    assert "sk-wro" not in str(caught.value)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (VisionFakeError.HTTP_404, "misconfigured"),
        (VisionFakeError.HTTP_429, "throttled"),
        (VisionFakeError.HTTP_500, "server"),
    ],
)
async def test_http_errors_are_mapped(
    openai_vision_fake: FakeOpenAIChat,
    vision_request: VisionRequest,
    error: VisionFakeError,
    kind: str,
) -> None:
    openai_vision_fake.error = error

    with pytest.raises(ProviderFailure) as caught:
        await openai_compatible(openai_vision_fake).analyze(vision_request)

    assert caught.value.kind == kind


def test_configured_needs_base_url_and_model() -> None:
    assert not OpenAICompatibleVision(OpenAIVisionConfig(base_url="http://x/v1")).configured
    assert OpenAICompatibleVision(OpenAIVisionConfig(base_url="http://x", model="m")).configured


def test_chat_completions_url() -> None:
    assert (
        chat_completions_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/v1/chat/completions"
    )
    assert chat_completions_url("http://h/v1/") == "http://h/v1/chat/completions"
    assert chat_completions_url("https://h/openai/v1") == "https://h/openai/v1/chat/completions"
