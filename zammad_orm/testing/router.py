"""Routes of the fake server and what a handler receives.

An endpoint family is one module under :mod:`zammad_orm.testing.endpoints` whose functions are
registered with :func:`route`::

    from zammad_orm.testing.router import Call, route

    @route("GET", "/tags")
    def list_tags(call: Call) -> object:
        ticket = call.store.get_ticket(call.query.get("o_id"), call.actor)
        ...
        return {"tags": [...]}          # 200 with this JSON

A handler gets a :class:`Call` and returns either a JSON-able value (sent with status 200) or a
:class:`~zammad_orm.testing.http.Reply` (any status, e.g. ``json_reply(201, record)``). It
raises :class:`~zammad_orm.testing.http.ApiError` for Zammad's error bodies. Handlers run with
the store's lock held, so they never see a half-made change of another request, and handlers
of other methods than GET run inside :meth:`~zammad_orm.testing.store.Store.atomic`: when one
raises, the records it added are removed again (check a request before changing existing
records). Any other exception becomes Zammad's 500 body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.http import unprocessable

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["ROUTES", "Call", "Handler", "Route", "find_route", "parse_flag", "route"]

_FALSE = {"false", "0", "f", "off", "FALSE", "F", "OFF", "False"}


def parse_flag(value: object) -> bool:
    """Zammad's boolean parameters: ``false``/``0``/``f``/``off`` are false, absent or empty
    are false, anything else (``true``, ``yes``, ...) is true."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    return str(value) not in _FALSE


@dataclass
class Call:
    """One request as a handler sees it."""

    #: the fake server's state (the handler runs with ``store.lock`` held)
    store: Store
    #: the HTTP method
    method: str
    #: the path below ``/api/v1``
    path: str
    #: the query parameters
    query: dict[str, str]
    #: the decoded JSON body (None when there was none)
    json: Any
    #: the request headers, lower-case names
    headers: dict[str, str]
    #: the user acting: the authenticated one, or the impersonated one
    actor: dict[str, Any]
    #: the Zammad release the server answers as, e.g. ``(6, 2)``
    version: tuple[int, int]
    #: the values of the route's ``{placeholders}``
    params: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        """A boolean query (or body) parameter, parsed as Zammad does."""
        value = self.query.get(name)
        if value is None and isinstance(self.json, Mapping):
            value = self.json.get(name)
        return parse_flag(value)

    def body(self) -> dict[str, Any]:
        """The JSON body as an object (``{}`` when empty); 422 for other JSON."""
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise unprocessable("The request body must be a JSON object.")
        return self.json

    def param(self, name: str) -> Any:
        """A parameter from the query or, failing that, the JSON body (Rails merges both)."""
        if name in self.query:
            return self.query[name]
        if isinstance(self.json, Mapping):
            return self.json.get(name)
        return None

    def int_param(self, name: str) -> int:
        """The route placeholder ``name`` as an int."""
        return int(self.params[name])


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Route:
    """A method, a path pattern and its handler."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    #: the path template below ``/api/v1`` as registered, e.g. ``/tickets/{id}``
    template: str = ""


#: every route, in the order the endpoint modules registered them
ROUTES: list[Route] = []

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _compile(template: str) -> re.Pattern[str]:
    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        return (
            rf"(?P<{name}>\d+)" if name == "id" or name.endswith("_id") else rf"(?P<{name}>[^/]+)"
        )

    return re.compile("^" + _PLACEHOLDER.sub(group, template) + "/?$")


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register the decorated handler for ``method`` on ``template`` (below ``/api/v1``).

    ``{id}`` and ``{..._id}`` placeholders match digits; others match one path segment.
    """

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method.upper(), _compile(template), handler, template))
        return handler

    return register


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route for ``method`` and ``path`` with its placeholder values, or None."""
    for candidate in ROUTES:
        if candidate.method != method:
            continue
        match = candidate.pattern.match(path)
        if match is not None:
            return candidate, match.groupdict()
    return None
