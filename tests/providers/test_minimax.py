from __future__ import annotations

import base64

import pytest

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.minimax import MiniMaxConfig, MiniMaxVision, chat_url
from media_analysis.providers.vision import SYSTEM_PROMPT, VisionRequest
from tests.fakes.vision import FakeMiniMax, VisionFakeError
from tests.providers.conftest import MINIMAX_KEY


def minimax(fake: FakeMiniMax, **overrides: object) -> MiniMaxVision:
    values: dict[str, object] = {"api_key": MINIMAX_KEY, "base_url": fake.base_url}
    values.update(overrides)
    return MiniMaxVision(MiniMaxConfig(**values))  # type: ignore[arg-type]


async def test_answer_usage_and_model_are_read(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    minimax_fake.answer = "The bunny yawns at 00:02, then walks off at 00:04."

    answer = await minimax(minimax_fake).analyze(vision_request)

    assert answer.text == "The bunny yawns at 00:02, then walks off at 00:04."
    assert answer.provider == "minimax"
    assert answer.model == "MiniMax-Text-01"
    assert answer.usage["total_tokens"] == 1234
    assert answer.raw_finish_reason == "stop"


async def test_request_carries_bearer_key_prompt_context_and_data_uri_images(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    await minimax(minimax_fake).analyze(vision_request)

    [sent] = minimax_fake.requests
    assert sent.path == "/v1/text/chatcompletion_v2"
    assert sent.headers["authorization"] == f"Bearer {MINIMAX_KEY}"
    system, user = sent.body["messages"]
    assert system == {"role": "system", "content": SYSTEM_PROMPT}
    assert "MM:SS" in system["content"]
    question, caption, first_image, _second_caption, second_image = user["content"]
    assert question["text"].startswith("What happens in this video?")
    assert "Transcript: hello there." in question["text"]
    assert caption["text"].startswith("sheet 1: tile 1 = frame 0 @ 00:00.0")
    url = first_image["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    original = vision_request.images[0].path.read_bytes()
    assert base64.b64decode(url.split(",", 1)[1]) == original
    assert second_image["type"] == "image_url"
    assert sent.body["model"] == "MiniMax-Text-01"
    assert sent.body["max_completion_tokens"] == 2048


async def test_leading_reasoning_is_stripped(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    minimax_fake.answer = (
        "<think>\nThe user wants a summary. Tile 2…\n</think>\n\nTwo birds at 00:03."
    )

    answer = await minimax(minimax_fake).analyze(vision_request)

    assert answer.text == "Two birds at 00:03."


async def test_configured_model_is_sent(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    minimax_fake.model = "MiniMax-M3"
    answer = await minimax(minimax_fake, model="MiniMax-M3").analyze(vision_request)

    assert minimax_fake.requests[0].body["model"] == "MiniMax-M3"
    assert answer.model == "MiniMax-M3"


@pytest.mark.parametrize(
    ("status_code", "kind"),
    [
        (1002, "throttled"),
        (1041, "throttled"),
        (2045, "throttled"),
        (1004, "auth"),
        (2049, "auth"),
        (1008, "auth"),
        (2056, "auth"),
        (1000, "server"),
        (1001, "server"),
        (1024, "server"),
        (1033, "server"),
        (1026, "caller"),
        (1027, "caller"),
        (1039, "too_large"),
        (2013, "misconfigured"),
    ],
)
async def test_base_resp_errors_on_http_200_are_failures(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest, status_code: int, kind: str
) -> None:
    minimax_fake.error = VisionFakeError.BASE_RESP
    minimax_fake.status_code = status_code
    minimax_fake.status_msg = f"something went wrong for {MINIMAX_KEY}"

    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake).analyze(vision_request)

    assert caught.value.kind == kind
    assert caught.value.provider_code == str(status_code)
    assert str(status_code) in str(caught.value)
    assert MINIMAX_KEY not in str(caught.value)


async def test_wrong_key_is_an_auth_failure(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake, api_key="eyJwrongKey987654321").analyze(vision_request)

    assert caught.value.kind == "auth"
    assert "eyJwrongKey987654321" not in str(caught.value)


@pytest.mark.parametrize(
    ("error", "kind", "http_status"),
    [
        (VisionFakeError.HTTP_401, "auth", 401),
        (VisionFakeError.HTTP_429, "throttled", 429),
        (VisionFakeError.HTTP_500, "server", 500),
        (VisionFakeError.HTTP_404, "misconfigured", 404),
        (VisionFakeError.NOT_JSON, "misconfigured", 200),
    ],
)
async def test_http_errors_are_mapped(
    minimax_fake: FakeMiniMax,
    vision_request: VisionRequest,
    error: VisionFakeError,
    kind: str,
    http_status: int,
) -> None:
    minimax_fake.error = error

    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake).analyze(vision_request)

    assert caught.value.kind == kind
    assert caught.value.status == http_status
    assert MINIMAX_KEY not in str(caught.value)


async def test_retry_after_header_is_kept(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    minimax_fake.error = VisionFakeError.HTTP_429
    minimax_fake.retry_after = "7"

    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake).analyze(vision_request)

    assert caught.value.retry_after == 7.0


async def test_slow_answer_is_a_timeout(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    minimax_fake.error = VisionFakeError.SLOW
    minimax_fake.delay_seconds = 2.0

    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake, timeout=0.3).analyze(vision_request)

    assert caught.value.kind == "timeout"


async def test_unreachable_host_is_a_server_failure(vision_request: VisionRequest) -> None:
    client = MiniMaxVision(MiniMaxConfig(api_key=MINIMAX_KEY, base_url="http://127.0.0.1:9"))

    with pytest.raises(ProviderFailure) as caught:
        await client.analyze(vision_request)

    assert caught.value.kind == "server"


async def test_images_over_the_size_cap_are_not_sent(
    minimax_fake: FakeMiniMax, vision_request: VisionRequest
) -> None:
    with pytest.raises(ProviderFailure) as caught:
        await minimax(minimax_fake, max_upload_bytes=100).analyze(vision_request)

    assert caught.value.kind == "too_large"
    assert minimax_fake.requests == []


def test_configured_only_with_a_key() -> None:
    assert not MiniMaxVision(MiniMaxConfig()).configured
    assert MiniMaxVision(MiniMaxConfig(api_key="k")).configured
    assert MiniMaxConfig().base_url == "https://api.minimax.io"


def test_chat_url_accepts_a_base_with_or_without_v1() -> None:
    expected = "https://api.minimax.io/v1/text/chatcompletion_v2"
    assert chat_url("https://api.minimax.io") == expected
    assert chat_url("https://api.minimax.io/v1/") == expected
