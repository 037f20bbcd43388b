"""Random malformed requests: the compressor never raises and never mutates its input."""

from __future__ import annotations

import base64
import copy
import random
from typing import Any

from images import b64, photo

from headroom_middleware import CompressionConfig, ImageCompressor

_GOOD = b64(photo(96, 64), "JPEG", quality=80)


def _junk(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(9 if depth < 3 else 5)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice(["", "text", "data:image/png;base64,", "data:image/png;base64,@@@", 3, 2.5, True])
    if choice == 2:
        return rng.choice([_GOOD, _GOOD[: rng.randrange(len(_GOOD))], base64.b64encode(rng.randbytes(40)).decode()])
    if choice == 3:
        return rng.randbytes(rng.randrange(1, 64))
    if choice == 4:
        return {"type": rng.choice(["text", "image_url", "image", "input_image", "tool_result"])}
    if choice == 5:
        return [_junk(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 6:
        return {"type": "image_url", "image_url": rng.choice([
            {"url": "data:image/jpeg;base64," + rng.choice([_GOOD, _GOOD[:50], "!!"])}, {"url": None},
            {"url": "data:image/jpeg;base64," + _GOOD, "detail": _junk(rng, depth + 1)}, _junk(rng, depth + 1)])}
    if choice == 7:
        return {"type": "image", "source": rng.choice([
            {"type": "base64", "media_type": _junk(rng, depth + 1), "data": rng.choice([_GOOD, _junk(rng, depth + 1)])},
            {"type": _junk(rng, depth + 1)}, _junk(rng, depth + 1)])}
    return {rng.choice(["inlineData", "inline_data", "image", "toolResult", "content", "parts"]): _junk(rng, depth + 1),
            "mimeType": "image/png"}


def test_random_requests_never_raise_nor_mutate() -> None:
    rng = random.Random(20261125)
    c = ImageCompressor(CompressionConfig(router="rules"))
    for i in range(300):
        messages = [
            {"role": rng.choice(["user", "assistant", "tool", "model", None, 5]),
             rng.choice(["content", "parts", "output"]): [_junk(rng) for _ in range(rng.randrange(5))]}
            for _ in range(rng.randrange(1, 4))
        ]
        if rng.random() < 0.2:
            messages.append(_junk(rng))
        before = copy.deepcopy(messages)
        model = rng.choice(["gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-3-pro", "gpt-5.4"])
        report = c.compress_with_report(messages, model=model,
                                        force_technique=rng.choice([None, "full_low", "preserve", "crop"]))
        assert messages == before, i
        assert len(report.messages) == len(messages)
