"""The local stack the proxy benchmarks run against: the fake provider and one LiteLLM proxy per config.

Shared by ``benchmarks/litellm_proxy.py`` and ``benchmarks/load.py`` so both start, wait for and stop
the processes the same way. Everything listens on 127.0.0.1; every process started here is stopped
(by its own id) when the ``with`` block ends, also on an error.

    with proxy_stack({"plain": plain_yaml, "headroom": headroom_yaml}, workdir) as (fake_url, proxies):
        proxies["headroom"].url  # http://127.0.0.1:<port>, key in proxies["headroom"].master_key
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from litellm_helpers import ProxyProcess, launch_proxy  # noqa: E402


def start_fake_provider() -> tuple[subprocess.Popen[str], str]:
    """``tests/fake_provider.py`` in its own process (so its CPU is not the proxy's): (process, url)."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "fake_provider.py"), "--no-record"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("fake provider on "):
        process.kill()
        raise RuntimeError(f"fake provider did not start: {line!r}")
    return process, line.rsplit(" ", 1)[-1]


@contextmanager
def proxy_stack(configs: Mapping[str, Path], workdir: Path, *, env: Mapping[str, Mapping[str, str]] | None = None,
                ready_timeout_s: float = 240.0) -> Iterator[tuple[str, dict[str, ProxyProcess]]]:
    """The fake provider and one proxy per named config, all ready; ``env[name]``: extra variables for
    that proxy. The proxies start together (their ~10-20 s start-ups overlap), then each is awaited."""
    fake, fake_url = start_fake_provider()
    proxies: dict[str, ProxyProcess] = {}
    try:
        for name, config in configs.items():
            proxies[name] = launch_proxy(config, fake_url, workdir, env_extra=dict((env or {}).get(name, {})))
        for proxy in proxies.values():
            proxy.wait_ready(timeout_s=ready_timeout_s)
        yield fake_url, proxies
    finally:
        for proxy in proxies.values():
            proxy.stop()
        fake.terminate()
        fake.wait(timeout=10)
