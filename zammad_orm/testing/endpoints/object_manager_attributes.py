"""``/object_manager_attributes``: custom fields, as ``ObjectManagerAttributesController`` and
``ObjectManager::Attribute`` manage them.

An attribute is created (or changed, or deleted) as a *pending* change; ``POST
/object_manager_attributes_execute_migrations`` applies the pending changes (the column
appears in every record of its object, see :mod:`zammad_orm.testing.custom_fields`) and
``POST /object_manager_attributes_discard_changes`` drops them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zammad_orm.testing.custom_fields import (
    CUSTOMIZABLE,
    OBJECT_LOOKUP_IDS,
    ValidationFailed,
    column_default,
    custom_attributes,
)
from zammad_orm.testing.endpoints.common import READ_ONLY, require_permission, show
from zammad_orm.testing.http import ApiError, json_reply, unprocessable
from zammad_orm.testing.models import TABLES
from zammad_orm.testing.router import Call, route

_TABLE = "object_manager_attributes"

#: ``ObjectManager::Attribute::DATA_TYPES`` of Zammad 6.2
DATA_TYPES = (
    "input", "user_autocompletion", "checkbox", "select", "multiselect", "tree_select",
    "multi_tree_select", "datetime", "date", "tag", "richtext", "textarea", "integer",
    "autocompletion_ajax", "autocompletion_ajax_customer_organization", "boolean",
    "user_permission", "active",
)  # fmt: skip
#: names ``check_name`` refuses (model method names and search index keys)
RESERVED_NAMES = frozenset({
    "destroy", "true", "false", "integer", "select", "drop", "create", "alter", "index", "table",
    "varchar", "blob", "date", "datetime", "timestamp", "url", "icon", "initials", "avatar",
    "permission", "validate", "subscribe", "unsubscribe", "translate", "search", "_type", "_doc",
    "_id", "id",
})  # fmt: skip
#: data types an attribute may change between after creation
_CHANGEABLE_TYPES = frozenset({"tree_select", "select", "input", "checkbox"})
_SELECTS = re.compile(r"^((multi_)?tree_select|(multi)?select|checkbox)$")
_OBJECT_NAMES = {ident: name for name, ident in OBJECT_LOOKUP_IDS.items()}


def _require_admin(call: Call) -> None:
    require_permission(call, "admin.object")


# -- the controller's parameter clean-up -------------------------------------------------------


def _permitted(call: Call) -> dict[str, Any]:
    """The controller's ``permitted_params``: ``data_option`` completed with ``default``,
    ``null``, ``options`` and ``relation``; boolean defaults given as strings converted."""
    params = dict(call.body())
    data_type = params.get("data_type")
    if not isinstance(data_type, str):
        raise RuntimeError("undefined method `match?' for nil:NilClass")
    option = params.get("data_option")
    if isinstance(option, Mapping) and option:
        option = dict(option)
        if data_type == "boolean" and option.get("default") in ("true", "false"):
            option["default"] = option["default"] == "true"
        if "default" not in option:
            plain = data_type in ("input", "select", "multiselect", "tree_select")
            option["default"] = "" if plain else None
        if option.get("null") is None:
            option["null"] = True
        if not isinstance(option.get("options"), (Mapping, list)):
            option["options"] = {}
        if not isinstance(option.get("relation"), str):
            option["relation"] = ""
    else:
        option = {"default": "", "options": {}, "relation": "", "null": True}
    params["data_option"] = option
    if not isinstance(params.get("name"), str):
        raise RuntimeError("undefined method `downcase!' for nil:NilClass")
    params["name"] = params["name"].lower()
    return params


def _find(call: Call, obj: Any, name: str) -> dict[str, Any] | None:
    lookup_id = OBJECT_LOOKUP_IDS.get(obj) if isinstance(obj, str) else None
    if lookup_id is None:
        return None
    return call.store.find(_TABLE, object_lookup_id=lookup_id, name=name)


# -- ObjectManager::Attribute's checks ---------------------------------------------------------


def _table_of(obj: Any) -> str:
    """The table of an object name; Zammad's ``constantize`` error for other names."""
    if obj is None:
        raise unprocessable("undefined method `constantize' for nil:NilClass")
    table = CUSTOMIZABLE.get(str(obj))
    if table is None:
        raise unprocessable(f"uninitialized constant {obj}")
    return table


def _check_name(call: Call, table: str, name: str, *, new: bool) -> None:
    problems = []
    if re.search(r".+?_(id|ids)$", name, re.IGNORECASE):
        problems.append("can't get used because *_id and *_ids are not allowed")
    if re.search(r"\s", name):
        problems.append("spaces are not allowed")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        problems.append("Only letters from a-z because numbers from 0-9 and _ are allowed")
    if not re.search(r"[a-z]", name):
        problems.append("At least one letters is needed")
    if name in RESERVED_NAMES:
        problems.append(f"{name} is a reserved word! (1)")
    columns = set(TABLES[table].columns) | READ_ONLY
    columns |= {attribute["name"] for attribute in custom_attributes(call.store, table)}
    if new and name in columns:
        problems.append(f"{name} already exists!")
    if problems:
        raise ValidationFailed([f"Name {problem}" for problem in problems])


