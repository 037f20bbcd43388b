"""The HTML before/after report and the ``report`` command, checked in a real headless Chromium."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser import find_chromium, open_page
from images import data_url, encode, photo, text_page

from headroom_middleware import CompressionReport, CompressionResult, ImageCompressor, Technique
from headroom_middleware.cli import main
from headroom_middleware.html_report import ReportItem, input_price_per_token, render_html, write_report

QUESTION = "What kind of scene is this?"


def _request(img_url: str, text: str = QUESTION) -> list[dict]:
    return [{"role": "user", "content": [{"type": "text", "text": text},
                                         {"type": "image_url", "image_url": {"url": img_url}}]}]


def _items() -> list[ReportItem]:
    """A full_low, a crop and a hand-made transcode (OCR text in place of the image)."""
    c = ImageCompressor()
    m1 = _request(data_url(photo(1600, 1200), "JPEG"))
    m2 = _request(data_url(text_page()), "What does the top left corner say?")
    items = [
        ReportItem("photo <gist>", "gpt-4o", m1,
                   c.compress_with_report(m1, model="gpt-4o", force_technique="full_low")),
        ReportItem("page corner", "anthropic/claude-sonnet-4-5", m2,
                   c.compress_with_report(m2, model="anthropic/claude-sonnet-4-5", force_technique="crop")),
    ]
    text = "[OCR from image 1200x800]\nLine 0: <b>not markup</b> & more"
    m3 = _request(data_url(text_page()), "Transcribe this")
    out = [{"role": "user", "content": [m3[0]["content"][0], {"type": "text", "text": text}]}]
    result = CompressionResult(index=0, location="messages[0].content[1]", technique=Technique.TRANSCODE,
                               confidence=0.9, router="forced", original_tokens=1105, compressed_tokens=20,
                               original_size=(1200, 800), reason="OCR text")
    items.append(ReportItem("page text", "gpt-4o", m3, CompressionReport(messages=out, results=(result,))))
    return items


def test_page_is_self_contained_and_shows_everything() -> None:
    items = _items()
    assert items[0].report.results[0].technique is Technique.FULL_LOW
    crop = items[1].report.results[0]
    page = render_html(items, price_per_mtok=2.5)
    assert "<script" not in page and "http://" not in page and "https://" not in page
    srcs = re.findall(r'<img src="([^"]+)"', page)
    assert srcs and all(s.startswith("data:image/") for s in srcs)
    assert len(srcs) == 5  # two originals + two sent images + the transcode's original
    assert "photo &lt;gist&gt;" in page and "&lt;b&gt;not markup&lt;/b&gt; &amp; more" in page
    if crop.technique is Technique.CROP:  # the crop box is drawn on the original
        x0, y0, x1, y1 = crop.crop_box
        assert f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"' in page
    assert "$2.50 per million input tokens" in page
    total_before = sum(i.report.original_tokens for i in items)
    assert f"{total_before:,} →" in page
    for technique in ("preserve", "full_low", "crop", "transcode"):
        assert f'class="bar {technique}"' in page
    assert "model sees 512×384 px" in page  # detail=low: what gpt-4o really looks at


def test_price_lookup_without_importing_litellm() -> None:
    code = ("import sys; from headroom_middleware.html_report import input_price_per_token as p; "
            "v = p('gpt-4o'); assert 'litellm' not in sys.modules; print(v)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert float(out) > 0
    assert input_price_per_token("no-such-model-xyz") is None


def test_report_command_on_image_files_and_requests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    img = tmp_path / "p.jpg"
    img.write_bytes(encode(photo(1200, 900), "JPEG"))
    req = tmp_path / "r.jsonl"
    body = {"model": "gpt-4o", "messages": _request(data_url(text_page()), "what is this")}
    req.write_text(json.dumps(body) + "\n" + json.dumps(body) + "\n")
    out = tmp_path / "r.html"
    rc = main(["report", str(img), str(req), "--model", "gpt-4o", "--query", "what is it?", "--technique",
               "full_low", "--out", str(out), "--json"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["report"] == str(out.resolve()) and len(summary["images"]) == 3
    assert all(i["technique"] == "full_low" for i in summary["images"])
    page = out.read_text(encoding="utf-8")
    assert "p.jpg: what is it?" in page and "r.jsonl #2" in page


def test_bad_arguments_get_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    img = tmp_path / "p.png"
    img.write_bytes(encode(text_page(300, 200)))
    with pytest.raises(SystemExit) as exc:
        main(["count", str(img), "--model", "gpt-4o", "--detail", "bogus"])
    assert exc.value.code == 2 and "invalid choice: 'bogus'" in capsys.readouterr().err
    assert main(["report", str(img)]) == 2
    assert "need --model" in capsys.readouterr().err
    missing = tmp_path / "missing.json"
    assert main(["report", str(missing), "--model", "gpt-4o"]) == 2
    assert "error:" in capsys.readouterr().err


def test_demo_json_and_report(tmp_path: Path) -> None:
    out = tmp_path / "demo.html"
    proc = subprocess.run([sys.executable, "-m", "headroom_middleware.cli", "demo", "--router", "rules",
                           "--json", "--report", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["report"] == str(out) and out.exists()
    assert len(data["images"]) == 6 and data["original_tokens"] > data["compressed_tokens"]


def test_report_renders_in_chromium(tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed and could not be installed here (needs root and apt-get)")
    path = write_report(tmp_path / "report.html", _items(), price_per_mtok=2.5)
    with open_page(chromium, path.as_uri()) as page:
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert len(images) == 5 and all(ok and w > 0 for ok, w in images), images
        assert page.evaluate("document.querySelectorAll('section.image').length") == 3
        assert page.evaluate("document.querySelector('svg.chart rect') !== null")
        shot = tmp_path / "report.png"
        page.screenshot(shot)
        assert page.console_errors == []
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert base64.b64encode(png)  # saved for a human to look at: tmp_path / report.png
