"""Remove the test suites that the stack's wheels ship from the runtime venv (``make install``).

pandas, numpy, matplotlib, pyarrow, tornado... put their own test suites in their wheels (28 MB
in the runtime venv, pandas' alone 15 MB); no run imports them, and the kit's suite never does
either (it tests the kit). A suite is a directory named ``tests`` or ``test`` inside a package
(its parent has an ``__init__.py``): ``numpy/lib/tests``, ``tornado/test``. Left alone: pip (the
installer stays as it was installed), jedi's bundled type stubs (completion data, not tests), a
``test`` module (``jinja2/tests.py`` is jinja2's own code), a symlink. ``pip uninstall`` and
``pip install --force-reinstall`` still work: pip skips the recorded files that are gone.

    .venv/bin/python scripts/prune_runtime.py [SITE]
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path

SUITE_NAMES = frozenset({"tests", "test"})
#: Top-level folders of site-packages left whole.
KEEP = frozenset({"pip", "jedi"})


def test_suites(site: Path) -> list[Path]:
    """The test-suite folders under ``site``, outermost only (one inside another is not listed)."""
    found: list[Path] = []
    for top in sorted(site.iterdir()):
        if top.name in KEEP or top.is_symlink() or not top.is_dir():
            continue
        found += _suites_in(top)
    return found


def _suites_in(folder: Path) -> list[Path]:
    found: list[Path] = []
    for child in sorted(folder.iterdir()):
        if child.is_symlink() or not child.is_dir():
            continue
        if child.name in SUITE_NAMES and (folder / "__init__.py").is_file():
            found.append(child)
        else:
            found += _suites_in(child)
    return found


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else sysconfig.get_path("purelib"))
    suites = test_suites(site)
    size = sum(_size(s) for s in suites)
    for suite in suites:
        shutil.rmtree(suite)
    print(f"removed {len(suites)} test suites of installed packages ({size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
