"""Keep API keys out of messages that may reach logs, jobs or API responses."""

from __future__ import annotations

import re

REDACTED = "[redacted]"
# Providers echo (partly masked) keys in auth errors: "Incorrect API key provided: sk-a***z".
# MiniMax keys are JWTs ("eyJ…").
KEY_LIKE = re.compile(r"\b(?:sk|gsk|AIza)[A-Za-z0-9_\-*.]{4,}|\beyJ[A-Za-z0-9_\-*.]{8,}")


def redact(message: str, secret: str | None) -> str:
    """Remove our key, and anything shaped like a key that a provider echoed back."""
    if secret:
        message = message.replace(secret, REDACTED)
    return KEY_LIKE.sub(REDACTED, message)
