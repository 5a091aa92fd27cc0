"""The portal app: keeps an audit trail of ticket changes from our signals."""

from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The example portal."""

    name = "portal"

    def ready(self) -> None:
        """Connect the audit receivers."""
        from portal import audit  # noqa: F401  (connects its receivers)
