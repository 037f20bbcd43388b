"""LangChain integration: compress the images in chat-model inputs before they are sent.

Three pieces, all thin translations around :class:`headroom_middleware.ImageCompressor`:

- :class:`ImageCompressionRunnable`: an LCEL step placed in front of a chat model.
  It takes and returns the same type a chat model takes (``str``, a ``PromptValue``, a list
  of messages or message dicts), so ``prompt | compressor | llm`` works unchanged.
- :class:`HeadroomCallbackHandler` and :func:`get_headroom_callback`: totals of image tokens
  saved across a chain or agent run, fed by the ``headroom_compression`` custom event.
- :class:`HeadroomAgentMiddleware`: middleware for ``langchain.agents.create_agent`` that
  compresses images in tool results and history before every model call. It needs the
  ``langchain`` package (not only ``langchain-core``) and is imported on first use.

Example::

    from langchain_core.prompts import ChatPromptTemplate
    from langchain_openai import ChatOpenAI
    from headroom_middleware.adapters.langchain import (
        ImageCompressionRunnable, get_headroom_callback,
    )

    llm = ChatOpenAI(model="gpt-4o")
    prompt = ChatPromptTemplate.from_messages([("human", [
        {"type": "text", "text": "{question}"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,{image}"}},
    ])])
    chain = prompt | ImageCompressionRunnable.for_model(llm) | llm
    with get_headroom_callback() as cb:
        chain.invoke({"question": "What is in this picture?", "image": b64_png})
    print(cb.saved_tokens, cb.techniques)

The target model can also be chosen per call:
``chain.invoke(inputs, config={"configurable": {"headroom_model": "anthropic/claude-sonnet-4-5"}})``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NamedTuple

try:
    from langchain_core.callbacks import (
        AsyncCallbackManagerForChainRun,
        BaseCallbackHandler,
        CallbackManagerForChainRun,
        adispatch_custom_event,
        dispatch_custom_event,
    )
    from langchain_core.language_models import LanguageModelInput
    from langchain_core.messages import (
        AIMessage,
        BaseMessage,
        ChatMessage,
        FunctionMessage,
        HumanMessage,
        SystemMessage,
        ToolMessage,
    )
    from langchain_core.prompt_values import ChatPromptValue
    from langchain_core.runnables import RunnableConfig, RunnableSerializable
    from langchain_core.runnables.config import ensure_config
    from langchain_core.runnables.utils import ConfigurableFieldSpec
    from langchain_core.tracers.context import register_configure_hook
    from pydantic import ConfigDict, PrivateAttr
except ImportError as exc:  # pragma: no cover - exercised only without langchain-core
    raise ImportError(
        "headroom_middleware.adapters.langchain needs langchain-core. "
        "Install it with: pip install 'headroom-middleware[langchain]'"
    ) from exc

from headroom_middleware import CompressionConfig, ImageCompressor, Technique
from headroom_middleware.errors import ConfigError

if TYPE_CHECKING:
    from headroom_middleware.types import CompressionReport

    from ._langchain_agent import HeadroomAgentMiddleware

__all__ = [
    "HEADROOM_EVENT",
    "HeadroomAgentMiddleware",
    "HeadroomCallbackHandler",
    "ImageCompressionRunnable",
    "get_headroom_callback",
    "target_for_model",
]

logger = logging.getLogger("headroom_middleware.adapters.langchain")

HEADROOM_EVENT = "headroom_compression"
"""Name of the custom event dispatched after each compression that saw at least one image."""

# ---------------------------------------------------------------------------------------------
# Target resolution
# ---------------------------------------------------------------------------------------------

# LangSmith's ``ls_provider`` values -> the provider names the core understands. Azure serves
# OpenAI models (same wire format, same token rules); Vertex/Google serve Gemini.
_LS_PROVIDER_MAP = {
    "openai": "openai",
    "azure": "openai",
    "azure_openai": "openai",
    "anthropic": "anthropic",
    "google_genai": "gemini",
    "google_vertexai": "vertex_ai",
    "google": "gemini",
    "vertexai": "vertex_ai",
    "gemini": "gemini",
    "amazon_bedrock": "bedrock",
    "bedrock": "bedrock",
    "bedrock_converse": "bedrock",
}
# (Vertex AI serves Gemini and Claude with their own limits; the core reads the family from
# the model name when the provider is "vertex_ai" or "bedrock".)

# Class names checked along the MRO, so the provider packages never have to be imported here.
# Not BaseChatOpenAI: other vendors' models (xAI, DeepSeek...) subclass it and are not OpenAI;
# their own ``_get_ls_params`` names them.
_CLASS_PROVIDER_MAP = {
    "ChatOpenAI": "openai",
    "AzureChatOpenAI": "openai",
    "ChatAnthropic": "anthropic",
    "ChatGoogleGenerativeAI": "gemini",
    "ChatVertexAI": "vertex_ai",
    "ChatBedrockConverse": "bedrock",
    "ChatBedrock": "bedrock",
}


def _unwrap_model(llm: Any) -> tuple[Any, Mapping[str, Any]]:
    """Strip ``RunnableBinding`` layers (``bind_tools``, ``with_config``...) off a chat model.

    Returns the innermost model and the merged bound kwargs: ``llm.bind(model=...)`` overrides
    the model attribute at call time, so the binding must win over the attribute.
    """
    kwargs: dict[str, Any] = {}
    seen = 0
    while hasattr(llm, "bound") and seen < 16:  # bounded: a cyclic wrapper must not hang us
        outer = getattr(llm, "kwargs", None) or {}
        kwargs = {**outer, **kwargs}  # outer bindings are applied last, so they win
        llm = llm.bound
        seen += 1
    return llm, kwargs


def target_for_model(llm: Any) -> tuple[str | None, str | None]:
    """Return ``(provider, model)`` for a LangChain chat model, for the core's token rules.

    Recognises ChatOpenAI / AzureChatOpenAI (``openai``), ChatAnthropic (``anthropic``),
    ChatGoogleGenerativeAI (``gemini``), ChatVertexAI (``vertex_ai``) and Bedrock chat models
    (``bedrock``) by class name, then falls back to the model's LangSmith params
    (``_get_ls_params``) and finally ``_llm_type``. Bound models (``llm.bind_tools(...)``,
    ``llm.bind(model=...)``) are unwrapped. Unknown providers give ``provider=None``, and the
    core infers the provider from the model name (or raises ``ConfigError`` if it cannot).

    Example::

        target_for_model(ChatAnthropic(model="claude-sonnet-4-5"))
        # -> ("anthropic", "claude-sonnet-4-5")
    """
    model_obj, bound = _unwrap_model(llm)
    provider: str | None = None
    for cls in type(model_obj).__mro__:
        if cls.__name__ in _CLASS_PROVIDER_MAP:
            provider = _CLASS_PROVIDER_MAP[cls.__name__]
            break

    model: str | None = bound.get("model") if isinstance(bound.get("model"), str) else None
    ls_params: Mapping[str, Any] = {}
    get_ls_params = getattr(model_obj, "_get_ls_params", None)
    if callable(get_ls_params):
        try:
            ls_params = get_ls_params(**({"model": model} if model else {})) or {}
        except Exception:  # a third-party integration's tracing helper must not break us
            logger.debug("could not read _get_ls_params of %r", type(model_obj), exc_info=True)
    if provider is None:
        ls_provider = str(ls_params.get("ls_provider") or "").lower()
        provider = _LS_PROVIDER_MAP.get(ls_provider)
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
        for key, value in (("anthropic", "anthropic"), ("openai", "openai"), ("gemini", "gemini"),
                           ("google", "gemini"), ("bedrock", "bedrock")):
            if key in llm_type:
                provider = value
                break
    return provider, model


# ---------------------------------------------------------------------------------------------
# Translation: LangChain message-likes <-> core message dicts
# ---------------------------------------------------------------------------------------------

_ROLE_ALIASES = {
    "human": "user",
    "user": "user",
    "ai": "assistant",
    "assistant": "assistant",
    "system": "system",
    "developer": "system",
    "tool": "tool",
    "function": "tool",
}


def _role_of(message: BaseMessage) -> str:
    # isinstance, not message.type: chunk classes ("AIMessageChunk") subclass the plain ones.
    if isinstance(message, HumanMessage):
        return "user"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, (ToolMessage, FunctionMessage)):
        return "tool"
    if isinstance(message, ChatMessage):
        return _ROLE_ALIASES.get(message.role.lower(), "user")
    return _ROLE_ALIASES.get(str(message.type).lower(), "user")


def _to_core(item: Any) -> dict[str, Any] | None:
    """One message-like -> ``{"role", "content"}`` for the core, or None if it has no content.

    Only role and content are handed over: the core needs the role to find each image's own
    question, and everything else (ids, tool_call_id, name...) is kept by rebuilding from the
    original object rather than trusting a round trip.
    """
    if isinstance(item, BaseMessage):
        return {"role": _role_of(item), "content": item.content}
    if isinstance(item, Mapping) and "content" in item:
        role = item.get("role", item.get("type", "user"))
        return {"role": _ROLE_ALIASES.get(str(role).lower(), "user"), "content": item["content"]}
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return {"role": _ROLE_ALIASES.get(item[0].lower(), "user"), "content": item[1]}
    if isinstance(item, str):
        return {"role": "user", "content": item}
    return None


def _rebuild(item: Any, content: Any) -> Any:
    """A copy of ``item`` with new content; the original is never touched."""
    if isinstance(item, BaseMessage):
        # model_copy keeps id, name, tool_call_id, additional_kwargs, response_metadata...
        return item.model_copy(update={"content": content})
    if isinstance(item, Mapping):
        return {**item, "content": content}
    if isinstance(item, tuple):
        return (item[0], content)
    return content  # a bare string: the content is the item




def _is_openai_target(provider: str | None, model: str | None) -> bool:
    """Whether the target takes OpenAI's per-image ``detail`` field (the core decides)."""
    from headroom_middleware.targets import resolve_target

    try:
        return resolve_target(provider=provider, model=model).family == "openai"
    except Exception:  # an unknown target is reported by the core call that follows
        return False


