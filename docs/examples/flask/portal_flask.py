"""A small customer portal on Flask and zammad_orm: people log in with their Zammad login,
see their own tickets and close them; Zammad's webhook keeps the app's cache fresh.

Run it against the fake server::

    zammad-orm serve --port 8080 --token secret &
    ZAMMAD_URL=http://127.0.0.1:8080/api/v1 ZAMMAD_HTTP_TOKEN=secret \\
        ZAMMAD_WEBHOOK_SECRET=hook-secret flask --app portal_flask run
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, abort, current_app, has_app_context, request, session

from zammad_orm import NotFound, signals, to_records
from zammad_orm.contrib.flask import Zammad
from zammad_orm.resources.tickets import Ticket

zammad = Zammad(impersonate=lambda: session.get("login"))


def _log(event: str, ticket_id: int) -> None:
    if has_app_context() and "portal_events" in current_app.extensions:
        current_app.extensions["portal_events"].append((event, ticket_id))


@signals.updated.connect_via(Ticket)
def _on_update(sender: type, instance: Ticket, changes: dict[str, Any], **extra: Any) -> None:
    if "state_id" in changes:
        _log("closed", instance.id)


@signals.remote_changed.connect_via(Ticket)
def _on_remote_change(sender: type, instance: Ticket, **extra: Any) -> None:
    _log("remote", instance.id)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The portal; ``config`` overrides the settings read from the environment."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "change me"),
        ZAMMAD_URL=os.environ.get("ZAMMAD_URL", "http://127.0.0.1:8080/api/v1"),
        ZAMMAD_HTTP_TOKEN=os.environ.get("ZAMMAD_HTTP_TOKEN", "secret"),
        ZAMMAD_WEBHOOK_SECRET=os.environ.get("ZAMMAD_WEBHOOK_SECRET", "hook-secret"),
    )
    app.config.update(config or {})
    zammad.init_app(app)
    #: what happened, newest last: ("closed", id) from our writes, ("remote", id) from Zammad
    app.extensions["portal_events"] = []

    @app.post("/login")
    def login() -> dict[str, str]:
        session["login"] = request.form["login"]
        return {"login": session["login"]}

    @app.get("/tickets")
    def my_tickets() -> list[dict[str, Any]]:
        tickets = list(zammad.client.tickets.iter(per_page=100))
        return list(to_records(tickets, ["id", "title", "state.name"]))

    @app.post("/tickets/<int:ident>/close")
    def close(ident: int) -> dict[str, Any]:
        try:
            ticket = zammad.client.tickets.get(ident)
        except NotFound:
            abort(404)
        ticket.state = "closed"
        zammad.work.commit()
        return {"id": ident, "state": ticket.state.name}

    return app
