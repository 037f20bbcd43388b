"""A self-contained HTML page showing what each image became: before/after, side by side.

For every image: the original and what the model receives, drawn at the same scale (so a
``full_low`` looks as small as the provider will see it), the crop box on the original, the OCR
text of a transcode, the technique, router confidence and reason, tokens before/after and their
cost at the model's list price; totals per request and overall; a bar chart of the tokens saved
by technique. Images are inlined as data URLs (previews at most 1024 px), no script, no network.

Example::

    from headroom_middleware import ImageCompressor
    from headroom_middleware.html_report import ReportItem, render_html

    report = ImageCompressor().compress_with_report(messages, model="gpt-4o")
    page = render_html([ReportItem("my request", "gpt-4o", messages, report)])
    Path("report.html").write_text(page, encoding="utf-8")
"""

from __future__ import annotations

import base64
import html
import importlib.util
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._units import fmt_bytes as _bytes
from ._units import fmt_tokens as _tokens
from .formats.walk import ImageSlot, detect_format, find_image_slots
from .types import CompressionReport, CompressionResult

_PREVIEW_EDGE = 1024  # px; keeps a report of a few 12 MP photos in the low megabytes
_COLUMN_PX = 420  # display width of an original image in the page


@dataclass(frozen=True)
class ReportItem:
    """One compressed request: its title, target model, the messages as received and the report."""

    title: str
    model: str
    messages: Sequence[Any]
    report: CompressionReport


@dataclass(frozen=True)
class _Picture:
    """An image as shown in the page: preview data URL plus its real size in pixels."""

    data_url: str
    size: tuple[int, int]


def _get(container: Any, path: Sequence[Any]) -> Any:
    for key in path:
        container = container[key]
    return container


def _picture(raw: bytes | None) -> _Picture | None:
    """A preview (≤ 1024 px, PNG or JPEG like the source) of encoded image bytes."""
    if not raw:
        return None
    from PIL import Image

    from . import imaging

    try:
        info = imaging.probe(raw)
        img = imaging.load(raw, info, target_size=imaging.fit_inside(info.width, info.height, _PREVIEW_EDGE))
    except Exception:
        return None
    size = (info.width, info.height)
    if max(img.size) > _PREVIEW_EDGE:
        img = img.resize(imaging.fit_inside(*img.size, _PREVIEW_EDGE), Image.Resampling.LANCZOS)
    fmt = "JPEG" if info.format == "JPEG" else "PNG"
    buf = io.BytesIO()
    (img.convert("RGB") if fmt == "JPEG" else img).save(buf, fmt, quality=85, optimize=True)
    mime = "image/jpeg" if fmt == "JPEG" else "image/png"
    return _Picture(f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode()}", size)


def _slot_bytes(slot: ImageSlot) -> bytes | None:
    from . import imaging

    ref = slot.ref
    try:
        if ref.kind == "base64" and ref.data is not None:
            return imaging.decode_base64(ref.data)
        if ref.kind == "bytes":
            return ref.raw
    except Exception:
        return None
    return None


def _sent_block(messages: Sequence[Any], slot: ImageSlot) -> tuple[bytes | None, str | None]:
    """What replaced ``slot`` in the compressed messages: image bytes, or text (a transcode)."""
    try:
        block = _get(messages, slot.path)
    except (LookupError, TypeError):
        return None, None
    if not isinstance(block, dict):
        return None, str(block)
    fmt = detect_format(block)
    if fmt is None:
        text = block.get("text")
        return None, text if isinstance(text, str) else json.dumps(block, ensure_ascii=False)[:2000]
    try:
        ref = fmt.read(block)
    except Exception:
        return None, None
    from dataclasses import replace

    return _slot_bytes(replace(slot, ref=ref)), None


