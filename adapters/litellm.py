"""LiteLLM integration: compress the images of a request for the model that will receive it.

Thin translation around the core's request service (:mod:`headroom_middleware.service`), three ways in:

1. :class:`HeadroomImageCallback` in ``litellm.callbacks``: every *async* call is compressed just
   before it is sent (``acompletion``, ``aresponses``, ``anthropic.messages.acreate``,
   ``agenerate_content``, every ``litellm.Router`` call including fallbacks, and the proxy), in
   ``async_pre_call_deployment_hook``, so the target is the deployment's real model.
2. :func:`completion` / :func:`acompletion`: drop-in wrappers. **The sync** ``litellm.completion``
   **runs no hook that may change the request**: call this module's ``completion`` instead.
3. ``proxy_handler_instance`` for the proxy's ``config.yaml``
   (``litellm_settings: {callbacks: ["headroom_middleware.adapters.litellm.proxy_handler_instance"]}``),
   configured from ``HEADROOM_*`` variables (``HEADROOM_DISABLE``, ``HEADROOM_TIMEOUT_S``,
   ``HEADROOM_MAX_CONCURRENCY`` and one per :class:`~headroom_middleware.CompressionConfig` field).

Per request, ``metadata={"headroom": {"disable": True}}`` or ``{"technique": "full_low"}``
(``litellm_metadata`` for the SDK's ``aresponses`` / ``anthropic.messages`` / ``agenerate_content``,
whose ``metadata`` is a provider parameter). Savings land in the request metadata (``headroom_*``,
also in ``spend_logs_metadata``), in ``x-headroom-*`` proxy response headers and in
``response._hidden_params["headroom"]``.

Limits and error policy are the core's: at most ``max_concurrency`` requests compress at once, each
within ``timeout_s`` (then it goes out unchanged and the work stops); a target the core does not
know (``ollama/llava``) is skipped and logged once; any other failure sends the request unchanged
and logs the error class and a bounded message (never image bytes or OCR text).

Example::

    import litellm
    from headroom_middleware.adapters.litellm import HeadroomImageCallback

    litellm.callbacks = [HeadroomImageCallback()]
    response = await litellm.acompletion(model="anthropic/claude-sonnet-4-5", messages=messages)
    print(response._hidden_params["headroom"])   # tokens before/after, techniques
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

try:
    import litellm
    from litellm.integrations.custom_logger import CustomLogger
except ImportError as _exc:  # pragma: no cover - exercised only without litellm installed
    if (_exc.name or "litellm").split(".")[0] != "litellm":
        raise  # litellm is installed but broken: show the real error
    raise ImportError(
        "headroom_middleware.adapters.litellm needs LiteLLM: pip install 'headroom-middleware[litellm]'"
    ) from _exc

from headroom_middleware.service import DEFAULT_MAX_CONCURRENCY, CompressionService
from headroom_middleware.types import CompressionConfig, headers_from_record

from . import _litellm_request as req

if TYPE_CHECKING:
    from litellm.caching.caching import DualCache
    from litellm.proxy._types import UserAPIKeyAuth
    from litellm.types.utils import CallTypes, CallTypesLiteral, LLMResponseTypes

    from headroom_middleware.compressor import ImageCompressor

__all__ = ["DEFAULT_MAX_CONCURRENCY", "HeadroomImageCallback", "acompletion", "completion", "config_from_env",
           "proxy_handler_instance"]

logger = logging.getLogger("headroom_middleware.litellm")


#: :meth:`CompressionConfig.from_env <headroom_middleware.CompressionConfig.from_env>`, kept for existing setups.
config_from_env = CompressionConfig.from_env


class HeadroomImageCallback(CustomLogger):
    """LiteLLM callback that compresses request images for the deployment's real model.

    Args:
        config: compression settings; default :class:`~headroom_middleware.CompressionConfig`.
        compressor: share an existing :class:`~headroom_middleware.ImageCompressor` (and its cache).
        enabled: ``False`` makes every hook a no-op.
        timeout_s: longest a request waits for compression (queueing included); after that it goes
            out unchanged and the work stops.
        max_concurrency: requests compressed at once (others wait their turn, within ``timeout_s``);
            default half the cores (1 to 4); ``None``: no limit.
        max_tracked_requests: savings kept per ``litellm_call_id`` for the proxy's response headers.
        service: a ready :class:`~headroom_middleware.service.CompressionService` instead of the above.

    Example::

        litellm.callbacks = [HeadroomImageCallback(CompressionConfig(confidence_threshold=0.7))]
        router = litellm.Router(model_list=[...], fallbacks=[{"claude": ["gpt-4o"]}])
        response = await router.acompletion(model="claude", messages=messages)
    """

    def __init__(
        self, config: CompressionConfig | None = None, *, compressor: ImageCompressor | None = None,
        enabled: bool = True, timeout_s: float | None = 30.0, max_concurrency: int | None = DEFAULT_MAX_CONCURRENCY,
        max_tracked_requests: int = 4096, service: CompressionService | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.service = service or CompressionService(
            None if compressor is not None else config, compressor=compressor, enabled=enabled, timeout_s=timeout_s,
            max_concurrency=max_concurrency, max_tracked_requests=max_tracked_requests,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HeadroomImageCallback:
        """A callback configured from ``HEADROOM_*`` variables
        (:meth:`~headroom_middleware.service.CompressionService.from_env`).

        Example::

            litellm.callbacks = [HeadroomImageCallback.from_env()]
        """
        return cls(service=CompressionService.from_env(environ))

    @property
    def config(self) -> CompressionConfig:
        return self.service.config

    @property
    def enabled(self) -> bool:
        return self.service.enabled

    @property
    def timeout_s(self) -> float | None:
        return self.service.timeout_s

    @property
    def compressor(self) -> ImageCompressor:
        """The core compressor, created on first use (so importing the proxy config is cheap)."""
        return self.service.compressor

    def savings_for(self, litellm_call_id: str) -> dict[str, Any] | None:
        """The ``headroom_*`` savings recorded for a call, or ``None``.

        Example::

            callback.savings_for(response._hidden_params["litellm_call_id"])
        """
        return self.service.record_for(litellm_call_id)

    async def _acompress(self, kwargs: Mapping[str, Any], plan: req.Plan | None, *, mark: bool = True
                         ) -> dict[str, Any] | None:
        if plan is None or not self.service.enabled:
            return None
        outcome = await self.service.acompress(plan.payload, plan.provider, plan.model, force=plan.force,
                                               call_id=plan.call_id, target_from_host=True)
        return req.apply(kwargs, plan, outcome, mark=mark)

    async def acompress_request(
        self, kwargs: Mapping[str, Any], call_type: str | CallTypes | None = "acompletion"
    ) -> dict[str, Any] | None:
        """Compress a LiteLLM request dict; a new dict, or ``None`` when nothing changes. The work runs
        on the service's worker threads; never raises for a compression problem.

        Example::

            new_kwargs = await callback.acompress_request(kwargs, "acompletion") or kwargs
        """
        return await self._acompress(kwargs, req.plan(kwargs, call_type))

    def compress_request(
        self, kwargs: Mapping[str, Any], call_type: str | CallTypes | None = "completion"
    ) -> dict[str, Any] | None:
        """Sync form of :meth:`acompress_request` (the caller's thread waits, within ``timeout_s``).

        Example::

            new_kwargs = callback.compress_request({"model": "gpt-4o", "messages": messages}) or kwargs
        """
        plan = req.plan(kwargs, call_type) if self.service.enabled else None
        if plan is None:
            return None
        outcome = self.service.compress(plan.payload, plan.provider, plan.model, force=plan.force,
                                        call_id=plan.call_id, target_from_host=True)
        return req.apply(kwargs, plan, outcome)

    @staticmethod
    def record_from_kwargs(kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The ``headroom_*`` savings written into a request's metadata, or ``None``.

        Example (in a custom logger)::

            saved = HeadroomImageCallback.record_from_kwargs(kwargs["litellm_params"])
        """
        return req.record_in(kwargs)

    def annotate_response(self, response: object, kwargs: Mapping[str, Any]) -> None:
        """Put the request's savings in ``response._hidden_params["headroom"]`` (if it has them).

        Example::

            new_kwargs = callback.compress_request(kwargs) or kwargs
            callback.annotate_response(litellm.completion(**new_kwargs), new_kwargs)
        """
        record = req.record_in(kwargs)
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
        self, request_data: dict, response: LLMResponseTypes, call_type: CallTypes | None
    ) -> LLMResponseTypes | None:
        """Copies the savings onto ``response._hidden_params["headroom"]`` for SDK users."""
        try:
            self.annotate_response(response, request_data)
        except Exception as exc:  # never fail a completed call over bookkeeping
            logger.debug("headroom: could not annotate response: %s", exc.__class__.__name__)
        return None

    async def async_pre_call_hook(
        self, user_api_key_dict: UserAPIKeyAuth, cache: DualCache, data: dict, call_type: CallTypesLiteral
    ) -> Exception | str | dict | None:
        """Proxy-only hook: compresses pass-through requests, which never reach a deployment hook.

        Routed calls are left to :meth:`async_pre_call_deployment_hook`, which runs later with the
        deployment's real model (here ``data["model"]`` is only the public alias).
        """
        if req.call_type_name(call_type) != "pass_through_endpoint":
            return None
        found = [(f, hint) for f, hint in req.PASS_THROUGH_FIELDS if isinstance(data.get(f), list)]
        if not found:
            return None
        field, hint = found[0]
        plan = req.plan(data, call_type, field)
        if plan is not None and plan.model is None and plan.provider is None and hint:
            plan = dataclasses.replace(plan, provider=hint)
        return await self._acompress(data, plan, mark=False)  # the body goes to the provider verbatim

    async def async_post_call_response_headers_hook(
        self, data: dict, user_api_key_dict: UserAPIKeyAuth, response: object,
        request_headers: dict[str, str] | None = None, litellm_call_info: dict[str, object] | None = None,
    ) -> dict[str, str] | None:
        """``x-headroom-*`` response headers in the proxy, found by ``litellm_call_id`` (``data`` is the
        proxy's copy of the request: public alias, no deployment kwargs)."""
        try:
            cid = req.call_id(data)
            record = self.savings_for(cid) if cid else None
            if record is None:
                hidden = getattr(response, "_hidden_params", None)
                if isinstance(hidden, dict) and isinstance(hidden.get("headroom"), dict):
                    record = hidden["headroom"]
            return headers_from_record(record) if record else None
        except Exception as exc:
            logger.debug("headroom: no response headers: %s", exc.__class__.__name__)
            return None


