"""The compression pipeline: find → probe → account → route → policy → apply → verify → rebuild.

Each image is decided on its own, with the query of its own turn. Every step that can fail
is contained per image: the image is then sent unchanged and ``reason`` says why (fail open).

Layout (all submodules are internal; :class:`Pipeline` is the one name used outside):

- ``request``: one request: find the image slots, caches (in-process and shared), rebuild.
- ``decide``: one image: route, pick candidate techniques, apply, verify.
- ``preserve``, ``full_low``, ``crop``, ``transcode``: one module per technique.
- ``work``: the per-image state and the helpers the techniques share.
- ``output``: what is written for one image, its cache record and the block rebuild.

Example::

    from headroom_middleware.pipeline import Pipeline
    from headroom_middleware.targets import resolve_target
    from headroom_middleware.types import CompressionConfig

    report = Pipeline(CompressionConfig()).run(messages, resolve_target(model="gpt-4o"))
"""

from __future__ import annotations

from .request import Pipeline

__all__ = ["Pipeline"]
