"""The :class:`Client`: connection settings, the HTTP core and the resource managers."""

from __future__ import annotations

import contextlib
import logging
import random
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, TypeVar

import requests

from zammad_orm._version import __version__
from zammad_orm.auth import auth_from_settings, scheme_of
from zammad_orm.cache import RecordCache
from zammad_orm.client_units import UnitsOfWork
from zammad_orm.errors import exception_for_response, redact_url
from zammad_orm.families import Families
from zammad_orm.retry import Retry
from zammad_orm.transport import (
    DEFAULT_TIMEOUT,
    Exchange,
    TimeoutSetting,
    check_timeout,
    decode_reply,
    encode_params,
    send,
)

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

R = TypeVar("R", bound="Resource")

__all__ = ["Client", "InsecureTLSWarning", "Pagination", "StringKeyDict", "StringKeyMapping"]

StringKeyMapping: TypeAlias = Mapping[str, Any]
StringKeyDict: TypeAlias = dict[str, Any]

logger = logging.getLogger("zammad_orm")

#: The user each client acts as inside ``impersonation_of`` blocks, keyed by ``id(client)``.
#: A context variable (never the shared session headers) keeps threads and asyncio tasks apart.
_acting_as: ContextVar[Mapping[int, str]] = ContextVar(
    "zammad_orm_acting_as", default=MappingProxyType({})
)

_API_SUFFIX = "/api/v1"


@dataclass
class Pagination:
    """Pagination settings for the resources' ``.search()`` and ``.iter()`` methods."""

    #: number of returned objects per page request (clamped to the endpoint's server cap)
    per_page: int = 10
    #: if True the server will send additional properties (related objects' names) for each
    #: resource
    expand: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.per_page, bool) or not isinstance(self.per_page, int):
            raise TypeError(f"per_page must be an int, got {self.per_page!r}")
        if self.per_page < 1:
            raise ValueError(f"per_page must be at least 1, got {self.per_page}")


class InsecureTLSWarning(UserWarning):
    """Warned when a client is made with TLS certificate verification turned off."""


def _warn_insecure(url: str) -> None:
    message = (
        f"TLS certificate verification is off for {redact_url(url)}: anyone on the way can "
        "read the credentials and the data. Pass verify='/path/to/ca-bundle.pem' instead."
    )
    warnings.warn(InsecureTLSWarning(message), stacklevel=3)
    logger.warning(message)


