"""Agent middleware for ``langchain.agents.create_agent`` (LangChain v1).

Kept apart from :mod:`headroom_middleware.adapters.langchain` because importing
``langchain.agents`` loads langgraph (about half a second); LCEL users should not pay for it.
Import it from there: ``from headroom_middleware.adapters.langchain import HeadroomAgentMiddleware``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

try:
    from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
except ImportError as exc:  # pragma: no cover - exercised only without langchain
    raise ImportError(
        "HeadroomAgentMiddleware needs the `langchain` package (v1, for create_agent). "
        "Install it with: pip install 'headroom-middleware[langchain]'"
    ) from exc

from langchain_core.runnables.config import ensure_config

from headroom_middleware.compressor import ImageCompressor
from headroom_middleware.service import CompressionService
from headroom_middleware.types import CompressionConfig, Technique

from ._langchain_common import CallOptions, Compression, adispatch_report, dispatch_report


class HeadroomAgentMiddleware(AgentMiddleware):
    """Compress images in tool results and history before every model call of an agent.

    The agent's state keeps the original messages; only what is sent to the model changes.
    Long agent loops resend the same screenshots every turn: the core caches results by
    content hash (bounded LRU, ``CompressionConfig.cache_size`` entries, shared by every
    runnable and middleware built with default settings), so each distinct image is
    compressed once and the same bytes are sent on every later turn, which also keeps
    provider prompt caches hitting. Images in ``request.system_message`` are not touched.

    If the target cannot be read off the agent's chat model (a fake or unknown integration),
    the images are sent unchanged and this is logged once; pass ``provider=``/``model=``. A target
    or technique given here that the core does not know raises
    :class:`~headroom_middleware.errors.ConfigError`. Limits (``max_concurrency``, ``timeout_s``)
    and the rest of the error policy are the core request service's, as for the Runnable.

    The target is read from the model of each request (``request.model``) unless ``provider``
    / ``model`` are given; ``configurable`` keys ``headroom_model``, ``headroom_provider``,
    ``headroom_force_technique`` and ``headroom_disable`` apply per run.

    Example::

        from langchain.agents import create_agent
        from headroom_middleware.adapters.langchain import HeadroomAgentMiddleware

        agent = create_agent(
            model=ChatOpenAI(model="gpt-4o"),
            tools=[take_screenshot],
            middleware=[HeadroomAgentMiddleware()],
        )
        agent.invoke({"messages": [("user", "Open the settings page")]})
    """

    def __init__(
        self,
        *,
        provider: str | None = None,
        model: str | None = None,
        force_technique: Technique | str | None = None,
        compressor: ImageCompressor | None = None,
        compression_config: CompressionConfig | None = None,
        service: CompressionService | None = None,
    ) -> None:
        super().__init__()
        self._compression = Compression(provider=provider, model=model, force_technique=force_technique,
                                        compressor=compressor, compression_config=compression_config,
                                        service=service)

    def _options(self, request: ModelRequest) -> CallOptions:
        # Runtime carries no config; the model node runs inside a LangGraph run whose config
        # (with the per-run ``configurable`` keys) is in context.
        return self._compression.options(ensure_config(), fallback_model=request.model)

    def wrap_model_call(
        self,
        request: ModelRequest,
        handler: Callable[[ModelRequest], ModelResponse],
    ) -> Any:
        """Compress ``request.messages`` and call the model with the result."""
        opts = self._options(request)
        if opts.enabled:
            new_messages, outcome = self._compression.compress(request.messages, opts)
            dispatch_report(outcome.report if outcome else None)
            if new_messages is not None:
                request = request.override(messages=new_messages)
        return handler(request)

    async def awrap_model_call(
        self,
        request: ModelRequest,
        handler: Callable[[ModelRequest], Awaitable[ModelResponse]],
    ) -> Any:
        """Async :meth:`wrap_model_call`; the image work runs on the service's worker threads."""
        opts = self._options(request)
        if opts.enabled:
            new_messages, outcome = await self._compression.acompress(request.messages, opts)
            await adispatch_report(outcome.report if outcome else None)
            if new_messages is not None:
                request = request.override(messages=new_messages)
        return await handler(request)
