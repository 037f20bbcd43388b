"""Public value types: techniques, configuration and results.

Results are frozen pydantic models so they can cross process boundaries (spend logs, JSON
metadata, response headers) without surprises. Units are in the names.

Example::

    from headroom_middleware import CompressionConfig, Technique
    config = CompressionConfig(confidence_threshold=0.7, force_technique=Technique.FULL_LOW)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator


class Technique(str, Enum):
    """What is done to one image.

    - ``preserve``: keep full detail; only free waste is trimmed (pixels the provider would
      discard anyway, tile/patch boundaries).
    - ``full_low``: the cheapest whole-image form the target model offers.
    - ``crop``: only the region the question is about.
    - ``transcode``: the image is replaced by its OCR text.
    """

    PRESERVE = "preserve"
    FULL_LOW = "full_low"
    CROP = "crop"
    TRANSCODE = "transcode"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: Technique | str) -> Technique:
        """A technique from its name, case- and space-insensitive (``" CROP "`` → ``Technique.CROP``).

        Raises :class:`~headroom_middleware.errors.ConfigError` for anything else.

        Example::

            Technique.parse("Full_Low")   # Technique.FULL_LOW
        """
        if isinstance(value, Technique):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        from .errors import ConfigError

        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:60] + "…"
        raise ConfigError(f"unknown technique {shown}; expected one of {', '.join(t.value for t in cls)}")


HistoryPolicy = Literal["route", "full_low", "keep"]
RouterChoice = Literal["auto", "onnx", "rules"]
# Read from the environment as given: a URL may carry a case-sensitive password or path, and the
# secret is an HMAC key.
_CASE_SENSITIVE_FIELDS = frozenset({"shared_cache_url", "shared_cache_secret"})


class CompressionConfig(BaseModel):
    """Settings of an :class:`~headroom_middleware.ImageCompressor`.

    Example::

        config = CompressionConfig(confidence_threshold=0.7, enable_transcode=False)
        compressor = ImageCompressor(config=config)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    router: RouterChoice = Field(
        "auto", description="'auto' uses the ONNX model when onnxruntime is installed, else rules."
    )
    confidence_threshold: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Minimum probability that a cheaper technique still answers, for every technique. "
        "None: the per-technique thresholds calibrated with the router model on held-out data.",
    )
    min_savings_percent: float = Field(
        5.0, ge=0.0, le=100.0, description="A change saving less than this share of tokens is not made."
    )
    force_technique: Technique | None = Field(None, description="Skip the router; apply this technique.")
    enable_crop: bool = True
    crop_min_confidence: float = Field(
        0.5, ge=0.0, le=1.0,
        description="A routed crop needs at least this localiser confidence (CropRegion.confidence, the "
        "chance the box holds the whole answer); otherwise the next technique is tried. Forced crops are not gated.",
    )
    enable_transcode: bool = True
    history_policy: HistoryPolicy = Field(
        "route",
        description=(
            "Images in turns that already got an answer: 'route' decides them like any other image, "
            "'full_low' sends them in the cheapest form unless the router asks for more, "
            "'keep' leaves them untouched."
        ),
    )
    ocr_min_confidence: float = Field(0.80, ge=0.0, le=1.0)
    ocr_timeout_s: float = Field(15.0, gt=0.0)
    max_image_bytes: int = Field(40 * 1024 * 1024, gt=0, description="Larger encoded images pass through.")
    max_image_pixels: int = Field(
        80_000_000, gt=0, description="Decompression-bomb guard, checked from the header before decode."
    )
    jpeg_quality: int = Field(85, ge=30, le=95)
    anthropic_max_image_bytes: int = Field(
        5 * 1024 * 1024,
        gt=0,
        description="Per-image byte limit applied for Anthropic targets (5 MB on Bedrock/Vertex).",
    )
    cache_size: int = Field(512, ge=0, description="Entries in the in-process content-hash cache.")
    shared_cache_url: str | None = Field(
        None,
        description=(
            "Redis URL (redis://, rediss://, unix://) of a cache shared by all workers and replicas; needs the "
            "`redis` package (extra `shared-cache`). Unreachable = compress locally."
        ),
    )
    shared_cache_ttl_s: int = Field(86400, gt=0, description="Expiry of shared-cache entries, seconds.")
    shared_cache_secret: SecretStr | None = Field(
        None,
        description=(
            "Key that authenticates shared-cache entries (HMAC-SHA256); falls back to the environment variable "
            "HEADROOM_SHARED_CACHE_SECRET. Sharing is refused without one: whoever can write to the cache would "
            "otherwise choose what is sent to the provider."
        ),
    )
    shared_cache_deadline_s: float = Field(
        0.25, gt=0.0, le=10.0,
        description="Total time one shared-cache get or set may take (connect, send, every read), seconds.",
    )
    # -- bounds on the work one request can cause (hostile or accidental input) -----------------
    max_decode_pixels: int = Field(
        24_000_000, gt=0,
        description=(
            "Pixels one image may be decoded to. JPEGs above it are decoded at a reduced DCT scale where that "
            "suffices; other formats (PNG cannot be decoded at reduced size) pass through unchanged. "
            "24 MP ≈ 100 MB of RGBA."
        ),
    )
    max_query_chars: int = Field(
        4096, gt=0, description="Only the first this many characters of a question are analysed (routing, crop)."
    )
    max_nesting_depth: int = Field(
        16, ge=1, description="tool_result levels walked; image blocks nested deeper pass through unchanged."
    )

    def __init__(self, /, **data: Any) -> None:
        # One error contract: a bad setting is a ConfigError (a HeadroomError), not pydantic's own type.
        try:
            super().__init__(**data)
        except ValidationError as exc:
            from .errors import ConfigError

            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'config'}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"invalid CompressionConfig: {problems}") from exc

    @field_validator("force_technique", mode="before")
    @classmethod
    def _coerce_technique(cls, value: Any) -> Any:
        if value is None:
            return None
        return Technique.parse(value)

    def cache_key(self) -> str:
        """A stable fingerprint of the settings that change output bytes (not the cache settings, so workers
        with different cache sizes, URLs or secrets still share entries)."""
        return self.model_dump_json(exclude=_NOT_IN_CACHE_KEY)


    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CompressionConfig:
        """Settings from ``HEADROOM_<FIELD>`` variables, one per field, its name upper-cased.

        ``HEADROOM_ROUTER``, ``HEADROOM_CONFIDENCE_THRESHOLD``, ``HEADROOM_FORCE_TECHNIQUE``
        (``none`` clears it), ``HEADROOM_MIN_SAVINGS_PERCENT``, ``HEADROOM_ENABLE_CROP``,
        ``HEADROOM_HISTORY_POLICY``, ``HEADROOM_CACHE_SIZE``, ``HEADROOM_SHARED_CACHE_URL``,
        ``HEADROOM_SHARED_CACHE_SECRET``, …
        Unset or empty variables keep the default. Raises
        :class:`~headroom_middleware.errors.ConfigError` naming the variable when a value is
        invalid: a misconfigured proxy should say so at start-up rather than silently not compress.

        Example::

            config = CompressionConfig.from_env({"HEADROOM_CONFIDENCE_THRESHOLD": "0.7", "HEADROOM_ROUTER": "rules"})
        """
        import os

        from pydantic import ValidationError

        from .errors import ConfigError

        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = env.get(f"HEADROOM_{name.upper()}")
            if raw is None or not raw.strip():
                continue
            value = raw.strip()
            if name not in _CASE_SENSITIVE_FIELDS:
                value = value.lower()  # enum-like values are lower case; numbers and bools don't care
            if name == "force_technique" and value in ("none", "auto", "off"):
                continue
            values[name] = value
        try:
            return cls(**values)
        except ConfigError as exc:  # __init__ turns pydantic's ValidationError into a ConfigError
            cause = exc.__cause__
            errors = cause.errors() if isinstance(cause, ValidationError) else []
            problems = "; ".join(
                f"HEADROOM_{str(err['loc'][0]).upper()}: {err['msg']}" for err in errors if err.get("loc")
            )
            raise ConfigError(f"invalid HEADROOM_* environment settings: {problems or exc}") from exc


