"""A cache shared by every worker and replica of a deployment (Redis), behind the in-process LRU.

Several LiteLLM proxy workers each keep their own LRU, so without it every worker compresses the same
screenshot once. With ``CompressionConfig(shared_cache_url="redis://...")`` the first worker to see an
image stores the finished output (compressed bytes or OCR text plus its ``CompressionResult``) under
the same content key the LRU uses, prefixed by the package version, and the others reuse it.

Failing open: Redis is an optimisation, never a dependency of a request. Every Redis error is
logged (once per outage, without keys or values), and the cache then stays off for
``_RETRY_AFTER_S`` so a dead server costs at most one short timeout per outage, not one per image.

Example::

    from headroom_middleware import CompressionConfig, ImageCompressor

    compressor = ImageCompressor(CompressionConfig(shared_cache_url="redis://cache:6379/0"))
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from .protocols import SharedCache

__all__ = ["RedisCache", "SharedCache"]

logger = logging.getLogger("headroom_middleware")

_RETRY_AFTER_S = 30.0


class RedisCache:
    """:class:`SharedCache` on Redis (``redis`` package, imported on first use; thread-safe).

    ``timeout_s`` bounds connect and every command: a slow cache must not be slower than compressing.

    Example::

        cache = RedisCache("redis://localhost:6379/0", prefix="headroom:0.1.0:")
        cache.set("k", b"v", 86400); cache.get("k")   # b"v", or None while Redis is unreachable
    """

    def __init__(self, url: str, *, prefix: str, timeout_s: float = 0.25) -> None:
        self.url = url
        self.prefix = prefix
        self.timeout_s = timeout_s
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._client: Any = None
        self._lock = threading.Lock()
        self._down_until = 0.0

    def _redis(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import redis

                    self._client = redis.Redis.from_url(
                        self.url, socket_timeout=self.timeout_s, socket_connect_timeout=self.timeout_s
                    )
        return self._client

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, op: str, exc: BaseException) -> None:
        self.errors += 1
        with self._lock:
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + _RETRY_AFTER_S
        if was_up:
            logger.warning(
                "headroom: shared cache %s failed (%s); compressing locally, retrying in %.0f s",
                op,
                exc.__class__.__name__,
                _RETRY_AFTER_S,
            )

    def _recovered(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            logger.info("headroom: shared cache reachable again")

    def get(self, key: str) -> bytes | None:
        if not self._available():
            return None
        try:
            value = self._redis().get(self.prefix + key)
        except Exception as exc:  # any client or network error: compress locally
            self._failed("get", exc)
            return None
        self._recovered()
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return bytes(value)

    def set(self, key: str, value: bytes, ttl_s: int) -> None:
        if not self._available():
            return
        try:
            self._redis().set(self.prefix + key, value, ex=ttl_s)
        except Exception as exc:
            self._failed("set", exc)
            return
        self._recovered()
