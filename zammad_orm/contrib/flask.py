"""Flask integration: ``Zammad(app)`` or ``zammad.init_app(app)``.

Configuration (``app.config``): ``ZAMMAD_URL``; one of ``ZAMMAD_HTTP_TOKEN``,
``ZAMMAD_HTTP_AUTH`` (login, password) or ``ZAMMAD_OAUTH2_TOKEN``; optionally
``ZAMMAD_TIMEOUT``, ``ZAMMAD_VERIFY``, ``ZAMMAD_CACHE_TTL``, ``ZAMMAD_CACHE_MAXSIZE``,
``ZAMMAD_WEBHOOK_SECRET`` (enables the webhook blueprint), ``ZAMMAD_COMMIT_ON_SUCCESS``.

One :class:`~zammad_orm.Client` per app lives in ``app.extensions["zammad"]``. Inside a
request, :attr:`Zammad.client` opens the request's unit of work on first use (and, with an
impersonation function, acts as the user it names); the unit closes when the request ends.
A request that raises discards its pending changes; otherwise unsaved changes are discarded
with a warning, unless ``ZAMMAD_COMMIT_ON_SUCCESS`` is true and the response is not an error,
in which case they are committed before the response leaves::

    app = Flask(__name__)
    app.config.update(ZAMMAD_URL="https://helpdesk.example.com/api/v1", ZAMMAD_HTTP_TOKEN="...")
    zammad = Zammad(app, impersonate=lambda: session.get("zammad_login"))

    @app.post("/tickets/<int:ident>/close")
    def close(ident):
        ticket = zammad.client.tickets(ident)
        ticket.state = "closed"
        zammad.work.commit()
        return {"state": ticket.state.name}
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request

from zammad_orm.client import Client
from zammad_orm.contrib.settings import KNOWN_KEYS, client_from_settings, settings_problems
from zammad_orm.unit_of_work import UnitOfWork
from zammad_orm.webhooks import SIGNATURE_HEADER, InvalidPayload, InvalidSignature, receive

__all__ = ["Zammad", "webhook_blueprint"]

#: who to act as during a request: a login, email or id, or None for the token's own user
Impersonate = Callable[[], "str | int | None"]

_G_KEY = "_zammad_orm_request"


class _RequestState:
    """The unit of work and impersonation of one request, entered in one ExitStack."""

    def __init__(self, client: Client, acting_as: str | int | None) -> None:
        self.stack = contextlib.ExitStack()
        self.work: UnitOfWork = self.stack.enter_context(client.unit_of_work())
        if acting_as is not None:
            self.stack.enter_context(client.impersonation_of(acting_as))


class Zammad:
    """The Flask extension.

    :param app: the app to set up now (or call :meth:`init_app` later)
    :param impersonate: called inside each request; the login, email or id it returns is
        the Zammad user the request acts as (``None``: the configured credentials' user)
    """

    def __init__(self, app: Flask | None = None, *, impersonate: Impersonate | None = None):
        self.impersonate = impersonate
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Validate the app's ``ZAMMAD_*`` settings, create its client, hook the request."""
        settings = {
            key: app.config[f"ZAMMAD_{key}"] for key in KNOWN_KEYS if f"ZAMMAD_{key}" in app.config
        }
        problems = settings_problems(settings, "ZAMMAD_{}")
        if problems:
            raise RuntimeError("zammad_orm is not configured: " + "; ".join(problems))
        app.extensions["zammad"] = client_from_settings(settings)
        app.after_request(self._after_request)
        app.teardown_request(self._teardown_request)
        if settings.get("WEBHOOK_SECRET"):
            app.register_blueprint(webhook_blueprint())

    @property
    def client(self) -> Client:
        """The app's client; inside a request, this opens the request's unit of work (and
        impersonation) first, so every manager call of the request uses it."""
        client: Client = current_app.extensions["zammad"]
        if request and _G_KEY not in g:
            acting_as = self.impersonate() if self.impersonate is not None else None
            setattr(g, _G_KEY, _RequestState(client, acting_as))
        return client

    @property
    def work(self) -> UnitOfWork:
        """The current request's unit of work (opened on first use)."""
        self.client  # noqa: B018  (opens the request state)
        state: _RequestState = getattr(g, _G_KEY)
        return state.work

    def _after_request(self, response: Response) -> Response:
        state: _RequestState | None = g.get(_G_KEY)
        if state is None:
            return response
        if response.status_code >= 400:
            state.work.rollback()  # an error response sends nothing
        elif current_app.config.get("ZAMMAD_COMMIT_ON_SUCCESS", False) and state.work.pending:
            state.work.commit()
        return response

    def _teardown_request(self, error: BaseException | None) -> None:
        state: _RequestState | None = g.pop(_G_KEY, None)
        if state is None:
            return
        if error is not None:
            state.work.rollback()  # a failed request's changes are never sent
        state.stack.close()


def webhook_blueprint(name: str = "zammad_webhooks", url_prefix: str = "/zammad") -> Blueprint:
    """A blueprint with ``POST <url_prefix>/webhook``: verifies ``X-Hub-Signature`` with
    ``ZAMMAD_WEBHOOK_SECRET`` (401 and nothing done on a mismatch), evicts the reported
    records and sends :data:`zammad_orm.signals.remote_changed`. :meth:`Zammad.init_app`
    registers it when the secret is configured."""
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)

    @blueprint.post("/webhook")
    def webhook() -> tuple[dict[str, Any], int]:
        client: Client = current_app.extensions["zammad"]
        secret = current_app.config["ZAMMAD_WEBHOOK_SECRET"]
        body = request.get_data(cache=False)
        try:
            changed = receive(client, body, request.headers.get(SIGNATURE_HEADER), secret)
        except InvalidSignature as error:
            return {"error": str(error)}, 401
        except InvalidPayload as error:
            return {"error": str(error)}, 400
        return {"changed": [f"{type(obj).__name__}:{obj.id}" for obj in changed]}, 200

    return blueprint
