"""List prices of transcription, in US dollars per hour of audio (None: not per-hour)."""

from __future__ import annotations

PRICE_PER_AUDIO_HOUR: dict[tuple[str, str], float] = {
    ("groq", "whisper-large-v3-turbo"): 0.04,
    ("groq", "whisper-large-v3"): 0.111,
    ("deepgram", "nova-3"): 0.258,
    ("deepgram", "nova-2"): 0.258,
    ("openai", "whisper-1"): 0.36,
    ("openai", "gpt-4o-transcribe"): 0.36,
    ("openai", "gpt-4o-mini-transcribe"): 0.18,
}
FREE_PROVIDERS = frozenset({"local"})


def cost_usd(provider: str, model: str | None, audio_seconds: float) -> float | None:
    if provider in FREE_PROVIDERS:
        return 0.0
    price = PRICE_PER_AUDIO_HOUR.get((provider, model or ""))
    if price is None:
        return None
    return round(price * audio_seconds / 3600, 6)
