"""The webhook view: ``POST`` from a Zammad trigger, signed with ``WEBHOOK_SECRET``."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zammad_orm.contrib.django import get_client
from zammad_orm.contrib.django.conf import zammad_settings
from zammad_orm.webhooks import SIGNATURE_HEADER, InvalidPayload, InvalidSignature, receive

__all__ = ["webhook"]


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    """Verify ``X-Hub-Signature`` (401 and nothing done on a mismatch), evict the reported
    ticket and article from the cache, send ``remote_changed`` (blinker and Django)."""
    secret = zammad_settings().get("WEBHOOK_SECRET")
    if not secret:
        return JsonResponse({"error": "settings.ZAMMAD['WEBHOOK_SECRET'] is not set"}, status=503)
    signature = request.headers.get(SIGNATURE_HEADER)
    try:
        changed = receive(get_client(), request.body, signature, secret)
    except InvalidSignature as error:
        return JsonResponse({"error": str(error)}, status=401)
    except InvalidPayload as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"changed": [f"{type(obj).__name__}:{obj.id}" for obj in changed]})
