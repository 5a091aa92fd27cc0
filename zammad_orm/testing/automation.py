"""What Zammad does after a ticket changes and on its schedule: triggers, webhooks,
escalations and pending states.

* a saved ticket's escalation times are recomputed at once
  (:func:`~zammad_orm.testing.escalation.recompute_escalation`), and :func:`end_of_transaction`
  runs the triggers (``Ticket.perform_triggers``) once
  the reply is rendered: Zammad's ``ApplicationController::HandlesTransitions`` commits the
  transaction after the action, so a create or update reply shows the ticket before its
  triggers ran, and the next read shows their changes;
* :func:`run_scheduled_jobs` does what Zammad's scheduler does every minute
  (``Ticket.process_pending``, ``Ticket.process_escalation``): pending-close tickets whose time
  passed are closed, pending reminders and escalations that were reached notify the agents and
  fire the time-based triggers (once a day per ticket and trigger).

Triggers are the active ones of the right activator (``action`` for create and update,
``time`` for reminders and escalations), by name; each runs at most once per change and the
changes it makes do not fire other triggers (Zammad's default ``ticket_trigger_recursive``
false). Their ``perform`` may set ticket attributes (``ticket.state_id``, ``ticket.owner_id``
with ``pre_condition``, ``ticket.pending_time`` static or relative, ...), add or remove
``ticket.tags``, add an ``article.note`` and call a webhook (``notification.webhook``); email and
SMS notifications are not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.callbacks import after_ticket_saved, derived_ticket_values
from zammad_orm.testing.escalation import recompute_escalation
from zammad_orm.testing.selector import SelectorContext, matches
from zammad_orm.testing.selector_conditions import InvalidCondition, SelectorError
from zammad_orm.testing.selector_values import parse_time, shift_time
from zammad_orm.testing.webhook_payload import webhook_payload

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["end_of_transaction", "run_scheduled_jobs", "run_triggers"]

#: transaction types that run the time-based triggers
TIME_ACTIONS = frozenset({"reminder_reached", "escalation", "escalation_warning"})
_PENDING_REMINDER, _PENDING_ACTION = 3, 4
_SYSTEM_USER = 1
_SYSTEM_SENDER, _NOTE_TYPE = 3, 10
_SETTABLE_ID_COLUMNS = ("state_id", "priority_id", "group_id", "owner_id", "customer_id",
                        "organization_id")  # fmt: skip
_ID_TABLES = {"state_id": "ticket_states", "priority_id": "ticket_priorities",
              "group_id": "groups", "owner_id": "users", "customer_id": "users",
              "organization_id": "organizations"}  # fmt: skip


def end_of_transaction(
    store: Store,
    ticket: dict[str, Any],
    action: str,
    *,
    changes: Mapping[str, Any] | None = None,
    article: Mapping[str, Any] | None = None,
) -> None:
    """The end of the request's transaction: run the triggers for ``action`` (``create`` or
    ``update``); ``changes`` maps changed columns to ``[old, new]``."""
    run_triggers(store, ticket, action, changes=changes or {}, article=article)


def _apply(store: Store, ticket: dict[str, Any], values: dict[str, Any], actor_id: int) -> bool:
    """Write ``values`` to ``ticket`` with the model's derived values; whether it changed."""
    changed = derived_ticket_values(store, ticket, values)
    if not changed:
        return False
    before = dict(ticket)
    ticket.update(changed)
    store.touch("tickets", ticket, actor_id)
    after_ticket_saved(store, ticket, before, ticket["updated_at"])
    return True


def _attribute_value(
    store: Store, column: str, rule: Mapping[str, Any], user_id: int
) -> tuple[bool, Any]:
    """The value a ``ticket.<column>`` perform rule sets, and whether it is usable."""
    pre_condition = rule.get("pre_condition")
    value = rule.get("value")
    if pre_condition == "current_user.id":
        value = user_id
    elif pre_condition == "not_set":
        value = _SYSTEM_USER if column == "owner_id" else None
    if column == "pending_time":
        moment: dt.datetime | None
        if rule.get("operator") == "relative":
            amount = int(str(value or 0))
            moment = shift_time(store.current_time(), amount, str(rule.get("range") or "minute"))
        else:
            moment = parse_time(value)
        if moment is None:
            return False, None
        from zammad_orm.testing.store import format_time

        return True, format_time(moment)
    if column in _SETTABLE_ID_COLUMNS and value is not None:
        try:
            value = int(value)
        except (TypeError, ValueError):
            return False, None
        if value not in store.tables[_ID_TABLES[column]]:
            return False, None
    return True, value