def _openai_native_block(block: Any) -> Any:
    """The ``image_url`` block langchain-openai would send for a LangChain image block.

    langchain-openai turns v1/legacy ``image`` blocks (and Anthropic-style ``source`` blocks)
    into ``{"type": "image_url", "image_url": {"url": ...}}`` on the wire and drops every
    other key, ``detail`` and ``extras`` included
    (``langchain_core.messages.block_translators.openai.convert_to_openai_image_block``).
    A full_low decision expressed as ``detail: "low"`` can therefore only reach OpenAI on a
    native ``image_url`` block, which langchain-openai passes through untouched. Converting
    before the core runs lets the core apply the detail itself; the wire bytes are otherwise
    the same as langchain-openai would have produced.
    """
    if not isinstance(block, Mapping) or block.get("type") != "image":
        return block
    url: str | None = None
    detail: Any = block.get("detail")
    source = block.get("source")
    if isinstance(source, Mapping):  # Anthropic-style block inside a LangChain message
        if source.get("type") == "base64" and source.get("media_type") and source.get("data"):
            url = f"data:{source['media_type']};base64,{source['data']}"
        elif source.get("type") == "url" and isinstance(source.get("url"), str):
            url = source["url"]
    else:
        extras = block.get("extras")
        if detail is None and isinstance(extras, Mapping):
            detail = extras.get("detail")
        data = block.get("base64")
        if data is None and block.get("source_type") == "base64":
            data = block.get("data")
        if isinstance(data, str) and isinstance(block.get("mime_type"), str):
            url = f"data:{block['mime_type']};base64,{data}"
        elif isinstance(block.get("url"), str):
            url = block["url"]
    if url is None:
        return block  # file ids and unknown shapes: leave them to langchain-openai
    inner: dict[str, Any] = {"url": url}
    if isinstance(detail, str):
        inner["detail"] = detail
    native: dict[str, Any] = {"type": "image_url", "image_url": inner}
    # langchain-openai carries an OpenAI prompt-cache breakpoint (on the block, else in
    # extras) over to the block it sends; keep doing so.
    extras = block.get("extras")
    if "prompt_cache_breakpoint" in block:
        native["prompt_cache_breakpoint"] = block["prompt_cache_breakpoint"]
    elif isinstance(extras, Mapping) and "prompt_cache_breakpoint" in extras:
        native["prompt_cache_breakpoint"] = extras["prompt_cache_breakpoint"]
    return native


