"""Zammad's ticket selectors (the ``condition`` of searches, overviews, triggers and SLAs),
evaluated against the fake server's tickets.

A selector is either the flat hash ``{"ticket.state_id": {"operator": "is", "value": [1]}}``
or the expert form ``{"operator": "AND"|"OR"|"NOT", "conditions": [...]}``; the flat hash is
read as an AND of its conditions (``Selector::Base.migrate_selector``). Each condition names
``<table>.<attribute>`` with the tables ``ticket``, ``customer``, ``owner``, ``organization``,
``article``, ``ticket_state`` and ``execution_time``, and one of Zammad's operators.

Semantics follow ``lib/selector/sql.rb`` (Zammad 6.x): SQL ``NULL`` never equals or contains
anything, ``contains`` is a case-insensitive ``LIKE``, conditions on ``article.*`` hold when
one article satisfies them all (an ``INNER JOIN``), a condition whose value is blank needs a
``pre_condition`` (else the whole selector is invalid and finds nothing), and an unknown
operator or table is an error (a 500 in Zammad).

This module evaluates selectors (:func:`matches`); reading and validating them is
:mod:`zammad_orm.testing.selector_conditions`, the values they compare (times, SQL text,
relative ranges) :mod:`zammad_orm.testing.selector_values`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.schedule import Schedule
from zammad_orm.testing.selector_conditions import SelectorError, leaves, validated
from zammad_orm.testing.selector_values import (
    as_list,
    parse_time,
    relative_range,
    shift_time,
    sql_text,
)

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["SelectorContext", "matches", "out_of_office_agents"]

_USER_ID_COLUMNS = re.compile(r"^(created_by|updated_by|owner|customer|user)_id")
#: joined tables: the ticket column that refers to them, and the store table
_LINKED = {
    "customer": ("customer_id", "users"),
    "owner": ("owner_id", "users"),
    "organization": ("organization_id", "organizations"),
    "ticket_state": ("state_id", "ticket_states"),
}


@dataclass
class SelectorContext:
    """What a selector is evaluated with (``Ticket.selectors`` options)."""

    store: Store
    #: the user ``current_user.*`` pre-conditions refer to
    current_user: Mapping[str, Any] | None = None
    #: the transaction type a trigger runs for: create, update, reminder_reached, ...
    ticket_action: str | None = None
    #: whether the evaluation is about one article (triggers): article conditions then
    #: only look at :attr:`article`, and fail when it is None
    article_given: bool = False
    #: the article of the transaction
    article: Mapping[str, Any] | None = None
    #: the ticket's changed attributes (``{"state_id": [old, new]}``), for ``has changed``
    changes: Mapping[str, Any] = field(default_factory=dict)
    #: a ``selective`` trigger: an update only counts when a condition attribute changed
    changes_required: bool = False
    #: allow ``is in working time`` (triggers and schedulers only)
    execution_time: bool = False


class _Evaluation:
    """One ticket checked against one selector, for one article binding."""

    def __init__(
        self,
        ctx: SelectorContext,
        ticket: Mapping[str, Any],
        article: Mapping[str, Any] | None,
        changed: set[str],
    ) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.ticket = ticket
        self.article = article
        self.changed = changed
        self.now = ctx.store.current_time()

    def block(self, block: Mapping[str, Any]) -> bool | None:
        results = [
            result
            for item in block.get("conditions") or []
            if (result := (self.block(item) if "conditions" in item else self.leaf(item)))
            is not None
        ]
        if not results:
            return None
        operator = str(block.get("operator") or "AND").upper()
        if operator == "NOT":
            return not all(results)
        if operator == "OR":
            return any(results)
        return all(results)

    # -- attribute values ----------------------------------------------------------------------

    def _record(self, table: str) -> Mapping[str, Any] | None:
        tables, ticket = self.store.tables, self.ticket
        if table in _LINKED:
            column, target = _LINKED[table]
            ident = ticket.get(column)
            return tables[target].get(ident) if isinstance(ident, int) else None
        if table == "ticket":
            return ticket
        if table == "article":
            return self.article
        return None

    def _current_user_id(self) -> int | None:
        user = self.ctx.current_user
        return int(user["id"]) if user is not None else None

    def _replaced_owner_ids(self, user_ids: list[Any]) -> list[str]:
        """Users out of office today whose replacement is one of ``user_ids``."""
        return [str(user["id"]) for user in out_of_office_agents(self.store, user_ids)]

    # -- one condition -------------------------------------------------------------------------

    def leaf(self, condition: Mapping[str, Any]) -> bool | None:
        name = str(condition.get("name") or "")
        table, _, attribute = name.partition(".")
        if not attribute:
            return None
        operator = str(condition["operator"])
        no_article = self.ctx.article_given and self.ctx.article is None
        if table == "article" and no_article and attribute != "action":
            return False
        if "in working time" in operator:
            return self._working_time(condition, attribute, operator)
        if operator == "has changed":
            return name in self.changed
        if operator in ("has reached", "has reached warning"):
            return self._reached(name, warning=operator == "has reached warning")
        if table == "ticket" and attribute == "action":
            return self._ticket_action(condition, operator)
        if table == "article" and attribute == "action":
            return (self.ctx.article is not None) == (operator == "is")
        if table == "article" and attribute == "time_accounting":
            booked = self.article is not None and any(
                entry["ticket_article_id"] == self.article["id"]
                for entry in self.store.tables["time_accountings"].values()
            )
            return booked == (operator == "is set")
        if table == "ticket" and attribute == "mention_user_ids":
            return self._mentions(condition, operator)
        if table == "ticket" and attribute == "tags" and operator.startswith("contains"):
            return self._tags(condition, operator)
        if table in ("ticket_owner", "ticket_customer", "execution_time"):
            return None
        record = self._record(table)
        column = "owner_id" if attribute == "out_of_office_replacement_id" else attribute
        value = record.get(column) if record is not None else None
        return self._compare(condition, attribute, operator, value)

    def _working_time(self, condition: Mapping[str, Any], attribute: str, operator: str) -> bool:
        if not self.ctx.execution_time:
            raise SelectorError(
                "Please enable execution_time feature to use it (currently only allowed for "
                "triggers and schedulers)"
            )
        ident = _as_int(condition.get("value"))
        calendar = self.store.tables["calendars"].get(ident) if ident is not None else None
        if calendar is None or attribute != "calendar_id":
            return True
        in_hours = Schedule.from_calendar(calendar).in_hours(self.now)
        return in_hours if operator == "is in working time" else not in_hours

    def _reached(self, name: str, *, warning: bool) -> bool:
        action = self.ctx.ticket_action
        if name == "ticket.pending_time":
            return action == "reminder_reached"
        if name == "ticket.escalation_at":
            return action == ("escalation_warning" if warning else "escalation")
        return False

    def _ticket_action(self, condition: Mapping[str, Any], operator: str) -> bool:
        check = self.ctx.ticket_action == condition.get("value")
        if (
            condition.get("value") == "update"
            and check
            and self.ctx.changes_required
            and not self.changed
        ):
            return False
        return check if operator == "is" else not check

    def _mentions(self, condition: Mapping[str, Any], operator: str) -> bool:
        mentioned = {
            sql_text(mention.get("user_id"))
            for mention in self.store.tables.get("mentions", {}).values()
            if mention.get("mentionable_type", "Ticket") == "Ticket"
            and mention.get("mentionable_id") == self.ticket["id"]
        }
        pre_condition = condition.get("pre_condition")
        if pre_condition == "not_set":
            return (not mentioned) == (operator == "is")
        if pre_condition == "current_user.id":
            wanted: set[str | None] = {sql_text(self._current_user_id())}
        else:
            wanted = {sql_text(value) for value in as_list(condition.get("value"))}
        return bool(mentioned & wanted) == (operator == "is")

    def _tags(self, condition: Mapping[str, Any], operator: str) -> bool:
        raw = condition.get("value")
        wanted = [
            part.strip()
            for item in as_list(raw)
            for part in str(item if item is not None else "").split(",")
            if part.strip()
        ]
        store = self.store
        tags = {
            store.tags[item.tag_id]
            for item in store.tag_items
            if item.object == "Ticket" and item.o_id == self.ticket["id"]
        }
        if operator == "contains all" and len(wanted) == 1:
            operator = "contains one"
        if operator == "contains all":
            return bool(wanted) and all(tag in tags for tag in wanted)
        if operator == "contains one":
            return any(tag in tags for tag in wanted)
        if operator == "contains all not":
            return not (wanted and all(tag in tags for tag in wanted))
        if operator == "contains one not":
            return not any(tag in tags for tag in wanted)
        return self._compare(condition, "tags", operator, ", ".join(sorted(tags)))

    def _compare(
        self, condition: Mapping[str, Any], attribute: str, operator: str, value: Any
    ) -> bool:
        if operator in ("is", "is not"):
            return self._equality(condition, attribute, operator, value)
        text = sql_text(value)
        wanted = condition.get("value")
        if operator in ("contains", "contains not"):
            found = text is not None and str(wanted or "").lower() in text.lower()
            return found if operator == "contains" else not found
        if operator in ("starts with", "starts with one of", "ends with", "ends with one of"):
            if text is None:
                return False
            check = (
                text.lower().startswith if operator.startswith("starts") else text.lower().endswith
            )
            return any(check(str(item).lower()) for item in as_list(wanted))
        if operator in ("is any of", "is none of"):
            items = [sql_text(item) for item in as_list(wanted)] or [""]
            if text is None:
                return False
            return (text in items) == (operator == "is any of")
        if operator in ("matches regex", "does not match regex"):
            if text is None:
                return False
            found = re.search(str(wanted), text, re.IGNORECASE) is not None
            return found == (operator == "matches regex")
        if operator in ("contains all", "contains one", "contains all not", "contains one not"):
            present = set(map(sql_text, as_list(value)))
            wanted_items = [sql_text(item) for item in as_list(wanted)]
            if operator.startswith("contains all"):
                found = all(item in present for item in wanted_items)
            else:
                found = any(item in present for item in wanted_items)
            return found != operator.endswith("not")
        if operator in ("is set", "not set"):
            return (value is not None) == (operator == "is set")
        return self._time(condition, operator, value)

    def _equality(
        self, condition: Mapping[str, Any], attribute: str, operator: str, value: Any
    ) -> bool:
        positive = operator == "is"
        text = sql_text(value)
        pre_condition = condition.get("pre_condition")
        if pre_condition == "not_set":
            unset = text is None or (bool(_USER_ID_COLUMNS.match(attribute)) and text == "1")
            return unset == positive
        if pre_condition in ("current_user.id", "current_user.organization_id"):
            user = self.ctx.current_user
            if user is None:
                raise SelectorError("Use current_user.id in block_condition, but no current_user")
            if pre_condition == "current_user.id":
                wanted = [user["id"]]
                if attribute == "out_of_office_replacement_id":
                    wanted = self._replaced_owner_ids(wanted)
            elif positive:
                wanted = [user.get("organization_id"), *(user.get("organization_ids") or [])]
            else:
                wanted = [user.get("organization_id")]
            found = text is not None and text in {sql_text(item) for item in wanted}
            return found if positive else (text is None or not found)
        raw = condition.get("value")
        if raw is None:
            return (text is None) == positive
        items: list[str | None] = [sql_text(item) for item in as_list(raw)]
        if attribute == "out_of_office_replacement_id":
            items = list(self._replaced_owner_ids(as_list(raw)))
        if positive:
            return text in items or ("" in items and text is None)
        if "" in items:
            return text is not None and text not in items
        return text is None or text not in items

    def _time(self, condition: Mapping[str, Any], operator: str, value: Any) -> bool:
        moment = parse_time(value)
        if moment is None:
            return False
        now = self.now
        if operator == "today":
            start = now.replace(hour=0, minute=0, second=0, microsecond=0)
            return start <= moment < start + dt.timedelta(days=1)
        if operator in ("before (absolute)", "after (absolute)"):
            bound = parse_time(condition.get("value"))
            if bound is None:
                return False
            return moment <= bound if operator.startswith("before") else moment >= bound
        amount, unit = relative_range(condition)
        ago, ahead = shift_time(now, -amount, unit), shift_time(now, amount, unit)
        checks = {
            "within last (relative)": ago <= moment <= now,
            "within next (relative)": now <= moment <= ahead,
            "before (relative)": moment <= ago,
            "after (relative)": moment >= ahead,
            "till (relative)": moment <= ahead,
            "from (relative)": moment >= ago,
        }
        if operator not in checks:
            raise SelectorError(f"Invalid operator '{operator}' for '{condition.get('value')!r}'")
        return checks[operator]


def out_of_office_agents(store: Store, replacement_ids: list[Any]) -> list[dict[str, Any]]:
    """The active users out of office today whose replacement is one of ``replacement_ids``
    (``User#out_of_office_agent_of``)."""
    today = store.current_time().date().isoformat()
    wanted = {sql_text(ident) for ident in replacement_ids}
    return [
        user
        for user in store.tables["users"].values()
        if user.get("active", True)
        and user.get("out_of_office")
        and str(user.get("out_of_office_start_at") or "9999") <= today
        and str(user.get("out_of_office_end_at") or "") >= today
        and sql_text(user.get("out_of_office_replacement_id")) in wanted
    ]


def _as_int(value: Any) -> int | None:
    try:
        return int(as_list(value)[0])
    except (TypeError, ValueError, IndexError):
        return None


def _uses_articles(block: Mapping[str, Any]) -> bool:
    return any(
        str(leaf.get("name", "")).startswith("article.")
        and str(leaf.get("name")) not in ("article.action", "article.time_accounting")
        for leaf in leaves(block)
    )


def matches(selector: Any, ticket: Mapping[str, Any], ctx: SelectorContext) -> bool:
    """Whether ``ticket`` matches ``selector`` (an empty selector matches every ticket).

    Raises :class:`~zammad_orm.testing.selector_conditions.InvalidCondition` for a selector
    Zammad finds nothing with, and :class:`SelectorError` for one it refuses.
    """
    block = validated(selector)
    names = {str(leaf.get("name")) for leaf in leaves(block)}
    changed = {f"ticket.{key}" for key in ctx.changes if f"ticket.{key}" in names}
    if ctx.article is not None:
        changed.add("article")
    if ctx.ticket_action == "update" and ctx.changes_required:
        block = {
            "operator": "AND",
            "conditions": [
                {"name": "ticket.action", "operator": "is", "value": "update"},
                block,
            ],
        }
    if ctx.article_given:
        bindings: list[Mapping[str, Any] | None] = [ctx.article]
    elif _uses_articles(block):
        bindings = [
            article
            for article in ctx.store.tables["ticket_articles"].values()
            if article["ticket_id"] == ticket["id"]
        ]
    else:
        bindings = [None]
    for article in bindings:
        result = _Evaluation(ctx, ticket, article, changed).block(block)
        if result is None or result:
            return True
    return False
