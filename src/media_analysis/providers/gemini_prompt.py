"""The generateContent request that asks Gemini for a transcript as JSON."""

from __future__ import annotations

import base64
import json
from typing import Any

from media_analysis.providers.transcription import Segment
from media_analysis.providers.whisper_languages import language_code

TRANSCRIPT_SCHEMA: dict[str, Any] = {
    "type": "OBJECT",
    "properties": {
        "text": {"type": "STRING", "description": "The full verbatim transcript."},
        "language": {"type": "STRING", "description": "ISO 639-1 code of the spoken language."},
        "segments": {
            "type": "ARRAY",
            "items": {
                "type": "OBJECT",
                "properties": {
                    "start": {"type": "NUMBER", "description": "Start time in seconds."},
                    "end": {"type": "NUMBER", "description": "End time in seconds."},
                    "text": {"type": "STRING"},
                },
                "required": ["start", "end", "text"],
            },
        },
    },
    "required": ["text", "language", "segments"],
}

INSTRUCTIONS = (
    "Transcribe the speech in this audio verbatim, with punctuation. Split it into segments "
    "of one or two sentences with start and end times in seconds from the beginning of the "
    "audio. If there is no speech, answer an empty text and no segments."
)


def transcription_request(audio: bytes, *, mime_type: str, language: str | None) -> dict[str, Any]:
    instructions = INSTRUCTIONS
    if language:
        instructions += f" The speech is in the language with ISO 639-1 code '{language}'."
    return {
        "contents": [
            {
                "parts": [
                    {"text": instructions},
                    {
                        "inline_data": {
                            "mime_type": mime_type,
                            "data": base64.b64encode(audio).decode("ascii"),
                        }
                    },
                ]
            }
        ],
        "generationConfig": {
            "temperature": 0,
            "responseMimeType": "application/json",
            "responseSchema": TRANSCRIPT_SCHEMA,
        },
    }


def parse_model_answer(answer: str) -> tuple[str, str | None, tuple[Segment, ...]]:
    """The JSON the schema asked for → (text, language code, segments)."""
    data = json.loads(answer)
    segments = tuple(
        Segment(start=float(raw["start"]), end=float(raw["end"]), text=str(raw["text"]).strip())
        for raw in data.get("segments") or ()
    )
    return str(data["text"]).strip(), language_code(data.get("language")), segments
