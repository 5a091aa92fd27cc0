"""``manage.py check``: the settings, and the middleware's place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from zammad_orm.contrib.django.conf import problems

__all__ = ["MIDDLEWARE_PATH", "check_zammad", "register_checks"]

#: the dotted path to put into ``settings.MIDDLEWARE``
MIDDLEWARE_PATH = "zammad_orm.contrib.django.middleware.ZammadMiddleware"


def check_zammad(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``zammad_orm.E001`` per settings problem; ``zammad_orm.W001`` when the middleware is
    missing (views then share their thread's default unit of work)."""
    messages: list[checks.CheckMessage] = [
        checks.Error(problem, id="zammad_orm.E001") for problem in problems()
    ]
    if MIDDLEWARE_PATH not in getattr(settings, "MIDDLEWARE", []):
        messages.append(
            checks.Warning(
                "ZammadMiddleware is not installed: requests get no unit of work of their own",
                hint=f"add {MIDDLEWARE_PATH!r} to settings.MIDDLEWARE, after "
                "AuthenticationMiddleware",
                id="zammad_orm.W001",
            )
        )
    return messages


def register_checks() -> None:
    """Register :func:`check_zammad` (idempotent)."""
    checks.register(check_zammad, "zammad_orm")
