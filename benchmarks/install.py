"""``make bench``, part "Install": what a newcomer's ``make reports`` installs, on a fresh copy.

The repository's committed files (``git archive HEAD``: a fresh clone's) are unpacked into a
temporary folder and ``make reports`` runs there, as in the README: it creates ``.venv`` with
what rendering needs (requirements.txt and the kit) and renders the demo clients. Measured: its
wall time (pip's download cache may serve the wheels, as on any machine that installed before)
and the size of ``.venv`` afterwards (``du``: Python's byte code written by the run included),
against issue 25's target: at most half of the 917 MB a ``make reports`` venv held before it.
Then ``make install-dev`` on top (the test, lint and benchmark stack of ``make test``), for
its size and time. Writes (or replaces) its own section of BENCHMARKS.md.

    python benchmarks/install.py [--out BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sections import write_section  # benchmarks/sections.py (run as scripts)

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- install -->", "<!-- /install -->"
#: The ``make reports`` venv before issue 25 (it installed the whole test stack), and the target.
BEFORE_MB = 917
TARGET_MB = BEFORE_MB / 2


def fresh_copy(folder: Path) -> Path:
    """The committed files of this repository unpacked into ``folder/smmkit``."""
    copy = folder / "smmkit"
    copy.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)
    return copy


def du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sk", str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0]) / 1024


def make(copy: Path, target: str) -> float:
    """Wall seconds of ``make <target>`` in ``copy`` (its output kept off the terminal)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    t0 = time.perf_counter()
    subprocess.run(["make", target], cwd=copy, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="smmkit-install-") as tmp:
        copy = fresh_copy(Path(tmp))
        reports_s = make(copy, "reports")
        runtime_mb = du_mb(copy / ".venv")
        pages = len(list((copy / "reports").glob("*/*/*.html")))
        dev_s = make(copy, "install-dev")
        dev_mb = du_mb(copy / ".venv")
    met = "met" if runtime_mb <= TARGET_MB else "NOT met"
    text = f"""{BEGIN}
## Install: what `make reports` installs

Written by `benchmarks/install.py` (`make bench`) on {started:%Y-%m-%d %H:%M} UTC: the committed files
(`git archive HEAD`) in a new folder, then `make reports` there as the README says (a new `.venv`
with requirements.txt and the kit, then the demo clients rendered: {pages} pages), then
`make install-dev` on top. pip's download cache may serve the wheels, so the times are those of a
machine that installed before.

| step | wall s | `.venv` after |
|---|---:|---:|
| `make reports` (install and render) | {reports_s:.1f} | {runtime_mb:.0f} MB |
| `make install-dev` on top (test, lint and benchmark stack) | {dev_s:.1f} | {dev_mb:.0f} MB |

- Runtime venv at most half of the {BEFORE_MB} MB before issue 25 (at most {TARGET_MB:.0f} MB): **{met}**,
  {runtime_mb:.0f} MB ({runtime_mb / BEFORE_MB:.2f} of it).
{END}"""
    write_section(Path(args.out), text, BEGIN, END)
    print(f"make reports: {reports_s:.1f} s, .venv {runtime_mb:.0f} MB; install-dev: {dev_s:.1f} s, {dev_mb:.0f} MB",
          file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
