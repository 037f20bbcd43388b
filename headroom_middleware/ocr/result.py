"""Value types returned by OCR: one line (text, box, confidence) and one image's result."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["OcrLine", "OcrResult"]


@dataclass(frozen=True)
class OcrLine:
    """One detected text line.

    ``box`` is ``(x0, y0, x1, y1)`` in pixels of the image given to :func:`run_ocr`
    (x1/y1 exclusive), ``confidence`` is the recogniser's score in 0..1.
    """

    text: str
    box: tuple[int, int, int, int]
    confidence: float


@dataclass(frozen=True)
class OcrResult:
    """The OCR of one image.

    ``text`` is rebuilt in reading order by :func:`layout_text`; ``mean_confidence`` is the
    line confidences weighted by text length (0.0 when nothing was read); ``duration_ms`` is
    the time the engine took for this image (a cached result keeps its original duration).
    ``complete`` is False when reading stopped early, after the tiles that already held
    ``max_chars`` characters (``RapidOcrEngine.read``): the text is then a prefix of the page's.
    """

    text: str
    mean_confidence: float
    lines: tuple[OcrLine, ...]
    duration_ms: float
    complete: bool = True

    def scaled(self, fx: float, fy: float) -> OcrResult:
        """The same result with boxes in an image resized by ``fx`` x ``fy`` (text unchanged).

        Example::

            >>> r = OcrResult("Hi", 0.9, (OcrLine("Hi", (10, 20, 50, 40), 0.9),), 5.0)
            >>> r.scaled(0.5, 0.5).lines[0].box
            (5, 10, 25, 20)
        """
        lines = tuple(
            replace(ln, box=(int(ln.box[0] * fx), int(ln.box[1] * fy),
                             max(int(ln.box[0] * fx) + 1, round(ln.box[2] * fx)),
                             max(int(ln.box[1] * fy) + 1, round(ln.box[3] * fy))))
            for ln in self.lines
        )
        return replace(self, lines=lines)