@lru_cache(maxsize=1)
def _litellm_prices() -> dict[str, Any]:
    """LiteLLM's bundled price list, read as a file so that litellm itself is not imported."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "model_prices_and_context_window_backup.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def input_price_per_token(model: str) -> float | None:
    """List price of one input token of ``model`` in USD, from LiteLLM's bundled price list when
    litellm is installed; ``None`` when unknown.

    Example::

        input_price_per_token("gpt-4o")   # 2.5e-06 with litellm 1.108 installed
    """
    from .targets import resolve_target

    prices = _litellm_prices()
    bare = model.split("/", 1)[1] if "/" in model else model
    candidates = [model, bare]
    try:
        normalised = resolve_target(model=model).model
        candidates += [normalised, f"{normalised}-preview"]
    except Exception:
        pass
    for key in candidates:
        entry = prices.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("input_cost_per_token"), (int, float)):
            return float(entry["input_cost_per_token"])
    return None


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _cost(tokens: int | None, price: float | None) -> str:
    return "" if tokens is None or price is None else f" (${tokens * price:.5f})"


def _img_html(pic: _Picture, display_w: float, crop: tuple[int, int, int, int] | None = None) -> str:
    w, h = pic.size
    display_h = display_w * h / w
    overlay = ""
    if crop is not None:
        x0, y0, x1, y1 = crop
        stroke = max(2.0, w / 200)
        overlay = (f'<svg class="overlay" viewBox="0 0 {w} {h}" preserveAspectRatio="none">'
                   f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" '
                   f'stroke="#e11d48" stroke-width="{stroke:.1f}"/></svg>')
    return (f'<div class="pic" style="width:{display_w:.0f}px;height:{display_h:.0f}px">'
            f'<img src="{pic.data_url}" alt="" width="{display_w:.0f}" height="{display_h:.0f}">{overlay}</div>')


def _model_view_size(item: ReportItem, r: CompressionResult, sent: _Picture) -> tuple[int, int]:
    """The size the provider really processes the sent image at (``detail: low`` shrinks it)."""
    from .targets import resolve_target
    from .tokens import image_tokens

    try:
        target = resolve_target(model=item.model)
        detail = "low" if r.technique.value == "full_low" and target.uses_detail else None
        box = image_tokens(target.token_model, *sent.size, detail).processed_size
    except Exception:
        return sent.size
    # the provider fits the image inside its processing box, keeping the aspect ratio
    w, h = sent.size
    f = min(box[0] / w, box[1] / h, 1.0)
    return max(1, round(w * f)), max(1, round(h * f))


def _image_card(item: ReportItem, r: CompressionResult, slot: ImageSlot | None, price: float | None) -> str:
    original = _picture(_slot_bytes(slot)) if slot else None
    sent_raw, sent_text = _sent_block(item.report.messages, slot) if slot else (None, None)
    sent = _picture(sent_raw)
    scale = _COLUMN_PX / max(original.size[0], 1) if original else 1.0
    left = (_img_html(original, _COLUMN_PX, r.crop_box) if original
            else '<div class="na">not inlined (URL or file id)</div>')
    if sent_text is not None:
        right = f'<pre class="ocr">{_e(sent_text)}</pre>'
    elif sent is not None:
        view = _model_view_size(item, r, sent)
        right = _img_html(sent, max(24.0, view[0] * scale if original else min(view[0], _COLUMN_PX)))
        right += f'<div class="dim">model sees {view[0]}×{view[1]} px</div>'
    else:
        right = '<div class="na">unchanged reference</div>'
    orig_size = f"{r.original_size[0]}×{r.original_size[1]}" if r.original_size else "?"
    new_size = f"{r.compressed_size[0]}×{r.compressed_size[1]}" if r.compressed_size else "text"
    rows = [
        ("technique", f'<span class="tech {_e(r.technique.value)}">{_e(r.technique.value)}</span>'
                      + (f" (router asked {_e(r.routed_technique.value)})"
                         if r.routed_technique and r.routed_technique != r.technique else "")),
        ("router", f"{_e(r.router)}, confidence {r.confidence:.2f}"),
        ("reason", _e(r.reason)),
        ("question", _e(slot.query) if slot and slot.query else "<i>none</i>"),
        ("tokens", f"{_tokens(r.original_tokens)}{_cost(r.original_tokens, price)} → "
                   f"{_tokens(r.compressed_tokens)}{_cost(r.compressed_tokens, price)}"
                   f" <b>{r.savings_percent:.0f}% saved</b>" + (" (estimated)" if r.estimated else "")),
        ("size", f"{orig_size} → {new_size}; {_bytes(r.original_bytes)} → {_bytes(r.compressed_bytes)}"),
        ("crop box", _e(r.crop_box) if r.crop_box else "—"),
        ("time", f"{r.duration_ms:.1f} ms"),
    ]
    facts = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (f'<section class="image"><h3>image {r.index} <small>{_e(r.location)}</small></h3>'
            f'<div class="pair"><figure><figcaption>original</figcaption>{left}</figure>'
            f'<figure><figcaption>what the model receives</figcaption>{right}</figure></div>'
            f'<table class="facts">{facts}</table></section>')


def _chart(results: Sequence[CompressionResult]) -> str:
    """Inline SVG bars: image tokens saved per technique (and how many images used it)."""
    order = ["preserve", "full_low", "crop", "transcode"]
    saved = {t: 0 for t in order}
    count = {t: 0 for t in order}
    for r in results:
        saved[r.technique.value] += max(r.saved_tokens, 0)
        count[r.technique.value] += 1
    top = max(max(saved.values()), 1)
    bars = []
    for i, t in enumerate(order):
        width = 360 * saved[t] / top
        y = 10 + i * 34
        bars.append(f'<text x="0" y="{y + 17}" class="lbl">{t}</text>'
                    f'<rect x="90" y="{y}" width="{width:.1f}" height="24" class="bar {t}"/>'
                    f'<text x="{96 + width:.1f}" y="{y + 17}" class="val">{saved[t]:,} tokens saved · '
                    f'{count[t]} image(s)</text>')
    return (f'<svg class="chart" viewBox="0 0 720 {20 + 34 * len(order)}" role="img" '
            f'aria-label="tokens saved by technique">{"".join(bars)}</svg>')


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;background:#fafafa}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:16px 0 8px}small{color:#666;font-weight:normal}
.summary td,.summary th,.facts td,.facts th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
.facts th{color:#555;font-weight:normal;white-space:nowrap}
.image{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:12px;margin:12px 0}
.pair{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}
figure{margin:0}figcaption{color:#555;margin-bottom:4px}
.pic{position:relative;border:1px solid #ccc;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
.pic img{display:block}.overlay{position:absolute;inset:0;width:100%;height:100%}
.ocr{max-width:520px;max-height:420px;overflow:auto;background:#f4f4f5;padding:8px;white-space:pre-wrap;margin:0}
.na,.dim{color:#777}.tech{padding:1px 6px;border-radius:4px;color:#fff}
.preserve{background:#64748b;fill:#64748b}.full_low{background:#2563eb;fill:#2563eb}
.crop{background:#d97706;fill:#d97706}.transcode{background:#059669;fill:#059669}
.chart{max-width:720px}.chart .lbl,.chart .val{font-size:13px;fill:#333}
"""


