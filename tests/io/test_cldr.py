"""smmkit/io/cldr.json, the CLDR data the interface languages read (issue 25: rendering installs no
Babel), is what scripts/make_cldr.py writes from the test stack's Babel, and what languages.py reads
from it is CLDR's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import make_cldr
from smmkit.io.languages import LANGUAGES, _cldr, month_names, words_for

babel = pytest.importorskip("babel")  # the test stack (requirements-dev.txt) has it
ROOT = Path(__file__).resolve().parents[2]


def test_committed_cldr_json_is_what_the_script_writes_from_babel():
    committed = (ROOT / "smmkit/io/cldr.json").read_text(encoding="utf-8")
    assert committed == make_cldr.render(make_cldr.cldr()), (
        "smmkit/io/cldr.json is out of date: run `python scripts/make_cldr.py`"
    )


def test_cldr_json_names_its_cldr_version_and_licence():
    data = _cldr()
    assert data["cldr_version"] == babel.core.get_cldr_version()
    assert "Unicode License v3" in data["license"]
    assert json.loads(make_cldr.render(data)) == data  # the rendering is plain JSON


def test_month_names_are_babels_months_of_each_language_and_region():
    """The table built from cldr.json is the one Babel's months give (the kit's reading before
    issue 25), entry for entry and in the same order (the first month of a shared name wins)."""
    from babel import Locale

    from smmkit.io.languages import _REGIONS, fold

    expected: dict[str, list[tuple[str, int]]] = {}
    for lang in LANGUAGES:
        names: dict[str, int] = {}
        for variant in (lang, *_REGIONS.get(lang, ())):
            loc = Locale.parse(variant)
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for month, name in loc.months[context][width].items():
                        names.setdefault(fold(name), month)
                        names.setdefault(fold(name).rstrip("."), month)
        expected[lang] = list(names.items())
    assert {lang: list(names.items()) for lang, names in month_names().items()} == expected
    assert month_names()["es"]["setiembre"] == 9 and month_names()["en"]["sept"] == 9  # es_PE, en_GB


def test_words_for_is_what_babels_weekday_month_and_unit_names_give():
    """words_for() from cldr.json equals the kit's reading of Babel before issue 25."""
    from babel import Locale
    from babel.units import get_unit_name

    from smmkit.io.languages import _TIME_UNITS, _WORD, HEADERS, SERIES_METRICS, fold

    out = {}
    for lang in LANGUAGES:
        loc = Locale.parse(lang)
        texts = [h for names in (*(v.get(lang, {}) for v in HEADERS.values()), SERIES_METRICS.get(lang, {}))
                 for h in names]  # fmt: skip
        texts += [n for ctx in ("format", "stand-alone")
                  for n in (*loc.months[ctx]["wide"].values(), *loc.days[ctx]["wide"].values())]  # fmt: skip
        texts += [n for unit in _TIME_UNITS for width in ("long", "short")
                  if (n := get_unit_name(unit, length=width, locale=loc))]  # fmt: skip
        out[lang] = {w for t in texts for w in _WORD.findall(fold(t))}
    english = out["en"] | {w for langs in HEADERS.values() for names in langs.values() for e in names.values()
                           for w in _WORD.findall(fold(e))}  # fmt: skip
    assert words_for() == {lang: frozenset(words - english) for lang, words in out.items() if lang != "en"}
    assert {"montag", "stunden"} <= words_for()["de"] and "detik" in words_for()["id"]  # weekday, units
