"""Plain text, SRT and WebVTT renderings of transcripts, parsed back."""

from __future__ import annotations

from media_analysis.formats.cues import MAX_CUE_CHARS, MAX_CUE_SECONDS, cues_from_words
from media_analysis.formats.subtitles import (
    render_srt,
    render_text,
    render_vtt,
    srt_timestamp,
    vtt_timestamp,
)
from media_analysis.providers.transcription import Segment, Transcript, Word
from tests.formats.subtitle_parsing import parse_srt, parse_vtt


def transcript(
    *, segments: tuple[Segment, ...] = (), words: tuple[Word, ...] | None = None, text: str = ""
) -> Transcript:
    return Transcript(text, "en", None, None, words, segments, "test", "test-model")


def spoken(text: str, start: float = 0.0, step: float = 0.5) -> tuple[Word, ...]:
    return tuple(
        Word(word, start + i * step, start + (i + 1) * step) for i, word in enumerate(text.split())
    )


def test_timestamps_use_each_formats_decimal_mark() -> None:
    assert srt_timestamp(1.2344) == "00:00:01,234"
    assert vtt_timestamp(1.2346) == "00:00:01.235"
    assert srt_timestamp(3723.5) == "01:02:03,500"
    assert vtt_timestamp(59.9996) == "00:01:00.000"
    assert srt_timestamp(-0.2) == "00:00:00,000"


def test_segments_become_numbered_cues() -> None:
    segments = (Segment(0.0, 2.5, " Hello there. "), Segment(2.5, 61.25, "General Kenobi!"))
    srt = render_srt(transcript(segments=segments))
    assert srt == (
        "1\n00:00:00,000 --> 00:00:02,500\nHello there.\n\n"
        "2\n00:00:02,500 --> 00:01:01,250\nGeneral Kenobi!\n"
    )
    assert parse_vtt(render_vtt(transcript(segments=segments))) == [
        (0.0, 2.5, "Hello there."),
        (2.5, 61.25, "General Kenobi!"),
    ]


def test_without_segments_words_are_grouped_into_short_cues() -> None:
    words = spoken(" ".join(f"w{i}" for i in range(16)))  # 8 s of speech
    cues = parse_srt(render_srt(transcript(words=words)))
    assert len(cues) == 2
    assert all(end - start <= MAX_CUE_SECONDS for start, end, _ in cues)
    assert " ".join(text for *_, text in cues) == " ".join(w.text for w in words)


def test_word_cues_close_at_sentence_ends_and_stay_narrow() -> None:
    cues = cues_from_words(spoken("Stop. " + "extraordinarily " * 12 + "long."))
    assert cues[0].text == "Stop."
    assert all(len(cue.text) <= MAX_CUE_CHARS for cue in cues)
    assert [cue.start for cue in cues] == sorted(cue.start for cue in cues)


def test_long_cue_text_wraps_and_vtt_escapes_markup() -> None:
    text = "a <b>bold</b> claim & " + "words " * 12
    vtt = render_vtt(transcript(segments=(Segment(0, 5, text),)))
    assert "<b>" not in vtt and "&lt;b&gt;bold&lt;/b&gt; claim &amp;" in vtt
    assert all(len(line) <= 42 for line in vtt.splitlines())
    (cue,) = parse_vtt(vtt)
    assert cue[:2] == (0.0, 5.0)


def test_cues_come_out_in_time_order_with_positive_length() -> None:
    segments = (Segment(4, 6, "later"), Segment(1, 1, "instant"), Segment(2, 3, "   "))
    cues = parse_srt(render_srt(transcript(segments=segments)))
    assert [text for *_, text in cues] == ["instant", "later"]
    assert all(start < end for start, end, _ in cues)


def test_plain_text_is_one_line_per_segment_or_the_whole_text() -> None:
    segments = (Segment(0, 1, " first "), Segment(1, 2, "second"))
    assert render_text(transcript(segments=segments, text="first second")) == "first\nsecond\n"
    assert render_text(transcript(text=" just text ")) == "just text\n"
    assert render_text(transcript()) == ""
    assert render_srt(transcript()) == ""
    assert render_vtt(transcript()) == "WEBVTT\n"
