"""The Zammad side of the fake server: authentication, impersonation, routing, error bodies.

:meth:`ZammadApp.handle` turns one request into one reply, as Zammad does: unknown routes get
the routing error, missing credentials a 403, wrong ones a 401, impersonation needs
``admin.user``, and handler errors become Zammad's ``{"error", "error_human"}`` bodies.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from typing import Any

from zammad_orm.testing import endpoints
from zammad_orm.testing.clock import FakeClock
from zammad_orm.testing.http import (
    API_PREFIX,
    ApiError,
    Reply,
    error_reply,
    html_reply,
    json_reply,
)
from zammad_orm.testing.router import Call, find_route
from zammad_orm.testing.store import Store

__all__ = ["ZammadApp", "parse_version"]

_TOKEN = re.compile(r'^(Token|Bearer)\s+(?:token=)?"?([^"\s]+)"?\s*$', re.IGNORECASE)


#: what Zammad sends with token and basic-auth answers, and with the OPTIONS preflight
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, PUT, DELETE, PATCH, OPTIONS",
    "Access-Control-Max-Age": "1728000",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match, If-Modified-Since, "
    "If-None-Match, If-Unmodified-Since, X-CSRF-Token, X-Requested-With",
}


def parse_version(version: str) -> tuple[int, int]:
    """``"6.2"`` (or ``"6.2.0"``) as ``(6, 2)``."""
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        raise ValueError(f"version must look like '6.2', got {version!r}") from None
    return major, minor


class ZammadApp:
    """Answers requests as a Zammad server of ``version`` holding a :class:`Store`."""

    def __init__(
        self,
        *,
        token: str,
        seed: bool,
        version: str,
        password: str,
        clock: FakeClock | None = None,
    ) -> None:
        self.version_info = parse_version(version)
        self.version = version
        self.store = Store(token=token, password=password, seed=seed, clock=clock)
        self.store.owners_bypass_groups = self.version_info < (6, 5)
        endpoints.load()

    def reset(self) -> None:
        """Restore the seed state."""
        self.store.reset()

    # -- authentication ----------------------------------------------------------------------

    def _authenticate(self, headers: dict[str, str]) -> dict[str, Any]:
        store = self.store
        authorization = headers.get("authorization", "").strip()
        if not authorization:
            raise ApiError(403, "Authentication required")
        token_match = _TOKEN.match(authorization)
        if token_match is not None:
            scheme, token = token_match.groups()
            user_id = store.tokens.get(token)
            if user_id is None:
                message = (
                    "The provided token is invalid."
                    if scheme.lower() == "bearer"
                    else "Can't find User for Token"
                )
                raise ApiError(401, message)
            return self._active(store.tables["users"][user_id])
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
                login, _, password = decoded.partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise ApiError(401, "Invalid BasicAuth credentials") from None
            user = store.find_user(login)
            if user is None or store.passwords.get(user["id"]) != password:
                raise ApiError(401, "Invalid BasicAuth credentials")
            return self._active(user)
        # neither basic nor token auth: Zammad finds no credentials at all
        raise ApiError(403, "Authentication required")

    @staticmethod
    def _active(user: dict[str, Any]) -> dict[str, Any]:
        if not user["active"]:
            raise ApiError(
                401,
                "Login failed. Have you double-checked your credentials and completed the "
                "email verification step?",
            )
        return user

    def _impersonate(self, user: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        names = ["x-on-behalf-of"]
        if self.version_info >= (6, 3):
            names.insert(0, "from")
        for name in names:
            value = headers.get(name)
            if value is None or not value.strip():
                continue
            if not self.store.has_permission(user, "admin.user"):
                allowed = "'From'/'X-On-Behalf-Of'" if "from" in names else "'X-On-Behalf-Of'"
                raise ApiError(403, f"Current user has no permission to use {allowed}!")
            wanted = value.strip().lower()
            target = None
            if wanted.isdigit():
                target = self.store.tables["users"].get(int(wanted))
            if target is None:
                target = self.store.find_user(wanted)
            if target is None:
                raise ApiError(403, f"No such user '{value.strip()}'")
            return target
        return user

    # -- dispatch ----------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        headers: dict[str, str],
    ) -> Reply:
        """Answer one request."""
        if method == "PATCH":
            return html_reply(404, "<html><body><h1>Not Found</h1></body></html>")
        if method == "OPTIONS":  # Rails' CORS preflight answer, on every path
            return Reply(200, b"", "text/plain", dict(_CORS_HEADERS))
        endpoint = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else None
        routed = "GET" if method == "HEAD" else method
        found = find_route(routed, endpoint) if endpoint is not None else None
        if found is None:
            return error_reply(404, f"No route matches [{method}] {path}")
        route, params = found
        with self.store.lock:
            actor: dict[str, Any] | None = None
            try:
                actor = self._impersonate(self._authenticate(headers), headers)
                call = Call(
                    store=self.store,
                    method=routed,
                    path=endpoint or "",
                    query=query,
                    json=body,
                    headers=headers,
                    actor=actor,
                    version=self.version_info,
                    params=params,
                )
                if routed == "GET":
                    result = route.handler(call)
                else:
                    with self.store.atomic():
                        result = route.handler(call)
                reply = result if isinstance(result, Reply) else json_reply(200, result)
            except ApiError as error:
                reply = error.reply()
            except Exception as error:
                reply = self._internal_error(error, actor)
        if actor is not None:
            reply.headers.update(_CORS_HEADERS)
        return reply

    def _internal_error(self, error: Exception, actor: dict[str, Any] | None) -> Reply:
        """A 500 as Zammad renders it: the message for admins, an error id for everyone else
        (``error_human`` is never set)."""
        if actor is not None and self.store.has_permission(actor, "admin"):
            return json_reply(500, {"error": str(error)})
        error_id = secrets.token_urlsafe(6)
        return json_reply(
            500, {"error": f"Error ID {error_id}: Please contact your administrator."}
        )
