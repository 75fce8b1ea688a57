"""Interface languages of native exports: header names and month names.

YouTube Studio, TikTok Studio and Meta Business Suite write their export headers (and TikTok
its year-less day labels) in the user's interface language. This module knows them for en, ru,
es, pt, de, fr, it, tr, id, el and uk:

- month names come from the CLDR locale data shipped with Babel (every form CLDR keeps: wide,
  abbreviated, stand-alone and the genitive of Slavic and Greek day labels), not from typed lists;
- header names come from real exports and the platforms' help pages (each cited in
  ``tests/fixtures/real/SOURCES.md``): :data:`HEADERS` maps a vendor's header name in a language
  to its English name, which the vendor readers look up (:func:`english_table`).

:func:`fold` is the loose comparison the closest-format hint uses (case, accents, soft hyphens,
a trailing ``(XXX)`` currency).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["LANGUAGES", "fold", "month_number", "month_names"]

#: The interface languages recognised (ISO 639-1), English first.
LANGUAGES = ("en", "ru", "es", "pt", "de", "fr", "it", "tr", "id", "el", "uk")
LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "es": "Spanish", "pt": "Portuguese", "de": "German",
    "fr": "French", "it": "Italian", "tr": "Turkish", "id": "Indonesian", "el": "Greek",
    "uk": "Ukrainian",
}  # fmt: skip

_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero widths, BOM
_CURRENCY = re.compile(r"\s*\(\s*[A-Za-z]{3}\s*\)\s*$")  # "Amount spent (UAH)"


def fold(name: object) -> str:
    """A header name folded for loose comparison: case, accents, soft hyphens and zero-width
    characters, runs of spaces and a trailing ``(XXX)`` currency code do not count.

    >>> fold("Amount spent (UAH)"), fold("Auf\\u00adrufe"), fold("Visualizações"), fold("  ΠΡΟΒΟΛΈΣ ")
    ('amount spent', 'aufrufe', 'visualizacoes', 'προβολεσ')
    """
    s = "" if name is None else str(name)
    s = _INVISIBLE.sub("", s).replace("\u00a0", " ")
    s = _CURRENCY.sub("", s)
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", s).strip()


def visible(name: str) -> str:
    """``name`` with its invisible characters (soft hyphens, zero widths) written out, so a
    message quoting a header shows what the file holds: ``Auf\\u00adrufe`` -> ``Auf<U+00AD>rufe``."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", name)


@functools.cache
def month_names() -> dict[str, dict[str, int]]:
    """Every CLDR month name of each language (folded, with and without a final dot) -> 1..12."""
    from babel import Locale  # CLDR data: imported on first use (a few ms), not with the kit

    out: dict[str, dict[str, int]] = {}
    for lang in LANGUAGES:
        loc = Locale.parse(lang)
        names: dict[str, int] = {}
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in loc.months[context][width].items():
                    key = fold(name)
                    names.setdefault(key, month)
                    names.setdefault(key.rstrip("."), month)
        out[lang] = names
    return out


def month_number(name: str, languages: tuple[str, ...] = LANGUAGES) -> int | None:
    """The month (1..12) a month name means in any of ``languages`` (CLDR's wide and abbreviated
    names, format and stand-alone forms), else None.

    >>> month_number("August"), month_number("августа"), month_number("Αυγ"), month_number("août")
    (8, 8, 8, 8)
    """
    key = fold(name).rstrip(".")
    tables = month_names()
    for lang in languages:
        month = tables[lang].get(key)
        if month is not None:
            return month
    return None
