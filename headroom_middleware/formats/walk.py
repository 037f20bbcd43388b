"""The one walk over a message list: find image slots with their query, rebuild with new blocks.

Blocks are recognised by shape, so one request may mix formats (LangChain messages carrying
OpenAI blocks, Anthropic ``tool_result`` content, Gemini ``parts``...). Rebuilding copies only
the containers on the path to a replaced block; the caller's objects are never mutated.

Example::

    slots = find_image_slots(messages)
    new_messages = replace_blocks(messages, {slots[0].path: new_block})
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import anthropic, bedrock, gemini, langchain, openai_chat, openai_responses
from .base import BlockFormat, ImageRef

FORMATS: tuple[BlockFormat, ...] = (
    openai_chat.FORMAT,
    openai_responses.FORMAT,
    anthropic.FORMAT,
    langchain.FORMAT,
    gemini.FORMAT,
    bedrock.FORMAT,
)

OCR_PREFIX = "[OCR from image"
ROLE_ALIASES: dict[str, str] = {
    "user": "user",
    "human": "user",  # LangChain
    "assistant": "assistant",
    "ai": "assistant",  # LangChain
    "model": "assistant",  # Gemini
    "system": "system",
    "developer": "system",  # OpenAI reasoning models
    "tool": "tool",
    "function": "tool",  # OpenAI legacy function results
}
"""Every role name the wire formats and hosts use, to the four roles the walk reasons about."""


def canonical_role(name: str) -> str | None:
    """``"user"``, ``"assistant"``, ``"system"`` or ``"tool"`` for a role name, None when unknown.

    Example::

        canonical_role("human"), canonical_role("AI")   # ("user", "assistant")
    """
    return ROLE_ALIASES.get(name.strip().lower())
# keys of blocks that nest further content (tool results)
_NESTED = (("tool_result", "content"),)

Path = tuple[Any, ...]  # (message index, key, index, key, index, ...)


@dataclass(frozen=True)
class ImageSlot:
    """One image block found in a request."""

    index: int  # order among all images of the request
    path: Path
    block: dict[str, Any]
    format: BlockFormat
    ref: ImageRef
    role: str
    query: str
    answered: bool  # an assistant reply and a newer user question came after it

    @property
    def location(self) -> str:
        parts = [f"messages[{self.path[0]}]"]
        for p in self.path[1:]:
            parts.append(f"[{p}]" if isinstance(p, int) else f".{p}")
        return "".join(parts)


def detect_format(block: dict[str, Any]) -> BlockFormat | None:
    for fmt in FORMATS:
        try:
            if fmt.match(block):
                return fmt
        except Exception:  # a malformed block is simply not an image we handle
            return None
    return None


def _content_list(message: Any) -> tuple[str, list[Any]] | None:
    if not isinstance(message, dict):
        return None
    if len(message) == 2 and "role" in message and type(message.get("content")) is str:
        return None  # exactly {"role", "content": "..."}: the common text message, without three lookups
    for key in ("content", "parts", "output"):
        value = message.get(key)
        if isinstance(value, list):
            return key, value
    return None


#: tool_result levels walked by default (``CompressionConfig.max_nesting_depth``); deeper blocks pass through.
DEFAULT_MAX_DEPTH = 16


def _nested_content(block: dict[str, Any]) -> tuple[tuple[str, ...], list[Any]] | None:
    """The content list a tool-result block nests, with the keys leading to it."""
    if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
        return ("content",), block["content"]
    tr = block.get("toolResult")
    if isinstance(tr, dict) and isinstance(tr.get("content"), list):
        return ("toolResult", "content"), tr["content"]
    return None


def _iter_blocks(container: list[Any], prefix: Path, max_depth: int = DEFAULT_MAX_DEPTH) -> Iterator[tuple[Path, Any]]:
    """Blocks in document order, descending into tool results up to ``max_depth`` levels.

    Iterative (an explicit stack), so hostile nesting cannot raise RecursionError; the depth cap
    bounds both the walk and the path copied on rebuild.
    """
    stack: list[tuple[Iterator[tuple[int, Any]], Path, int]] = [(iter(enumerate(container)), prefix, 0)]
    while stack:
        items, base, depth = stack[-1]
        step = next(items, None)
        if step is None:
            stack.pop()
            continue
        i, block = step
        path = (*base, i)
        yield path, block
        if depth >= max_depth or not isinstance(block, dict):
            continue
        nested = _nested_content(block)
        if nested is not None:
            keys, content = nested
            stack.append((iter(enumerate(content)), (*path, *keys), depth + 1))


def _block_text(block: Any) -> str | None:
    if isinstance(block, str):
        return block
    if isinstance(block, dict):
        text = block.get("text")
        if isinstance(text, str) and block.get("type", "text") in ("text", "input_text"):
            return text
    return None


def _role(message: Any) -> str:
    if not isinstance(message, dict):
        return ""
    role = message.get("role")
    if isinstance(role, str):
        return canonical_role(role) or role.lower()
    if message.get("type") == "function_call_output":
        return "tool"
    return ""


def _message_text(message: Any) -> str:
    """User-written text of one message (top-level text blocks; our OCR stand-ins excluded)."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    found = _content_list(message)
    if not found:
        return ""
    texts = [t for b in found[1] if (t := _block_text(b)) and not t.startswith(OCR_PREFIX)]
    return "\n".join(texts).strip()