def render_html(items: Sequence[ReportItem], *, price_per_mtok: float | None = None,
                title: str = "headroom-middleware: what each image became") -> str:
    """The whole report page as a string (UTF-8 HTML, self-contained).

    ``price_per_mtok`` (USD per million input tokens) overrides the list price looked up per model.

    Example::

        page = render_html([ReportItem("invoice", "gpt-4o", messages, report)], price_per_mtok=2.5)
    """
    sections: list[str] = []
    all_results: list[CompressionResult] = []
    grand_before = grand_after = 0
    grand_cost_before = grand_cost_after = 0.0
    priced = True
    for n, item in enumerate(items, 1):
        price = price_per_mtok / 1e6 if price_per_mtok is not None else input_price_per_token(item.model)
        slots = {s.index: s for s in find_image_slots(item.messages)}
        rep = item.report
        cards = "".join(_image_card(item, r, slots.get(r.index), price) for r in rep.results)
        all_results.extend(rep.results)
        grand_before += rep.original_tokens
        grand_after += rep.compressed_tokens
        if price is None:
            priced = False
        else:
            grand_cost_before += rep.original_tokens * price
            grand_cost_after += rep.compressed_tokens * price
        price_note = f"${price * 1e6:.2f} per million input tokens" if price is not None else "price unknown"
        sections.append(
            f'<h2>{n}. {_e(item.title)}</h2><p>target <b>{_e(item.model)}</b> ({price_note}) · '
            f"{len(rep.results)} image(s) · {_tokens(rep.original_tokens)} → {_tokens(rep.compressed_tokens)} "
            f"image tokens ({rep.savings_percent:.0f}% saved) · {rep.duration_ms:.0f} ms</p>{cards}"
        )
    saved_pct = 100.0 * (grand_before - grand_after) / grand_before if grand_before else 0.0
    cost = (f"<tr><th>cost of image tokens</th><td>${grand_cost_before:.4f} → ${grand_cost_after:.4f}</td></tr>"
            if priced and items else "")
    summary = (f'<table class="summary"><tr><th>requests</th><td>{len(items)}</td></tr>'
               f"<tr><th>images</th><td>{len(all_results)}</td></tr>"
               f"<tr><th>image tokens</th><td>{grand_before:,} → {grand_after:,} ({saved_pct:.0f}% saved)</td></tr>"
               f"{cost}</table>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{_CSS}</style></head><body><h1>{_e(title)}</h1>{summary}"
            f"<h2>Tokens saved by technique</h2>{_chart(all_results)}{''.join(sections)}"
            f'<p class="dim">Previews are downscaled to at most {_PREVIEW_EDGE} px; sizes, bytes and tokens are '
            f"those of the real images. Prices: LiteLLM's bundled list (input tokens) unless overridden.</p>"
            f"</body></html>")


def write_report(path: str | Path, items: Sequence[ReportItem], *, price_per_mtok: float | None = None) -> Path:
    """Render the report and write it to ``path``; returns the absolute path.

    Example::

        write_report("report.html", [ReportItem("demo", "gpt-4o", messages, report)])
    """
    out = Path(path).resolve()
    out.write_text(render_html(items, price_per_mtok=price_per_mtok), encoding="utf-8")
    return out
