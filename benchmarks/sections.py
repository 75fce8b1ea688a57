"""Each part of ``make bench`` writes its own section of BENCHMARKS.md, between its markers."""

from __future__ import annotations

from pathlib import Path


def write_section(out: Path, text: str, begin: str, end: str, *, first: bool = False) -> None:
    """Replace the section ``begin ... end`` of ``out`` with ``text`` (which holds both markers),
    or add it when the file has none: at the end, or at the start with ``first``."""
    text = text.rstrip("\n") + "\n"
    old = out.read_text(encoding="utf-8") if out.is_file() else ""
    if begin in old and end in old:
        rest = old[old.index(end) + len(end) :].lstrip("\n")
        new = old[: old.index(begin)] + text + ("\n" + rest if rest else "")
    elif first:
        new = text + ("\n" + old.lstrip("\n") if old.strip() else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    out.write_text(new, encoding="utf-8")
