"""Regenerate ``docs/demo-report.png``, the README's picture of the demo's before/after report.

    .venv/bin/python docs/screenshot.py

Runs ``headroom-middleware demo`` (the shipped router and samples), opens the HTML report it
writes in headless Chromium (``tests/browser.py``; Debian's ``chromium``) and keeps the top of
the page: the totals, the chart of savings and the first images.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import find_chromium, open_page  # noqa: E402
from PIL import Image  # noqa: E402

WIDTH, HEIGHT = 960, 1650  # CSS px: the README shows the page as a reader's window would


def main() -> int:
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        report, shot = Path(tmp) / "demo.html", Path(tmp) / "full.png"
        subprocess.run([sys.executable, "-m", "headroom_middleware.cli", "demo", "--report", str(report)],
                       check=True, stdout=subprocess.DEVNULL)
        with open_page(chromium, report.as_uri(), width=WIDTH, height=HEIGHT) as page:
            page.screenshot(shot)
        with Image.open(shot) as im:
            top = im.crop((0, 0, im.width, min(im.height, HEIGHT)))
            out = ROOT / "docs" / "demo-report.png"
            top.save(out, optimize=True)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
