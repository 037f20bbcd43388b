"""A local fake LLM provider for tests, examples and benchmarks.

It speaks just enough of four wire protocols for LiteLLM, LangChain and the official SDKs
to accept its answers, and records every request so tests can assert on what a provider
would actually have received:

- OpenAI Chat Completions: ``POST …/chat/completions`` (also ``"stream": true`` as SSE)
- OpenAI Responses: ``POST …/responses``
- Anthropic Messages: ``POST …/messages`` (``…/messages/count_tokens`` too)
- Google Gemini: ``POST …/models/<model>:generateContent`` (and ``:streamGenerateContent``)

A model name containing ``fail-500`` (in the JSON body or, for Gemini, in the path) makes
the server answer HTTP 500, so router fallbacks can be tested. It binds 127.0.0.1 on a free
port and never talks to the network.

Example::

    from tests.fake_provider import FakeProvider

    with FakeProvider() as fake:
        # point a client at fake.url + "/v1" (OpenAI) or fake.url (Anthropic, Gemini)
        ...
        req = fake.last(path_contains="/chat/completions")
        assert req.json["model"] == "gpt-4o"

Standard library only, so the same file serves the LangChain tests and the benchmarks.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeProvider", "RecordedRequest"]

FAIL_MARKER = "fail-500"
REPLY_TEXT = "fake reply"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake provider received it."""

    method: str
    path: str  # includes the query string
    headers: dict[str, str]  # header names lower-cased
    body: bytes  # the exact bytes on the wire
    json: Any = field(default=None)  # parsed body, or None when it was not JSON
    time: float = 0.0

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


def _usage_openai(prompt: int, completion: int = 3) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _estimate_prompt_tokens(body: bytes) -> int:
    # A deterministic stand-in that grows with the request, so usage differs between a
    # compressed and an uncompressed request without pretending to be a real tokenizer.
    return max(1, len(body) // 4)


def _chat_completion(model: str, prompt_tokens: int) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": REPLY_TEXT, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _usage_openai(prompt_tokens),
    }


def _scripted_chat_completion(model: str, prompt_tokens: int, message: dict[str, Any]) -> dict[str, Any]:
    body = _chat_completion(model, prompt_tokens)
    choice = body["choices"][0]
    choice["message"] = {"role": "assistant", "content": None, "refusal": None, **message}
    choice["finish_reason"] = "tool_calls" if message.get("tool_calls") else "stop"
    return body


def _chat_completion_sse(model: str, prompt_tokens: int) -> list[dict[str, Any]]:
    base = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
    }
    first_delta = {"role": "assistant", "content": ""}
    return [
        {**base, "choices": [{"index": 0, "delta": first_delta, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {"content": REPLY_TEXT}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {**base, "choices": [], "usage": _usage_openai(prompt_tokens)},
    ]


def _responses(model: str, prompt_tokens: int) -> dict[str, Any]:
    return {
        "id": "resp_fake",
        "object": "response",
        "created_at": 1_700_000_000,
        "status": "completed",
        "model": model,
        "output": [
            {
                "type": "message",
                "id": "msg_fake",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": REPLY_TEXT, "annotations": []}],
            }
        ],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": prompt_tokens,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 3,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": prompt_tokens + 3,
        },
    }


def _anthropic_message(model: str, prompt_tokens: int) -> dict[str, Any]:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": REPLY_TEXT}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": prompt_tokens, "output_tokens": 3},
    }


def _anthropic_sse(model: str, prompt_tokens: int) -> list[tuple[str, dict[str, Any]]]:
    start = _anthropic_message(model, prompt_tokens)
    start["content"] = []
    start["stop_reason"] = None
    start["usage"] = {"input_tokens": prompt_tokens, "output_tokens": 0}
    return [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": REPLY_TEXT}},
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 3},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]


