"""What every command gets: its parsed arguments, a client made on first use, the output."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import IO

from zammad_orm.cli.settings import resolve_connection
from zammad_orm.client import Client

__all__ = [
    "Invocation",
    "UsageError",
    "add_connection_options",
    "add_search_arguments",
    "positive",
]


class UsageError(Exception):
    """The command line asked for something impossible; the message says why (exit 2)."""


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """``--url``, ``--token``, ``--profile`` and ``--json`` (allowed after any command)."""
    group = parser.add_argument_group("connection and output")
    suppress = argparse.SUPPRESS
    group.add_argument("--url", default=suppress, help="the Zammad API URL (env ZAMMAD_URL)")
    group.add_argument(
        "--token", default=suppress, help="a personal access token (env ZAMMAD_HTTP_TOKEN)"
    )
    group.add_argument(
        "--profile",
        default=suppress,
        help="a profile of the config file (env ZAMMAD_PROFILE; default: 'default')",
    )
    group.add_argument(
        "--json", action="store_true", default=suppress, help="print JSON instead of a table"
    )


@dataclass
class Invocation:
    """One run of a command."""

    #: the parsed command line
    args: argparse.Namespace
    #: where results go
    out: IO[str]
    _client: Client | None = field(default=None, init=False)

    @property
    def json(self) -> bool:
        """Whether to print JSON."""
        return bool(getattr(self.args, "json", False))

    @property
    def client(self) -> Client:
        """The client, connected on first use from flags, environment and profile."""
        if self._client is None:
            connection = resolve_connection(
                getattr(self.args, "url", None),
                getattr(self.args, "token", None),
                getattr(self.args, "profile", None),
                os.environ,
            )
            try:
                self._client = Client(connection.url, http_token=connection.token, timeout=30)
            except ValueError as error:
                raise UsageError(str(error)) from None
        return self._client

    def close(self) -> None:
        """Close the client's connections, if one was made."""
        if self._client is not None:
            self._client.session.close()


def positive(text: str) -> int:
    """An argument that must be a whole number of 1 or more (ids, limits)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of 1 or more, got {number}")
    return number


def add_search_arguments(parser: argparse.ArgumentParser, example_fields: str) -> None:
    """``QUERY``, ``--limit`` and ``--fields`` of a ``search`` command, then the connection
    options."""
    parser.add_argument("query", metavar="QUERY", help="Zammad's search syntax")
    parser.add_argument("--limit", type=positive, default=50, help="at most this many (50)")
    parser.add_argument("--fields", help=f"comma-separated columns, e.g. {example_fields}")
    add_connection_options(parser)
