"""Screenshots of rendered report pages for the README (``docs/report-screenshot*.png``).

Opens pages of a rendered period folder in Debian's headless Chromium (Playwright with
``executablePath``, never a downloaded browser) at a desktop and a phone width and saves the top of
each page. Run after ``make reports``::

    .venv/bin/python scripts/screenshots.py reports/2026-10-04_2026-10-31

Usage: python scripts/screenshots.py PERIOD_DIR [--client SLUG] [--out docs]
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
#: (file name, page, viewport width, viewport height, device scale factor)
SHOTS = (
    ("report-screenshot.png", "1-overview.html", 1280, 900, 1),
    ("report-screenshot-phone.png", "1-overview.html", 390, 844, 2),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("period_dir", type=Path)
    parser.add_argument("--client", default="atelier-nord")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = args.period_dir / args.client
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        try:
            for name, page_name, width, height, scale in SHOTS:
                page = browser.new_page(
                    viewport={"width": width, "height": height}, device_scale_factor=scale
                )
                page.goto((folder / page_name).resolve().as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(args.out / name))
                page.close()
                print(f"wrote {args.out / name} ({page_name} at {width} px)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