def _with_base_options(data_type: Any, option: dict[str, Any]) -> dict[str, Any]:
    """``set_base_options``: ``null`` true unless given; selects get ``nulloption`` and a
    ``maxlength`` of 255."""
    option = dict(option)
    if option.get("null") is None:
        option["null"] = True
    if isinstance(data_type, str) and _SELECTS.match(data_type):
        if option.get("nulloption") is None:
            option["nulloption"] = True
        option["maxlength"] = option.get("maxlength") or 255
    return option


def _option_problems(data_type: Any, option: Mapping[str, Any]) -> list[str]:
    """``data_option_must_have_appropriate_values``."""

    def digits(key: str) -> bool:
        value = option.get(key)
        return not isinstance(value, bool) and re.fullmatch(r"\d+", str(value)) is not None

    checks: list[tuple[bool, str]] = []
    if data_type == "input":
        checks = [
            (
                option.get("type") not in ("text", "password", "tel", "fax", "email", "url"),
                "must have one of text/password/tel/fax/email/url for :type",
            ),
            (not digits("maxlength"), "must have integer for :maxlength"),
        ]
    elif data_type == "richtext":
        checks = [(not digits("maxlength"), "must have integer for :maxlength")]
    elif data_type == "integer":
        checks = [
            (not digits("min"), "must have integer for :min"),
            (not digits("max"), "must have integer for :max"),
        ]
    elif isinstance(data_type, str) and _SELECTS.match(data_type):
        checks = [
            ("default" not in option, "must have value for :default"),
            (
                option.get("options") is None and option.get("relation") is None,
                "must have non-nil value for either :options or :relation",
            ),
        ]
    elif data_type == "boolean":
        checks = [
            ("default" not in option, "must have boolean/undefined value for :default"),
            (option.get("options") is None, "must have non-nil value for :options"),
        ]
    elif data_type == "datetime":
        checks = [
            (option.get("future") is None, "must have boolean value for :future"),
            (option.get("past") is None, "must have boolean value for :past"),
            (option.get("diff") is None, "must have integer value for :diff (in hours)"),
        ]
    elif data_type == "date":
        checks = [(option.get("diff") is None, "must have integer value for :diff (in days)")]
    return [f"Data option {message}" for failed, message in checks if failed]


def _validate(record: Mapping[str, Any], before_type: Any = None) -> None:
    problems = []
    if not record["name"]:
        problems.append("Name can't be blank")
    if record["data_type"] not in DATA_TYPES:
        problems.append("Data type is not included in the list")
    changed_type = before_type is not None and before_type != record["data_type"]
    if changed_type and not {before_type, record["data_type"]} <= _CHANGEABLE_TYPES:
        problems.append(
            "Data type can't be altered after creation (delete the attribute and create "
            "another with the desired value)"
        )
    option = record["data_option_new"] if record["to_config"] else record["data_option"]
    problems += _option_problems(record["data_type"], option)
    if problems:
        raise ValidationFailed(problems)


# -- routes ------------------------------------------------------------------------------------


@route("GET", "/object_manager_attributes_list")
def list_objects(call: Call) -> Any:
    """The objects that take custom attributes."""
    _require_admin(call)
    return {"objects": ["Ticket", "Group", "Organization", "User"]}


@route("GET", "/object_manager_attributes")
def list_attributes(call: Call) -> Any:
    """``ObjectManager::Attribute.list_full``: every attribute by position and name, with its
    object's name instead of its lookup id and whether it may be deleted."""
    _require_admin(call)
    attributes = sorted(
        call.store.tables[_TABLE].values(), key=lambda item: (item["position"], item["name"])
    )
    listed = []
    for attribute in attributes:
        item = {key: value for key, value in attribute.items() if key != "object_lookup_id"}
        item["object"] = _OBJECT_NAMES.get(attribute["object_lookup_id"])
        item["deletable"] = attribute["editable"]
        listed.append(item)
    return listed


@route("GET", "/object_manager_attributes/{id}")
def show_attribute(call: Call) -> Any:
    """One attribute, with its object lookup id."""
    _require_admin(call)
    return show(call, _TABLE, call.store.get(_TABLE, call.int_param("id")))


@route("POST", "/object_manager_attributes")
def create_attribute(call: Call) -> Any:
    """A new attribute, pending until the migrations run (position 1550, editable)."""
    _require_admin(call)
    params = _permitted(call)
    if _find(call, params.get("object"), params["name"]) is not None:
        raise unprocessable("already exists")
    table = _table_of(params.get("object"))
    _check_name(call, table, params["name"], new=True)
    record = {
        "object_lookup_id": OBJECT_LOOKUP_IDS[params["object"]],
        "name": params["name"],
        "display": params.get("display"),
        "data_type": params["data_type"],
        "data_option": _with_base_options(params["data_type"], params["data_option"]),
        "data_option_new": {},
        "editable": True,
        "active": params.get("active", True),
        "screens": params.get("screens") or {},
        "position": 1550,
        "to_create": True,
        "to_migrate": True,
        "to_delete": False,
        "to_config": False,
    }
    _validate(record)
    inserted = call.store.insert(_TABLE, record, call.actor["id"])
    return json_reply(201, show(call, _TABLE, inserted))


