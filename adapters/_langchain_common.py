"""Internal: what the LangChain Runnable and the agent middleware share -- target detection,
translation between LangChain message-likes and core message dicts, per-call options, and the
``headroom_compression`` event. Limits, error policy and bookkeeping are the core's
(:mod:`headroom_middleware.service`); nothing here is public API.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from langchain_core.callbacks import adispatch_custom_event, dispatch_custom_event
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config

from headroom_middleware.compressor import ImageCompressor
from headroom_middleware.errors import ConfigError, safe_message
from headroom_middleware.formats import canonical_role
from headroom_middleware.service import CompressionService, Outcome, shared_service
from headroom_middleware.targets import provider_route
from headroom_middleware.types import CompressionConfig, CompressionReport, Technique

logger = logging.getLogger("headroom_middleware.adapters.langchain")

HEADROOM_EVENT = "headroom_compression"
"""Name of the custom event dispatched after each compression that saw at least one image."""

# Chat-model classes checked along the MRO, so the provider packages are never imported here.
# Not BaseChatOpenAI: other vendors' models (xAI, DeepSeek...) subclass it and are not OpenAI;
# their own ``_get_ls_params`` names them.
_CLASS_PROVIDER = {
    "ChatOpenAI": "openai",
    "AzureChatOpenAI": "openai",
    "ChatAnthropic": "anthropic",
    "ChatGoogleGenerativeAI": "gemini",
    "ChatVertexAI": "vertex_ai",
    "ChatBedrockConverse": "bedrock",
    "ChatBedrock": "bedrock",
}
_LLM_TYPE_HINTS = (("anthropic", "anthropic"), ("openai", "openai"), ("gemini", "gemini"), ("google", "gemini"),
                   ("bedrock", "bedrock"))


def _unwrap_model(llm: Any) -> tuple[Any, Mapping[str, Any]]:
    """Strip ``RunnableBinding`` layers (``bind_tools``, ``with_config``...) off a chat model; returns
    the innermost model and the merged bound kwargs (``llm.bind(model=...)`` wins over the attribute)."""
    kwargs: dict[str, Any] = {}
    for _ in range(16):  # bounded: a cyclic wrapper must not hang us
        if not hasattr(llm, "bound"):
            break
        kwargs = {**(getattr(llm, "kwargs", None) or {}), **kwargs}  # outer bindings apply last, so win
        llm = llm.bound
    return llm, kwargs


def target_for_model(llm: Any) -> tuple[str | None, str | None]:
    """Return ``(provider, model)`` for a LangChain chat model, for the core's token rules.

    The provider comes from the class (ChatOpenAI / AzureChatOpenAI, ChatAnthropic,
    ChatGoogleGenerativeAI, ChatVertexAI, Bedrock chat models), else the model's LangSmith params
    (``_get_ls_params``), else ``_llm_type``; bound models are unwrapped. An unknown provider gives
    ``None``, and the core infers it from the model name (or raises ``ConfigError``).

    Example::

        target_for_model(ChatAnthropic(model="claude-sonnet-4-5"))   # ("anthropic", "claude-sonnet-4-5")
    """
    model_obj, bound = _unwrap_model(llm)
    provider = next((_CLASS_PROVIDER[c.__name__] for c in type(model_obj).__mro__ if c.__name__ in _CLASS_PROVIDER),
                    None)
    model: str | None = bound.get("model") if isinstance(bound.get("model"), str) else None
    ls_params: Mapping[str, Any] = {}
    get_ls_params = getattr(model_obj, "_get_ls_params", None)
    if callable(get_ls_params):
        try:
            ls_params = get_ls_params(**({"model": model} if model else {})) or {}
        except Exception:  # a third-party integration's tracing helper must not break us
            logger.debug("could not read _get_ls_params of %r", type(model_obj), exc_info=True)
    if provider is None and isinstance(ls_params.get("ls_provider"), str):
        provider = provider_route(ls_params["ls_provider"])
    if model is None:
        for attr in ("model_name", "model", "model_id", "deployment_name"):
            value = getattr(model_obj, attr, None)
            if isinstance(value, str) and value:
                model = value
                break
    if model is None and isinstance(ls_params.get("ls_model_name"), str):
        model = ls_params["ls_model_name"]
    if provider is None:
        llm_type = str(getattr(model_obj, "_llm_type", "") or "").lower()
        provider = next((p for key, p in _LLM_TYPE_HINTS if key in llm_type), None)
    return provider, model


# -- translation: LangChain message-likes <-> core message dicts ------------------------------


def _role_of(message: BaseMessage) -> str:
    # isinstance, not message.type: chunk classes ("AIMessageChunk") subclass the plain ones.
    for cls, role in ((HumanMessage, "user"), (AIMessage, "assistant"), (SystemMessage, "system"),
                      (ToolMessage, "tool"), (FunctionMessage, "tool")):
        if isinstance(message, cls):
            return role
    name = message.role if isinstance(message, ChatMessage) else str(message.type)
    return canonical_role(name) or "user"


def _to_core(item: Any) -> dict[str, Any] | None:
    """One message-like as ``{"role", "content"}`` for the core, or None if it has no content.

    Only role and content are handed over; everything else (ids, tool_call_id, name...) is kept by
    rebuilding from the original object rather than trusting a round trip.
    """
    if isinstance(item, BaseMessage):
        return {"role": _role_of(item), "content": item.content}
    if isinstance(item, Mapping) and "content" in item:
        role = item.get("role", item.get("type", "user"))
        return {"role": canonical_role(str(role)) or "user", "content": item["content"]}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return {"role": canonical_role(item[0]) or "user", "content": item[1]}
    if isinstance(item, str):
        return {"role": "user", "content": item}
    return None


def _rebuild(item: Any, content: Any) -> Any:
    """A copy of ``item`` with new content; the original is never touched."""
    if isinstance(item, BaseMessage):
        return item.model_copy(update={"content": content})  # keeps id, name, tool_call_id, ...
    if isinstance(item, Mapping):
        return {**item, "content": content}
    if isinstance(item, tuple):
        return (item[0], content)
    return content  # a bare string: the content is the item


def new_items(items: Sequence[Any], core: list[dict[str, Any]], positions: list[int],
              report: CompressionReport) -> list[Any]:
    """The item list after compression: changed items rebuilt, the others the caller's own objects."""
    out = list(items)
    for k, pos in enumerate(positions):
        sent = core[k]["content"]
        new = report.messages[k]["content"] if k < len(report.messages) else sent
        if new is not sent and new != sent:
            out[pos] = _rebuild(items[pos], new)
    return out


