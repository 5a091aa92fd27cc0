"""The ``condition`` parameter of ticket searches (``POST /tickets/search``): a selector the
found tickets must also match, evaluated with :mod:`zammad_orm.testing.selector` for the
acting user (``current_user.id`` pre-conditions are the actor)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.router import Call
from zammad_orm.testing.selector import SelectorContext, matches
from zammad_orm.testing.selector_conditions import InvalidCondition

__all__ = ["matching_condition"]


def _condition(call: Call) -> Mapping[str, Any] | None:
    raw = call.param("condition")
    if isinstance(raw, str) and raw.strip():
        try:
            raw = json.loads(raw)
        except ValueError:
            raise unprocessable("Invalid value for param 'condition': not a JSON object") from None
    if raw in (None, "", {}):
        return None
    if not isinstance(raw, Mapping):
        raise unprocessable("Invalid value for param 'condition': an object is needed")
    return raw


def matching_condition(call: Call, tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``tickets`` that match the request's ``condition`` (all without one; none when the
    condition is one Zammad finds nothing with)."""
    condition = _condition(call)
    if condition is None:
        return tickets
    context = SelectorContext(call.store, current_user=call.actor)
    try:
        return [ticket for ticket in tickets if matches(condition, ticket, context)]
    except InvalidCondition:
        return []
