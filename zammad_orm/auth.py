"""The three ways to authenticate against Zammad, as :mod:`requests` auth objects.

* HTTP Basic with a login (or email) and password: :class:`BasicAuth`;
* a personal access token: :class:`TokenAuth` (``Authorization: Token token=<token>``);
* an OAuth 2.0 access token: :class:`BearerAuth` (``Authorization: Bearer <token>``).

Their reprs hide the secret, and they refuse to be pickled, so a secret cannot leave the
process inside a pickled session, client or resource.
"""

from __future__ import annotations

from typing import NoReturn

from requests import PreparedRequest
from requests.auth import AuthBase, HTTPBasicAuth

__all__ = ["BasicAuth", "BearerAuth", "TokenAuth", "auth_from_settings", "scheme_of"]


class _Secret:
    """Mixin: refuse pickling, so credentials never end up in a pickle."""

    #: the auth scheme's name, shown instead of the secret
    scheme = "unknown"

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} holds credentials and cannot be pickled; "
            "build a new Client where you need one"
        )


class BasicAuth(_Secret, HTTPBasicAuth):
    """HTTP Basic authentication with a login (or email) and password."""

    scheme = "basic"

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=***)"


class TokenAuth(_Secret, AuthBase):
    """Zammad's HTTP token authentication with a personal access token."""

    scheme = "token"

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Token token={self.token}"
        return request

    def __repr__(self) -> str:
        return "TokenAuth(token=***)"


class BearerAuth(_Secret, AuthBase):
    """OAuth 2.0 bearer token authentication."""

    scheme = "bearer"

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


def scheme_of(auth: object) -> str:
    """The scheme name of an auth object (``basic``, ``token``, ``bearer``), never its secret."""
    if auth is None:
        return "none"
    if isinstance(auth, _Secret):
        return auth.scheme
    return "basic" if isinstance(auth, HTTPBasicAuth | tuple) else type(auth).__name__


_HOW_TO = (
    "pass exactly one of http_auth=(login, password), http_token='<personal access token>' "
    "or oauth2_token='<access token>'"
)


def auth_from_settings(
    http_auth: tuple[str, str] | None,
    http_token: str | None,
    oauth2_token: str | None,
) -> AuthBase:
    """The auth object for the one setting given; :class:`ValueError` unless exactly one is."""
    given = [
        name
        for name, value in (
            ("http_auth", http_auth),
            ("http_token", http_token),
            ("oauth2_token", oauth2_token),
        )
        if value is not None
    ]
    if not given:
        raise ValueError(f"Client needs credentials: {_HOW_TO}")
    if len(given) > 1:
        raise ValueError(f"Client got {' and '.join(given)}: {_HOW_TO}")
    if http_auth is not None:
        if (
            not isinstance(http_auth, tuple | list)
            or len(http_auth) != 2
            or not all(isinstance(part, str) and part for part in http_auth)
        ):
            raise ValueError("http_auth must be a (login, password) pair of non-empty strings")
        return BasicAuth(http_auth[0], http_auth[1])
    token = http_token if http_token is not None else oauth2_token
    if not isinstance(token, str) or not token.strip():
        raise ValueError(f"{given[0]} must be a non-empty string")
    return TokenAuth(token.strip()) if http_token is not None else BearerAuth(token.strip())
