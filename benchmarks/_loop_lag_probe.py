"""Event-loop lag probe loaded *inside* a LiteLLM proxy by ``benchmarks/litellm_proxy.py``.

The proxy imports this module while it loads its config, on its serving event loop, so a
monitor task can start right away: it sleeps 5 ms at a time and records how late each wake-up
is (the loop's lag). Samples go to the file named by ``HEADROOM_LAG_PROBE_FILE`` as
``<unix time> <lag ms>`` lines, flushed twice a second.

The callback itself overrides no hook, so it adds the same (near zero) cost to the proxies
with and without headroom.
"""

from __future__ import annotations

import asyncio
import os
import time

# importing litellm would otherwise try to download its price map (no network in benchmarks)
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from litellm.integrations.custom_logger import CustomLogger

_INTERVAL_S = 0.005
_tasks: set[asyncio.Task[None]] = set()


async def _monitor(path: str) -> None:
    buffer: list[str] = []
    last_flush = time.monotonic()
    while True:
        expected = time.perf_counter() + _INTERVAL_S
        await asyncio.sleep(_INTERVAL_S)
        lag_ms = max(0.0, (time.perf_counter() - expected) * 1000)
        buffer.append(f"{time.time():.4f} {lag_ms:.3f}\n")
        if time.monotonic() - last_flush > 0.5:
            with open(path, "a") as fh:
                fh.writelines(buffer)
            buffer.clear()
            last_flush = time.monotonic()


class LoopLagProbe(CustomLogger):
    """Starts the monitor on the running loop; no request hooks."""

    def __init__(self) -> None:
        super().__init__()
        path = os.environ.get("HEADROOM_LAG_PROBE_FILE")
        if not path:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # imported outside the proxy's loop: nothing to measure
        task = loop.create_task(_monitor(path))
        _tasks.add(task)  # keep a reference so the task is not collected


probe_instance = LoopLagProbe()
