"""The core request service: limits that bound real work, one error policy, bounded bookkeeping.

CPU-heavy work is simulated by an injected router that spends a fixed amount of its thread's CPU
time per image, so the checks measure what the service does after a timeout, not machine speed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

import pytest
from images import data_url, photo
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor, Technique
from headroom_middleware.errors import CompressionTimeoutError, ConfigError
from headroom_middleware.router import RouterDecision
from headroom_middleware.service import CompressionService

CPU_PER_IMAGE_S = 0.15


class BurningRouter:
    """Spends CPU_PER_IMAGE_S of thread CPU time per decision and records how many run at once."""

    def __init__(self) -> None:
        self.calls = 0
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def decide(self, thumb: Image.Image, query: str, *, original_size: tuple[int, int], **kw: Any) -> RouterDecision:
        with self._lock:
            self.calls += 1
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            end = time.thread_time() + CPU_PER_IMAGE_S
            x = 0
            while time.thread_time() < end:
                x += 1
            return RouterDecision({t: 1.0 if t is Technique.PRESERVE else 0.0 for t in Technique}, router="burn")
        finally:
            with self._lock:
                self.active -= 1

    def wait_quiet(self, quiet_s: float = 0.6, limit_s: float = 20.0) -> None:
        """Until no decision has run for ``quiet_s`` (the abandoned work, if any, has finished)."""
        deadline = time.monotonic() + limit_s
        last, since = self.calls, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if self.calls != last or self.active:
                last, since = self.calls, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return


def _request(images: int, seed: int, size: tuple[int, int] = (96, 64)) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": "What is in these pictures?"}]
    blocks += [{"type": "image_url", "image_url": {"url": data_url(photo(*size, seed=seed * 100 + i))}}
               for i in range(images)]
    return [{"role": "user", "content": blocks}]


def _service(router: BurningRouter, **kw: Any) -> CompressionService:
    return CompressionService(compressor=ImageCompressor(CompressionConfig(), router=router), **kw)


@pytest.mark.parametrize("max_concurrency", [1, None])
def test_a_timed_out_request_stops_consuming_cpu(max_concurrency: int | None) -> None:
    router = BurningRouter()
    service = _service(router, timeout_s=0.3, max_concurrency=max_concurrency)
    messages = _request(12, seed=1)  # 12 x 0.15 s of CPU if nothing stopped it
    outcome = service.compress(messages, model="gpt-4o")
    assert outcome.status == "timeout" and outcome.messages is messages and outcome.report is None
    cpu_at_timeout = time.process_time()
    router.wait_quiet()
    cpu_after = time.process_time() - cpu_at_timeout
    assert cpu_after < 1.0, f"{cpu_after:.2f} CPU-s spent after the timeout"
    assert router.calls < 12


async def test_max_concurrency_bounds_work_in_progress_not_only_waiting() -> None:
    router = BurningRouter()
    service = _service(router, timeout_s=0.2, max_concurrency=1)
    outcomes = await asyncio.gather(*(service.acompress(_request(4, seed=10 + i), model="gpt-4o") for i in range(4)))
    assert [o.status for o in outcomes] == ["timeout"] * 4
    await asyncio.to_thread(router.wait_quiet)
    assert router.peak == 1  # timed-out work kept its slot until it had really stopped
    assert router.calls <= 4  # queued requests past their deadline never started


def test_sync_callers_share_the_limit() -> None:
    router = BurningRouter()
    service = _service(router, timeout_s=5.0, max_concurrency=1)
    threads = [threading.Thread(target=service.compress, args=(_request(1, seed=20 + i),), kwargs={"model": "gpt-4o"})
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert router.calls == 3 and router.peak == 1


def test_compressor_timeout_raises_and_caches_nothing() -> None:
    router = BurningRouter()
    compressor = ImageCompressor(router=router)
    messages = _request(6, seed=30)
    with pytest.raises(CompressionTimeoutError):
        compressor.compress_with_report(messages, model="gpt-4o", timeout_s=0.2)
    assert router.calls < 6
    report = compressor.compress_with_report(messages, model="gpt-4o")  # no bound: all done, none cached
    assert len(report.results) == 6 and router.calls >= 6


def test_records_and_unsupported_targets_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    service = CompressionService(CompressionConfig(force_technique="full_low"), max_tracked_requests=2,
                                 max_unsupported_targets=2, max_concurrency=None)
    for i in range(3):
        outcome = service.compress(_request(1, seed=40), model="gpt-4o", call_id=f"id-{i}")
        assert outcome.status == "compressed"
    assert service.record_for("id-0") is None
    record = service.record_for("id-2")
    assert record is not None and record["headroom_status"] == "compressed"
    assert record["headroom_techniques"] == {"full_low": 1}
    with caplog.at_level(logging.INFO, logger="headroom_middleware"):
        for model in ("ollama/a", "ollama/b", "ollama/c", "ollama/a"):
            assert service.compress(_request(1, seed=41), model=model, target_from_host=True).status == "unsupported"
    # "a" was forgotten (bound 2) and so reported again: each report is one line, never a flood
    assert sum("not compressing" in r.getMessage() for r in caplog.records) == 4


def test_error_policy() -> None:
    service = CompressionService(max_concurrency=None)
    with pytest.raises(ConfigError):  # a target the developer named: a mistake to fix
        service.compress(_request(1, seed=50), model="ollama/llava")
    assert service.compress(_request(1, seed=50), model="ollama/llava", target_from_host=True).status == "unsupported"

    class Broken(ImageCompressor):
        def compress_with_report(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom data:image/png;base64," + "A" * 5000)

    broken = CompressionService(compressor=Broken(), max_concurrency=None)
    messages = _request(1, seed=51)
    outcome = broken.compress(messages, model="gpt-4o", call_id="c1")
    assert outcome.status == "error" and outcome.messages is messages
    assert broken.record_for("c1") == {"headroom_status": "error", "headroom_images": 0}


def test_skips_without_work() -> None:
    service = CompressionService(enabled=False)
    messages = _request(1, seed=60)
    assert service.compress(messages, model="gpt-4o").status == "skipped"
    text = [{"role": "user", "content": "hello"}]
    outcome = CompressionService().compress(text, model="unknown/model")
    assert outcome.status == "skipped" and outcome.messages is text and outcome.record() is None


def test_from_env() -> None:
    service = CompressionService.from_env({"HEADROOM_TIMEOUT_S": "0", "HEADROOM_MAX_CONCURRENCY": "3",
                                           "HEADROOM_ROUTER": "rules", "HEADROOM_SHARED_CACHE_URL": "redis://H/0"})
    assert service.timeout_s is None and service.max_concurrency == 3 and service.enabled
    assert service.config.router == "rules" and service.config.shared_cache_url == "redis://H/0"  # case kept
    with pytest.raises(ConfigError, match="HEADROOM_MAX_CONCURRENCY"):
        CompressionService.from_env({"HEADROOM_MAX_CONCURRENCY": "many"})
    with pytest.raises(ConfigError, match="HEADROOM_DISABLE"):
        CompressionService.from_env({"HEADROOM_DISABLE": "maybe"})


def test_summary_feeds_metadata_headers_and_events() -> None:
    report = ImageCompressor(CompressionConfig(force_technique="full_low")).compress_with_report(
        _request(2, seed=70, size=(1200, 900)), model="anthropic/claude-sonnet-4-5")
    summary = report.summary()
    meta, headers, event = summary.as_metadata(), summary.as_headers(), summary.as_event()
    assert meta["headroom_status"] == headers["x-headroom-status"] == event["status"] == "compressed"
    assert meta["headroom_saved_tokens"] == int(headers["x-headroom-saved-tokens"]) == event["saved_tokens"] > 0
    assert headers["x-headroom-target"] == "anthropic/claude-sonnet-4-5"
    assert headers["x-headroom-techniques"] == "full_low=2" and event["images"] == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_working_threads() -> None:
    router = BurningRouter()
    service = _service(router, timeout_s=30.0, max_concurrency=1)
    assert service.compress(_request(1, seed=80), model="gpt-4o").status == "unchanged"  # the pool now exists
    pid = os.fork()
    if pid == 0:  # child: a request must run, not wait for threads that were not forked
        code = 0 if service.compress(_request(1, seed=81), model="gpt-4o").status == "unchanged" else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
