"""Crop: the image region a query is about, and blank margins.

- :mod:`.lexicon`: words naming places and things to look for, in many languages;
- :mod:`.query`: what a query asks for (spatial intents, search terms);
- :mod:`.loanwords`: katakana and Hangul borrowings matched to the English words they come from;
- :mod:`.geometry`: boxes and blank-margin detection;
- :mod:`.select`: choosing the region.

Example::

    from headroom_middleware.crop import select_crop_region
    region = select_crop_region(img, "What's the total?", ocr=ocr_result)
    if region is not None and region.confidence >= 0.5:
        small = img.crop(region.box)
"""

from __future__ import annotations

from .geometry import content_bbox
from .query import parse_spatial
from .select import MAX_AREA_FRACTION, CropRegion, select_crop_region

__all__ = ["MAX_AREA_FRACTION", "CropRegion", "content_bbox", "parse_spatial", "select_crop_region"]
