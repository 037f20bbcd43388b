"""A cache shared by every worker and replica of a deployment (Redis), behind the in-process LRU.

Several LiteLLM proxy workers each keep their own LRU, so without it every worker compresses the same
screenshot once. With ``CompressionConfig(shared_cache_url="redis://...", shared_cache_secret=...)`` the
first worker to see an image stores the finished output (compressed bytes or OCR text plus its
``CompressionResult``) under the same content key the LRU uses, prefixed by the package version, and the
others reuse it.

Two guarantees make it safe to put in front of a provider:

- **Bounded time.** Each ``get``/``set`` has one deadline for the whole call (connect, send and every
  read), not a per-read socket timeout: a server that trickles one byte every 0.2 s cannot hold a
  request. The command runs on a helper thread; at the deadline the caller moves on and the
  connection is shut down, which ends the helper's read.
- **Authenticated entries.** :class:`SignedCache` stores ``HMAC-SHA256(secret, key ‖ value)`` with each
  value and drops any entry whose tag does not verify, so write access to Redis alone does not let
  anyone choose what is sent to the provider (the pipeline then also checks that the entry is a
  coherent output before using it).

Failing open: Redis is an optimisation, never a dependency of a request. Every Redis error or missed
deadline is logged (once per outage, without keys or values), and the cache then stays off for
``_RETRY_AFTER_S`` so a dead server costs at most one deadline per outage, not one per image.

Example::

    from headroom_middleware import CompressionConfig, ImageCompressor

    compressor = ImageCompressor(CompressionConfig(shared_cache_url="redis://cache:6379/0",
                                                   shared_cache_secret="a long random string"))
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from typing import Any

from .protocols import SharedCache

__all__ = ["SECRET_ENV", "RedisCache", "SharedCache", "SignedCache"]

logger = logging.getLogger("headroom_middleware")

_RETRY_AFTER_S = 30.0
#: Environment variable holding the HMAC key when ``CompressionConfig.shared_cache_secret`` is unset.
SECRET_ENV = "HEADROOM_SHARED_CACHE_SECRET"


class RedisCache:
    """:class:`SharedCache` on Redis (``redis`` package, imported on first use; thread-safe).

    ``deadline_s`` bounds each whole call; at most ``max_inflight`` calls run at once (beyond that a
    call is skipped as a miss rather than queued), so a stalled server holds a bounded number of
    helper threads, each only until its connection is shut down.

    Example::

        cache = RedisCache("redis://localhost:6379/0", prefix="headroom:0.1.0:")
        cache.set("k", b"v", 86400); cache.get("k")   # b"v", or None while Redis is unreachable
    """

    def __init__(self, url: str, *, prefix: str, deadline_s: float = 0.25, max_inflight: int = 16) -> None:
        self.url = url
        self.prefix = prefix
        self.deadline_s = deadline_s
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self.timeouts = 0
        self.skipped = 0
        self._client: Any = None
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_inflight)
        self._down_until = 0.0

    def _redis(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import redis

                    # Per-socket timeouts too, so a helper thread never outlives a dead connection for long.
                    self._client = redis.Redis.from_url(
                        self.url, socket_timeout=self.deadline_s, socket_connect_timeout=self.deadline_s
                    )
        return self._client

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, op: str, what: str) -> None:
        with self._lock:
            self.errors += 1
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + _RETRY_AFTER_S
        if was_up:
            logger.warning(
                "headroom: shared cache %s failed (%s); compressing locally, retrying in %.0f s",
                op, what, _RETRY_AFTER_S,
            )

    def _recovered(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            logger.info("headroom: shared cache reachable again")

    def _call(self, op: str, fn: Any) -> tuple[bool, Any]:
        """Run ``fn(client)`` within the deadline: (True, result), or (False, None) on any failure."""
        if not self._available():
            return False, None
        if not self._slots.acquire(blocking=False):
            with self._lock:
                self.skipped += 1
            return False, None
        box: dict[str, Any] = {}
        done = threading.Event()
        try:
            client = self._redis()  # the import and client set-up (no I/O) are not the server's time
        except Exception as exc:
            self._slots.release()
            self._failed(op, exc.__class__.__name__)
            return False, None

        def run() -> None:
            try:
                box["value"] = fn(client)
            except BaseException as exc:  # reported to the caller, never raised in the helper
                box["error"] = exc
            finally:
                self._slots.release()
                done.set()

        # A daemon thread: one stuck in a read never delays interpreter exit.
        threading.Thread(target=run, name="headroom-shared-cache", daemon=True).start()
        if not done.wait(self.deadline_s):
            with self._lock:
                self.timeouts += 1
            self._failed(op, f"no answer within {self.deadline_s:g} s")
            self._abort()
            return False, None
        if "error" in box:
            self._failed(op, box["error"].__class__.__name__)
            return False, None
        self._recovered()
        return True, box.get("value")

    def _abort(self) -> None:
        """Shut the connections down so a helper stuck in a slow read returns now."""
        client = self._client
        if client is not None:
            try:
                client.connection_pool.disconnect()
            except Exception as exc:  # best effort: the socket timeout ends the read anyway
                logger.debug("headroom: shared cache disconnect failed (%s)", exc.__class__.__name__)

    def get(self, key: str) -> bytes | None:
        ok, value = self._call("get", lambda r: r.get(self.prefix + key))
        if not ok:
            return None
        with self._lock:
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
        return bytes(value)

    def set(self, key: str, value: bytes, ttl_s: int) -> None:
        self._call("set", lambda r: r.set(self.prefix + key, value, ex=ttl_s))


# Stored entry: version tag, then the 32-byte HMAC, then the value.
_SEAL_VERSION = b"h1"
_TAG_BYTES = 32


class SignedCache:
    """A :class:`SharedCache` whose entries carry an HMAC-SHA256 tag over (key, value).

    An entry that is not sealed with the same secret for the same key (forged, corrupted, copied
    from another key, or written by a worker with another secret) reads as a miss and is counted in
    ``rejected``.

    Example::

        cache = SignedCache(RedisCache("redis://cache:6379/0", prefix="headroom:0.1.0:"), b"secret")
        cache.set("k", b"v", 60); cache.get("k")    # b"v"
    """

    def __init__(self, inner: SharedCache, secret: bytes) -> None:
        if not secret:
            from .errors import ConfigError

            raise ConfigError("the shared-cache secret must not be empty")
        self.inner = inner
        self._secret = secret
        self.rejected = 0
        self._lock = threading.Lock()

    def _tag(self, key: str, value: bytes) -> bytes:
        mac = hmac.new(self._secret, digestmod=hashlib.sha256)
        encoded_key = key.encode("utf-8", "surrogatepass")
        # length-prefixed key: (key, value) pairs cannot be re-split into another valid pair
        mac.update(len(encoded_key).to_bytes(8, "big") + encoded_key)
        mac.update(value)
        return mac.digest()

    def get(self, key: str) -> bytes | None:
        data = self.inner.get(key)
        if data is None:
            return None
        head = len(_SEAL_VERSION)
        value = data[head + _TAG_BYTES:]
        if data[:head] != _SEAL_VERSION or not hmac.compare_digest(data[head:head + _TAG_BYTES], self._tag(key, value)):
            self.reject("bad signature")
            return None
        return value

    def set(self, key: str, value: bytes, ttl_s: int) -> None:
        self.inner.set(key, _SEAL_VERSION + self._tag(key, value) + value, ttl_s)

    def reject(self, why: str) -> None:
        """Count an entry that must not be used (also called by the pipeline for incoherent entries)."""
        with self._lock:
            self.rejected += 1
        logger.warning("headroom: shared-cache entry rejected (%s)", why)
