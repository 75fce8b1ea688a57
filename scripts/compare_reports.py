"""Compare two ``smmkit run`` outputs page by page: the same pages, words and numbers?

    python scripts/compare_reports.py reports-before/2026-10-04_2026-10-31 reports-after/2026-10-04_2026-10-31

Every ``<slug>/<page>.html`` of either folder is read with
:func:`smmkit.batch.render.page_content` (visible text, every ``data-*`` attribute such as
each KPI's unrounded ``data-value``, the embedded images' types). Prints one line per page
and exits 1 when a page is missing on one side or its content differs.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from smmkit.batch.render import page_content


def pages(period_dir: Path) -> dict[str, Path]:
    return {p.relative_to(period_dir).as_posix(): p for p in sorted(period_dir.glob("*/*.html"))}


def main(before: Path, after: Path) -> int:
    old, new = pages(before), pages(after)
    differ = 0
    for name in sorted(old.keys() | new.keys()):
        if name not in old or name not in new:
            print(f"{name}: only in {before if name in old else after}")
            differ += 1
            continue
        a = page_content(old[name].read_text(encoding="utf-8"))
        b = page_content(new[name].read_text(encoding="utf-8"))
        if a == b:
            print(f"{name}: same ({len(a['text'])} texts, {len(a['values'])} data attributes, "
                  f"{len(a['images'])} images)")  # fmt: skip
            continue
        differ += 1
        print(f"{name}: DIFFERENT")
        for part in ("text", "values", "images"):
            lines = difflib.unified_diff(list(map(str, a[part])), list(map(str, b[part])), lineterm="", n=1)
            for line in list(lines)[:20]:
                print(f"  {part}: {line}")
    print(f"{len(old.keys() | new.keys())} pages, {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