def _openai_native(content: Any) -> Any:
    if not isinstance(content, list):
        return content
    converted = [_openai_native_block(b) for b in content]
    if all(a is b for a, b in zip(converted, content, strict=True)):
        return content
    return converted


def _content_changed(old: Any, new: Any) -> bool:
    return new is not old and new != old


class _Plan:
    """The translated request: core dicts plus where each one came from."""

    __slots__ = ("core", "items", "positions")

    def __init__(self, items: Sequence[Any], openai_target: bool) -> None:
        self.items = items
        self.core: list[dict[str, Any]] = []
        self.positions: list[int] = []
        for i, item in enumerate(items):
            d = _to_core(item)
            if d is not None:
                if openai_target:
                    d["content"] = _openai_native(d["content"])
                self.core.append(d)
                self.positions.append(i)

    def has_blocks(self) -> bool:
        # Only list content can hold an image; an all-string request skips the core entirely.
        return any(isinstance(d["content"], list) for d in self.core)

    def apply(self, report: CompressionReport) -> list[Any]:
        """New item list: changed items rebuilt, untouched items are the same objects.

        "Changed" is judged against what was handed to the core, so a message whose images
        were all kept stays the caller's own object even when it went through the
        ``image_url`` translation above.
        """
        out = list(self.items)
        for k, pos in enumerate(self.positions):
            sent = self.core[k]["content"]
            new = report.messages[k]["content"] if k < len(report.messages) else sent
            if _content_changed(sent, new):
                out[pos] = _rebuild(self.items[pos], new)
        return out


