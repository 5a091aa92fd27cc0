"""The portal's views: every manager call uses the request's unit of work, acting as the
logged-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from zammad_orm import NotFound, to_records
from zammad_orm.contrib.django import get_client


@login_required
def my_tickets(request: HttpRequest) -> JsonResponse:
    """The tickets the logged-in user may see in Zammad."""
    tickets = list(get_client().tickets.iter(per_page=100))
    return JsonResponse({"tickets": list(to_records(tickets, ["id", "title", "state.name"]))})


@login_required
@require_POST
def close_ticket(request: HttpRequest, ident: int) -> JsonResponse:
    """Close a ticket: one PUT of the state, committed with the request's unit of work."""
    try:
        ticket = get_client().tickets.get(ident)
    except NotFound:
        return JsonResponse({"error": f"no ticket {ident}"}, status=404)
    ticket.state = "closed"
    request.zammad.commit()  # type: ignore[attr-defined]
    return JsonResponse({"id": ident, "state": ticket.state.name})
