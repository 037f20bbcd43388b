"""Boxes and blank margins: pure pixel and rectangle arithmetic.

Example::

    >>> from headroom_middleware.crop.geometry import union
    >>> union([(0, 0, 10, 10), (5, 5, 20, 12)])
    (0, 0, 20, 12)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

Box = tuple[int, int, int, int]

def background_colour(rgb: Image.Image, tolerance: int) -> tuple[int, int, int]:
    """The colour most border samples agree on (corners and edge midpoints)."""
    w, h = rgb.size
    pts = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1),
           (w // 2, 0), (w // 2, h - 1), (0, h // 2), (w - 1, h // 2)]
    samples: list[tuple[int, int, int]] = []
    for p in pts:
        px = rgb.getpixel(p)
        assert isinstance(px, tuple)
        samples.append((int(px[0]), int(px[1]), int(px[2])))

    def votes(c: tuple[int, int, int]) -> int:
        return sum(1 for s in samples if max(abs(a - b) for a, b in zip(c, s, strict=True)) <= tolerance)

    return max(samples, key=votes)


def content_bbox(image: Image.Image, tolerance: int = 16) -> Box | None:
    """Bounding box of everything that differs from the background, or ``None`` if blank.

    The background is the colour the image border agrees on; a pixel is content when any
    channel differs from it by more than ``tolerance`` (0-255; the default absorbs JPEG
    noise). For images with transparency whose border is transparent, the alpha channel
    decides. Use it to trim uniform margins (``preserve``) or inside a crop region.

    Example::

        >>> from PIL import Image, ImageDraw
        >>> im = Image.new("RGB", (100, 80), "white")
        >>> ImageDraw.Draw(im).rectangle((20, 10, 49, 29), fill="black")
        >>> content_bbox(im)
        (20, 10, 50, 30)
    """
    from PIL import Image as PILImage
    from PIL import ImageChops

    if image.width == 0 or image.height == 0:
        return None
    img = image.convert("LA") if image.mode == "La" else image  # premultiplied: no direct path
    if img.mode in ("RGBA", "RGBa", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        w, h = alpha.size
        corners = [alpha.getpixel(p) for p in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))]
        if sum(1 for c in corners if isinstance(c, int) and c < 255 - tolerance) >= 3:
            # Transparent surroundings: what is drawn is what is opaque.
            return alpha.point(lambda v: 255 if v > tolerance else 0).getbbox()
        bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = PILImage.alpha_composite(bg, rgba)
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    back = background_colour(rgb, tolerance)
    diff = ImageChops.difference(rgb, PILImage.new("RGB", rgb.size, back))
    r, g, b = diff.split()
    strongest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    return strongest.point(lambda v: 255 if v > tolerance else 0).getbbox()


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def v_overlap(a: Box, b: Box) -> float:
    ov = min(a[3], b[3]) - max(a[1], b[1])
    return ov / max(1, min(a[3] - a[1], b[3] - b[1]))


def area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def centre_in(b: Box, region: Box) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def inside_fraction(b: Box, region: Box) -> float:
    ix = max(0, min(b[2], region[2]) - max(b[0], region[0]))
    iy = max(0, min(b[3], region[3]) - max(b[1], region[1]))
    return ix * iy / max(1, area(b))


def grow_to_grid(box: Box, size: tuple[int, int], cost: Callable[[int, int], int]) -> Box:
    """``box`` grown, evenly on both sides and within ``size``, as far as its token ``cost`` stays the same.

    Providers bill whole tiles or patches: the context up to the next boundary is free, and it makes a
    slightly misplaced crop still hold its target. ``cost(w, h)`` is the target's token count for a crop of
    that size (after the provider's own resizing).

    Example::

        >>> grow_to_grid((100, 100, 150, 130), (1000, 800), lambda w, h: -(-w // 32) * -(-h // 32))
        (93, 99, 157, 131)
    """
    x0, y0, x1, y1 = box
    base = cost(x1 - x0, y1 - y0)
    width = _grow_side(x1 - x0, size[0], lambda w: cost(w, y1 - y0) <= base)
    height = _grow_side(y1 - y0, size[1], lambda h: cost(width, h) <= base)
    nx0, nx1 = _spread(x0, x1, width, size[0])
    ny0, ny1 = _spread(y0, y1, height, size[1])
    return nx0, ny0, nx1, ny1


def _grow_side(current: int, limit: int, ok: Callable[[int], bool]) -> int:
    """Largest length in [current, limit] that ``ok`` accepts (costs only grow with length: bisect)."""
    lo, hi = current, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _spread(a: int, b: int, length: int, limit: int) -> tuple[int, int]:
    """An interval of ``length`` around [a, b), shifted to stay inside [0, limit)."""
    extra = length - (b - a)
    start = max(0, a - extra // 2)
    end = start + length
    if end > limit:
        end, start = limit, limit - length
    return start, end


def scale_within(size: tuple[int, int], cost: Callable[[int, int], int], budget: int,
                 min_scale: float) -> tuple[int, int] | None:
    """The largest ``size`` scaled by a factor in [``min_scale``, 1] whose token ``cost`` is under ``budget``,
    or ``None`` when even ``min_scale`` is not.

    A crop of a tall page can cost more than the page: the provider shrinks the whole page to fit its limits,
    but a wide strip of it keeps its full width and is billed for more tiles. Scaled down to the page's own
    billed scale (``min_scale``), the crop shows every pixel the whole image would have shown, for a part of
    its price; above that, the least scaling that fits the budget keeps the most detail.

    Example::

        >>> tiles = lambda w, h: -(-w // 512) * -(-h // 512)
        >>> scale_within((1600, 600), tiles, 6, 0.45)   # 4 x 2 tiles at full size; 3 x 1 fits
        (1367, 512)
    """
    w, h = size

    def fits(s: float) -> bool:
        return cost(max(1, round(w * s)), max(1, round(h * s))) < budget

    if fits(1.0):
        return size
    if not fits(min_scale):
        return None
    lo, hi = min_scale, 1.0
    for _ in range(20):  # costs grow with scale: bisect to ~1e-6 of the range
        mid = (lo + hi) / 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return max(1, round(w * lo)), max(1, round(h * lo))


def fit_crop(box: Box, size: tuple[int, int], cost: Callable[[int, int], int], budget: int,
             min_scale: float) -> tuple[Box, tuple[int, int]] | None:
    """The crop to send for ``box`` of an image of ``size``: the box grown to its tile/patch grid and the
    size to scale it to, so that it costs under ``budget`` tokens (the whole image's price); ``None`` when
    no scale down to ``min_scale`` (the whole image's own billed scale) makes it cheaper.

    The scale is chosen first (:func:`scale_within`), then the box grows for free at that scale
    (:func:`grow_to_grid`); growing first could reach the whole image's price, which a provider shrinking a
    tall page bills as little as a strip of it.

    Example::

        >>> tiles = lambda w, h: -(-w // 512) * -(-h // 512)
        >>> fit_crop((100, 100, 400, 300), (2000, 1000), tiles, 8, 0.5)
        ((0, 0, 512, 512), (512, 512))
    """
    w, h = box[2] - box[0], box[3] - box[1]
    fitted = scale_within((w, h), cost, budget, min_scale)
    if fitted is None:
        return None
    sx, sy = fitted[0] / w, fitted[1] / h

    def scaled_cost(cw: int, ch: int) -> int:
        return cost(max(1, round(cw * sx)), max(1, round(ch * sy)))

    grown = grow_to_grid(box, size, scaled_cost)
    gw, gh = grown[2] - grown[0], grown[3] - grown[1]
    return grown, (max(1, round(gw * sx)), max(1, round(gh * sy)))
