"""Internal: LiteLLM request kwargs <-> what the core's request service needs (which field holds the
images, the target, per-request options, the call id) and back (new kwargs with the savings record
in the request metadata). Import the adapter from :mod:`headroom_middleware.adapters.litellm`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from headroom_middleware.service import Outcome
from headroom_middleware.types import RECORD_KEYS, Technique

logger = logging.getLogger("headroom_middleware.litellm")

# Which request field holds the images, per LiteLLM call type. Everything here reaches
# ``async_pre_call_deployment_hook`` (the SDK's async wrapper, the Router and the proxy all go
# through it); the sync ``responses`` runs the same hook through LiteLLM's sync bridge.
PAYLOAD_FIELD: dict[str, str] = {
    "completion": "messages", "acompletion": "messages",
    "anthropic_messages": "messages", "aanthropic_messages": "messages",
    "responses": "input", "aresponses": "input",
    "generate_content": "contents", "agenerate_content": "contents",
    "generate_content_stream": "contents", "agenerate_content_stream": "contents",
}
# Set in the request metadata by whichever step compressed the request, so a later hook on the
# same kwargs (the callback after the async wrapper, LiteLLM's retry of the same deployment) does
# not redo the work. Router fallbacks start again from the caller's unmarked request (the hooks
# never mutate it), so each deployment is compressed for its own model.
_MARKER = "headroom_applied"
_OPTIONS_KEY = "headroom"
# The body shape tells the provider of a pass-through request that names no model.
PASS_THROUGH_FIELDS = (("messages", None), ("contents", "gemini"), ("input", "openai"))
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Options:
    disable: bool = False
    force: Technique | None = None


@dataclass(frozen=True)
class Plan:
    call_type: str
    field: str
    payload: list[Any]
    provider: str | None
    model: str | None
    force: Technique | None
    call_id: str | None


def call_type_name(call_type: object) -> str:
    # LiteLLM passes a CallTypes enum to the deployment hook and a plain string to the proxy hook;
    # str() of a str-Enum is "CallTypes.x" on 3.11, so read .value.
    if isinstance(call_type, Enum):
        return str(call_type.value)
    return str(call_type) if call_type is not None else ""


def metadata_buckets(kwargs: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The request's metadata dicts: ``metadata`` on chat completions; ``litellm_metadata`` on the
    proxy's /v1/messages and /responses routes, where the caller's ``metadata`` is copied to
    ``requester_metadata``."""
    buckets: list[Mapping[str, Any]] = []
    for name in ("metadata", "litellm_metadata"):
        bucket = kwargs.get(name)
        if isinstance(bucket, Mapping):
            buckets.append(bucket)
            requester = bucket.get("requester_metadata")
            if isinstance(requester, Mapping):
                buckets.append(requester)
    return buckets


def _parse_options(raw: object) -> Options:
    if raw is False:  # metadata={"headroom": False} reads naturally as "off"
        return Options(disable=True)
    if not isinstance(raw, Mapping):
        return Options()
    disable = raw.get("disable", False)
    if isinstance(disable, str):
        disable = disable.strip().lower() in _TRUE
    force: Technique | None = None
    technique = raw.get("technique") or raw.get("force_technique")
    if technique:
        try:
            force = Technique.parse(str(technique))
        except ValueError:
            # A client's typo in request metadata is not a reason to fail its request: the router decides.
            logger.warning("headroom: ignoring unknown technique %r in request metadata", str(technique)[:40])
    return Options(disable=bool(disable), force=force)


def request_options(kwargs: Mapping[str, Any]) -> tuple[Options, bool]:
    """(options, already_marked) from the request metadata."""
    options, marked = Options(), False
    for bucket in metadata_buckets(kwargs):
        marked = marked or bool(bucket.get(_MARKER))
        if _OPTIONS_KEY in bucket and options == Options():
            options = _parse_options(bucket[_OPTIONS_KEY])
    return options, marked


def target(kwargs: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(provider, model) from LiteLLM's deployment kwargs.

    ``model`` is the deployment's LiteLLM string ("anthropic/claude-sonnet-4-5"); the sync Responses
    bridge splits it into ``custom_llm_provider`` + bare model instead. A deployment with an
    arbitrary name (Azure) may declare its real model as ``base_model``.
    """
    model, provider = kwargs.get("model"), kwargs.get("custom_llm_provider")
    model = model if isinstance(model, str) and model else None
    provider = provider if isinstance(provider, str) and provider else None
    base_model: object = kwargs.get("base_model")
    if not base_model:
        for bucket in metadata_buckets(kwargs):
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


def call_id(kwargs: Mapping[str, Any]) -> str | None:
    call_id = kwargs.get("litellm_call_id") or getattr(kwargs.get("litellm_logging_obj"), "litellm_call_id", None)
    return str(call_id) if call_id else None


def bucket_name(call_type: str) -> str:
    # Chat completions keep LiteLLM's state in ``metadata`` (never sent to the provider). On /responses,
    # /v1/messages and generateContent ``metadata`` is a provider parameter, so use ``litellm_metadata``.
    return "metadata" if call_type in ("completion", "acompletion") else "litellm_metadata"


def apply(kwargs: Mapping[str, Any], plan: Plan, outcome: Outcome, *, mark: bool = True) -> dict[str, Any] | None:
    """The new request kwargs for an outcome, or None to send the request as it is."""
    record = outcome.record() if outcome.status in ("compressed", "unchanged") else None
    if record is None:
        return None  # no image, unknown target, failure: hand the request back untouched
    new_kwargs = dict(kwargs)
    if outcome.changed:
        new_kwargs[plan.field] = list(outcome.messages)  # a new list from the core; the input is intact
    if mark:
        name = bucket_name(plan.call_type)
        bucket = dict(kwargs.get(name) or {})  # a copy: the caller's dict stays as it was
        bucket.update(record)
        bucket[_MARKER] = True
        spend = bucket.get("spend_logs_metadata")
        bucket["spend_logs_metadata"] = {
            **(spend if isinstance(spend, Mapping) else {}),
            **{k: v for k, v in record.items() if k != "headroom_status"},
        }
        new_kwargs[name] = bucket
    return new_kwargs


def plan(kwargs: Mapping[str, Any], call_type: object, field: str | None = None) -> Plan | None:
    """What to compress in a request (None: nothing, or the request opted out or was done already)."""
    name = call_type_name(call_type)
    field = field or PAYLOAD_FIELD.get(name)
    if field is None:
        return None
    try:
        payload = kwargs.get(field)
        if not isinstance(payload, list) or not payload:
            return None  # e.g. a Responses ``input`` given as a plain string: no images
        options, marked = request_options(kwargs)
        if options.disable or marked:
            return None
        provider, model = target(kwargs)
        return Plan(name, field, payload, provider, model, options.force, call_id(kwargs))
    except Exception as exc:  # malformed metadata etc.: fail open
        logger.warning("headroom: request left unchanged after %s", exc.__class__.__name__)
        return None


def record_in(kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``headroom_*`` record written into a request's metadata, or None."""
    for bucket in metadata_buckets(kwargs):
        if "headroom_status" in bucket:
            return {k: bucket[k] for k in RECORD_KEYS if k in bucket}
    return None


def bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``litellm.completion(model, messages, ...)`` arguments as keywords (the hook API's form)."""
    if len(args) > 2:
        raise TypeError("pass arguments after model and messages by keyword")
    for name, value in zip(("model", "messages"), args, strict=False):
        if name in kwargs:
            raise TypeError(f"got multiple values for argument {name!r}")
        kwargs[name] = value
    return kwargs