def _event_payload(report: CompressionReport) -> dict[str, Any]:
    return {
        "event_id": uuid.uuid4().hex,  # lets nested handlers drop a repeat of the same event
        "provider": report.provider,
        "model": report.model,
        "images": len(report.results),
        "changed_images": sum(1 for r in report.results if r.changed),
        "original_tokens": report.original_tokens,
        "compressed_tokens": report.compressed_tokens,
        "saved_tokens": report.saved_tokens,
        "techniques": dict(report.techniques),
        "estimated": any(r.estimated for r in report.results),
        "duration_ms": report.duration_ms,
        "results": [r.model_dump(mode="json") for r in report.results],
    }


# ---------------------------------------------------------------------------------------------
# Shared compressor
# ---------------------------------------------------------------------------------------------

_default_lock = threading.Lock()
_default_compressor: ImageCompressor | None = None


def _shared_compressor() -> ImageCompressor:
    """One process-wide compressor for default settings, so every runnable and middleware
    built with defaults shares one content-hash cache."""
    global _default_compressor
    if _default_compressor is None:
        with _default_lock:
            if _default_compressor is None:
                _default_compressor = ImageCompressor()
    return _default_compressor


class _CallOptions(NamedTuple):
    enabled: bool
    provider: str | None
    model: str | None
    force: Technique | None
    detected: bool  # target read off the chat model rather than given by the user


