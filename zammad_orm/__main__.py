"""Command line: ``python -m zammad_orm demo`` and ``python -m zammad_orm serve``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from zammad_orm._version import __version__

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``demo`` (a tour against the built-in fake server) or ``serve`` it."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="python -m zammad_orm",
        description="zammad_orm: the Zammad REST API as Python objects.",
    )
    parser.add_argument("--version", action="version", version=f"zammad_orm {__version__}")
    parser.add_argument(
        "command",
        choices=["demo", "serve"],
        help="demo: a short tour against the built-in fake Zammad server; "
        "serve: run the fake Zammad server in the foreground (serve --help for options)",
    )
    if args and args[0] == "serve":
        from zammad_orm.testing.cli import serve_main

        return serve_main(args[1:])
    parser.parse_args(args)  # exits with a usage message unless the command is "demo"
    from zammad_orm.demo import run_demo

    return run_demo()


if __name__ == "__main__":
    raise SystemExit(main())
