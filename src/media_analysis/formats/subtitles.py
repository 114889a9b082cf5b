"""A transcript as plain text, SubRip (.srt) or WebVTT (.vtt)."""

from __future__ import annotations

import textwrap

from media_analysis.formats.cues import Cue, transcript_cues
from media_analysis.providers.transcription import Transcript

LINE_WIDTH = 42


def render_text(transcript: Transcript) -> str:
    """One line per segment when there are segments, else the whole text."""
    lines = [" ".join(s.text.split()) for s in transcript.segments] or [transcript.text.strip()]
    body = "\n".join(line for line in lines if line)
    return body + "\n" if body else ""


def render_srt(transcript: Transcript) -> str:
    blocks = [
        f"{number}\n{srt_timestamp(cue.start)} --> {srt_timestamp(cue.end)}\n{_lines(cue.text)}\n"
        for number, cue in enumerate(transcript_cues(transcript), 1)
    ]
    return "\n".join(blocks)


def render_vtt(transcript: Transcript) -> str:
    blocks = ["WEBVTT\n"]
    blocks += [_vtt_block(cue) for cue in transcript_cues(transcript)]
    return "\n".join(blocks)


def srt_timestamp(seconds: float) -> str:
    """``01:02:03,456``"""
    return _clock(seconds, ",")


def vtt_timestamp(seconds: float) -> str:
    """``01:02:03.456``"""
    return _clock(seconds, ".")


def _vtt_block(cue: Cue) -> str:
    escaped = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"{vtt_timestamp(cue.start)} --> {vtt_timestamp(cue.end)}\n{_lines(escaped)}\n"


def _lines(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LINE_WIDTH, break_long_words=False)) or text


def _clock(seconds: float, decimal_mark: str) -> str:
    total_ms = max(0, round(seconds * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}{decimal_mark}{millis:03d}"
