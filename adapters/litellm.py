"""LiteLLM integration: compress the images of a request for the model that will receive it.

Three ways in, all thin translations around :class:`headroom_middleware.ImageCompressor`:

1. :class:`HeadroomImageCallback`, a LiteLLM ``CustomLogger``. Put an instance in
   ``litellm.callbacks`` and every *async* call is compressed just before it is sent:
   ``litellm.acompletion``, ``litellm.aresponses``, ``litellm.anthropic.messages.acreate``,
   ``litellm.agenerate_content``, every ``litellm.Router`` call (including fallbacks: each
   deployment gets the request compressed for its own model), and the proxy. The work happens
   in ``async_pre_call_deployment_hook``, which LiteLLM runs after a deployment is chosen, so
   the target is the real model (``anthropic/claude-sonnet-4-5``), not a public alias.

   Example::

       import litellm
       from headroom_middleware.adapters.litellm import HeadroomImageCallback

       litellm.callbacks = [HeadroomImageCallback()]
       response = await litellm.acompletion(model="anthropic/claude-sonnet-4-5", messages=messages)
       print(response._hidden_params["headroom"])   # tokens before/after, techniques

2. :func:`completion` / :func:`acompletion`, drop-in wrappers of ``litellm.completion`` /
   ``litellm.acompletion``. **The sync** ``litellm.completion`` **runs no hook that may change
   the request**, so a callback alone does nothing there: call
   ``headroom_middleware.adapters.litellm.completion(...)`` instead. The wrapper compresses
   (in the calling thread), then calls LiteLLM with the same arguments. The async wrapper is
   for code that does not want to register a global callback; with the callback registered
   too, the request is marked and not compressed twice.

   Example::

       from headroom_middleware.adapters import litellm as headroom_litellm
       response = headroom_litellm.completion(model="gpt-4o", messages=messages)

3. ``proxy_handler_instance`` for the LiteLLM proxy's ``config.yaml``::

       litellm_settings:
         callbacks: ["headroom_middleware.adapters.litellm.proxy_handler_instance"]

   Its settings come from ``HEADROOM_*`` environment variables (see :func:`config_from_env`):
   ``HEADROOM_DISABLE=1`` turns it off, ``HEADROOM_FORCE_TECHNIQUE=full_low``,
   ``HEADROOM_CONFIDENCE_THRESHOLD=0.7``, ``HEADROOM_ROUTER=rules``, … one per field of
   :class:`~headroom_middleware.CompressionConfig`. Responses carry ``x-headroom-*`` headers.

Per request: ``metadata={"headroom": {"disable": True}}`` sends the request untouched;
``metadata={"headroom": {"technique": "full_low"}}`` forces a technique for its images. That
is ``metadata`` for chat completions (SDK and proxy) and in any proxy request body; for the
SDK's ``aresponses`` / ``anthropic.messages`` / ``agenerate_content``, whose ``metadata`` is a
provider parameter, pass it as ``litellm_metadata={"headroom": {...}}``.
Savings land in the request metadata (``headroom_original_tokens``,
``headroom_compressed_tokens``, ``headroom_techniques``; also inside
``spend_logs_metadata`` so the proxy's spend logs keep them), in ``x-headroom-*`` proxy
response headers and in ``response._hidden_params["headroom"]``.

Any failure inside the adapter or the core sends the original request unchanged and logs
the error class and a bounded message (never image bytes or OCR text).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

try:
    import litellm
    from litellm.integrations.custom_logger import CustomLogger
except ImportError as _exc:  # pragma: no cover - exercised only without litellm installed
    if (_exc.name or "litellm").split(".")[0] != "litellm":
        raise  # litellm is installed but broken: show the real error
    raise ImportError(
        "headroom_middleware.adapters.litellm needs LiteLLM: pip install 'headroom-middleware[litellm]'"
    ) from _exc

from pydantic import ValidationError

from headroom_middleware.compressor import has_images
from headroom_middleware.errors import ConfigError
from headroom_middleware.types import CompressionConfig, CompressionReport, Technique

if TYPE_CHECKING:
    from litellm.caching.caching import DualCache
    from litellm.proxy._types import UserAPIKeyAuth
    from litellm.types.utils import CallTypes, CallTypesLiteral, LLMResponseTypes

    from headroom_middleware.compressor import ImageCompressor

__all__ = [
    "HeadroomImageCallback",
    "acompletion",
    "completion",
    "config_from_env",
    "proxy_handler_instance",
]

logger = logging.getLogger("headroom_middleware.litellm")

# Which request field holds the images, per LiteLLM call type. Everything here reaches
# ``async_pre_call_deployment_hook`` (the SDK's async wrapper, the Router and the proxy all go
# through it); the sync ``responses`` runs the same hook through LiteLLM's sync bridge.
_PAYLOAD_FIELD: dict[str, str] = {
    "completion": "messages",
    "acompletion": "messages",
    "anthropic_messages": "messages",
    "aanthropic_messages": "messages",
    "responses": "input",
    "aresponses": "input",
    "generate_content": "contents",
    "agenerate_content": "contents",
    "generate_content_stream": "contents",
    "agenerate_content_stream": "contents",
}

# Set in the request metadata by whichever step compressed the request, so a later hook on
# the same kwargs (the callback after the async wrapper, LiteLLM's own retry of the same
# deployment) does not redo the work. Router fallbacks start again from the caller's
# unmarked request, because the hooks never mutate it, so each deployment is compressed for
# its own model.
_MARKER = "headroom_applied"
_OPTIONS_KEY = "headroom"
_RECORD_KEYS = (
    "headroom_original_tokens",
    "headroom_compressed_tokens",
    "headroom_saved_tokens",
    "headroom_savings_percent",
    "headroom_techniques",
    "headroom_images",
    "headroom_estimated",
    "headroom_target",
    "headroom_status",
)
# Image compressions at once per event loop: about half the cores, so the loop thread keeps a
# core (and the GIL) for request handling; measured in benchmarks/litellm_proxy.py.
DEFAULT_MAX_CONCURRENCY = max(1, min(4, (os.cpu_count() or 2) // 2))
_N = TypeVar("_N", int, float)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# Settings read verbatim from the environment: everything else is enum-like, numbers or booleans, where
# lower-casing is harmless; a Redis password or an HMAC key must keep its case.
_CASE_SENSITIVE = frozenset({"shared_cache_url", "shared_cache_secret"})
# The body shape tells the provider of a pass-through request that names no model.
_PASS_THROUGH_FIELDS = (("messages", None), ("contents", "gemini"), ("input", "openai"))


# -- settings -------------------------------------------------------------------------------


def _env_bool(name: str, value: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def _env_number(env: Mapping[str, str], name: str, kind: type[_N], default: _N | None) -> _N | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from exc


def config_from_env(environ: Mapping[str, str] | None = None) -> CompressionConfig:
    """Build a :class:`~headroom_middleware.CompressionConfig` from ``HEADROOM_<FIELD>`` variables.

    Every field of the config has one variable, its name upper-cased: ``HEADROOM_ROUTER``,
    ``HEADROOM_CONFIDENCE_THRESHOLD``, ``HEADROOM_FORCE_TECHNIQUE`` (``none`` clears it),
    ``HEADROOM_MIN_SAVINGS_PERCENT``, ``HEADROOM_ENABLE_CROP``, ``HEADROOM_ENABLE_TRANSCODE``,
    ``HEADROOM_HISTORY_POLICY``, ``HEADROOM_OCR_MIN_CONFIDENCE``, ``HEADROOM_CACHE_SIZE``, …
    Unset or empty variables keep the default. Raises :class:`~headroom_middleware.errors.ConfigError`
    naming the variable when a value is invalid: a misconfigured proxy should say so at start-up
    rather than silently not compress.

    Example::

        config = config_from_env({"HEADROOM_CONFIDENCE_THRESHOLD": "0.7", "HEADROOM_ROUTER": "rules"})
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in CompressionConfig.model_fields:
        raw = env.get(f"HEADROOM_{name.upper()}")
        if raw is None or not raw.strip():
            continue
        value = raw.strip() if name in _CASE_SENSITIVE else raw.strip().lower()
        if name == "force_technique" and value in ("none", "auto", "off"):
            continue
        values[name] = value
    try:
        return CompressionConfig(**values)
    except ConfigError as exc:
        cause = exc.__cause__
        errors = cause.errors() if isinstance(cause, ValidationError) else []
        problems = "; ".join(f"HEADROOM_{str(err['loc'][0]).upper()}: {err['msg']}" for err in errors if err.get("loc"))
        raise ConfigError(f"invalid HEADROOM_* environment settings: {problems or exc}") from exc


