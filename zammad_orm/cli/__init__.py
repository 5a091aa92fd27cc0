"""The ``zammad-orm`` command (also ``python -m zammad_orm``).

Commands: ``tickets search|show|update``, ``users search``, ``tags``, and ``demo`` and
``serve`` for the built-in fake server. ``zammad-orm COMMAND --help`` explains each one; where
the server and token come from is in :mod:`zammad_orm.cli.settings`.

Exit codes, so scripts can tell failures apart:

==  ======================================================================
0   done
1   the server refused or failed the request (422, 5xx, ...)
2   bad command line or input (unknown field, unknown state name, ...)
3   not configured: no URL or token, or a broken config file or profile
4   not found (no such ticket)
5   not allowed: the token was refused (401) or lacks a permission (403)
6   cannot reach the server (connection refused, timeout, bad TLS)
==  ======================================================================
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import IO

import requests

from zammad_orm._version import __version__
from zammad_orm.cli import tags, tickets, users
from zammad_orm.cli.context import Invocation, UsageError
from zammad_orm.cli.settings import ConfigError
from zammad_orm.errors import (
    APIException,
    Forbidden,
    NotFound,
    ResourceLookupError,
    Unauthorized,
    UnsavedResourceError,
)

__all__ = ["EXIT_CODES", "build_parser", "main"]

#: exit code per kind of failure (see the module's docstring)
EXIT_CODES = {
    "ok": 0,
    "server": 1,
    "usage": 2,
    "config": 3,
    "not_found": 4,
    "not_allowed": 5,
    "unreachable": 6,
}

_EPILOG = """\
connection: --url/--token, else ZAMMAD_URL/ZAMMAD_HTTP_TOKEN, else a profile (--profile,
ZAMMAD_PROFILE, default 'default') of ~/.config/zammad-orm/config.ini (or $ZAMMAD_ORM_CONFIG).

exit codes: 0 done, 1 server refused or failed, 2 bad input, 3 not configured,
4 not found, 5 token refused or not permitted, 6 server unreachable."""


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line."""
    parser = argparse.ArgumentParser(
        prog="zammad-orm",
        description="Work with a Zammad helpdesk from the shell.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zammad_orm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    tickets.add_parsers(commands)
    users.add_parsers(commands)
    tags.add_parsers(commands)
    demo = commands.add_parser(
        "demo",
        help="a short tour of the library against the built-in fake server",
        description="Start the fake Zammad server, tour the library against it, and print "
        "every step with the requests it cost.",
    )
    demo.set_defaults(handler=_demo)
    commands.add_parser(
        "serve",
        help="run the fake Zammad server in the foreground (serve --help for options)",
        add_help=False,
    )
    return parser


def _demo(invocation: Invocation) -> int:
    from zammad_orm.demo import run_demo

    return run_demo(invocation.out)


def _fail(err: IO[str], code: str, message: str) -> int:
    err.write(f"zammad-orm: error: {message}\n")
    return EXIT_CODES[code]


def _api_message(error: APIException) -> str:
    return f"the server answered {error.status_code}: {error}"


def main(
    argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    stdout = out if out is not None else sys.stdout
    stderr = err if err is not None else sys.stderr
    if args and args[0] == "serve":
        from zammad_orm.testing.cli import serve_main

        return serve_main(args[1:])
    parsed = build_parser().parse_args(args)
    invocation = Invocation(parsed, stdout)
    handler: Callable[[Invocation], int] = parsed.handler
    try:
        return handler(invocation)
    except UsageError as error:
        return _fail(stderr, "usage", str(error))
    except ResourceLookupError as error:
        return _fail(stderr, "usage", str(error))
    except ConfigError as error:
        return _fail(stderr, "config", str(error))
    except NotFound as error:
        return _fail(stderr, "not_found", _api_message(error))
    except Unauthorized as error:
        return _fail(stderr, "not_allowed", f"{_api_message(error)}; check the token")
    except Forbidden as error:
        return _fail(stderr, "not_allowed", _api_message(error))
    except APIException as error:
        return _fail(stderr, "server", _api_message(error))
    except (requests.ConnectionError, requests.Timeout) as error:
        url = invocation.client.url if invocation._client is not None else "the server"
        return _fail(stderr, "unreachable", f"cannot reach {url}: {type(error).__name__}")
    except (requests.HTTPError, UnsavedResourceError) as error:
        return _fail(stderr, "server", str(error))
    finally:
        invocation.close()
