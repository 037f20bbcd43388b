"""Internal: reading ``HEADROOM_*`` environment values with errors that name the variable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from .errors import ConfigError

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_N = TypeVar("_N", int, float)


def env_bool(name: str, value: str) -> bool:
    """``value`` of variable ``name`` as a boolean; :class:`ConfigError` naming it otherwise."""
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_number(env: Mapping[str, str], name: str, kind: type[_N], default: _N | None) -> _N | None:
    """Variable ``name`` of ``env`` as ``kind``; ``default`` when unset or empty; :class:`ConfigError` naming
    it otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from exc
