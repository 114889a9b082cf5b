"""Plain configuration every HTTP provider takes; the config layer builds it from env vars."""

from __future__ import annotations

from dataclasses import dataclass, field

MIB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class ProviderSettings:
    """Subclasses per provider set the real defaults; the key never shows in a repr."""

    api_key: str = field(default="", repr=False)
    base_url: str
    model: str
    timeout: float = 120.0
    max_upload_bytes: int

    @property
    def configured(self) -> bool:
        return bool(self.api_key.strip())

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path
