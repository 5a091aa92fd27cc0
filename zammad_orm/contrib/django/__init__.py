"""Django integration: add ``"zammad_orm.contrib.django"`` to ``INSTALLED_APPS`` and
configure ``settings.ZAMMAD``::

    ZAMMAD = {
        "URL": "https://helpdesk.example.com/api/v1",
        "HTTP_TOKEN": env("ZAMMAD_HTTP_TOKEN"),      # or HTTP_AUTH=(login, password), OAUTH2_TOKEN
        "IMPERSONATE": "email",                     # optional: act as the logged-in user
        "WEBHOOK_SECRET": env("ZAMMAD_WEBHOOK_SECRET"),  # optional: enables the webhook view
        "COMMIT_ON_SUCCESS": False,                 # optional: commit what a view left pending
        # also TIMEOUT, VERIFY, CACHE_TTL, CACHE_MAXSIZE (see zammad_orm.Client)
    }
    MIDDLEWARE = [..., "zammad_orm.contrib.django.middleware.ZammadMiddleware"]

What you get:

* the settings validated at startup (:class:`~django.core.exceptions.ImproperlyConfigured`
  naming the problem) and by ``manage.py check``;
* :func:`get_client`: one shared :class:`~zammad_orm.Client` per process;
* :class:`~zammad_orm.contrib.django.middleware.ZammadMiddleware`: a unit of work per
  request (``request.zammad`` is it), acting as the logged-in user when ``IMPERSONATE`` maps
  Django users to Zammad logins: an attribute name of the user (``"email"``) or a function
  (or its dotted path) taking the user and returning a login, email, id or None;
* our signals re-sent as Django signals (:mod:`zammad_orm.contrib.django.signals`);
* a webhook view (``path("zammad/", include("zammad_orm.contrib.django.urls"))``);
* ``manage.py zammad_check``, which connects and says as whom.
"""

from __future__ import annotations

import threading
from typing import Any

from zammad_orm.client import Client

__all__ = ["get_client", "reset_client"]

_lock = threading.Lock()
_client: Client | None = None


def get_client() -> Client:
    """The process's shared client, built from ``settings.ZAMMAD`` on first use."""
    global _client
    with _lock:
        if _client is None:
            from zammad_orm.contrib.django.conf import build_client

            _client = build_client()
        return _client


def reset_client(**kwargs: Any) -> None:
    """Forget the shared client (it is built again on next use); Django calls this when
    ``settings.ZAMMAD`` changes, e.g. under ``override_settings``."""
    global _client
    if kwargs.get("setting", "ZAMMAD") != "ZAMMAD":
        return
    with _lock:
        old, _client = _client, None
    if old is not None:
        old.session.close()