def _perform(
    store: Store,
    ticket: dict[str, Any],
    trigger: Mapping[str, Any],
    user_id: int,
) -> bool:
    """Apply the ticket changes of ``trigger``'s perform; whether the ticket changed."""
    values: dict[str, Any] = {}
    changed = False
    for key, rule in (trigger["perform"] or {}).items():
        if not isinstance(rule, Mapping):
            continue
        table, _, column = str(key).partition(".")
        if table == "ticket" and column == "tags":
            names = [part.strip() for part in str(rule.get("value") or "").split(",")]
            for name in filter(None, names):
                if rule.get("operator") == "remove":
                    store.tag_items = [
                        item
                        for item in store.tag_items
                        if not (item.object == "Ticket" and item.o_id == ticket["id"]
                                and store.tags.get(item.tag_id) == name)
                    ]  # fmt: skip
                else:
                    store.tag(ticket["id"], name)
        elif table == "ticket" and column in ticket:
            usable, value = _attribute_value(store, column, rule, user_id)
            if usable and column not in ("id", "number", "created_at", "updated_at"):
                values[column] = value
        elif key == "article.note":
            _add_note(store, ticket, rule)
            changed = True
    return _apply(store, ticket, values, user_id) or changed


def _add_note(store: Store, ticket: dict[str, Any], rule: Mapping[str, Any]) -> None:
    internal = rule.get("internal")
    store.insert(
        "ticket_articles",
        {
            "ticket_id": ticket["id"],
            "type_id": _NOTE_TYPE,
            "sender_id": _SYSTEM_SENDER,
            "subject": rule.get("subject"),
            "body": rule.get("body") or "",
            "content_type": "text/html",
            "internal": internal is True or str(internal).lower() == "true",
            "preferences": {"perform_origin": "trigger"},
        },
        _SYSTEM_USER,
    )
    ticket["article_count"] = int(ticket.get("article_count") or 0) + 1


def _performed_today(store: Store, ticket: Mapping[str, Any], trigger: Mapping[str, Any],
                     action: str) -> bool:  # fmt: skip
    today = store.now()[:10]
    return any(
        entry["type"] == "time_trigger_performed"
        and entry["o_id"] == ticket["id"]
        and entry.get("sourceable_id") == trigger["id"]
        and entry.get("value_from") == action
        and entry["created_at"][:10] == today
        for entry in store.history
    )


def run_triggers(
    store: Store,
    ticket: dict[str, Any],
    action: str,
    *,
    changes: Mapping[str, Any],
    article: Mapping[str, Any] | None,
) -> None:
    """Run the matching triggers on ``ticket`` for a transaction of type ``action``."""
    activator = "time" if action in TIME_ACTIONS else "action"
    triggers = sorted(
        (t for t in store.tables["triggers"].values()
         if t["active"] and t["activator"] == activator),
        key=lambda trigger: str(trigger["name"]).lower(),
    )  # fmt: skip
    webhooks: list[Mapping[str, Any]] = []
    changed = False
    for trigger in triggers:
        source: Mapping[str, Any] = article if article is not None else ticket
        user_id = int(source["updated_by_id"] or _SYSTEM_USER)
        context = SelectorContext(
            store,
            current_user=store.tables["users"].get(user_id),
            ticket_action=action,
            article_given=True,
            article=article,
            changes=changes,
            changes_required=activator == "action"
            and trigger["execution_condition_mode"] == "selective",
            execution_time=True,
        )
        try:
            if not matches(trigger["condition"], ticket, context):
                continue
        except (InvalidCondition, SelectorError):
            continue  # Zammad logs the broken trigger and goes on
        if activator == "time":
            if _performed_today(store, ticket, trigger, action):
                continue
            store.add_history(ticket["id"], "Ticket", "time_trigger_performed", _SYSTEM_USER,
                              value_from=action)  # fmt: skip
            store.history[-1].update(sourceable_id=trigger["id"], sourceable_type="Trigger",
                                     sourceable_name=trigger["name"])  # fmt: skip
        changed = _perform(store, ticket, trigger, user_id) or changed
        if isinstance(trigger["perform"].get("notification.webhook"), Mapping):
            webhooks.append(trigger)
    if changed:
        recompute_escalation(store, ticket)
    for fired in webhooks:
        _call_webhook(store, ticket, article, fired)


