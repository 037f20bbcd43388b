"""A minimal headless-Chromium driver over the DevTools protocol, for rendering local pages.

One browser process serves every render of a build: launching ``chromium --screenshot`` once per
page costs ~10 s of start-up here, the protocol costs well under a second per page.
Needs Debian's ``chromium`` and the ``websocket-client`` package. Only ``file://`` and ``data:``
URLs are opened and the network is switched off, so a rendered page cannot reach anything.

Example::

    with Chrome() as ch:
        png = ch.screenshot("file:///usr/share/doc/python3.11/html/library/os.html", 1280, 800)
        pdf = ch.pdf("file:///usr/share/doc/python3.11/html/library/json.html")
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from types import TracebackType
from typing import Any

import websocket  # websocket-client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Chrome:
    """One headless Chromium with one page, driven synchronously."""

    def __init__(self, binary: str = "chromium") -> None:
        self._profile = tempfile.mkdtemp(prefix="real-chrome-")
        self._port = _free_port()
        self._proc = subprocess.Popen(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                f"--remote-debugging-port={self._port}", "--remote-debugging-address=127.0.0.1",
                f"--user-data-dir={self._profile}", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._ws = websocket.create_connection(self._page_ws(), timeout=120, suppress_origin=True)
        self._next = 0
        self._call("Page.enable")
        self._call("Network.enable")
        # Offline: local files still load, anything remote fails at once instead of hanging.
        self._call("Network.emulateNetworkConditions", offline=True, latency=0,
                   downloadThroughput=-1, uploadThroughput=-1)

    def _page_ws(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self._port}/json/list", timeout=5) as r:
                    pages = [t for t in json.load(r) if t.get("type") == "page"]
                if pages:
                    return str(pages[0]["webSocketDebuggerUrl"])
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("chromium did not open its DevTools port")

    def _call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        my_id = self._next
        self._ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result", {}))

    def _wait_event(self, name: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(self._ws.recv())
            if msg.get("method") == name:
                return
        raise TimeoutError(name)

    def open(self, url: str, width: int, height: int, scale: float = 1.0) -> None:
        """Load ``url`` in a viewport of ``width`` x ``height`` CSS px and wait for it (fonts too)."""
        self._call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                   deviceScaleFactor=scale, mobile=False)
        self._call("Page.navigate", url=url)
        self._wait_event("Page.loadEventFired")
        self.js("document.fonts.ready.then(() => true)", await_promise=True)

    def js(self, expr: str, await_promise: bool = False) -> Any:
        res = self._call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=await_promise)
        return res.get("result", {}).get("value")

    def capture(self) -> bytes:
        """PNG of the current viewport."""
        time.sleep(0.15)  # let a scroll or a style change paint
        return base64.b64decode(self._call("Page.captureScreenshot", format="png")["data"])

    def screenshot(self, url: str, width: int, height: int, scroll_y: int = 0, scale: float = 1.0) -> bytes:
        """Open ``url`` and return a PNG of the viewport scrolled to ``scroll_y``."""
        self.open(url, width, height, scale)
        if scroll_y:
            self.js(f"window.scrollTo(0, {int(scroll_y)})")
        return self.capture()

    def pdf(self, url: str, paper: tuple[float, float] = (8.27, 11.69), margin: float = 0.6) -> bytes:
        """Print ``url`` to PDF (default A4 portrait, inches), with backgrounds and no header/footer."""
        self.open(url, 1200, 900)
        return self.print_current(paper, margin)

    def print_current(self, paper: tuple[float, float] = (8.27, 11.69), margin: float = 0.6) -> bytes:
        """Print the page that is open now (after any changes made with :meth:`js`) to PDF."""
        res = self._call(
            "Page.printToPDF", paperWidth=paper[0], paperHeight=paper[1], printBackground=True,
            marginTop=margin, marginBottom=margin, marginLeft=margin, marginRight=margin,
            displayHeaderFooter=False,
        )
        return base64.b64decode(res["data"])

    def close(self) -> None:
        try:
            self._ws.close()
        finally:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chrome:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