# -- per-call options and the shared call path -------------------------------------------------


class CallOptions(NamedTuple):
    enabled: bool
    provider: str | None
    model: str | None
    force: Technique | None
    detected: bool  # target read off the chat model rather than given by the developer


def parse_technique(value: Any) -> Technique | None:
    """A technique from a constructor or ``configurable`` value (case-insensitive), or None."""
    if value is None:
        return None
    return Technique.parse(value)


class Compression:
    """Translate, call the core's request service, translate back (Runnable and middleware alike)."""

    def __init__(self, *, provider: str | None, model: str | None, force_technique: Technique | str | None,
                 compressor: ImageCompressor | None, compression_config: CompressionConfig | None,
                 service: CompressionService | None = None) -> None:
        if sum(x is not None for x in (compressor, compression_config, service)) > 1:
            raise ConfigError("pass at most one of compressor=, compression_config= and service=")
        self.provider, self.model = provider, model
        self.force = parse_technique(force_technique)
        if service is not None:
            self.service = service
        elif compressor is None and compression_config is None:
            self.service = shared_service()  # one cache and one concurrency limit for the process
        else:
            self.service = CompressionService(compressor=compressor or ImageCompressor(compression_config))

    def options(self, config: Mapping[str, Any] | None, fallback_model: Any = None) -> CallOptions:
        """What to do for one call: ``configurable`` keys, then constructor values, then the chat
        model the middleware is about to call."""
        configurable: Mapping[str, Any] = (config or {}).get("configurable") or {}
        if configurable.get("headroom_disable"):
            return CallOptions(False, None, None, None, False)
        provider, model = self.provider, self.model
        if configurable.get("headroom_model"):
            # A per-call model may name another provider: do not pin the constructor's onto it.
            provider, model = configurable.get("headroom_provider"), str(configurable["headroom_model"])
        elif configurable.get("headroom_provider"):
            provider = str(configurable["headroom_provider"])
        detected = provider is None and model is None and fallback_model is not None
        if detected:
            provider, model = target_for_model(fallback_model)
        force = parse_technique(configurable.get("headroom_force_technique", self.force))
        return CallOptions(True, provider, model, force, detected)

    def _prepare(self, items: Sequence[Any]) -> tuple[list[dict[str, Any]], list[int]] | None:
        core: list[dict[str, Any]] = []
        positions: list[int] = []
        try:
            for i, item in enumerate(items):
                d = _to_core(item)
                if d is not None:
                    core.append(d)
                    positions.append(i)
        except Exception as exc:  # fail open: an odd message object must not cost the call
            _translation_failed(exc)
            return None
        # Only list content can hold an image; an all-string request skips the core entirely.
        return (core, positions) if any(isinstance(d["content"], list) for d in core) else None

    def compress(self, items: Sequence[Any], opts: CallOptions) -> tuple[list[Any] | None, Outcome | None]:
        """(new items or None when unchanged, the outcome or None when nothing could change)."""
        prepared = self._prepare(items)
        if prepared is None:
            return None, None
        core, positions = prepared
        outcome = self.service.compress(core, opts.provider, opts.model, force=opts.force,
                                        target_from_host=opts.detected)
        return self._result(items, core, positions, outcome)

    async def acompress(self, items: Sequence[Any], opts: CallOptions) -> tuple[list[Any] | None, Outcome | None]:
        prepared = self._prepare(items)
        if prepared is None:
            return None, None
        core, positions = prepared
        outcome = await self.service.acompress(core, opts.provider, opts.model, force=opts.force,
                                               target_from_host=opts.detected)
        return self._result(items, core, positions, outcome)

    @staticmethod
    def _result(items: Sequence[Any], core: list[dict[str, Any]], positions: list[int],
                outcome: Outcome) -> tuple[list[Any] | None, Outcome]:
        if not outcome.changed or outcome.report is None:
            return None, outcome
        try:
            return new_items(items, core, positions, outcome.report), outcome
        except Exception as exc:
            _translation_failed(exc)
            return None, outcome


