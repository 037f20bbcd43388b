"""LangChain integration: compress the images in chat-model inputs before they are sent.

Three pieces, all thin translations around the core's request service
(:mod:`headroom_middleware.service`: the same limits -- ``max_concurrency``, ``timeout_s`` -- and
error policy as the LiteLLM adapter):

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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

try:
    from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
    from langchain_core.language_models import LanguageModelInput
    from langchain_core.messages import BaseMessage
    from langchain_core.prompt_values import ChatPromptValue
    from langchain_core.runnables import RunnableConfig, RunnableSerializable
    from langchain_core.runnables.utils import ConfigurableFieldSpec
    from pydantic import ConfigDict, PrivateAttr
except ImportError as exc:  # pragma: no cover - exercised only without langchain-core
    raise ImportError(
        "headroom_middleware.adapters.langchain needs langchain-core. "
        "Install it with: pip install 'headroom-middleware[langchain]'"
    ) from exc

from headroom_middleware.compressor import ImageCompressor
from headroom_middleware.service import CompressionService
from headroom_middleware.types import CompressionConfig, Technique

from ._langchain_callbacks import HeadroomCallbackHandler, get_headroom_callback
from ._langchain_common import (
    HEADROOM_EVENT,
    Compression,
    adispatch_report,
    dispatch_report,
    parse_technique,
    target_for_model,
)

if TYPE_CHECKING:
    from ._langchain_agent import HeadroomAgentMiddleware

__all__ = [
    "HEADROOM_EVENT",
    "HeadroomAgentMiddleware",
    "HeadroomCallbackHandler",
    "ImageCompressionRunnable",
    "adispatch_report",
    "dispatch_report",
    "get_headroom_callback",
    "target_for_model",
]


def _items_of(value: Any) -> Sequence[Any] | None:
    """The message list inside a chat-model input, or None when there is nothing to do."""
    if isinstance(value, ChatPromptValue):
        return list(value.messages)
    if isinstance(value, BaseMessage):
        return [value]
    if isinstance(value, (list, tuple)) and not (
        isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)  # one ("human", "text")
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

    ``str`` and string prompts pass through; a ``ChatPromptValue`` comes back as the same class; a
    list of messages or message dicts comes back as a new list in which only messages whose images
    changed are new objects (``model_copy``). Inputs are never mutated.

    The target model decides how each technique is applied (``detail: "low"`` for OpenAI, resized
    pixels for Anthropic), so give it one: ``for_model(llm)``, ``provider=`` / ``model=``, or per
    call ``config={"configurable": {"headroom_model": "gpt-4o"}}`` (also ``headroom_provider``,
    ``headroom_force_technique``, ``headroom_disable``). A target or technique the core does not
    know raises :class:`~headroom_middleware.errors.ConfigError`; any other failure, or compression
    past the service's ``timeout_s``, sends the input unchanged. Limits come from ``service=`` (a
    :class:`~headroom_middleware.service.CompressionService`), else the process-wide one. Each call
    that saw an image dispatches the ``headroom_compression`` event, which :func:`get_headroom_callback`
    totals.

    Example::

        chain = prompt | ImageCompressionRunnable.for_model(llm) | llm
        answer = chain.invoke({"question": "...", "image": b64})
        ImageCompressionRunnable(provider="openai", model="gpt-4o", force_technique="full_low")
    """

    provider: str | None = None
    """Target provider: "openai", "anthropic", "gemini", "bedrock" (None: inferred from model)."""
    model: str | None = None
    """Target model, also accepts LiteLLM strings like "anthropic/claude-sonnet-4-5"."""
    force_technique: Technique | None = None
    """Skip the router and apply this technique to every image."""
    compressor: ImageCompressor | None = None
    """The core compressor to use; by default the process-wide one (shared caches and limits)."""
    compression_config: CompressionConfig | None = None
    """Settings for a private compressor (exclusive with ``compressor``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, protected_namespaces=())

    _compression: Compression = PrivateAttr()

    def __init__(
        self,
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        compressor: ImageCompressor | None = None,
        compression_config: CompressionConfig | None = None,
        service: CompressionService | None = None,
        **kwargs: Any,
    ) -> None:
        forced = parse_technique(force_technique)
        super().__init__(provider=provider, model=model, force_technique=forced, compressor=compressor,
                         compression_config=compression_config, **kwargs)
        self._compression = Compression(provider=provider, model=model, force_technique=forced,
                                        compressor=compressor, compression_config=compression_config, service=service)

    @classmethod
    def for_model(cls, llm: Any, **kwargs: Any) -> ImageCompressionRunnable:
        """A compressor targeting the provider and model of a LangChain chat model.

        Example::

            chain = prompt | ImageCompressionRunnable.for_model(ChatAnthropic(model="claude-sonnet-4-5")) | llm
        """
        provider, model = target_for_model(llm)
        return cls(provider=provider, model=model, **kwargs)

    @property
    def service(self) -> CompressionService:
        """The core request service this step calls (limits, records)."""
        return self._compression.service

    def invoke(self, input: LanguageModelInput, config: RunnableConfig | None = None,
               **kwargs: Any) -> LanguageModelInput:
        """Compress the images in ``input``; returns the same type."""
        return self._call_with_config(self._run, input, config, **kwargs)

    async def ainvoke(self, input: LanguageModelInput, config: RunnableConfig | None = None,
                      **kwargs: Any) -> LanguageModelInput:
        """Async :meth:`invoke`; the image work runs on the service's worker threads."""
        return await self._acall_with_config(self._arun, input, config, **kwargs)

    @property
    def config_specs(self) -> list[ConfigurableFieldSpec]:
        """The per-call ``configurable`` keys, so they show up in a chain's config schema."""
        return list(_CONFIG_SPECS)

    # batch/stream/transform use the Runnable defaults, which route through invoke/ainvoke.

    def _run(self, value: Any, run_manager: CallbackManagerForChainRun, config: RunnableConfig) -> Any:
        items = _items_of(value)
        opts = self._compression.options(config)
        if items is None or not opts.enabled:
            return value
        new, outcome = self._compression.compress(items, opts)
        dispatch_report(outcome.report if outcome else None, config)
        return _rewrap(value, new) if new is not None else value

    async def _arun(self, value: Any, run_manager: AsyncCallbackManagerForChainRun, config: RunnableConfig) -> Any:
        items = _items_of(value)
        opts = self._compression.options(config)
        if items is None or not opts.enabled:
            return value
        new, outcome = await self._compression.acompress(items, opts)
        await adispatch_report(outcome.report if outcome else None, config)
        return _rewrap(value, new) if new is not None else value


def __getattr__(name: str) -> Any:
    # The agent middleware subclasses langchain's AgentMiddleware, whose import pulls in
    # langgraph (~0.5 s). Load it only when someone asks for it.
    if name == "HeadroomAgentMiddleware":
        from ._langchain_agent import HeadroomAgentMiddleware

        return HeadroomAgentMiddleware
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