_NOT_IN_CACHE_KEY = {
    "cache_size", "shared_cache_url", "shared_cache_ttl_s", "shared_cache_secret", "shared_cache_deadline_s",
}


class CompressionResult(BaseModel):
    """What happened to one image of a request.

    ``original_tokens`` / ``compressed_tokens`` are the image tokens the target model bills
    for the block as received and as sent (``None`` when unknown, e.g. a remote URL whose
    size is not known). ``estimated`` is set when a count is not exact (unknown model, or a
    text count that is not from the provider's tokenizer).

    Example::

        report = compressor.compress_with_report(messages, model="gpt-4o")
        for r in report.results:
            print(r.index, r.technique, r.original_tokens, "->", r.compressed_tokens)
    """

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="Position of the image among all images of the request.")
    location: str = Field("", description="Where the block is, e.g. 'messages[2].content[1]'.")
    technique: Technique = Field(description="What was applied. 'preserve' when the image was kept.")
    routed_technique: Technique | None = Field(None, description="What the router asked for.")
    confidence: float = 0.0
    router: str = Field(
        "none",
        description=(
            "What decided: 'onnx' or 'rules' (the router; an injected router's own name), 'forced' "
            "(force_technique), 'history' (history_policy) or 'none' (not routed: passed through)."
        ),
    )
    original_tokens: int | None = None
    compressed_tokens: int | None = None
    estimated: bool = False
    reason: str = ""
    original_size: tuple[int, int] | None = None
    compressed_size: tuple[int, int] | None = None
    original_bytes: int | None = None
    compressed_bytes: int | None = None
    crop_box: tuple[int, int, int, int] | None = None
    changed: bool = False
    duration_ms: float = 0.0

    @property
    def saved_tokens(self) -> int:
        if self.original_tokens is None or self.compressed_tokens is None:
            return 0
        return self.original_tokens - self.compressed_tokens

    @property
    def savings_percent(self) -> float:
        if not self.original_tokens or self.compressed_tokens is None:
            return 0.0
        return 100.0 * self.saved_tokens / self.original_tokens


