"""Write smmkit/io/cldr.json, the CLDR locale data smmkit/io/languages.py reads, from Babel.

The kit reads month, weekday and time-unit names of its interface languages (and the regional
variants whose month names the base language's lack) from this file, so rendering does not
install Babel (33 MB, issue 25). Babel is in the test stack (requirements-dev.txt): run after
upgrading it, ``.venv/bin/python scripts/make_cldr.py``. A test (tests/io/test_cldr.py) fails
while the committed file differs from what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel import Locale
from babel.core import get_cldr_version
from babel.units import get_unit_name

from smmkit.io.languages import _REGIONS, _TIME_UNITS, LANGUAGES

OUT = Path(__file__).resolve().parents[1] / "smmkit" / "io" / "cldr.json"

LICENSE = (
    "Unicode CLDR data (https://cldr.unicode.org) read through Babel. Copyright Unicode, Inc. "
    "Distributed under the Unicode License v3: https://www.unicode.org/license.txt"
)


def cldr() -> dict:
    """The locale data languages.py reads, in CLDR's order: ``months[variant]["format wide"]`` the
    12 names of January..December; ``days[lang][context]`` the 7 wide weekday names, Monday first;
    ``units[lang][unit]`` the long and short names of a unit of time (null where CLDR has none)."""
    months, days, units = {}, {}, {}
    for lang in LANGUAGES:
        for variant in (lang, *_REGIONS.get(lang, ())):
            loc = Locale.parse(variant)
            months[variant] = {
                f"{context} {width}": [loc.months[context][width][m] for m in range(1, 13)]
                for context in ("format", "stand-alone")
                for width in ("wide", "abbreviated")
            }
        loc = Locale.parse(lang)
        days[lang] = {ctx: [loc.days[ctx]["wide"][d] for d in range(7)] for ctx in ("format", "stand-alone")}
        units[lang] = {
            unit: [get_unit_name(unit, length=width, locale=loc) for width in ("long", "short")]
            for unit in _TIME_UNITS
        }
    return {
        "generated_by": "scripts/make_cldr.py (do not edit by hand)",
        "cldr_version": get_cldr_version(),
        "license": LICENSE,
        "months": months,
        "days": days,
        "units": units,
    }


def render(data: dict) -> str:
    """``data`` as JSON with one list of names a line, so a CLDR upgrade reads as a short diff."""
    lines = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if not isinstance(value, dict):
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
            continue
        lines.append(f"  {json.dumps(key)}: {{")
        for j, (name, table) in enumerate(value.items()):
            lines.append(f"    {json.dumps(name)}: {{")
            rows = [f"      {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in table.items()]
            lines.append(",\n".join(rows))
            lines.append("    }" + ("," if j < len(value) - 1 else ""))
        lines.append("  }" + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(cldr()), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
