"""``python -m zammad_orm``: the same command line as ``zammad-orm`` (see
:mod:`zammad_orm.cli`)."""

from __future__ import annotations

from zammad_orm.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
