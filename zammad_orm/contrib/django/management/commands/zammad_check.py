"""``manage.py zammad_check``: connect to Zammad with ``settings.ZAMMAD`` and say as whom."""

from __future__ import annotations

from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError

from zammad_orm.contrib.django import get_client
from zammad_orm.errors import APIException

__all__ = ["Command"]


class Command(BaseCommand):
    """Verify the connection: the server's version and the authenticated user."""

    help = "Connect to Zammad with settings.ZAMMAD and report the version and the user."

    def handle(self, *args: Any, **options: Any) -> None:
        """Ask ``/version`` and ``/users/me``; a failure is a CommandError saying why."""
        client = get_client()
        try:
            version = client.server_version
            me = client.users.me()
            login = me.login
        except APIException as error:
            raise CommandError(f"Zammad at {client.url} refused: {error}") from None
        except requests.RequestException as error:
            raise CommandError(
                f"cannot reach Zammad at {client.url}: {type(error).__name__}"
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Connected to Zammad {version} at {client.url} as {login}")
        )