def _translation_failed(exc: Exception) -> None:
    logger.warning("headroom: input sent unchanged after %s: %s", exc.__class__.__name__, safe_message(exc))


# -- the headroom_compression event ------------------------------------------------------------


def event_payload(report: CompressionReport) -> dict[str, Any]:
    """The event data: the report's summary, an id (nested handlers drop repeats) and per-image results."""
    return {
        "event_id": uuid.uuid4().hex,
        **report.summary().as_event(),
        "results": [r.model_dump(mode="json") for r in report.results],
    }


def dispatch_report(report: CompressionReport | None, config: RunnableConfig | None = None) -> None:
    """Send a core report as the ``headroom_compression`` event, if it saw an image and a run is active
    (outside any LangChain run there is no parent run to attach it to, which is not an error)."""
    if report is None or not report.results:
        return
    try:
        dispatch_custom_event(HEADROOM_EVENT, event_payload(report), config=ensure_config(config))
    except RuntimeError:
        logger.debug("no active LangChain run; headroom event not dispatched")


async def adispatch_report(report: CompressionReport | None, config: RunnableConfig | None = None) -> None:
    """Async :func:`dispatch_report`."""
    if report is None or not report.results:
        return
    try:
        await adispatch_custom_event(HEADROOM_EVENT, event_payload(report), config=ensure_config(config))
    except RuntimeError:
        logger.debug("no active LangChain run; headroom event not dispatched")