class Client(UnitsOfWork, Families):
    """The root class to interact with the REST API.

    Almost every object keeps the Client it came from as reference. A Client may be shared by
    threads: it shares only server records (a locked cache); objects and their pending changes
    belong to units of work, and impersonation is kept per thread and task.

    Example::

        from zammad_orm import Client

        # basic authentication scheme
        client = Client("https://myhost.com/api/v1/", http_auth=("<username>", "<mysecret>"))
        # token based authentication
        client = Client("https://myhost.com/api/v1/", http_token="<secret_token>")
        # authenticate with bearer token (OAuth 2.0)
        client = Client("https://myhost.com/api/v1/", oauth2_token="<secret_token>")

    :param url: the Zammad API url (e.g. ``https://myhost.com/api/v1``)
    :param http_auth: login (or email) and password for HTTP Basic Authentication
    :param http_token: access token for HTTP Token Authentication
    :param oauth2_token: access token for OAuth 2 Authentication
    :param additional_headers: ``(name, value)`` pairs appended to every request's headers
    :param timeout: seconds to wait for the server on every request, a float for both phases
        or ``(connect, read)``; ``None`` waits forever, which is rarely what you want; one call
        overrides it with ``timeout=``
    :param retry: the :class:`~zammad_orm.retry.Retry` policy for failed requests (default
        ``Retry()``: 3 retries of GET, HEAD, PUT and DELETE on connection failures, timeouts,
        429, 502, 503 and 504); ``Retry.never()`` turns retries off; one call overrides it
        with ``retry=``
    :param if_unmodified: the default of ``save(if_unmodified=...)`` for this client's objects
        (and so of unit-of-work commits): check for changes made on the server before a
        ``PUT`` and raise :class:`~zammad_orm.errors.ConflictError` instead of overwriting
    :param verify: TLS certificate verification: ``True``, a CA bundle path, or ``False``
        (warns with :class:`InsecureTLSWarning` and logs, for it exposes the credentials)
    :param pagination: the initial :class:`Pagination` settings
    :param cache_ttl: seconds a server record stays fresh in the shared cache
    :param cache_maxsize: how many records the shared cache holds at most
    :param timer: the clock of the shared cache (seconds, monotonic); inject one in tests
    :param session: a :class:`requests.Session` to use instead of a new one
    :param sleep: how the client waits between retries (``time.sleep``); inject one in tests
    :param jitter: a source of floats in ``[0, 1)`` that scales each backoff wait
        (``random.random``)
    :param resource_classes: subclasses of the resource classes to build instead of them,
        e.g. a ``Ticket`` subclass declaring the install's custom fields (see
        :meth:`manager_for`)
    :raises ValueError: if the authentication settings are missing or ambiguous, or the
        timeout is not a positive number of seconds

    A client cannot be pickled: it holds credentials (pickle the records' data instead).
    """

    #: the default per-request timeout in seconds: ``(connect, read)``
    DEFAULT_TIMEOUT: TimeoutSetting = DEFAULT_TIMEOUT

    def __init__(
        self,
        url: str,
        *,
        http_auth: tuple[str, str] | None = None,
        http_token: str | None = None,
        oauth2_token: str | None = None,
        additional_headers: Sequence[tuple[str, str]] = (),
        timeout: TimeoutSetting = DEFAULT_TIMEOUT,
        retry: Retry | None = None,
        if_unmodified: bool = False,
        verify: bool | str = True,
        pagination: Pagination | None = None,
        cache_ttl: float = 60.0,
        cache_maxsize: int = 10_000,
        timer: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        resource_classes: Iterable[type[Resource]] = (),
    ) -> None:
        if not isinstance(url, str) or not url.strip():
            raise ValueError("url must be the Zammad API url, e.g. 'https://myhost.com/api/v1'")
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"url must be an http(s) URL like 'https://myhost.com/api/v1', got {url!r}"
            )
        #: the client's API URL, without a trailing slash
        self.url: str = url.strip().rstrip("/")
        auth = auth_from_settings(http_auth, http_token, oauth2_token)
        #: the requests Session instance
        self.session: requests.Session = session if session is not None else requests.Session()
        if session is None:
            # Room for parallel writes (commit(workers=...)) and many threads on one client.
            for prefix in ("https://", "http://"):
                self.session.mount(prefix, requests.adapters.HTTPAdapter(pool_maxsize=32))
        self.session.auth = auth
        self.session.verify = verify
        if verify is False:
            _warn_insecure(self.url)
        self.session.headers["User-Agent"] = (
            f"zammad_orm/{__version__} {requests.utils.default_user_agent()}"
        )
        self.session.headers["Accept"] = "application/json"
        for name, value in additional_headers:
            self.session.headers[name] = value
        #: the timeout applied to every request that does not pass its own
        self.timeout: TimeoutSetting = check_timeout(timeout)
        if retry is not None and not isinstance(retry, Retry):
            raise TypeError(f"retry must be a zammad_orm.Retry, got {retry!r}")
        #: the retry policy applied to every request that does not pass its own
        self.retry: Retry = retry if retry is not None else Retry()
        self._sleep = sleep
        #: whether saves check for changes made on the server first (see ``save``)
        self.if_unmodified: bool = bool(if_unmodified)
        self._jitter = jitter
        #: initial Pagination settings
        self.pagination: Pagination = pagination if pagination is not None else Pagination()
        #: the shared cache of server records (objects live in units of work)
        self.cache: RecordCache = RecordCache(maxsize=cache_maxsize, ttl=cache_ttl, timer=timer)
        self._server_version: str | None = None
        self._init_units()
        self._resource_classes: dict[str, type[Resource]] = {}
        for cls in resource_classes:
            self._resource_classes[cls.manager_name] = cls
            self.manager_for(cls)  # refuses a class that is no subclass of its family's

    def __repr__(self) -> str:
        scheme = scheme_of(self.session.auth)
        return f"<{type(self).__name__} {redact_url(self.url)!r} auth={scheme}>"

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} objects cannot be pickled: they hold credentials. Pickle "
            "the data you need (obj.view()) and build a new Client where you unpickle it."
        )

    def close(self) -> None:
        """Close the HTTP session (its pooled connections). ``with Client(...) as client:``
        does it on leaving the block."""
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the HTTP core -----------------------------------------------------------------------

    @property
    def acting_as(self) -> str | None:
        """The user this client currently impersonates (see :meth:`impersonation_of`), or None."""
        return _acting_as.get().get(id(self))

    @contextlib.contextmanager
    def impersonation_of(self, user: str | int) -> Iterator[None]:
        """Temporarily perform requests on behalf of another user.

        To be used as context manager::

            with client.impersonation_of(1):
                print(client.users.me().id)  # output: 1

        Only requests made inside the block, in this thread or task, carry the
        ``X-On-Behalf-Of`` (and, for Zammad 6.3 and newer, ``From``) header; objects loaded
        inside it are cached apart from the ones seen by the authenticated user.

        :param user: user id, login or email
        """
        if isinstance(user, bool) or not isinstance(user, int | str) or not str(user).strip():
            raise ValueError(f"impersonation_of needs a user id, login or email, got {user!r}")
        acting = {**_acting_as.get(), id(self): str(user).strip()}
        token = _acting_as.set(acting)
        try:
            yield
        finally:
            _acting_as.reset(token)

    @contextlib.contextmanager
    def _acting(self, user: str | None) -> Iterator[None]:
        """Act as ``user`` (``None``: as the authenticated user) inside the block."""
        current = _acting_as.get()
        if current.get(id(self)) == user:
            yield
            return
        acting = dict(current)
        if user is None:
            acting.pop(id(self), None)
        else:
            acting[id(self)] = user
        token = _acting_as.set(acting)
        try:
            yield
        finally:
            _acting_as.reset(token)

    def url_for(self, *args: object) -> str:
        """The full URL of the endpoint named by ``args`` (e.g. ``"tickets", 42``)."""
        path = "/".join(str(arg).strip("/") for arg in args if str(arg).strip("/"))
        return f"{self.url}/{path}" if path else self.url

    def response(
        self,
        method: str,
        url: str,
        params: StringKeyMapping | None = None,
        json: StringKeyMapping | None = None,
        *,
        retry: Retry | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Perform a request on the API URL and return the raw response, whatever its status.

        Failed attempts are retried as the client's (or this call's) :class:`Retry` allows;
        the response returned is the last one.

        :param method: the HTTP method (e.g. GET, POST, PUT, DELETE)
        :param url: full resource URL
        :param params: parameters that get urlencoded (usually for GET); booleans are sent as
            ``true``/``false``
        :param json: data as dictionary (usually for POST or PUT)
        :param retry: this call's retry policy instead of :attr:`retry`
        :param kwargs: additional parameters passed to :meth:`requests.Session.request`,
            e.g. ``timeout`` for this call
        :raises ConnectionFailed: the server could not be reached or dropped the connection
        :raises Timeout: the server did not connect or answer in time
        """
        return self._exchange(method, url, params=params, json=json, retry=retry, **kwargs).response

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        params: StringKeyMapping | None,
        json: StringKeyMapping | None,
        retry: Retry | None,
        **kwargs: Any,
    ) -> Exchange:
        headers = dict(kwargs.pop("headers", None) or {})
        acting = self.acting_as
        if acting is not None:
            headers["X-On-Behalf-Of"] = acting
            headers["From"] = acting
        kwargs["timeout"] = check_timeout(kwargs.get("timeout", self.timeout))
        return send(
            self.session,
            method,
            url,
            retry=retry if retry is not None else self.retry,
            sleep=self._sleep,
            jitter=self._jitter,
            params=encode_params(params),
            json=json,
            headers=headers,
            **kwargs,
        )

    def request(
        self,
        method: str,
        *args: object,
        params: StringKeyMapping | None = None,
        json: StringKeyMapping | None = None,
        retry: Retry | None = None,
        **kwargs: Any,
    ) -> Any:
        """Perform a request on the API URL.

        :param method: HTTP method: e.g. GET, POST, PUT, DELETE
        :param args: endpoint specifiers, joined into the URL (``"tickets", 42``)
        :param params: URL parameters (usually for GET)
        :param json: data as dictionary (usually for POST or PUT)
        :param retry: this call's retry policy instead of :attr:`retry`
        :param kwargs: additional parameters passed to :meth:`requests.Session.request`,
            e.g. ``timeout`` for this call
        :returns: the server's JSON reply decoded; ``None`` for the empty reply of a ``DELETE``
        :raises APIException: when the server answers with Zammad's error body
        :raises HTTPError: for other failed statuses (also a :class:`requests.HTTPError`)
        :raises UnexpectedResponse: for a successful status without the JSON expected
        :raises ConnectionFailed, Timeout: when no answer came (see :mod:`zammad_orm.errors`)
        """
        exchange = self._exchange(
            method, self.url_for(*args), params=params, json=json, retry=retry, **kwargs
        )
        if exchange.response.status_code >= 400:
            failure = exception_for_response(exchange.response, exchange.attempts)
            failure.maybe_applied = failure.maybe_applied or exchange.maybe_applied
            raise failure
        return decode_reply(exchange.response, exchange.attempts)

    def get(self, *args: object, params: StringKeyMapping | None = None, **kwargs: Any) -> Any:
        """Shortcut for :meth:`request` with parameter ``("GET", *args, params)``; ``kwargs``
        (``retry``, ``timeout``, ...) go to :meth:`request`."""
        return self.request("GET", *args, params=params, **kwargs)

    def post(self, *args: object, json: StringKeyMapping | None = None, **kwargs: Any) -> Any:
        """Shortcut for :meth:`request` with parameter ``("POST", *args, json)``; ``kwargs``
        (``retry``, ``timeout``, ...) go to :meth:`request`."""
        return self.request("POST", *args, json=json, **kwargs)

    def put(self, *args: object, json: StringKeyMapping | None = None, **kwargs: Any) -> Any:
        """Shortcut for :meth:`request` with parameter ``("PUT", *args, json)``; ``kwargs``
        (``retry``, ``timeout``, ...) go to :meth:`request`."""
        return self.request("PUT", *args, json=json, **kwargs)

    def delete(self, *args: object, json: StringKeyMapping | None = None, **kwargs: Any) -> Any:
        """Shortcut for :meth:`request` with parameter ``("DELETE", *args, json)``; ``kwargs``
        (``retry``, ``timeout``, ...) go to :meth:`request`."""
        return self.request("DELETE", *args, json=json, **kwargs)

    # -- server facts ------------------------------------------------------------------------

    @property
    def server_version(self) -> str:
        """The Zammad server version (``GET /version``, asked once per client)."""
        if self._server_version is None:
            reply = self.get("version")
            self._server_version = str(reply["version"])
        return self._server_version

    @property
    def weburl(self) -> str:
        """The root URL of Zammad's web interface, derived from :attr:`url`."""
        if self.url.endswith(_API_SUFFIX):
            return self.url[: -len(_API_SUFFIX)]
        parts = urllib.parse.urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"
