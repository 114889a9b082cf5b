"""Why a client command stopped, and the exit code it stops with.

These are not the service's errors (``media_analysis.errors``): the client only sees
HTTP answers, and what it reports is an exit code and one line for a person.
"""

from __future__ import annotations

from typing import ClassVar

USAGE_OR_CONNECTION = 2
JOB_FAILED = 1


class ClientError(Exception):
    exit_code: ClassVar[int] = USAGE_OR_CONNECTION

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServerUnreachable(ClientError):
    """No HTTP answer: refused, reset, timed out, or not a valid server URL."""


class KeyRefused(ClientError):
    """The server answered 401."""


class ProblemAnswer(ClientError):
    """The server answered an error (problem+json when it could)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{detail} ({code}, HTTP {status})")
        self.status = status
        self.code = code
        self.detail = detail


class JobNotDone(ClientError):
    """The job was refused at submission, failed or was cancelled."""

    exit_code = JOB_FAILED
