"""A unit of work per request, acting as the logged-in user when ``IMPERSONATE`` says how."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from zammad_orm.contrib.django import get_client
from zammad_orm.contrib.django.conf import impersonation_for, zammad_settings

__all__ = ["ZammadMiddleware"]


class ZammadMiddleware:
    """Open a unit of work for each request (``request.zammad``); every manager call of the
    view uses it. A response of 400 or more (including an exception turned into a 500)
    discards the unit's pending changes; with ``COMMIT_ON_SUCCESS`` other responses commit
    them; whatever is left unsaved is discarded with a warning when the request ends.

    Put it after ``AuthenticationMiddleware`` so ``request.user`` is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        """Run the view inside the request's unit of work (and impersonation)."""
        client = get_client()
        acting_as = impersonation_for(getattr(request, "user", None))
        with contextlib.ExitStack() as stack:
            work = stack.enter_context(client.unit_of_work())
            if acting_as is not None:
                stack.enter_context(client.impersonation_of(acting_as))
            request.zammad = work  # type: ignore[attr-defined]
            response = self.get_response(request)
            if response.status_code >= 400:
                work.rollback()
            elif zammad_settings().get("COMMIT_ON_SUCCESS") and work.pending:
                work.commit()
            return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """A view that raised sends nothing: discard the unit's changes."""
        work = getattr(request, "zammad", None)
        if work is not None:
            work.rollback()
        return None
