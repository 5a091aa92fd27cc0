"""The portal's URLs, with zammad_orm's webhook at ``/zammad/webhook``."""

from __future__ import annotations

from django.urls import include, path

from portal import views

urlpatterns = [
    path("tickets", views.my_tickets),
    path("tickets/<int:ident>/close", views.close_ticket),
    path("zammad/", include("zammad_orm.contrib.django.urls")),
]