def _gemini(model: str, prompt_tokens: int) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"parts": [{"text": REPLY_TEXT}], "role": "model"},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": 3,
            "totalTokenCount": prompt_tokens + 3,
        },
        "modelVersion": model,
    }


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, as real providers do; every answer sets
    # Content-Length (or closes the connection after a stream).
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: test output stays readable

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_sse(self, events: list[tuple[str | None, Any]], done: bool) -> None:
        chunks = []
        for name, payload in events:
            prefix = f"event: {name}\n" if name else ""
            chunks.append(f"{prefix}data: {json.dumps(payload)}\n\n")
        if done:
            chunks.append("data: [DONE]\n\n")
        data = "".join(chunks).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._read_body()
        self.server.provider._record(self, b"")
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [{"id": "gpt-4o", "object": "model"}]})
        else:
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        body = self._read_body()
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        self.server.provider._record(self, body, parsed)

        path = self.path.split("?", 1)[0]
        model = str(parsed.get("model", "")) if isinstance(parsed, dict) else ""
        if ":generateContent" in path or ":streamGenerateContent" in path:
            model = path.rsplit("/", 1)[-1].split(":", 1)[0]
        if FAIL_MARKER in model:
            error = {"message": "fake provider: forced failure", "type": "server_error", "code": 500}
            self._send_json(500, {"error": error})
            return

        prompt = _estimate_prompt_tokens(body)
        stream = isinstance(parsed, dict) and parsed.get("stream") is True
        if path.endswith("/chat/completions"):
            scripted = None if stream else self.server.provider._pop_chat_reply()
            if scripted is not None:
                self._send_json(200, _scripted_chat_completion(model, prompt, scripted))
            elif stream:
                self._send_sse([(None, chunk) for chunk in _chat_completion_sse(model, prompt)], done=True)
            else:
                self._send_json(200, _chat_completion(model, prompt))
        elif path.endswith("/responses"):
            self._send_json(200, _responses(model, prompt))
        elif path.endswith("/messages/count_tokens"):
            self._send_json(200, {"input_tokens": prompt})
        elif path.endswith("/messages"):
            if stream:
                self._send_sse(list(_anthropic_sse(model, prompt)), done=False)
            else:
                self._send_json(200, _anthropic_message(model, prompt))
        elif ":streamGenerateContent" in path:
            self._send_sse([(None, _gemini(model, prompt))], done=False)
        elif ":generateContent" in path:
            self._send_json(200, _gemini(model, prompt))
        else:
            self._send_json(404, {"error": {"message": f"no route {path}", "type": "not_found"}})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    provider: FakeProvider


class FakeProvider:
    """A threaded fake provider on ``127.0.0.1`` and a free port.

    ``url`` is ``http://127.0.0.1:<port>`` (no trailing slash). ``requests`` lists every
    :class:`RecordedRequest` in arrival order; ``clear()`` forgets them; ``last()`` returns
    the newest one whose path contains a substring. ``record=False`` keeps nothing (for
    benchmarks). Use it as a context manager or call ``start()`` / ``stop()``.
    """

    def __init__(self, *, record: bool = True) -> None:
        self.record = record
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._chat_replies: list[dict[str, Any]] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeProvider:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.provider = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- interface ---------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("fake provider is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        """Forget recorded requests (and any scripted replies not yet used)."""
        with self._lock:
            self._requests.clear()
            self._chat_replies.clear()

    def queue_chat_reply(self, message: dict[str, Any]) -> None:
        """Answer the next non-streaming OpenAI Chat Completions request with this assistant
        ``message`` (e.g. ``tool_call_reply(...)`` or ``{"content": "done"}``) instead of the
        default text. Replies are used first in, first out; streaming requests skip them.
        """
        with self._lock:
            self._chat_replies.append(dict(message))

    @staticmethod
    def tool_call_reply(name: str, arguments: dict[str, Any], call_id: str = "call_1") -> dict[str, Any]:
        """An assistant message that calls tool ``name`` (for :meth:`queue_chat_reply`)."""
        function = {"name": name, "arguments": json.dumps(arguments)}
        return {"content": None, "tool_calls": [{"id": call_id, "type": "function", "function": function}]}

    def _pop_chat_reply(self) -> dict[str, Any] | None:
        with self._lock:
            return self._chat_replies.pop(0) if self._chat_replies else None

    def last(self, path_contains: str = "") -> RecordedRequest:
        """The newest request whose path contains ``path_contains``; AssertionError if none."""
        with self._lock:
            for req in reversed(self._requests):
                if path_contains in req.path:
                    return req
        raise AssertionError(f"fake provider received no request with {path_contains!r} in its path")

    def matching(self, path_contains: str = "") -> list[RecordedRequest]:
        """All requests whose path contains ``path_contains``, oldest first."""
        with self._lock:
            return [r for r in self._requests if path_contains in r.path]

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes, parsed: Any = None) -> None:
        if not self.record:
            return
        req = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=body,
            json=parsed,
            time=time.time(),
        )
        with self._lock:
            self._requests.append(req)


if __name__ == "__main__":  # manual use / benchmarks: python tests/fake_provider.py [--no-record]
    import sys

    with FakeProvider(record="--no-record" not in sys.argv[1:]) as fake:
        print(f"fake provider on {fake.url}", flush=True)  # benchmarks read the URL from this line
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
