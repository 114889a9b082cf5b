"""Whisper-style APIs name the detected language in English ("english"); we store ISO codes."""

from __future__ import annotations

_CODES_BY_NAME = """
afrikaans:af amharic:am arabic:ar assamese:as azerbaijani:az bashkir:ba belarusian:be
bulgarian:bg bengali:bn tibetan:bo breton:br bosnian:bs catalan:ca czech:cs welsh:cy danish:da
german:de greek:el english:en spanish:es estonian:et basque:eu persian:fa finnish:fi faroese:fo
french:fr galician:gl gujarati:gu hausa:ha hawaiian:haw hebrew:he hindi:hi croatian:hr
haitian_creole:ht hungarian:hu armenian:hy indonesian:id icelandic:is italian:it japanese:ja
javanese:jw georgian:ka kazakh:kk khmer:km kannada:kn korean:ko latin:la luxembourgish:lb
lingala:ln lao:lo lithuanian:lt latvian:lv malagasy:mg maori:mi macedonian:mk malayalam:ml
mongolian:mn marathi:mr malay:ms maltese:mt myanmar:my burmese:my nepali:ne dutch:nl
nynorsk:nn norwegian:no occitan:oc punjabi:pa panjabi:pa polish:pl pashto:ps portuguese:pt
romanian:ro russian:ru sanskrit:sa sindhi:sd sinhala:si sinhalese:si slovak:sk slovenian:sl
shona:sn somali:so albanian:sq serbian:sr sundanese:su swedish:sv swahili:sw tamil:ta telugu:te
tajik:tg thai:th turkmen:tk tagalog:tl turkish:tr tatar:tt ukrainian:uk urdu:ur uzbek:uz
vietnamese:vi yiddish:yi yoruba:yo chinese:zh mandarin:zh cantonese:yue castilian:es
flemish:nl moldavian:ro moldovan:ro valencian:ca letzeburgesch:lb pushto:ps
"""

CODES_BY_NAME = dict(pair.split(":") for pair in _CODES_BY_NAME.split())
KNOWN_CODES = frozenset(CODES_BY_NAME.values())


def language_code(value: object) -> str | None:
    """``"English"`` → ``"en"``; codes pass through; anything unknown is kept lower-cased."""
    if not isinstance(value, str) or not value.strip():
        return None
    key = value.strip().lower().replace(" ", "_")
    return CODES_BY_NAME.get(key, key)