class _Engine:
    """Translate, call the core, translate back. Shared by the Runnable and the middleware."""

    def __init__(
        self,
        *,
        provider: str | None,
        model: str | None,
        force_technique: Technique | str | None,
        compressor: ImageCompressor | None,
        compression_config: CompressionConfig | None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.force_technique = Technique.parse(force_technique) if force_technique is not None else None
        if compressor is not None and compression_config is not None:
            raise ConfigError("pass either compressor= or compression_config=, not both")
        if compressor is not None:
            self.compressor = compressor
        elif compression_config is not None:
            self.compressor = ImageCompressor(config=compression_config)
        else:
            self.compressor = _shared_compressor()

    def options(self, config: Mapping[str, Any] | None, fallback_model: Any = None) -> _CallOptions:
        """What to do for one call.

        Precedence: ``configurable`` keys, then constructor values, then the chat model the
        middleware is about to call.
        """
        configurable: Mapping[str, Any] = (config or {}).get("configurable") or {}
        if configurable.get("headroom_disable"):
            return _CallOptions(False, None, None, None, False)
        provider, model = self.provider, self.model
        if configurable.get("headroom_model"):
            model = str(configurable["headroom_model"])
            # A per-call model may name another provider ("anthropic/claude-..."): do not pin
            # the constructor's provider onto it unless the caller says so.
            provider = configurable.get("headroom_provider")
        elif configurable.get("headroom_provider"):
            provider = str(configurable["headroom_provider"])
        detected = False
        if provider is None and model is None and fallback_model is not None:
            provider, model = target_for_model(fallback_model)
            detected = True
        force = configurable.get("headroom_force_technique", self.force_technique)
        return _CallOptions(True, provider, model, Technique.parse(force) if force is not None else None, detected)

    def compress_items(
        self, items: Sequence[Any], opts: _CallOptions
    ) -> tuple[list[Any] | None, CompressionReport | None]:
        """(new items, report), or (None, None) when there is nothing the core could change."""
        plan = _Plan(items, _is_openai_target(opts.provider, opts.model))
        if not plan.has_blocks():
            return None, None
        report = self.compressor.compress_with_report(
            plan.core, provider=opts.provider, model=opts.model, force_technique=opts.force
        )
        return plan.apply(report), report

    async def acompress_items(
        self, items: Sequence[Any], opts: _CallOptions
    ) -> tuple[list[Any] | None, CompressionReport | None]:
        plan = _Plan(items, _is_openai_target(opts.provider, opts.model))
        if not plan.has_blocks():
            return None, None
        report = await self.compressor.acompress_with_report(
            plan.core, provider=opts.provider, model=opts.model, force_technique=opts.force
        )
        return plan.apply(report), report


# ---------------------------------------------------------------------------------------------
# Input shapes
# ---------------------------------------------------------------------------------------------


def _items_of(value: Any) -> Sequence[Any] | None:
    """The message list inside a chat-model input, or None when there is nothing to do."""
    if isinstance(value, ChatPromptValue):
        return list(value.messages)
    if isinstance(value, BaseMessage):
        return [value]
    if isinstance(value, (list, tuple)) and not (
        # a single ("human", "text") tuple is not a list of messages
        isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
    ):
        return value
    return None  # str, StringPromptValue, ImagePromptValue, unknown: passed through


def _rewrap(value: Any, items: list[Any]) -> Any:
    """Put new items back into the input's own type (ChatPromptValue subclass, list, tuple)."""
    if isinstance(value, ChatPromptValue):
        return value.model_copy(update={"messages": items})
    if isinstance(value, BaseMessage):
        return items[0]
    if isinstance(value, tuple):
        return tuple(items)
    return items


# ---------------------------------------------------------------------------------------------
# The Runnable
# ---------------------------------------------------------------------------------------------


# Constant (no per-instance defaults): LangChain merges the specs of every step of a chain and
# rejects two specs with one id that differ, e.g. two compressors in one chain.
_CONFIG_SPECS = (
    ConfigurableFieldSpec(
        id="headroom_model",
        annotation=str | None,
        name="Headroom target model",
        description='Target model for image compression, e.g. "gpt-4o" or "anthropic/claude-sonnet-4-5".',
    ),
    ConfigurableFieldSpec(
        id="headroom_provider",
        annotation=str | None,
        name="Headroom target provider",
        description='"openai", "anthropic", "gemini", "vertex_ai" or "bedrock".',
    ),
    ConfigurableFieldSpec(
        id="headroom_force_technique",
        annotation=str | None,
        name="Headroom forced technique",
        description="preserve, full_low, crop or transcode for every image of the call.",
    ),
    ConfigurableFieldSpec(
        id="headroom_disable",
        annotation=bool,
        name="Disable Headroom",
        description="Send the images of this call unchanged.",
        default=False,
    ),
)


class ImageCompressionRunnable(RunnableSerializable[LanguageModelInput, LanguageModelInput]):
    """An LCEL step that compresses images in a chat model's input and returns the same type.

    ``str`` and string prompts pass through; a ``ChatPromptValue`` comes back as the same
    ``ChatPromptValue`` class; a list of messages or message dicts comes back as a new list in
    which only messages whose images changed are new objects (``model_copy``), the rest are
    the input objects themselves. Inputs are never mutated.

    The target model decides how each technique is applied (e.g. ``detail: "low"`` for
    OpenAI, resized pixels for Anthropic), so give it one: ``for_model(llm)``, the
    ``provider=`` / ``model=`` arguments, or per call with
    ``config={"configurable": {"headroom_model": "gpt-4o"}}``. Other per-call keys:
    ``headroom_provider``, ``headroom_force_technique``, ``headroom_disable``.

    Each call that saw an image dispatches the ``headroom_compression`` custom event, which
    :func:`get_headroom_callback` totals.

    Example::

        compressor = ImageCompressionRunnable.for_model(llm)
        chain = prompt | compressor | llm
        answer = chain.invoke({"question": "...", "image": b64})

        # deterministic technique, e.g. for tests
        compressor = ImageCompressionRunnable(provider="openai", model="gpt-4o",
                                              force_technique="full_low")
    """

    provider: str | None = None
    """Target provider: "openai", "anthropic", "gemini", "bedrock" (None: inferred from model)."""
    model: str | None = None
    """Target model, also accepts LiteLLM strings like "anthropic/claude-sonnet-4-5"."""
    force_technique: Technique | None = None
    """Skip the router and apply this technique to every image."""
    compressor: ImageCompressor | None = None
    """The core compressor to use; by default one shared process-wide instance."""
    compression_config: CompressionConfig | None = None
    """Settings for a private compressor (exclusive with ``compressor``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, protected_namespaces=())

    _engine: _Engine = PrivateAttr()

    def __init__(
        self,
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        compressor: ImageCompressor | None = None,
        compression_config: CompressionConfig | None = None,
        **kwargs: Any,
    ) -> None:
        forced = Technique.parse(force_technique) if force_technique is not None else None
        fields: dict[str, Any] = {
            "provider": provider,
            "model": model,
            "force_technique": forced,
            "compressor": compressor,
            "compression_config": compression_config,
        }
        super().__init__(**fields, **kwargs)
        self._engine = _Engine(
            provider=provider,
            model=model,
            force_technique=forced,
            compressor=compressor,
            compression_config=compression_config,
        )

    @classmethod
    def for_model(cls, llm: Any, **kwargs: Any) -> ImageCompressionRunnable:
        """A compressor targeting the provider and model of a LangChain chat model.

        Example::

            llm = ChatAnthropic(model="claude-sonnet-4-5")
            chain = prompt | ImageCompressionRunnable.for_model(llm) | llm
        """
        provider, model = target_for_model(llm)
        return cls(provider=provider, model=model, **kwargs)

    # -- Runnable API ---------------------------------------------------------------------

    def invoke(
        self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> LanguageModelInput:
        """Compress the images in ``input``; returns the same type."""
        return self._call_with_config(self._run, input, config, **kwargs)

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        **kwargs: Any,
    ) -> LanguageModelInput:
        """Async :meth:`invoke`; the image work runs in a worker thread (core's async API)."""
        return await self._acall_with_config(self._arun, input, config, **kwargs)

    @property
    def config_specs(self) -> list[ConfigurableFieldSpec]:
        """The per-call ``configurable`` keys, so they show up in a chain's config schema."""
        return list(_CONFIG_SPECS)

    # batch/abatch/stream/astream/transform use the Runnable defaults, which route through
    # invoke/ainvoke: each input gets its own run, config and callbacks; in a streamed chain
    # this step emits its one output and the chat model after it streams as usual.

    def _run(self, value: Any, run_manager: CallbackManagerForChainRun, config: RunnableConfig) -> Any:
        items = _items_of(value)
        if items is None:
            return value
        opts = self._engine.options(config)
        if not opts.enabled:
            return value
        try:
            new_items, report = self._engine.compress_items(items, opts)
        except ConfigError:
            raise  # the caller's mistake (bad provider, bad technique): say so
        except Exception:
            # Fail open: an internal error must never cost the user their request.
            logger.warning("image compression failed; sending the input unchanged", exc_info=True)
            return value
        if report is None or new_items is None:
            return value
        if report.results:
            dispatch_custom_event(HEADROOM_EVENT, _event_payload(report), config=config)
        return _rewrap(value, new_items) if report.changed else value

    async def _arun(
        self, value: Any, run_manager: AsyncCallbackManagerForChainRun, config: RunnableConfig
    ) -> Any:
        items = _items_of(value)
        if items is None:
            return value
        opts = self._engine.options(config)
        if not opts.enabled:
            return value
        try:
            new_items, report = await self._engine.acompress_items(items, opts)
        except ConfigError:
            raise
        except Exception:
            logger.warning("image compression failed; sending the input unchanged", exc_info=True)
            return value
        if report is None or new_items is None:
            return value
        if report.results:
            await adispatch_custom_event(HEADROOM_EVENT, _event_payload(report), config=config)
        return _rewrap(value, new_items) if report.changed else value


# ---------------------------------------------------------------------------------------------
# Callback handler
# ---------------------------------------------------------------------------------------------


class HeadroomCallbackHandler(BaseCallbackHandler):
    """Totals of image compression across everything it is attached to.

    Attach it like any callback (``config={"callbacks": [handler]}``) or use
    :func:`get_headroom_callback`. Thread-safe; works for sync and async runs.

    Example::

        handler = HeadroomCallbackHandler()
        chain.invoke(inputs, config={"callbacks": [handler]})
        print(handler.original_tokens, "->", handler.compressed_tokens, handler.techniques)
    """

    # Adding a few integers under a lock: no need for LangChain to hop to a thread for it.
    run_inline: bool = True

    def __init__(self, parent: HeadroomCallbackHandler | None = None) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._parent = parent
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.calls = 0
        """Compression calls that saw at least one image."""
        self.images = 0
        self.changed_images = 0
        self.original_tokens = 0
        self.compressed_tokens = 0
        self.duration_ms = 0.0
        self.estimated = False
        self.techniques: dict[str, int] = {}
        self.results: deque[dict[str, Any]] = deque(maxlen=1000)
        """Per-image results (``CompressionResult`` as JSON dicts), the most recent 1000."""

    @property
    def saved_tokens(self) -> int:
        return self.original_tokens - self.compressed_tokens

    @property
    def savings_percent(self) -> float:
        return 100.0 * self.saved_tokens / self.original_tokens if self.original_tokens else 0.0

    def __repr__(self) -> str:
        return (
            f"HeadroomCallbackHandler(calls={self.calls}, images={self.images}, "
            f"original_tokens={self.original_tokens}, compressed_tokens={self.compressed_tokens}, "
            f"saved_tokens={self.saved_tokens}, techniques={self.techniques})"
        )

    def on_custom_event(
        self,
        name: str,
        data: Any,
        *,
        run_id: uuid.UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if name == HEADROOM_EVENT and isinstance(data, Mapping):
            self.add(data)

    def add(self, data: Mapping[str, Any]) -> None:
        """Add one ``headroom_compression`` event payload to the totals."""
        event_id = data.get("event_id")
        with self._lock:
            if isinstance(event_id, str):
                # Nested get_headroom_callback() blocks forward to the outer handler, which may
                # also be attached directly: count each event once.
                if event_id in self._seen:
                    return
                self._seen[event_id] = None
                if len(self._seen) > 4096:
                    self._seen.popitem(last=False)
            self.calls += 1
            self.images += int(data.get("images") or 0)
            self.changed_images += int(data.get("changed_images") or 0)
            self.original_tokens += int(data.get("original_tokens") or 0)
            self.compressed_tokens += int(data.get("compressed_tokens") or 0)
            self.duration_ms += float(data.get("duration_ms") or 0.0)
            self.estimated = self.estimated or bool(data.get("estimated"))
            for technique, count in (data.get("techniques") or {}).items():
                self.techniques[technique] = self.techniques.get(technique, 0) + int(count)
            self.results.extend(dict(r) for r in data.get("results") or () if isinstance(r, Mapping))
        if self._parent is not None:
            self._parent.add(data)


# One ContextVar registered once. langchain_core's get_usage_metadata_callback registers a new
# ContextVar on every call, which grows the global hook list for the life of the process
# (every later run then scans it); nesting is handled here by forwarding to the outer handler.
_headroom_callback_var: ContextVar[HeadroomCallbackHandler | None] = ContextVar(
    "headroom_callback", default=None
)
register_configure_hook(_headroom_callback_var, inheritable=True)


@contextmanager
def get_headroom_callback() -> Iterator[HeadroomCallbackHandler]:
    """Total the image compression of every LangChain run inside the ``with`` block.

    Example::

        with get_headroom_callback() as cb:
            chain.invoke(inputs)
            agent.invoke({"messages": [...]})
        print(f"{cb.saved_tokens} image tokens saved ({cb.savings_percent:.0f}%)")
    """
    handler = HeadroomCallbackHandler(parent=_headroom_callback_var.get())
    token = _headroom_callback_var.set(handler)
    try:
        yield handler
    finally:
        _headroom_callback_var.reset(token)


def dispatch_report(report: CompressionReport, config: RunnableConfig | None = None) -> None:
    """Send a core report as the ``headroom_compression`` event, if a run is active.

    Used by the agent middleware; outside any LangChain run there is no parent run to attach
    the event to, and that is not an error.
    """
    if not report.results:
        return
    try:
        dispatch_custom_event(HEADROOM_EVENT, _event_payload(report), config=ensure_config(config))
    except RuntimeError:
        logger.debug("no active LangChain run; headroom event not dispatched")


async def adispatch_report(report: CompressionReport, config: RunnableConfig | None = None) -> None:
    """Async :func:`dispatch_report`."""
    if not report.results:
        return
    try:
        await adispatch_custom_event(HEADROOM_EVENT, _event_payload(report), config=ensure_config(config))
    except RuntimeError:
        logger.debug("no active LangChain run; headroom event not dispatched")


def __getattr__(name: str) -> Any:
    # The agent middleware subclasses langchain's AgentMiddleware, whose import pulls in
    # langgraph (~0.5 s). Load it only when someone asks for it.
    if name == "HeadroomAgentMiddleware":
        from ._langchain_agent import HeadroomAgentMiddleware

        return HeadroomAgentMiddleware
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
