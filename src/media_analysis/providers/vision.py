"""What every vision provider takes and gives back, and the chat messages they share.

A vision provider is asked one question about a few still images (single frames or
contact sheets whose tiles are stamped with their timestamps) and answers in text.
Failures are reported as :class:`ProviderFailure`, like every other provider's.
"""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from media_analysis.providers.attempts import Provider
from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.settings import ProviderSettings

DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024

SYSTEM_PROMPT = (
    "You analyse the user's media: still images (single video frames or contact sheets whose "
    "tiles are each stamped with their timestamp), a transcript, or a document's text. Ground "
    "every statement in what the images, transcript or text actually contain, and say plainly "
    "when something cannot be seen or heard. When you refer to a moment, cite it as MM:SS, "
    "using the tile-to-timestamp map or transcript times you are given. Never invent details."
)

_LEADING_REASONING = re.compile(r"^\s*<think>.*?(</think>|$)", re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class ChatVisionSettings(ProviderSettings):
    """A chat-completions vision provider; ``max_upload_bytes`` caps the images sent."""

    max_upload_bytes: int = DEFAULT_MAX_IMAGE_BYTES
    max_output_tokens: int = 1024
    temperature: float = 0.2


@dataclass(frozen=True)
class VisionImage:
    path: Path
    mime_type: str = "image/jpeg"
    caption: str = ""
    """e.g. ``sheet 1: tile 1 = frame 0 @ 00:00.0, tile 2 = frame 1 @ 00:00.3``."""


@dataclass(frozen=True)
class VisionRequest:
    prompt: str
    images: Sequence[VisionImage]
    context_text: str = ""
    """The tile-to-timestamp map and the transcript, as plain text."""


@dataclass(frozen=True)
class VisionAnswer:
    text: str
    provider: str
    model: str
    usage: dict[str, Any] = field(default_factory=dict)
    raw_finish_reason: str | None = None


class VisionAnalyzer(Provider, Protocol):
    async def analyze(self, request: VisionRequest) -> VisionAnswer: ...


def strip_reasoning(content: str) -> str:
    """Drop a leading ``<think>…</think>`` block (an unclosed one swallows the rest)."""
    return _LEADING_REASONING.sub("", content, count=1).strip()


async def build_chat_messages(
    request: VisionRequest, *, provider: str, max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES
) -> list[dict[str, Any]]:
    """System prompt plus one user turn: the question, its context, then each image."""
    image_parts = await asyncio.to_thread(_image_parts, request.images, provider, max_image_bytes)
    question: dict[str, Any] = {"type": "text", "text": _question_text(request)}
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": [question, *image_parts]},
    ]


def _question_text(request: VisionRequest) -> str:
    if not request.context_text.strip():
        return request.prompt
    return f"{request.prompt}\n\nContext:\n{request.context_text.strip()}"


def _image_parts(
    images: Sequence[VisionImage], provider: str, max_image_bytes: int
) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    total_bytes = 0
    for image in images:
        data = _read_image(image, provider)
        total_bytes += len(data)
        if total_bytes > max_image_bytes:
            raise ProviderFailure(
                provider,
                "too_large",
                f"the images add up to more than {max_image_bytes // (1024 * 1024)} MB",
            )
        if image.caption:
            parts.append({"type": "text", "text": image.caption})
        parts.append({"type": "image_url", "image_url": {"url": _data_uri(image, data)}})
    return parts


def _read_image(image: VisionImage, provider: str) -> bytes:
    try:
        return image.path.read_bytes()
    except OSError:
        raise ProviderFailure(
            provider, "caller", f"image {image.path.name} could not be read"
        ) from None


def _data_uri(image: VisionImage, data: bytes) -> str:
    return f"data:{image.mime_type};base64,{base64.b64encode(data).decode('ascii')}"
