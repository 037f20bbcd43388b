"""The headroom-middleware command: demo, compress, count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from images import data_url, encode, photo

from headroom_middleware.cli import main


def test_count(tmp_path: Path, capsys) -> None:
    f = tmp_path / "p.jpg"
    f.write_bytes(encode(photo(1920, 1080), "JPEG"))
    assert main(["count", str(f), "--model", "anthropic/claude-sonnet-4-5"]) == 0
    assert "1560 tokens" in capsys.readouterr().out
    assert main(["count", str(f), "--model", "gpt-4o", "--detail", "low"]) == 0
    assert ": 85 tokens" in capsys.readouterr().out


def test_compress_file_and_stdin(tmp_path: Path) -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": data_url(photo(1600, 1200), "JPEG")}}]}]}
    f = tmp_path / "req.json"
    f.write_text(json.dumps(body))
    cmd = [sys.executable, "-m", "headroom_middleware.cli", "compress", str(f), "--technique", "full_low"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    new = json.loads(out.stdout)
    assert new["model"] == "gpt-4o"
    assert new["messages"][0]["content"][1]["image_url"]["detail"] == "low"
    assert "765 -> 85" in out.stderr
    out2 = subprocess.run([*cmd[:4], "-", "--technique", "full_low"], input=json.dumps(body),
                          capture_output=True, text=True, check=True)
    assert json.loads(out2.stdout) == new


def test_compress_reports_bad_input(tmp_path: Path, capsys) -> None:
    f = tmp_path / "bad.json"
    f.write_text("{not json")
    assert main(["compress", str(f), "--model", "gpt-4o"]) == 2
    assert "error:" in capsys.readouterr().err


def test_demo_runs(capsys) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "image tokens:" in out and "% saved" in out
    for technique in ("full_low", "transcode", "crop"):
        assert technique in out, f"the demo should show {technique}:\n{out}"


def test_demo_requests_are_deterministic_and_idempotent() -> None:
    # end to end with the shipped router, OCR and crop: same bytes from two fresh compressors,
    # and a second pass over the output changes nothing (LiteLLM retries/fallbacks re-run hooks)
    from headroom_middleware import ImageCompressor
    from headroom_middleware.cli import demo_requests

    for _title, model, messages in demo_requests():
        first = ImageCompressor().compress_with_report(messages, model=model)
        second = ImageCompressor().compress_with_report(messages, model=model)
        assert json.dumps(first.messages, sort_keys=True) == json.dumps(second.messages, sort_keys=True)
        again = ImageCompressor().compress_with_report(first.messages, model=model)
        assert again.messages == first.messages, _title
