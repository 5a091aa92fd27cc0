"""What a selector is and whether Zammad accepts it (see :mod:`zammad_orm.testing.selector`,
which evaluates selectors): the flat hash read as the expert form
(``Selector::Base.migrate_selector``), the conditions of both forms, the operators and tables
``Selector::Sql`` knows, and the checks of ``ChecksConditionValidation``; a selector Zammad
refuses outright raises :class:`SelectorError`, one it finds nothing with
:class:`InvalidCondition`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "OPERATORS",
    "InvalidCondition",
    "SelectorError",
    "condition_names",
    "is_blank",
    "is_valid",
    "leaves",
    "normalise",
    "validated",
]

#: the operators ``Selector::Sql::VALID_OPERATORS`` accepts
OPERATORS = frozenset(
    {
        "after (absolute)", "after (relative)", "before (absolute)", "before (relative)",
        "contains all not", "contains all", "contains not", "contains one not", "contains one",
        "contains", "does not match regex", "ends with one of", "ends with", "from (relative)",
        "has changed", "has reached warning", "has reached", "is any of",
        "is in working time", "is none of", "is not in working time", "is not", "is set", "is",
        "matches regex", "not set", "starts with one of", "starts with", "till (relative)",
        "today", "within last (relative)", "within next (relative)",
    }
)  # fmt: skip

_JOINED_TABLES = frozenset({"customer", "organization", "owner", "article", "ticket_state"})
_UNJOINED_TABLES = frozenset({"ticket", "execution_time", "ticket_owner", "ticket_customer"})
_NO_VALUE_OPERATORS = frozenset(
    {"has changed", "has reached", "has reached warning", "is any of", "is none of", "is set",
     "not set"}
)  # fmt: skip


class SelectorError(RuntimeError):
    """A selector Zammad refuses outright (unknown operator or table): a 500 there."""


class InvalidCondition(ValueError):
    """A condition Zammad's ``Selector::Sql`` rejects: the selector then finds nothing, and
    models that validate their condition answer 422 ``Invalid ticket selector conditions``."""


def normalise(selector: Any) -> dict[str, Any]:
    """The selector in expert form (``{"operator", "conditions"}``)."""
    if not isinstance(selector, Mapping):
        raise SelectorError(f"Invalid selector {selector!r}")
    if selector.get("conditions") is not None:
        return dict(selector)
    conditions = []
    for name, condition in selector.items():
        if not isinstance(condition, Mapping):
            raise SelectorError(f"Invalid selector {condition!r}")
        conditions.append({"name": str(name), **condition})
    return {"operator": "AND", "conditions": conditions}


def leaves(block: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The conditions of an expert-form ``block``, those of nested blocks included."""
    for item in block.get("conditions") or []:
        if not isinstance(item, Mapping):
            raise SelectorError(f"Invalid selector {item!r}")
        if "conditions" in item:
            yield from leaves(item)
        else:
            yield dict(item)


def condition_names(selector: Any) -> set[str]:
    """The attribute names a selector mentions (``ticket.state_id``, ...)."""
    return {str(leaf.get("name")) for leaf in leaves(normalise(selector))}


def is_blank(value: Any) -> bool:
    """Rails' ``blank?``: None, empty or whitespace-only strings, empty lists and hashes."""
    return value is None or value in ("", [], {}) or (isinstance(value, str) and not value.strip())


def _validate(condition: Mapping[str, Any]) -> None:
    name = str(condition.get("name") or "")
    table, _, attribute = name.partition(".")
    if not attribute:
        return
    if table not in _JOINED_TABLES | _UNJOINED_TABLES:
        raise SelectorError(f"invalid selector {table}, {attribute}")
    operator = condition.get("operator")
    if not operator:
        raise SelectorError(f"Invalid condition, operator missing {dict(condition)!r}")
    if operator not in OPERATORS:
        raise SelectorError(f"Invalid condition, operator '{operator}' is invalid")
    pre_condition = condition.get("pre_condition")
    if operator not in _NO_VALUE_OPERATORS:
        value = condition.get("value")
        if (
            (operator != "today" and "value" not in condition)
            or (isinstance(value, list) and not value)
            or (operator.startswith("contains") and is_blank(value))
        ) and (is_blank(pre_condition) or pre_condition == "specific"):
            raise InvalidCondition(f"Invalid condition pre_condition blank {dict(condition)!r}")
    if operator in ("has changed", "has reached", "has reached warning"):
        return
    if not is_blank(pre_condition) and not str(pre_condition).startswith(
        ("not_set", "current_user.", "specific")
    ):
        raise InvalidCondition(f"Invalid condition pre_condition not set {dict(condition)!r}")


def validated(selector: Any) -> dict[str, Any]:
    """The selector in expert form, every condition checked: raises :class:`InvalidCondition`
    for one Zammad finds nothing with, :class:`SelectorError` for one it refuses."""
    block = normalise(selector)
    for leaf in leaves(block):
        _validate(leaf)
    return block


def is_valid(selector: Any) -> bool:
    """Whether Zammad accepts ``selector`` for a model (``ChecksConditionValidation``);
    raises :class:`SelectorError` for an unknown operator or table."""
    try:
        validated(selector)
    except InvalidCondition:
        return False
    return True
