"""Wire formats: one module per format, and ``walk`` — the only message walker.

Example::

    from headroom_middleware.formats import find_image_slots
    for slot in find_image_slots(messages):
        print(slot.location, slot.format.name, slot.query)
"""

from .base import BlockFormat, ImageRef
from .walk import OCR_PREFIX, ROLE_ALIASES, ImageSlot, canonical_role, find_image_slots, replace_blocks

__all__ = ["OCR_PREFIX", "ROLE_ALIASES", "BlockFormat", "ImageRef", "ImageSlot", "canonical_role", "find_image_slots",
           "replace_blocks"]