class TokenTotals:
    """``saved_tokens`` and ``savings_percent`` of anything with ``original_tokens`` and
    ``compressed_tokens`` totals (a report, its summary, a callback handler's running totals).

    Example::

        report.saved_tokens, f"{report.savings_percent:.0f}%"
    """

    if TYPE_CHECKING:  # provided by the subclass (field, attribute or property); not a pydantic field here

        @property
        def original_tokens(self) -> int: ...

        @property
        def compressed_tokens(self) -> int: ...

    @property
    def saved_tokens(self) -> int:
        return self.original_tokens - self.compressed_tokens

    @property
    def savings_percent(self) -> float:
        return 100.0 * self.saved_tokens / self.original_tokens if self.original_tokens else 0.0


class CompressionReport(TokenTotals, BaseModel):
    """The compressed request and one :class:`CompressionResult` per image, in order.

    Example::

        report = compressor.compress_with_report(messages, model="anthropic/claude-sonnet-4-5")
        send(report.messages)
        print(f"{report.savings_percent:.0f}% of image tokens saved")
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    messages: list[Any]
    results: tuple[CompressionResult, ...] = ()
    provider: str = ""
    model: str = ""
    duration_ms: float = 0.0

    @property
    def original_tokens(self) -> int:
        return sum(r.original_tokens or 0 for r in self.results)

    @property
    def compressed_tokens(self) -> int:
        return sum(
            (r.compressed_tokens if r.compressed_tokens is not None else (r.original_tokens or 0))
            for r in self.results
        )


    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.results)

    @property
    def techniques(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.technique.value] = counts.get(r.technique.value, 0) + 1
        return counts

    def summary(self, status: str | None = None) -> CompressionSummary:
        """The request's totals for hosts (metadata, headers, events); ``status`` defaults to
        ``"compressed"`` when an image changed, else ``"unchanged"``.

        Example::

            report.summary().as_metadata()["headroom_saved_tokens"]
        """
        return CompressionSummary(
            status=status or ("compressed" if self.changed else "unchanged"),
            provider=self.provider,
            model=self.model,
            images=len(self.results),
            changed_images=sum(1 for r in self.results if r.changed),
            original_tokens=self.original_tokens,
            compressed_tokens=self.compressed_tokens,
            techniques=self.techniques,
            estimated=any(r.estimated for r in self.results),
            duration_ms=self.duration_ms,
        )


@dataclass(frozen=True)
class CompressionSummary(TokenTotals):
    """The totals of one request, in the one shape every host publishes them.

    :meth:`as_metadata` gives the ``headroom_*`` keys (LiteLLM request metadata, spend logs,
    ``response._hidden_params["headroom"]``), :meth:`as_headers` the ``x-headroom-*`` proxy response
    headers, :meth:`as_event` the LangChain ``headroom_compression`` event fields.

    Example::

        summary = report.summary("compressed")
        summary.as_headers()["x-headroom-saved-tokens"]   # "1294"
    """

    status: str
    provider: str
    model: str
    images: int
    changed_images: int
    original_tokens: int
    compressed_tokens: int
    techniques: dict[str, int]
    estimated: bool
    duration_ms: float


    @property
    def target(self) -> str:
        """``provider/model`` as resolved by the core."""
        return f"{self.provider}/{self.model}" if self.provider else self.model

    def as_metadata(self) -> dict[str, Any]:
        """The ``headroom_*`` record."""
        return {
            "headroom_original_tokens": self.original_tokens,
            "headroom_compressed_tokens": self.compressed_tokens,
            "headroom_saved_tokens": self.saved_tokens,
            "headroom_savings_percent": round(self.savings_percent, 1),
            "headroom_techniques": dict(sorted(self.techniques.items())),
            "headroom_images": self.images,
            "headroom_estimated": self.estimated,
            "headroom_target": self.target,
            "headroom_status": self.status,
        }

    def as_headers(self) -> dict[str, str]:
        """The ``x-headroom-*`` response headers."""
        return headers_from_record(self.as_metadata())

    def as_event(self) -> dict[str, Any]:
        """The fields of the LangChain ``headroom_compression`` event."""
        return {
            "status": self.status,
            "provider": self.provider,
            "model": self.model,
            "images": self.images,
            "changed_images": self.changed_images,
            "original_tokens": self.original_tokens,
            "compressed_tokens": self.compressed_tokens,
            "saved_tokens": self.saved_tokens,
            "techniques": dict(self.techniques),
            "estimated": self.estimated,
            "duration_ms": self.duration_ms,
        }


RECORD_KEYS = (
    "headroom_original_tokens",
    "headroom_compressed_tokens",
    "headroom_saved_tokens",
    "headroom_savings_percent",
    "headroom_techniques",
    "headroom_images",
    "headroom_estimated",
    "headroom_target",
    "headroom_status",
)
"""The keys of :meth:`CompressionSummary.as_metadata` (a failed request carries only the last one
and ``headroom_images``)."""


def headers_from_record(record: Mapping[str, Any]) -> dict[str, str]:
    """``x-headroom-*`` headers from a ``headroom_*`` record (missing numbers read as 0).

    Example::

        headers_from_record({"headroom_status": "error", "headroom_images": 0})["x-headroom-status"]  # "error"
    """
    headers = {
        "x-headroom-status": str(record.get("headroom_status", "")),
        "x-headroom-images": str(record.get("headroom_images", 0)),
        "x-headroom-original-tokens": str(record.get("headroom_original_tokens", 0)),
        "x-headroom-compressed-tokens": str(record.get("headroom_compressed_tokens", 0)),
        "x-headroom-saved-tokens": str(record.get("headroom_saved_tokens", 0)),
        "x-headroom-savings-percent": str(record.get("headroom_savings_percent", 0.0)),
        "x-headroom-techniques": ",".join(
            f"{name}={count}" for name, count in dict(record.get("headroom_techniques") or {}).items()
        ),
    }
    if record.get("headroom_target"):
        headers["x-headroom-target"] = str(record["headroom_target"])
    return headers
