"""Host-framework adapters (installed as ``headroom_middleware.adapters``).

Each module imports its host framework lazily and only there, so ``import
headroom_middleware`` never pulls in LiteLLM or LangChain:

- ``headroom_middleware.adapters.litellm``: LiteLLM callback, SDK wrappers, proxy handler.
- ``headroom_middleware.adapters.langchain``: LangChain Runnable, callback handler, agent middleware.
"""
