"""Where the command line finds its server: flags, then the environment, then a profile.

``--url``/``--token`` win over ``ZAMMAD_URL``/``ZAMMAD_HTTP_TOKEN``, which win over the named
profile (``--profile``, ``ZAMMAD_PROFILE``, else ``default``) of the config file: an INI file at
``$ZAMMAD_ORM_CONFIG``, else ``$XDG_CONFIG_HOME/zammad-orm/config.ini`` (``~/.config/...``)::

    [default]
    url = https://helpdesk.example.com/api/v1
    token = <personal access token>

    [staging]
    url = https://staging.example.com/api/v1
    token = <another token>
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ConfigError", "Connection", "config_path", "resolve_connection"]

DEFAULT_PROFILE = "default"


class ConfigError(Exception):
    """The settings are missing or unreadable; the message says what to do."""


@dataclass(frozen=True)
class Connection:
    """The server to talk to and how to authenticate."""

    #: the API URL
    url: str
    #: the personal access token
    token: str


def config_path(environ: Mapping[str, str]) -> Path:
    """The config file the command line reads (it need not exist)."""
    explicit = environ.get("ZAMMAD_ORM_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "zammad-orm" / "config.ini"


def _profile(path: Path, name: str, explicit: bool) -> Mapping[str, str]:
    if not path.exists():
        if explicit:
            raise ConfigError(
                f"profile {name!r} needs the config file {path}, which does not exist"
            )
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    if not parser.has_section(name):
        if explicit:
            known = ", ".join(parser.sections()) or "none"
            raise ConfigError(f"no profile {name!r} in {path} (profiles: {known})")
        return {}
    return dict(parser[name])


def resolve_connection(
    url: str | None, token: str | None, profile: str | None, environ: Mapping[str, str]
) -> Connection:
    """The connection from flags, environment and profile, in that order.

    :raises ConfigError: no URL or no token anywhere, or a profile that does not exist
    """
    name = profile or environ.get("ZAMMAD_PROFILE") or DEFAULT_PROFILE
    explicit = bool(profile or environ.get("ZAMMAD_PROFILE"))
    path = config_path(environ)
    stored = _profile(path, name, explicit)
    chosen_url = url or environ.get("ZAMMAD_URL") or stored.get("url")
    chosen_token = token or environ.get("ZAMMAD_HTTP_TOKEN") or stored.get("token")
    if not chosen_url:
        raise ConfigError(
            f"no Zammad URL: pass --url, set ZAMMAD_URL, or add 'url = ...' to [{name}] in {path}"
        )
    if not chosen_token:
        raise ConfigError(
            "no API token: pass --token, set ZAMMAD_HTTP_TOKEN, "
            f"or add 'token = ...' to [{name}] in {path}"
        )
    return Connection(url=chosen_url, token=chosen_token)