@route("PUT", "/object_manager_attributes/{id}")
def update_attribute(call: Call) -> Any:
    """Change the attribute that ``object`` and ``name`` of the body name (not the id in the
    path, as Zammad does): its data option waits for the next migration in
    ``data_option_new``."""
    _require_admin(call)
    params = _permitted(call)
    record = _find(call, params.get("object"), params["name"])
    if record is None:
        raise unprocessable("does not exist")
    changed = dict(record)
    option = params["data_option"]
    if any(record.get(key) != params.get(key) for key in ("display", "data_type", "position",
                                                            "active")):  # fmt: skip
        changed["data_option_new"] = option
        changed["to_config"] = True
    if record["data_option"] != option:
        old_length, new_length = record["data_option"].get("maxlength"), option.get("maxlength")
        if old_length and new_length and str(old_length) != str(new_length):
            changed["to_migrate"] = True
        changed["data_option_new"] = option
        changed["to_config"] = True
    for key in ("display", "data_type", "active", "screens", "position"):
        if key in params:
            changed[key] = params[key]
    if not record["editable"]:
        raise ValidationFailed(["Name Attribute not editable!"])
    _check_name(call, _table_of(params["object"]), record["name"], new=False)
    if changed["to_config"]:
        changed["data_option_new"] = _with_base_options(
            changed["data_type"], changed["data_option_new"]
        )
    _validate(changed, before_type=record["data_type"])
    record.update(changed)
    call.store.touch(_TABLE, record, call.actor["id"])
    return show(call, _TABLE, record)


@route("DELETE", "/object_manager_attributes/{id}")
def delete_attribute(call: Call) -> Any:
    """Delete an attribute: at once while it was never migrated, else at the next migration.
    Every failure, a missing attribute included, is a 422 (the controller rescues them all)."""
    _require_admin(call)
    try:
        record = call.store.get(_TABLE, call.int_param("id"))
    except ApiError as error:
        raise unprocessable(error.message) from None
    if not record["editable"]:
        obj = _OBJECT_NAMES.get(record["object_lookup_id"])
        raise unprocessable(f"{obj}.{record['name']} can't be removed!")
    if record["to_create"]:
        del call.store.tables[_TABLE][record["id"]]
    else:
        record["to_delete"] = True
        call.store.touch(_TABLE, record, call.actor["id"])
    return {}


@route("POST", "/object_manager_attributes_discard_changes")
def discard_changes(call: Call) -> Any:
    """Drop every pending change: new attributes vanish, the others keep their settings."""
    _require_admin(call)
    table = call.store.tables[_TABLE]
    for ident in [ident for ident, record in table.items() if record["to_create"]]:
        del table[ident]
    for record in table.values():
        if record["to_delete"] or record["to_config"]:
            record.update(to_migrate=False, to_delete=False, to_config=False, data_option_new={})
    return {}


@route("POST", "/object_manager_attributes_execute_migrations")
def execute_migrations(call: Call) -> Any:
    """Apply every pending change: columns appear in (or vanish from) the records of their
    object, changed data options take effect."""
    _require_admin(call)
    store = call.store
    pending = [
        record
        for record in store.tables[_TABLE].values()
        if record["to_create"] or record["to_migrate"] or record["to_delete"] or record["to_config"]
    ]
    for record in pending:
        table = CUSTOMIZABLE.get(_OBJECT_NAMES.get(record["object_lookup_id"], ""))
        if record["to_delete"]:
            if table is not None:
                for row in store.tables[table].values():
                    row.pop(record["name"], None)
            del store.tables[_TABLE][record["id"]]
            continue
        if record["to_config"]:
            _apply_config(record)
            if not record["to_create"] and not record["to_migrate"]:
                continue
        if record["data_type"] == "select" and record["data_option"].get("options"):
            record["data_option"]["historical_options"] = record["data_option"]["options"]
        if record["to_create"] and table is not None:
            for row in store.tables[table].values():
                row.setdefault(record["name"], column_default(record))
        record.update(to_create=False, to_migrate=False, to_delete=False)
    return {}


def _apply_config(record: dict[str, Any]) -> None:
    new = dict(record["data_option_new"])
    if record["data_type"] == "select" and record["data_option"].get("options"):
        historical = dict(record["data_option"].get("historical_options") or {})
        historical.update(record["data_option"]["options"])
        historical.update(new.get("options") or {})
        new["historical_options"] = historical
    record.update(data_option=new, data_option_new={}, to_config=False)
