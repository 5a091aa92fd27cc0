"""Client settings as the integrations read them from a framework's configuration: one
validation for Django's ``settings.ZAMMAD`` and Flask's ``ZAMMAD_*`` keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zammad_orm.client import Client

__all__ = ["KNOWN_KEYS", "client_from_settings", "settings_problems"]

#: the settings the integrations understand, by their Django name (Flask: ``ZAMMAD_<name>``)
KNOWN_KEYS = (
    "URL",
    "HTTP_TOKEN",
    "HTTP_AUTH",
    "OAUTH2_TOKEN",
    "TIMEOUT",
    "VERIFY",
    "CACHE_TTL",
    "CACHE_MAXSIZE",
    "IMPERSONATE",
    "WEBHOOK_SECRET",
    "COMMIT_ON_SUCCESS",
)

_AUTH_KEYS = ("HTTP_TOKEN", "HTTP_AUTH", "OAUTH2_TOKEN")


def settings_problems(settings: Mapping[str, Any], name: str) -> list[str]:
    """What is wrong with ``settings`` (empty when nothing is); ``name`` prefixes each key in
    the messages (``settings.ZAMMAD['URL']`` or ``ZAMMAD_URL``)."""
    problems: list[str] = []
    label = name.format
    unknown = sorted(set(settings) - set(KNOWN_KEYS))
    if unknown:
        problems.append(
            f"unknown setting(s) {', '.join(label(key) for key in unknown)}; "
            f"known: {', '.join(KNOWN_KEYS)}"
        )
    url = settings.get("URL")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        problems.append(
            f"{label('URL')} must be the Zammad API URL, e.g. "
            f"'https://helpdesk.example.com/api/v1', got {url!r}"
        )
    given = [key for key in _AUTH_KEYS if settings.get(key)]
    if len(given) != 1:
        choices = " or ".join(label(key) for key in _AUTH_KEYS)
        problems.append(f"set exactly one of {choices} (got {len(given)})")
    auth = settings.get("HTTP_AUTH")
    if auth and not (isinstance(auth, list | tuple) and len(auth) == 2):
        problems.append(f"{label('HTTP_AUTH')} must be (login, password)")
    for key in ("TIMEOUT", "CACHE_TTL"):
        value = settings.get(key)
        if value is not None and (not isinstance(value, int | float) or value <= 0):
            problems.append(f"{label(key)} must be a positive number of seconds, got {value!r}")
    secret = settings.get("WEBHOOK_SECRET")
    if secret is not None and (not isinstance(secret, str) or not secret):
        problems.append(f"{label('WEBHOOK_SECRET')} must be the webhook's signature token")
    return problems


def client_from_settings(settings: Mapping[str, Any]) -> Client:
    """A client built from validated settings."""
    auth = settings.get("HTTP_AUTH")
    options: dict[str, Any] = {
        "http_token": settings.get("HTTP_TOKEN") or None,
        "http_auth": tuple(auth) if auth else None,
        "oauth2_token": settings.get("OAUTH2_TOKEN") or None,
    }
    for key, option in (
        ("TIMEOUT", "timeout"),
        ("VERIFY", "verify"),
        ("CACHE_TTL", "cache_ttl"),
        ("CACHE_MAXSIZE", "cache_maxsize"),
    ):
        if settings.get(key) is not None:
            options[option] = settings[key]
    return Client(settings["URL"], **options)
