"""Rule-based router: the fallback when onnxruntime (or the shipped model) is not available.

It uses the same inputs as the ONNX model, in a form a person can check:

1. **Image family** from the thumbnail statistics of :mod:`.features`:

   - ``photo_score`` (0..1): no dominant background (``hist_top1`` low), many colours
     (``colour_entropy`` high) and few sharp edges -> a camera photo.
   - ``text_score`` (0..1): not a photo, and either dense edges (printed text at thumbnail scale
     is a grey texture of edges) or a rhythm of inked and blank rows (text lines, code, tables).

2. **Query intent** from multilingual keyword lists (``features.KEYWORDS``: en, de, fr, es, pt,
   it, nl, ru, zh, ja, ko), one list per technique:

   - *preserve*: counting, exact small details, comparisons ("how many", "serial number").
   - *crop*: a named region or element ("top right", "legend", "the button").
   - *transcode*: the text is what matters ("summarise", "translate", "explain this code").
     Only counts when the image is text-like: OCR of a photo loses what was asked about.
   - *full_low*: the gist of the whole image ("what is this", "describe").
   - *multi*: markers of a second question ("also", "oh and"): the parts together need preserve.

3. **Scores -> probabilities**: each technique gets a score, ``preserve`` starts ahead
   (:data:`PRESERVE_PRIOR`), and a softmax turns scores into probabilities. Conflicting cues
   add to ``preserve``. With no cue at all ``preserve`` wins, but with a
   probability below the usual 0.55 threshold; either way the image is kept. A single clear
   cue gives its technique ~0.65-0.8, so the rules only downgrade when the query says so.

Example::

    from PIL import Image
    from headroom_middleware.router.rules import RulesRouter
    d = RulesRouter().decide(Image.new("RGB", (256, 200), "white"), "how many screws?", (4000, 3000))
    assert d.technique.value == "preserve" and d.router == "rules"
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..types import Technique
from .decision import RouterDecision
from .features import IMAGE_FEATURES, image_features, keyword_hits

if TYPE_CHECKING:
    from PIL.Image import Image

PRESERVE_PRIOR = 0.5
"""Head start of ``preserve``: being unsure must never downgrade an image."""
KEYWORD_WEIGHT: dict[str, float] = {"preserve": 2.5, "crop": 2.2, "transcode": 2.5, "full_low": 2.0}
RULES_VIEW = 256
"""Long side (px) the rules look at; larger views are downscaled first."""
CONFLICT_BONUS = 1.0
"""Added to ``preserve`` per extra intent category that fires (mixed signals -> keep detail)."""

_IX = {name: i for i, name in enumerate(IMAGE_FEATURES)}


def _clip01(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def image_scores(features: list[float]) -> tuple[float, float]:
    """``(photo_score, text_score)`` in 0..1 from :func:`features.image_features` values.

    Thresholds were read off the per-kind feature percentiles of the training thumbnails
    (photos: ``hist_top1`` < 0.4, ``colour_entropy`` > 0.4; text pages: edge density > 0.06 or
    > 8 blank/inked row changes per 100 rows).

    Example::

        photo, text = image_scores(image_features(thumb, (4032, 3024)).tolist())
    """
    f = features
    photo = (
        _clip01((0.5 - f[_IX["hist_top1"]]) / 0.25)
        * _clip01((f[_IX["colour_entropy"]] - 0.2) / 0.2)
        * _clip01((0.08 - f[_IX["edge_density"]]) / 0.04)
    )
    dense = _clip01((f[_IX["edge_density"]] - 0.03) / 0.06)
    rhythm = _clip01((f[_IX["row_transitions"]] - 0.5) / 0.8)
    text = max(dense, rhythm) * (1.0 - photo)
    return photo, text


class RulesRouter:
    """Keyword + image-statistics router; deterministic, no dependencies beyond numpy/Pillow.

    Example::

        router = RulesRouter()
        d = router.decide(thumb, "Fasse dieses Dokument zusammen", original_size=(1700, 2200))
        print(d.technique, d.confidence)
    """

    name = "rules"

    def decide(
        self, thumb: Image, query: str | None, original_size: tuple[int, int] | None = None, **kw: Any
    ) -> RouterDecision:
        """Probabilities per technique for one image and the question asked about it."""
        if max(thumb.size) == 2 * RULES_VIEW and thumb.mode in ("RGB", "L", "RGBA"):
            # The pipeline's 512-px view: a 2x2 box average is 0.13 ms where the bicubic
            # thumbnail below takes 1.9 ms; it changed 12 of 5,352 decisions on the real images.
            thumb = thumb.reduce(2)
        elif max(thumb.size) > RULES_VIEW:
            # The thresholds below were read off 256-px thumbnails: look at the image at that scale.
            thumb = thumb.copy()
            thumb.thumbnail((RULES_VIEW, RULES_VIEW))
        feats = image_features(thumb, original_size).tolist()
        return decide_from_features(feats, query)


def decide_from_features(feats: list[float], query: str | None) -> RouterDecision:
    """The rules on precomputed image features (used by :class:`RulesRouter` and the trainer).

    Example::

        d = decide_from_features(image_features(thumb, size).tolist(), "what is this?")
    """
    photo, text = image_scores(feats)
    hits = keyword_hits(query)
    score = {t: 0.0 for t in Technique}
    score[Technique.PRESERVE] = PRESERVE_PRIOR
    if hits["preserve"]:
        score[Technique.PRESERVE] += KEYWORD_WEIGHT["preserve"]
    if hits["crop"]:
        # A region of a photo is harder to locate than one of a rendered page: a little less sure.
        score[Technique.CROP] += KEYWORD_WEIGHT["crop"] * (1.0 - 0.3 * photo)
    if hits["transcode"]:
        # OCR text only answers when the image is mostly text; otherwise keep the pixels.
        score[Technique.TRANSCODE] += KEYWORD_WEIGHT["transcode"] * text
        score[Technique.PRESERVE] += 0.5 * (1.0 - text)
    if hits["full_low"]:
        score[Technique.FULL_LOW] += KEYWORD_WEIGHT["full_low"]
    fired = sum(1 for k, v in hits.items() if v and k != "multi")
    if fired > 1:
        score[Technique.PRESERVE] += CONFLICT_BONUS * (fired - 1)
    if hits["multi"]:
        # "... also ...": several questions, their answers together need the full image.
        score[Technique.PRESERVE] += CONFLICT_BONUS
    m = max(score.values())
    exp = {t: math.exp(v - m) for t, v in score.items()}
    total = sum(exp.values())
    return RouterDecision(probabilities={t: v / total for t, v in exp.items()}, router="rules")
