"""What a router returns: per-technique probabilities and the risk of each downgrade.

Kept apart from the package ``__init__`` so the router implementations import it without a cycle.

Example::

    from headroom_middleware.router.decision import RouterDecision
    from headroom_middleware.types import Technique as T
    d = RouterDecision({T.PRESERVE: 0.1, T.FULL_LOW: 0.7, T.CROP: 0.1, T.TRANSCODE: 0.1}, router="rules")
    assert d.technique is T.FULL_LOW and abs(d.risk(T.FULL_LOW) - 0.3) < 1e-9
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..protocols import Router as RouterSeam
from ..types import Technique

if TYPE_CHECKING:
    pass

__all__ = ["DEFAULT_MAX_RISK", "Router", "RouterDecision"]

DEFAULT_MAX_RISK = 0.45
"""Risk ceiling for routers without calibrated per-technique thresholds (a 0.55 confidence floor)."""


@dataclass(frozen=True)
class RouterDecision:
    """The router's view of one (image, query) pair.

    ``probabilities`` sum to 1 (the argmax is :attr:`technique`). ``p_right`` is, per technique,
    the probability that it still answers the question (the model's own estimate; several can be
    right at once); ``max_risk`` the highest risk ``1 - p_right`` at which a technique may be
    used, calibrated per technique on held-out data. Routers without them fall back to the
    ``answers()`` relation of ``docs/CONTRACTS.md``: a downgrade answers only when it is the
    label, so its risk is ``1 - probabilities[t]``.

    Example::

        d = RouterDecision({Technique.PRESERVE: 0.2, Technique.FULL_LOW: 0.8,
                            Technique.CROP: 0.0, Technique.TRANSCODE: 0.0}, router="rules")
        assert d.technique is Technique.FULL_LOW and d.confidence == 0.8
        assert d.safe_techniques() == [Technique.FULL_LOW]
    """

    probabilities: dict[Technique, float]
    router: str
    p_right: dict[Technique, float] | None = None
    max_risk: dict[Technique, float] | None = None

    @property
    def technique(self) -> Technique:
        """The most probable technique (ties go to the more detailed one, preserve first)."""
        return self.ranked()[0][0]

    @property
    def confidence(self) -> float:
        """Probability of :attr:`technique`."""
        return self.ranked()[0][1]

    def ranked(self) -> list[tuple[Technique, float]]:
        """``(technique, probability)`` pairs, most probable first.

        Example::

            for tech, p in decision.ranked():
                print(tech.value, f"{p:.2f}")
        """
        # Stable sort over the enum order (preserve, full_low, crop, transcode): on a tie the
        # safer technique comes first.
        order = {t: i for i, t in enumerate(Technique)}
        return sorted(self.probabilities.items(), key=lambda kv: (-kv[1], order[kv[0]]))

    def risk(self, technique: Technique) -> float:
        """Probability that ``technique`` loses what the question needs (preserve: 0).

        Example::

            if decision.risk(Technique.CROP) < 0.1:
                ...
        """
        if technique is Technique.PRESERVE:
            return 0.0
        if self.p_right is not None:
            return 1.0 - self.p_right.get(technique, 0.0)
        return 1.0 - self.probabilities.get(technique, 0.0)

    def safe_techniques(self, max_risk: float | None = None) -> list[Technique]:
        """Downgrades whose risk is within their ceiling, in enum order (preserve is always safe
        and not listed). ``max_risk`` overrides every per-technique ceiling.

        Example::

            candidates = decision.safe_techniques()          # calibrated ceilings
            strict = decision.safe_techniques(max_risk=0.1)  # one ceiling for all
        """
        out: list[Technique] = []
        for t in Technique:
            if t is Technique.PRESERVE:
                continue
            ceiling = max_risk if max_risk is not None else (
                self.max_risk.get(t, DEFAULT_MAX_RISK) if self.max_risk is not None else DEFAULT_MAX_RISK)
            if self.risk(t) <= ceiling:
                out.append(t)
        return out


class Router(RouterSeam, Protocol):
    """What :func:`~headroom_middleware.router.get_router` returns: a
    :class:`headroom_middleware.protocols.Router` (``decide(thumb, query, *, original_size, **kw)``)
    with a name.

    Example::

        def route(router: Router, view, query: str) -> Technique:
            return router.decide(view, query, original_size=view.size).technique
    """

    name: str