# -- per-request helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    disable: bool = False
    force: Technique | None = None


@dataclass(frozen=True)
class _Plan:
    call_type: str
    field: str
    payload: list[Any]
    provider: str | None
    model: str | None
    force: Technique | None
    call_id: str | None


def _call_type_name(call_type: object) -> str:
    # LiteLLM passes a CallTypes enum to the deployment hook and a plain string to the proxy
    # hook; str() of a str-Enum is "CallTypes.x" on 3.11, so read .value.
    if isinstance(call_type, Enum):
        return str(call_type.value)
    return str(call_type) if call_type is not None else ""


def _metadata_buckets(kwargs: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The request's metadata dicts, where users put options and LiteLLM keeps its own state.

    ``metadata`` on chat completions; ``litellm_metadata`` on the proxy's /v1/messages and
    /responses routes, where the caller's own ``metadata`` is copied to ``requester_metadata``.
    """
    buckets: list[Mapping[str, Any]] = []
    for name in ("metadata", "litellm_metadata"):
        bucket = kwargs.get(name)
        if isinstance(bucket, Mapping):
            buckets.append(bucket)
            requester = bucket.get("requester_metadata")
            if isinstance(requester, Mapping):
                buckets.append(requester)
    return buckets


def _parse_options(raw: object) -> _Options:
    if raw is False:  # metadata={"headroom": False} reads naturally as "off"
        return _Options(disable=True)
    if not isinstance(raw, Mapping):
        return _Options()
    disable = raw.get("disable", False)
    if isinstance(disable, str):
        disable = disable.strip().lower() in _TRUE
    force: Technique | None = None
    technique = raw.get("technique") or raw.get("force_technique")
    if technique:
        try:
            force = Technique.parse(str(technique))
        except ValueError:
            # An unknown name is a caller typo, not a reason to fail the request: the router decides.
            logger.warning("headroom: ignoring unknown technique %r in request metadata", str(technique)[:40])
    return _Options(disable=bool(disable), force=force)


def _request_options(kwargs: Mapping[str, Any]) -> tuple[_Options, bool]:
    """(options, already_marked) from the request metadata."""
    options = _Options()
    marked = False
    for bucket in _metadata_buckets(kwargs):
        if bucket.get(_MARKER):
            marked = True
        if _OPTIONS_KEY in bucket and options == _Options():
            options = _parse_options(bucket[_OPTIONS_KEY])
    return options, marked


def _target(kwargs: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(provider, model) for the core from LiteLLM's deployment kwargs.

    ``model`` is the deployment's LiteLLM string ("anthropic/claude-sonnet-4-5"); the sync
    Responses bridge splits it into ``custom_llm_provider`` + bare model instead. A deployment
    with an arbitrary name (Azure) may declare its real model as ``base_model``.
    """
    model = kwargs.get("model")
    provider = kwargs.get("custom_llm_provider")
    model = model if isinstance(model, str) and model else None
    provider = provider if isinstance(provider, str) and provider else None
    base_model: object = kwargs.get("base_model")
    if not base_model:
        for bucket in _metadata_buckets(kwargs):
            info = bucket.get("model_info")
            if isinstance(info, Mapping) and info.get("base_model"):
                base_model = info["base_model"]
                break
    if isinstance(base_model, str) and base_model:
        prefix = model.split("/", 1)[0] if model and "/" in model else provider
        model = base_model if "/" in base_model or not prefix else f"{prefix}/{base_model}"
    if provider and model and model.split("/", 1)[0] == provider:
        provider = None  # already in the model string
    return provider, model


def _record(report: CompressionReport, status: str) -> dict[str, Any]:
    return {
        "headroom_original_tokens": report.original_tokens,
        "headroom_compressed_tokens": report.compressed_tokens,
        "headroom_saved_tokens": report.saved_tokens,
        "headroom_savings_percent": round(report.savings_percent, 1),
        "headroom_techniques": dict(sorted(report.techniques.items())),
        "headroom_images": len(report.results),
        "headroom_estimated": any(r.estimated for r in report.results),
        "headroom_target": f"{report.provider}/{report.model}" if report.provider else report.model,
        "headroom_status": status,
    }


def _headers(record: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        "x-headroom-status": str(record.get("headroom_status", "")),
        "x-headroom-images": str(record.get("headroom_images", 0)),
        "x-headroom-original-tokens": str(record.get("headroom_original_tokens", 0)),
        "x-headroom-compressed-tokens": str(record.get("headroom_compressed_tokens", 0)),
        "x-headroom-saved-tokens": str(record.get("headroom_saved_tokens", 0)),
        "x-headroom-savings-percent": str(record.get("headroom_savings_percent", 0.0)),
        "x-headroom-techniques": ",".join(
            f"{name}={count}" for name, count in dict(record.get("headroom_techniques") or {}).items()
        ),
    }
    if record.get("headroom_target"):
        headers["x-headroom-target"] = str(record["headroom_target"])
    return headers


def _safe_message(exc: BaseException) -> str:
    # Bounded, so an exception that quotes its input cannot put image data in the logs.
    text = str(exc).replace("\n", " ")
    return text if len(text) <= 160 else text[:160] + "…"


def _call_id(kwargs: Mapping[str, Any]) -> str | None:
    call_id = kwargs.get("litellm_call_id")
    if not call_id:
        call_id = getattr(kwargs.get("litellm_logging_obj"), "litellm_call_id", None)
    return str(call_id) if call_id else None


# -- the callback ---------------------------------------------------------------------------


class HeadroomImageCallback(CustomLogger):
    """LiteLLM callback that compresses request images for the deployment's real model.

    Args:
        config: compression settings; default :class:`~headroom_middleware.CompressionConfig`.
        compressor: share an existing :class:`~headroom_middleware.ImageCompressor` (and its cache).
        enabled: ``False`` makes every hook a no-op.
        timeout_s: longest the request waits for compression; after that it goes out unchanged.
        max_concurrency: image requests compressed at once per event loop (others wait their
            turn, within ``timeout_s``). Few worker threads competing for the GIL and the cores
            keep the host's event loop responsive; default half the cores (1 to 4); ``None``:
            no limit.
        max_tracked_requests: savings kept per ``litellm_call_id`` for the proxy's response
            headers (a bounded LRU: the proxy reads them after the call, by call id).

    Example::

        import litellm
        from headroom_middleware import CompressionConfig
        from headroom_middleware.adapters.litellm import HeadroomImageCallback

        litellm.callbacks = [HeadroomImageCallback(CompressionConfig(confidence_threshold=0.7))]
        router = litellm.Router(model_list=[...], fallbacks=[{"claude": ["gpt-4o"]}])
        response = await router.acompletion(model="claude", messages=messages)
    """

    def __init__(
        self,
        config: CompressionConfig | None = None,
        *,
        compressor: ImageCompressor | None = None,
        enabled: bool = True,
        timeout_s: float | None = 30.0,
        max_concurrency: int | None = DEFAULT_MAX_CONCURRENCY,
        max_tracked_requests: int = 4096,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if compressor is not None:
            config = compressor.config
        self.config = config or CompressionConfig()
        self.enabled = enabled
        self.timeout_s = timeout_s
        self.max_concurrency = max_concurrency if max_concurrency and max_concurrency > 0 else None
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )
        self._compressor = compressor
        self._lock = threading.Lock()  # the sync wrapper may run in many threads
        self._records: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._max_records = max(1, max_tracked_requests)
        self._unsupported: OrderedDict[tuple[str | None, str | None], None] = OrderedDict()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HeadroomImageCallback:
        """A callback configured from ``HEADROOM_*`` variables (see :func:`config_from_env`).

        ``HEADROOM_DISABLE=1`` disables it; ``HEADROOM_TIMEOUT_S`` bounds the wait (``0``: none);
        ``HEADROOM_MAX_CONCURRENCY`` limits image compressions at once (``0``: no limit).

        Example::

            litellm.callbacks = [HeadroomImageCallback.from_env()]
        """
        env = os.environ if environ is None else environ
        disabled = _env_bool("HEADROOM_DISABLE", env.get("HEADROOM_DISABLE", ""))
        timeout = _env_number(env, "HEADROOM_TIMEOUT_S", float, 30.0)
        timeout_s = timeout if timeout and timeout > 0 else None
        max_concurrency = _env_number(env, "HEADROOM_MAX_CONCURRENCY", int, DEFAULT_MAX_CONCURRENCY)
        return cls(
            config_from_env(env), enabled=not disabled, timeout_s=timeout_s, max_concurrency=max_concurrency
        )

    # -- internals --------------------------------------------------------------------------
    @property
    def compressor(self) -> ImageCompressor:
        """The core compressor, created on first use (so importing the proxy config is cheap)."""
        if self._compressor is None:
            with self._lock:
                if self._compressor is None:
                    from headroom_middleware.compressor import ImageCompressor

                    self._compressor = ImageCompressor(self.config)
        return self._compressor

    def _plan(self, kwargs: Mapping[str, Any], call_type: str, field: str) -> _Plan | None:
        if not self.enabled:
            return None
        payload = kwargs.get(field)
        if not isinstance(payload, list) or not payload:
            return None  # e.g. a Responses ``input`` given as a plain string: no images
        options, marked = _request_options(kwargs)
        if options.disable or marked:
            return None
        provider, model = _target(kwargs)
        if (provider, model) in self._unsupported:
            return None
        return _Plan(call_type, field, payload, provider, model, options.force, _call_id(kwargs))

    def _failed(self, plan: _Plan, exc: BaseException) -> None:
        if isinstance(exc, ConfigError):
            # A target the core does not know (e.g. "ollama/llava"): remember it, say it once.
            with self._lock:
                first = (plan.provider, plan.model) not in self._unsupported
                self._unsupported[(plan.provider, plan.model)] = None
                while len(self._unsupported) > 256:
                    self._unsupported.popitem(last=False)
            if first:
                logger.info("headroom: not compressing for %s: %s", plan.model, _safe_message(exc))
            return
        logger.warning(
            "headroom: request %s sent unchanged after %s: %s",
            plan.call_id or "-",
            exc.__class__.__name__,
            _safe_message(exc),
        )
        logger.debug("headroom: compression failure details", exc_info=True)
        self._remember(plan.call_id, {"headroom_status": "error", "headroom_images": 0})

    async def _acompress(self, plan: _Plan) -> CompressionReport | None:
        """Run the core off the loop: bounded in time and in concurrent image work."""
        if not has_images(plan.payload):
            return None  # text only: nothing to do, and no thread hop or copy
        semaphore = self._semaphore()

        async def run() -> CompressionReport:
            if semaphore is None:
                return await self.compressor.acompress_with_report(
                    plan.payload, plan.provider, plan.model, force_technique=plan.force
                )
            async with semaphore:
                return await self.compressor.acompress_with_report(
                    plan.payload, plan.provider, plan.model, force_technique=plan.force
                )

        return await (asyncio.wait_for(run(), self.timeout_s) if self.timeout_s else run())

    def _semaphore(self) -> asyncio.Semaphore | None:
        if self.max_concurrency is None:
            return None
        loop = asyncio.get_running_loop()  # one per loop: the sync Responses bridge runs its own
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores.setdefault(loop, asyncio.Semaphore(self.max_concurrency))
        return semaphore

    def _remember(self, call_id: str | None, record: dict[str, Any]) -> None:
        if not call_id:
            return
        with self._lock:
            self._records[call_id] = record
            self._records.move_to_end(call_id)
            while len(self._records) > self._max_records:
                self._records.popitem(last=False)

    def savings_for(self, litellm_call_id: str) -> dict[str, Any] | None:
        """The savings recorded for a call (``headroom_*`` keys), or ``None``.

        Example::

            callback.savings_for(response._hidden_params["litellm_call_id"])
        """
        with self._lock:
            record = self._records.get(litellm_call_id)
        return dict(record) if record is not None else None

    def _apply(
        self, kwargs: Mapping[str, Any], plan: _Plan, report: CompressionReport, *, mark: bool = True
    ) -> dict[str, Any] | None:
        if not report.results:
            return None  # no images: hand the request back untouched (byte-identical)
        record = _record(report, "compressed" if report.changed else "unchanged")
        self._remember(plan.call_id, record)
        new_kwargs = dict(kwargs)
        if report.changed:
            new_kwargs[plan.field] = report.messages  # a new list from the core; the input is intact
        if mark:
            bucket_name = self._bucket_name(plan.call_type)
            bucket = dict(kwargs.get(bucket_name) or {})  # a copy: the caller's dict stays as it was
            bucket.update(record)
            bucket[_MARKER] = True
            spend = bucket.get("spend_logs_metadata")
            bucket["spend_logs_metadata"] = {
                **(spend if isinstance(spend, Mapping) else {}),
                **{k: v for k, v in record.items() if k != "headroom_status"},
            }
            new_kwargs[bucket_name] = bucket
        return new_kwargs

    @staticmethod
    def _bucket_name(call_type: str) -> str:
        # Chat completions keep LiteLLM's state in ``metadata`` (never sent to the provider).
        # On /responses, /v1/messages and generateContent ``metadata`` is a provider parameter
        # (OpenAI Responses forwards its string values), so write to ``litellm_metadata``.
        return "metadata" if call_type in ("completion", "acompletion") else "litellm_metadata"

    # -- public request API -----------------------------------------------------------------
    async def acompress_request(
        self, kwargs: Mapping[str, Any], call_type: str | CallTypes | None = "acompletion"
    ) -> dict[str, Any] | None:
        """Compress a LiteLLM request dict; a new dict, or ``None`` when nothing changes.

        CPU work runs in a worker thread. Never raises for a compression problem (fail open).

        Example::

            new_kwargs = await callback.acompress_request(kwargs, "acompletion") or kwargs
        """
        name = _call_type_name(call_type)
        field = _PAYLOAD_FIELD.get(name)
        if field is None:
            return None
        try:
            plan = self._plan(kwargs, name, field)
        except Exception as exc:  # malformed metadata etc.: fail open
            logger.warning("headroom: request left unchanged after %s", exc.__class__.__name__)
            return None
        if plan is None:
            return None
        try:
            report = await self._acompress(plan)
            return self._apply(kwargs, plan, report) if report is not None else None
        except Exception as exc:  # fail open: the original request goes through
            self._failed(plan, exc)
            return None

    def compress_request(
        self, kwargs: Mapping[str, Any], call_type: str | CallTypes | None = "completion"
    ) -> dict[str, Any] | None:
        """Sync form of :meth:`acompress_request`; the CPU work runs in the calling thread.

        Example::

            new_kwargs = callback.compress_request({"model": "gpt-4o", "messages": messages}) or kwargs
        """
        name = _call_type_name(call_type)
        field = _PAYLOAD_FIELD.get(name)
        if field is None:
            return None
        try:
            plan = self._plan(kwargs, name, field)
        except Exception as exc:
            logger.warning("headroom: request left unchanged after %s", exc.__class__.__name__)
            return None
        if plan is None or not has_images(plan.payload):
            return None
        try:
            report = self.compressor.compress_with_report(
                plan.payload, plan.provider, plan.model, force_technique=plan.force
            )
            return self._apply(kwargs, plan, report)
        except Exception as exc:
            self._failed(plan, exc)
            return None

    @staticmethod
    def record_from_kwargs(kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The ``headroom_*`` savings written into a request's metadata, or ``None``.

        Example (in a custom logger)::

            saved = HeadroomImageCallback.record_from_kwargs(kwargs["litellm_params"])
        """
        for bucket in _metadata_buckets(kwargs):
            if "headroom_status" in bucket:
                return {k: bucket[k] for k in _RECORD_KEYS if k in bucket}
        return None

    def annotate_response(self, response: object, kwargs: Mapping[str, Any]) -> None:
        """Put the request's savings in ``response._hidden_params["headroom"]`` (if it has them).

        Example::

            new_kwargs = callback.compress_request(kwargs) or kwargs
            response = litellm.completion(**new_kwargs)
            callback.annotate_response(response, new_kwargs)
        """
        record = self.record_from_kwargs(kwargs)
        hidden = getattr(response, "_hidden_params", None)
        if record is not None and isinstance(hidden, dict):
            hidden["headroom"] = record

    # -- LiteLLM hooks ----------------------------------------------------------------------
    async def async_pre_call_deployment_hook(
        self, kwargs: dict[str, object], call_type: CallTypes | None
    ) -> dict[str, Any] | None:
        """Runs after the deployment is chosen (SDK async calls, Router, proxy): compress for it."""
        return await self.acompress_request(kwargs, call_type)

    async def async_post_call_success_deployment_hook(
        self,
        request_data: dict,  # LiteLLM's own annotation
        response: LLMResponseTypes,
        call_type: CallTypes | None,
    ) -> LLMResponseTypes | None:
        """Copies the savings onto ``response._hidden_params["headroom"]`` for SDK users."""
        try:
            self.annotate_response(response, request_data)
        except Exception as exc:  # never fail a completed call over bookkeeping
            logger.debug("headroom: could not annotate response: %s", exc.__class__.__name__)
        return None

    async def async_pre_call_hook(
        self,
        user_api_key_dict: UserAPIKeyAuth,
        cache: DualCache,
        data: dict,  # LiteLLM's own annotation
        call_type: CallTypesLiteral,
    ) -> Exception | str | dict | None:
        """Proxy-only hook. Compresses pass-through requests, which never reach a deployment hook.

        Chat completions, /v1/messages, /responses and generateContent are left to
        :meth:`async_pre_call_deployment_hook`, which runs later for the same request with the
        deployment's real model (here ``data["model"]`` is only the public alias, and a
        fallback may go to another provider).
        """
        name = _call_type_name(call_type)
        if name in _PAYLOAD_FIELD or name != "pass_through_endpoint" or not self.enabled:
            return None
        try:
            found = [(f, hint) for f, hint in _PASS_THROUGH_FIELDS if isinstance(data.get(f), list)]
            if not found:
                return None
            field, hint = found[0]
            plan = self._plan(data, name, field)
            if plan is None:
                return None
            if plan.model is None and plan.provider is None and hint:
                plan = dataclasses.replace(plan, provider=hint)
        except Exception as exc:
            logger.warning("headroom: pass-through request left unchanged after %s", exc.__class__.__name__)
            return None
        try:
            report = await self._acompress(plan)
            # The body goes to the provider verbatim: no metadata marker in it.
            return self._apply(data, plan, report, mark=False) if report is not None else None
        except Exception as exc:
            self._failed(plan, exc)
            return None

    async def async_post_call_response_headers_hook(
        self,
        data: dict,  # LiteLLM's own annotation
        user_api_key_dict: UserAPIKeyAuth,
        response: object,
        request_headers: dict[str, str] | None = None,
        litellm_call_info: dict[str, object] | None = None,
    ) -> dict[str, str] | None:
        """``x-headroom-*`` response headers in the proxy, found by ``litellm_call_id``.

        ``data`` here is the proxy's copy of the request (public alias, no deployment kwargs),
        so the savings recorded by the deployment hook are looked up by call id.
        """
        try:
            call_id = _call_id(data)
            record = self.savings_for(call_id) if call_id else None
            if record is None:
                hidden = getattr(response, "_hidden_params", None)
                if isinstance(hidden, dict) and isinstance(hidden.get("headroom"), dict):
                    record = hidden["headroom"]
            return _headers(record) if record else None
        except Exception as exc:
            logger.debug("headroom: no response headers: %s", exc.__class__.__name__)
            return None


# -- SDK wrappers ---------------------------------------------------------------------------


def _bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # litellm.completion(model, messages, ...): the hook API works on keyword arguments only.
    if len(args) > 2:
        raise TypeError("pass arguments after model and messages by keyword")
    names = ("model", "messages")
    for name, value in zip(names, args, strict=False):
        if name in kwargs:
            raise TypeError(f"got multiple values for argument {name!r}")
        kwargs[name] = value
    return kwargs


def _active_callback() -> HeadroomImageCallback:
    for callback in litellm.callbacks:
        if isinstance(callback, HeadroomImageCallback):
            return callback
    return proxy_handler_instance


def completion(*args: Any, headroom_callback: HeadroomImageCallback | None = None, **kwargs: Any) -> Any:
    """``litellm.completion`` with the images compressed first (sync LiteLLM runs no request hook).

    Same arguments and return value as ``litellm.completion``. Settings come from
    ``headroom_callback``, else the :class:`HeadroomImageCallback` in ``litellm.callbacks``,
    else ``proxy_handler_instance`` (``HEADROOM_*`` variables).

    Example::

        from headroom_middleware.adapters import litellm as headroom_litellm
        response = headroom_litellm.completion(
            model="anthropic/claude-sonnet-4-5", messages=messages,
            metadata={"headroom": {"technique": "full_low"}},
        )
        print(response._hidden_params["headroom"]["headroom_saved_tokens"])
    """
    callback = headroom_callback or _active_callback()
    request = _bind(args, kwargs)
    request = callback.compress_request(request, "completion") or request
    response = litellm.completion(**request)
    callback.annotate_response(response, request)
    return response


async def acompletion(
    *args: Any, headroom_callback: HeadroomImageCallback | None = None, **kwargs: Any
) -> Any:
    """``litellm.acompletion`` with the images compressed first (off the event loop).

    Useful without a global callback; with one registered, the request is marked and the
    callback's hook does not compress it again.

    Example::

        response = await headroom_litellm.acompletion(model="gpt-4o", messages=messages)
    """
    callback = headroom_callback or _active_callback()
    request = _bind(args, kwargs)
    request = await callback.acompress_request(request, "acompletion") or request
    response = await litellm.acompletion(**request)
    callback.annotate_response(response, request)
    return response


#: The instance for the proxy's config.yaml, configured from ``HEADROOM_*`` variables:
#: ``litellm_settings: {callbacks: ["headroom_middleware.adapters.litellm.proxy_handler_instance"]}``
proxy_handler_instance: HeadroomImageCallback = HeadroomImageCallback.from_env()
