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

import dataclasses
import functools
import re
import unicodedata

from smmkit.io.readers import RawFile, RawTable

__all__ = [
    "HEADERS",
    "LANGUAGES",
    "TranslatedFile",
    "fold",
    "guess_language",
    "month_names",
    "month_number",
    "switch_to_english",
    "translated",
]

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


# ----------------------------------------------------------------------------- header names

#: Header names of each vendor's exports in an interface language -> the English name the
#: vendor's reader looks up. Only names seen in real exports or the platforms' help pages
#: (``tests/fixtures/real/SOURCES.md`` cites each); a language or name not here is not guessed.
HEADERS: dict[str, dict[str, dict[str, str]]] = {
    "youtube": {
        "de": {
            "Videos": "Content", "Videotitel": "Video title",
            "Veröffentlichungszeitpunkt des Videos": "Video publish time", "Dauer": "Duration",
            "Aufrufe": "Views", "Wiedergabezeit (Stunden)": "Watch time (hours)",
            "Abonnenten": "Subscribers", "Impressionen": "Impressions",
            "Klickrate der Impressionen (%)": "Impressions click-through rate (%)", "Datum": "Date",
        },
        "pt": {
            "Conteúdo": "Content", "Título do vídeo": "Video title",
            "Horário de publicação do vídeo": "Video publish time", "Duração": "Duration",
            "Visualizações": "Views", "Tempo de exibição (horas)": "Watch time (hours)",
            "Inscritos": "Subscribers", "Impressões": "Impressions",
            "Taxa de cliques de impressões (%)": "Impressions click-through rate (%)",
            "Visualizações engajadas": "Engaged views", "Espectadores únicos": "Unique viewers",
            "Duração média da visualização": "Average view duration", "Data": "Date",
        },
        "es": {
            "Título del video": "Video title", "Hora de publicación del video": "Video publish time",
            "Vistas": "Views", "Tiempo de visualización (horas)": "Watch time (hours)",
            "Impresiones": "Impressions", "Suscriptores": "Subscribers",
        },
        "ru": {"Время публикации видео": "Video publish time", "Просмотры": "Views"},
    },
}  # fmt: skip

VENDORS = {"youtube": "YouTube Studio", "tiktok": "TikTok Studio", "meta": "Meta Business Suite"}
_SWITCH = {
    "youtube": "in YouTube Studio, click your profile picture > Language > English (US)",
    "tiktok": "in TikTok, open Settings and privacy > Language > App language > English",
    "meta": "on Facebook, open Settings & privacy > Language and region > Facebook language > English (US)",
}


def switch_to_english(vendor: str) -> str:
    """How to switch ``vendor``'s exports to English (its interface language), then export again."""
    return f"{_SWITCH[vendor]}, then export the file again"


@functools.cache
def _folded_headers() -> tuple[tuple[str, str, dict[str, str]], ...]:
    return tuple(
        (vendor, lang, {fold(k): v for k, v in names.items()})
        for vendor, langs in HEADERS.items()
        for lang, names in langs.items()
    )


@dataclasses.dataclass
class TranslatedFile(RawFile):
    """An export whose header names were written in an interface language other than English,
    with the English names its vendor's reader looks up; ``originals`` maps each English name back
    to the name as written (error messages name the column as the file has it)."""

    language: str = "en"
    vendor: str = ""
    originals: dict[str, str] = dataclasses.field(default_factory=dict)


def _translate(header: list[str]) -> tuple[str, str, dict[str, str]] | None:
    """The vendor, language and lookup whose names the header shares most (two at least)."""
    keys = [fold(h) for h in header]
    best, best_hits = None, 1
    for vendor, lang, names in _folded_headers():
        hits = sum(k in names for k in keys)
        if hits > best_hits:
            best, best_hits = (vendor, lang, names), hits
    return best


def translated(raw: RawFile) -> TranslatedFile | None:
    """``raw`` with the header names of a known interface language in English, or None when no
    table's header is in one (:data:`HEADERS`)."""
    tables: list[RawTable] = []
    found: tuple[str, str] | None = None
    originals: dict[str, str] = {}
    for table in raw.tables:
        hit = _translate(table.header)
        if hit is None:
            tables.append(table)
            continue
        vendor, lang, names = hit
        found = found or (vendor, lang)
        header = []
        for h in table.header:
            english = names.get(fold(h))
            if english is not None:
                originals[english] = h.strip()
            header.append(english if english is not None else h)
        tables.append(dataclasses.replace(table, header=header))
    if found is None:
        return None
    fields = {f.name: getattr(raw, f.name) for f in dataclasses.fields(RawFile)}
    return TranslatedFile(
        **{**fields, "tables": tables}, language=found[1], vendor=found[0], originals=originals
    )


# ----------------------------------------------------------------------------- guessing

_SCRIPT_LETTERS = (
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("tr", re.compile(r"[şğıİŞĞ]")),
    ("de", re.compile(r"[ßäöüÄÖÜ]")),
    ("pt", re.compile(r"[ãõÃÕ]|ç[aãoõ]")),
    ("es", re.compile(r"[ñÑ¿¡]")),
    ("fr", re.compile(r"[œèùûîÈ]|[éè]e|ée")),
    ("it", re.compile(r"[ìòÌÒ]|à\b")),
)


def guess_language(texts: list[str]) -> str | None:
    """The interface language that ``texts`` (header names, day labels) look like: by script and
    letters, then by CLDR month names; None when they look English or like nothing known."""
    joined = " ".join(texts)
    for lang, letters in _SCRIPT_LETTERS:
        if letters.search(joined):
            return lang
    words = {w.rstrip(".") for w in re.findall(r"[^\W\d_]+\.?", fold(joined))}
    best, best_hits = None, 0
    for lang in LANGUAGES[1:]:
        hits = len(words & set(month_names()[lang]) - set(month_names()["en"]))
        if hits > best_hits:
            best, best_hits = lang, hits
    return best