def _active_callback() -> HeadroomImageCallback:
    return next((c for c in litellm.callbacks if isinstance(c, HeadroomImageCallback)), proxy_handler_instance)


def completion(*args: Any, headroom_callback: HeadroomImageCallback | None = None, **kwargs: Any) -> Any:
    """``litellm.completion`` with the images compressed first (sync LiteLLM runs no request hook).

    Same arguments and return value. Settings come from ``headroom_callback``, else the
    :class:`HeadroomImageCallback` in ``litellm.callbacks``, else ``proxy_handler_instance``.

    Example::

        response = headroom_litellm.completion(model="gpt-4o", messages=messages)
        print(response._hidden_params["headroom"]["headroom_saved_tokens"])
    """
    callback = headroom_callback or _active_callback()
    request = req.bind(args, kwargs)
    request = callback.compress_request(request, "completion") or request
    response = litellm.completion(**request)
    callback.annotate_response(response, request)
    return response


async def acompletion(*args: Any, headroom_callback: HeadroomImageCallback | None = None, **kwargs: Any) -> Any:
    """``litellm.acompletion`` with the images compressed first (off the event loop).

    Example::

        response = await headroom_litellm.acompletion(model="gpt-4o", messages=messages)
    """
    callback = headroom_callback or _active_callback()
    request = req.bind(args, kwargs)
    request = await callback.acompress_request(request, "acompletion") or request
    response = await litellm.acompletion(**request)
    callback.annotate_response(response, request)
    return response


#: The instance for the proxy's config.yaml, configured from ``HEADROOM_*`` variables:
#: ``litellm_settings: {callbacks: ["headroom_middleware.adapters.litellm.proxy_handler_instance"]}``
proxy_handler_instance: HeadroomImageCallback = HeadroomImageCallback.from_env()
