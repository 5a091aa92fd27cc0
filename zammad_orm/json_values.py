"""What may be assigned to a record's field: values the server's JSON parser takes.

Every assignment (a declared field, a relation, a custom field, ``obj["key"] = value``) is
checked here before it is recorded, so a value that would fail at the wire (or reach the server
as something else) raises at once, naming the field, and the object stays as it was:

* only ``dict`` (with ``str`` keys), ``list``, ``tuple``, ``str``, ``int``, ``float``, ``bool``
  and ``None``; anything else (a ``set``, ``bytes``, a ``Decimal``, a date, any object) is a
  :class:`TypeError`;
* no ``NaN`` or infinity (JSON has neither; ``requests`` refuses them at send time), no string
  that is not valid Unicode (a lone surrogate), no container holding itself, and no nesting
  deeper than :data:`MAX_DEPTH` (Zammad parses JSON with Ruby's default ``max_nesting`` of
  100 levels, the request body included): :class:`ValueError`.

:func:`shown` renders a value for an error message: short, and safe for objects whose
``repr`` fails.
"""

from __future__ import annotations

import math
import reprlib

__all__ = ["MAX_DEPTH", "MAX_ID", "check_id", "check_ids", "check_json", "json_problem", "shown"]

#: the largest id a record can have (Zammad's ids are PostgreSQL ``bigint``)
MAX_ID = 2**63 - 1

#: the deepest nesting a field's value may have (Zammad's parser stops at 100 for the body)
MAX_DEPTH = 90

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 8


def shown(value: object) -> str:
    """``repr(value)`` for a message: cut short, and never raising."""
    return _REPR.repr(value)


def _text_problem(text: str) -> str | None:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"not valid Unicode (a lone surrogate at position {error.start})"
    return None


def _path(steps: list[object]) -> str:
    return "".join(f"[{step!r}]" for step in steps)


def json_problem(value: object) -> str | None:
    """What keeps ``value`` from being sent as JSON (see the module docs), or ``None``."""
    found = _problem(value)
    return None if found is None else found[1]


def _problem(value: object) -> tuple[type[Exception], str] | None:
    """The exception class and the text of what keeps ``value`` from being JSON."""
    # An explicit stack: a deep value must not exhaust Python's recursion limit first.
    stack: list[tuple[object, list[object], frozenset[int]]] = [(value, [], frozenset())]
    while stack:
        item, steps, enclosing = stack.pop()
        where = f"{_path(steps)} " if steps else ""
        if item is None or isinstance(item, bool | int):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return ValueError, f"{where}is {item!r}, which JSON cannot carry"
            continue
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem is not None:
                return ValueError, f"{where}is {problem}"
            continue
        if not isinstance(item, dict | list | tuple):
            return TypeError, f"{where}is {shown(item)}, a {type(item).__name__}, which is not JSON"
        if id(item) in enclosing:
            return ValueError, f"{where}contains itself"
        if len(steps) >= MAX_DEPTH:
            return ValueError, f"is nested deeper than {MAX_DEPTH} levels"
        inner = enclosing | {id(item)}
        if isinstance(item, dict):
            for key, member in item.items():
                if not isinstance(key, str):
                    return TypeError, f"{where}has the key {shown(key)}: JSON keys are str"
                problem = _text_problem(key)
                if problem is not None:
                    return ValueError, f"{where}has a key that is {problem}"
                stack.append((member, [*steps, key], inner))
        else:
            stack.extend((member, [*steps, index], inner) for index, member in enumerate(item))
    return None


def check_json(value: object, *, where: str) -> None:
    """Raise if ``value`` cannot be sent as the JSON value of ``where`` (e.g.
    ``"Ticket.preferences"``): :class:`ValueError` for NaN, infinity, invalid Unicode, a
    cycle or too deep a nesting; :class:`TypeError` for anything that is not JSON."""
    found = _problem(value)
    if found is not None:
        kind, problem = found
        raise kind(f"{where} cannot be sent: the value {problem}")


def check_id(value: object, *, where: str, optional: bool = False) -> None:
    """Raise unless ``value`` is a record id: a positive ``int`` (not a ``bool``) within
    :data:`MAX_ID`; ``None`` too when ``optional``."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "an id (a positive int) or None" if optional else "an id (a positive int)"
        raise TypeError(f"{where} takes {kind}, got {shown(value)}")
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{where} takes a record id from 1 to {MAX_ID}, got {value}")


def check_ids(value: object, *, where: str) -> None:
    """Raise unless ``value`` is a list (or tuple) of record ids."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"{where} takes a list of ids (positive ints), got {shown(value)}")
    for position, item in enumerate(value):
        check_id(item, where=f"{where}[{position}]")