def _call_webhook(
    store: Store,
    ticket: Mapping[str, Any],
    article: Mapping[str, Any] | None,
    trigger: Mapping[str, Any],
) -> None:
    ident = trigger["perform"]["notification.webhook"].get("webhook_id")
    try:
        webhook = store.tables["webhooks"].get(int(ident))
    except (TypeError, ValueError):
        return
    if webhook is None or not webhook["active"]:
        return  # Zammad logs "Can't find Webhook ..." and sends nothing
    store.outbox.send(
        webhook["endpoint"],
        webhook_payload(store, ticket, article),
        trigger=str(trigger["name"]),
        signature_token=webhook["signature_token"] or None,
    )


# -- the scheduler -----------------------------------------------------------------------------


def _last_contact_article(store: Store, ticket_id: int) -> Mapping[str, Any] | None:
    articles = [
        article
        for article in store.tables["ticket_articles"].values()
        if article["ticket_id"] == ticket_id and article["sender_id"] in (1, 2)
        and not article["internal"]
    ]  # fmt: skip
    return max(articles, key=lambda article: article["id"]) if articles else None


def _notified_today(store: Store, ticket_id: int, kind_id: int) -> bool:
    today = store.now()[:10]
    return any(
        note["o_id"] == ticket_id
        and note["type_lookup_id"] == kind_id
        and note["created_at"][:10] == today
        for note in store.tables["online_notifications"].values()
    )


def _time_event(store: Store, ticket: dict[str, Any], kind: str, notification: int | None) -> None:
    if notification is not None and not _notified_today(store, ticket["id"], notification):
        store.notify_about_ticket(ticket, kind, _SYSTEM_USER)
    article = _last_contact_article(store, ticket["id"])
    run_triggers(store, ticket, kind, changes={}, article=article)


def run_scheduled_jobs(store: Store) -> None:
    """One run of Zammad's scheduler at the store's current time."""
    from zammad_orm.testing.store import NOTIFICATION_TYPES

    now = store.current_time()
    states = store.tables["ticket_states"]
    for ticket in list(store.tables["tickets"].values()):
        state = states.get(ticket["state_id"]) or {}
        pending_time = parse_time(ticket["pending_time"])
        if pending_time is None or pending_time > now:
            continue
        if state.get("state_type_id") == _PENDING_ACTION and state.get("next_state_id"):
            before = ticket["state_id"]
            if _apply(store, ticket, {"state_id": state["next_state_id"]}, _SYSTEM_USER):
                store.notify_about_ticket(ticket, "update", _SYSTEM_USER)
                recompute_escalation(store, ticket)
                changes = {"state_id": [before, ticket["state_id"]]}
                end_of_transaction(store, ticket, "update", changes=changes)
        elif state.get("state_type_id") == _PENDING_REMINDER:
            _time_event(store, ticket, "reminder_reached", NOTIFICATION_TYPES["reminder_reached"])
    for ticket in list(store.tables["tickets"].values()):
        escalation_at = parse_time(ticket["escalation_at"])
        if escalation_at is None or escalation_at > now + dt.timedelta(minutes=15):
            continue
        if escalation_at < now:
            _time_event(store, ticket, "escalation", NOTIFICATION_TYPES["escalation"])
        else:
            _time_event(store, ticket, "escalation_warning", None)
