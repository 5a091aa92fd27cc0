"""The Django app config: validates the settings, forwards the signals, registers checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.core.signals import setting_changed

__all__ = ["ZammadConfig"]


class ZammadConfig(AppConfig):
    """``zammad_orm.contrib.django`` in ``INSTALLED_APPS``."""

    name = "zammad_orm.contrib.django"
    label = "zammad_orm"
    verbose_name = "Zammad"

    def ready(self) -> None:
        """Validate ``settings.ZAMMAD`` (raising ImproperlyConfigured), re-send our signals
        as Django signals, register the system checks, rebuild the client on setting
        changes."""
        from zammad_orm.contrib.django import checks, reset_client
        from zammad_orm.contrib.django.conf import validate
        from zammad_orm.contrib.django.signals import connect_core_signals

        validate()
        connect_core_signals()
        checks.register_checks()
        setting_changed.connect(reset_client, dispatch_uid="zammad_orm.reset_client")
