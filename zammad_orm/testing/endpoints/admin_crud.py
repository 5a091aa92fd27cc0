"""The generic admin controller of Zammad's rule tables (triggers, webhooks, macros, SLAs,
calendars, overviews): index, show, create, update and destroy behind a permission, with the
model's validations run on the record as it would be saved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zammad_orm.testing.endpoints.common import (
    clean_params,
    created,
    destroy,
    index,
    require_permission,
    show,
    update_record,
)
from zammad_orm.testing.http import unprocessable
from zammad_orm.testing.router import Call, route
from zammad_orm.testing.selector_conditions import is_blank, is_valid

__all__ = [
    "AdminTable",
    "check_condition",
    "check_inclusion",
    "check_note",
    "check_perform",
    "check_presence",
    "check_unique_name",
    "register",
]

#: checks a record about to be saved (``ident`` None on create); raises a 422
Validator = Callable[[Call, dict[str, Any], "int | None"], None]
#: runs after a record was written or deleted
Hook = Callable[[Call, dict[str, Any]], None]


@dataclass(frozen=True)
class AdminTable:
    """How one rule table is served."""

    #: the table, also the endpoint (``/triggers``)
    table: str
    #: permissions that may read
    readers: tuple[str, ...]
    #: permissions that may write
    writers: tuple[str, ...]
    #: the model's validations, in Zammad's order (the first failing one answers)
    validators: tuple[Validator, ...] = ()
    #: turns request parameters into columns (e.g. role names into ids); after clean-up
    prepare: Callable[[Call, dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    #: what the model does after a save (``after_create``/``after_update``)
    after_save: Hook | None = None
    #: what keeps a record from being deleted: returns the 422 message, or None
    delete_blocker: Callable[[Call, dict[str, Any]], str | None] | None = None
    #: what the model does after a delete
    after_delete: Hook | None = None


def check_presence(column: str, label: str) -> Validator:
    """Rails' ``validates column, presence: true``."""

    def check(call: Call, record: dict[str, Any], ident: int | None) -> None:
        if is_blank(record.get(column)):
            raise unprocessable(f"{label} can't be blank")

    return check


def check_unique_name(table: str) -> Validator:
    """``validates :name, uniqueness: { case_sensitive: false }``."""

    def check(call: Call, record: dict[str, Any], ident: int | None) -> None:
        wanted = str(record.get("name") or "").lower()
        for other in call.store.tables[table].values():
            if other["id"] != ident and str(other["name"]).lower() == wanted:
                raise unprocessable("Name has already been taken")

    return check


def check_inclusion(column: str, label: str, allowed: tuple[str, ...]) -> Validator:
    """``validates column, inclusion: { in: allowed }``."""

    def check(call: Call, record: dict[str, Any], ident: int | None) -> None:
        if record.get(column) not in allowed:
            raise unprocessable(f"{label} is not included in the list")

    return check


def check_note(maximum: int) -> Validator:
    """``validates :note, length: { maximum: ... }``."""

    def check(call: Call, record: dict[str, Any], ident: int | None) -> None:
        note = record.get("note")
        if isinstance(note, str) and len(note) > maximum:
            raise unprocessable(f"Note is too long (maximum is {maximum} characters)")

    return check


#: ``Validations::VerifyPerformRulesValidator``: what each perform action needs
_PERFORM_REQUIRES = {
    "article.note": ("body", "subject", "internal"),
    "notification.email": ("body", "recipient", "subject"),
    "notification.sms": ("body", "recipient"),
    "notification.webhook": ("webhook_id",),
}
_PERFORM_SPECIFIC = ("ticket.customer_id", "ticket.organization_id", "ticket.owner_id")


def check_perform(call: Call, record: dict[str, Any], ident: int | None) -> None:
    """The perform rules need their values (``verify_perform_rules``)."""
    perform = record.get("perform")
    if not isinstance(perform, Mapping):
        return
    for key, inner_keys in _PERFORM_REQUIRES.items():
        rule = perform.get(key)
        if not isinstance(rule, Mapping):
            continue
        for inner in inner_keys:
            if is_blank(rule.get(inner)) and rule.get(inner) is not False:
                raise unprocessable(f"The required 'perform' value for {key}, {inner} is missing!")
    for key in _PERFORM_SPECIFIC:
        rule = perform.get(key)
        specific = isinstance(rule, Mapping) and rule.get("pre_condition") == "specific"
        if specific and is_blank(rule.get("value")):  # type: ignore[union-attr]
            raise unprocessable(f"The required 'perform' value for {key}, value is missing!")


def check_condition(call: Call, record: dict[str, Any], ident: int | None) -> None:
    """``ChecksConditionValidation``: the condition must be a usable ticket selector."""
    condition = record.get("condition")
    if not isinstance(condition, Mapping):
        raise unprocessable("Invalid ticket selector conditions")
    if "conditions" not in condition:
        condition = {
            name: rule
            for name, rule in condition.items()
            if name not in ("ticket.action", "execution_time.calendar_id")
            and not (isinstance(rule, Mapping) and "has changed" in str(rule.get("operator")))
        }
    if not is_valid(condition):
        raise unprocessable("Invalid ticket selector conditions")


def _values(call: Call, spec: AdminTable) -> dict[str, Any]:
    params = clean_params(call, spec.table, call.body())
    if spec.prepare is not None:
        params = spec.prepare(call, dict(call.body()), params)
    return params


def _validate(call: Call, spec: AdminTable, record: dict[str, Any], ident: int | None) -> None:
    for validator in spec.validators:
        validator(call, record, ident)


def register(spec: AdminTable) -> None:
    """Serve ``/<table>`` and ``/<table>/{id}`` as Zammad's admin controllers do."""
    table = spec.table

    def list_records(call: Call) -> Any:
        require_permission(call, *spec.readers)
        return index(call, table, call.store.tables[table].values())

    def show_record(call: Call) -> Any:
        require_permission(call, *spec.readers)
        return show(call, table, call.store.get(table, call.int_param("id")))

    def create_record(call: Call) -> Any:
        require_permission(call, *spec.writers)
        from zammad_orm.testing.models import new_record

        params = _values(call, spec)
        _validate(call, spec, new_record(table, params), None)
        record = call.store.insert(table, params, call.actor["id"])
        if spec.after_save is not None:
            spec.after_save(call, record)
        return created(call, table, record)

    def update(call: Call) -> Any:
        require_permission(call, *spec.writers)
        record = call.store.get(table, call.int_param("id"))
        params = _values(call, spec)
        _validate(call, spec, {**record, **params}, record["id"])
        update_record(call, table, record, params)
        if spec.after_save is not None:
            spec.after_save(call, record)
        return show(call, table, record)

    def delete_record(call: Call) -> Any:
        require_permission(call, *spec.writers)
        record = call.store.get(table, call.int_param("id"))
        if spec.delete_blocker is not None:
            problem = spec.delete_blocker(call, record)
            if problem is not None:
                raise unprocessable(problem)
        reply = destroy(call, table, record)
        if spec.after_delete is not None:
            spec.after_delete(call, record)
        return reply

    route("GET", f"/{table}")(list_records)
    route("GET", f"/{table}/{{id}}")(show_record)
    route("POST", f"/{table}")(create_record)
    route("PUT", f"/{table}/{{id}}")(update)
    route("DELETE", f"/{table}/{{id}}")(delete_record)
