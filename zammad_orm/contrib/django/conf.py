"""``settings.ZAMMAD``: validation, the client and the impersonation rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from zammad_orm.client import Client
from zammad_orm.contrib.settings import client_from_settings, settings_problems

__all__ = ["build_client", "impersonation_for", "problems", "zammad_settings"]

_NAME = "settings.ZAMMAD[{!r}]"


def zammad_settings() -> Mapping[str, Any]:
    """``settings.ZAMMAD``.

    :raises ImproperlyConfigured: when it is missing or not a dict
    """
    value = getattr(settings, "ZAMMAD", None)
    if not isinstance(value, Mapping):
        raise ImproperlyConfigured(
            "settings.ZAMMAD must be a dict such as "
            "{'URL': 'https://helpdesk.example.com/api/v1', 'HTTP_TOKEN': '...'}, "
            f"got {value!r}"
        )
    return value


def problems() -> list[str]:
    """What is wrong with ``settings.ZAMMAD`` (empty when nothing is)."""
    try:
        configured = zammad_settings()
    except ImproperlyConfigured as error:
        return [str(error)]
    found = settings_problems(configured, _NAME)
    rule = configured.get("IMPERSONATE")
    if rule is not None and not (isinstance(rule, str) and rule) and not callable(rule):
        found.append(
            f"{_NAME.format('IMPERSONATE')} must be a user attribute name such as 'email', "
            f"a function of the user, or its dotted path; got {rule!r}"
        )
    elif isinstance(rule, str) and "." in rule:
        try:
            import_string(rule)
        except ImportError as error:
            found.append(f"{_NAME.format('IMPERSONATE')}: cannot import {rule!r} ({error})")
    return found


def validate() -> None:
    """Raise :class:`ImproperlyConfigured` naming every problem of ``settings.ZAMMAD``."""
    found = problems()
    if found:
        raise ImproperlyConfigured("zammad_orm: " + "; ".join(found))


def build_client() -> Client:
    """A client from ``settings.ZAMMAD`` (validated first)."""
    validate()
    return client_from_settings(zammad_settings())


def _rule() -> Callable[[Any], Any] | None:
    rule = zammad_settings().get("IMPERSONATE")
    if rule is None or callable(rule):
        return rule
    if "." in rule:
        imported: Callable[[Any], Any] = import_string(rule)
        return imported
    return lambda user: getattr(user, rule, None)


def impersonation_for(user: Any) -> str | int | None:
    """The Zammad user (login, email or id) a request by Django ``user`` acts as: None for
    anonymous users, without ``IMPERSONATE``, or when the rule gives nothing."""
    rule = _rule()
    if rule is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    who = rule(user)
    return who if isinstance(who, int | str) and str(who).strip() else None
