"""Schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

A valid `wait` holds a submission for up to a minute while its job stays pending (the
server runs no workers): it is sent as 0 so the run stays short. Out-of-range values
are sent as generated, to check that they are refused.
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    if case.query and _holds_the_request(case.query.get("wait")):
        case.query["wait"] = 0


def _holds_the_request(value: Any) -> bool:
    try:
        return 0 < float(value) <= 60
    except (TypeError, ValueError):
        return False
