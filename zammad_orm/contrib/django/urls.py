"""``path("zammad/", include("zammad_orm.contrib.django.urls"))`` serves the webhook at
``zammad/webhook``."""

from __future__ import annotations

from django.urls import path

from zammad_orm.contrib.django.views import webhook

__all__ = ["app_name", "urlpatterns"]

app_name = "zammad_orm"
urlpatterns = [path("webhook", webhook, name="webhook")]