def _query_for(messages: Sequence[Any], i: int) -> str:
    """The question an image in message ``i`` is asked with, taken from its own turn.

    Text in the same message; else the user text that follows before the next assistant
    reply; else the user text that precedes it since the previous assistant reply.
    """
    tool_message = _role(messages[i]) == "tool"
    in_tool_result = tool_message or _is_tool_result_message(messages[i])
    own = _message_text(messages[i])
    if own and not tool_message:  # text in a tool message is the tool's caption, not the question
        return own
    for j in range(i + 1, len(messages)):
        role = _role(messages[j])
        if role == "assistant":
            break
        if role == "user" and (text := _message_text(messages[j])):
            return text
    for j in range(i - 1, -1, -1):
        role = _role(messages[j])
        if role == "assistant":
            # tool results answer the assistant's call: the question is the user turn before it
            if in_tool_result:
                continue
            break
        if role == "user" and (text := _message_text(messages[j])):
            return text
    # a caption the tool wrote beside its image is the last resort, not the user's question
    return own


def _is_tool_result_message(message: Any) -> bool:
    found = _content_list(message)
    if found is None:
        return False
    return any(isinstance(b, dict) and (b.get("type") == "tool_result" or "toolResult" in b) for b in found[1])


def _answered_flags(messages: Sequence[Any]) -> list[bool]:
    """For each message: did an assistant reply and then a newer user question follow it?

    One backward pass, so long agent histories with many images stay linear.
    """
    flags = [False] * len(messages)
    user_text_after = False  # a user question exists later than the current position
    answered = False
    for j in range(len(messages) - 1, -1, -1):
        flags[j] = answered
        role = _role(messages[j])
        if role == "assistant" and user_text_after:
            answered = True
        elif role == "user" and _message_text(messages[j]):
            user_text_after = True
    return flags


def find_image_slots(messages: Sequence[Any], *, max_depth: int = DEFAULT_MAX_DEPTH,
                     max_query_chars: int | None = None) -> list[ImageSlot]:
    """Every image block of the request, in order, with the query of its own turn.

    Blocks nested deeper than ``max_depth`` tool-result levels are not reported (so they pass
    through unchanged); the query is cut to its first ``max_query_chars`` characters.
    """
    slots: list[ImageSlot] = []
    answered: list[bool] | None = None
    for mi, message in enumerate(messages):
        found = _content_list(message)
        if found is None:
            continue
        key, container = found
        query: str | None = None
        for path, block in _iter_blocks(container, (mi, key), max_depth):
            if not isinstance(block, dict):
                continue
            fmt = detect_format(block)
            if fmt is None:
                continue
            try:
                ref = fmt.read(block)
            except Exception:
                continue
            if query is None:
                query = _query_for(messages, mi)
                if max_query_chars is not None:
                    query = query[:max_query_chars]
            if answered is None:
                answered = _answered_flags(messages)
            slots.append(
                ImageSlot(
                    index=len(slots), path=path, block=block, format=fmt, ref=ref,
                    role=_role(message), query=query, answered=answered[mi],
                )
            )
    return slots


def _set_path(container: Any, path: Path, value: Any) -> Any:
    """A copy of ``container`` with ``value`` at ``path``; only the path's containers are copied.

    Iterative: paths come from the depth-capped walk, but nothing here relies on that.
    """
    originals = [container]
    for key in path[:-1]:
        originals.append(originals[-1][key])
    new = value
    for original, key in zip(reversed(originals), reversed(path), strict=True):
        copy: Any = list(original) if isinstance(original, list) else dict(original)
        copy[key] = new
        new = copy
    return new


def replace_blocks(messages: Sequence[Any], replacements: dict[Path, dict[str, Any]]) -> list[Any]:
    """A new message list with the blocks at the given paths replaced (input untouched)."""
    out = list(messages)
    for path, block in sorted(replacements.items(), key=lambda kv: repr(kv[0])):
        mi = path[0]
        out[mi] = _set_path(out[mi], path[1:], block)
    return out


def has_image_blocks(messages: Sequence[Any], *, max_depth: int = DEFAULT_MAX_DEPTH) -> bool:
    """Whether any image block is present; stops at the first (no query or turn analysis)."""
    for message in messages:
        found = _content_list(message)
        if found is None:
            continue
        for _, block in _iter_blocks(found[1], (), max_depth):
            if isinstance(block, dict) and detect_format(block) is not None:
                return True
    return False
