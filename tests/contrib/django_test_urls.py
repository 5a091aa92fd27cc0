"""The example portal's URLs plus views that only the tests need."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from portal.urls import urlpatterns as portal_urls

from zammad_orm.contrib.django import get_client


def rename_then_fail(request: HttpRequest) -> HttpResponse:
    """Leaves a change pending, then raises."""
    get_client().tickets.get(1).title = "half done"
    raise RuntimeError("boom")


def rename(request: HttpRequest) -> HttpResponse:
    """Leaves a change pending and succeeds."""
    get_client().tickets.get(1).title = "Renamed"
    return HttpResponse("ok")


def unit(request: HttpRequest) -> HttpResponse:
    """Whether manager calls use the request's unit of work."""
    same = get_client().current_unit_of_work() is request.zammad  # type: ignore[attr-defined]
    return HttpResponse(str(same))


urlpatterns = [
    *portal_urls,
    path("test/rename-then-fail", rename_then_fail),
    path("test/rename", rename),
    path("test/unit", unit),
]
