"""Custom fields in records: what the object manager's attributes do to tickets, users,
organizations and groups once their migration has run.

Zammad adds a database column per attribute (``ObjectManager::Attribute.migration_execute``);
here a *migrated* attribute (``to_create`` false) is a column of its table: records get it on
creation with the attribute's default (``ObjectManager::Attribute::SetDefaults``), writes cast
it as Rails casts the column type and validate it
(``ObjectManager::Attribute::Validation::{MaxLength,MinMax,FuturePast}``), select values must
be among the options and required fields must be given (``ChecksCoreWorkflow``), and searches
see it (:func:`search_field_names`).

The attribute records themselves live in the store's ``object_manager_attributes`` table; the
endpoints are in :mod:`zammad_orm.testing.endpoints.object_manager_attributes`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.http import ApiError, Reply, json_reply, unprocessable

if TYPE_CHECKING:
    from zammad_orm.testing.router import Call
    from zammad_orm.testing.store import Store

__all__ = [
    "CUSTOMIZABLE",
    "OBJECT_LOOKUP_IDS",
    "ValidationFailed",
    "checked_values",
    "custom_attributes",
    "human_attribute",
    "new_record_defaults",
    "search_field_names",
    "seed_attributes",
]

#: the object names of attributes and their object lookup ids
OBJECT_LOOKUP_IDS = {"Ticket": 1, "TicketArticle": 2, "User": 3, "Organization": 4, "Group": 5}
#: the objects that take custom attributes over the API, and their tables
CUSTOMIZABLE = {"Ticket": "tickets", "User": "users", "Organization": "organizations",
                "Group": "groups"}  # fmt: skip
_TABLE_LOOKUP_IDS = {table: OBJECT_LOOKUP_IDS[name] for name, table in CUSTOMIZABLE.items()}

#: data types stored in a string column
STRING_TYPES = frozenset({"input", "select", "tree_select", "richtext", "textarea", "checkbox"})
#: data types holding a list of values
LIST_TYPES = frozenset({"multiselect", "multi_tree_select"})
#: data types whose value must be one of the options
OPTION_TYPES = frozenset({"select", "tree_select", "multiselect", "multi_tree_select"})
#: data types that free text searches
TEXT_TYPES = frozenset({"input", "textarea", "richtext"})

_FALSE_VALUES = frozenset({"0", "f", "F", "false", "FALSE", "off", "OFF"})


class ValidationFailed(ApiError):
    """Rails' ``ActiveRecord::RecordInvalid`` as Zammad renders it: ``error`` holds every
    message after ``Validation failed:``, ``error_human`` the first one."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(422, "Validation failed: " + ", ".join(messages))
        self.first = messages[0]

    def reply(self) -> Reply:
        """The 422 body with the two texts."""
        return json_reply(422, {"error": self.message, "error_human": self.first})


def human_attribute(name: str) -> str:
    """Rails' ``human_attribute_name``: ``data_option`` becomes ``Data option``."""
    text = name[:-3] if name.endswith("_id") else name
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:]


# -- the built-in attributes -------------------------------------------------------------------

_TEXT = {"type": "text", "maxlength": 150, "null": True}
#: (object, name, display, data type, position, active, data option) of Zammad's seeded
#: attributes (``db/seeds/object_manager_attributes.rb``); only Ticket.type is editable
_BUILT_IN: tuple[tuple[str, str, str, str, int, bool, dict[str, Any]], ...] = (
    ("Ticket", "title", "Title", "input", 15, True, {**_TEXT, "maxlength": 200, "null": False}),
    ("Ticket", "customer_id", "Customer", "user_autocompletion", 10, True,
     {"relation": "User", "null": False}),
    ("Ticket", "organization_id", "Organization", "autocompletion_ajax_customer_organization",
     12, True, {"relation": "Organization", "null": True}),
    ("Ticket", "type", "Type", "select", 20, False,
     {"default": "", "options": {"Incident": "Incident", "Problem": "Problem",
                                 "Request for Change": "Request for Change"},
      "nulloption": True, "multiple": False, "null": True, "translate": True}),
    ("Ticket", "group_id", "Group", "tree_select", 25, True, {"relation": "Group", "null": False}),
    ("Ticket", "owner_id", "Owner", "select", 30, True, {"relation": "User", "null": True}),
    ("Ticket", "state_id", "State", "select", 40, True, {"relation": "TicketState", "null": False}),
    ("Ticket", "pending_time", "Pending till", "datetime", 41, True,
     {"future": True, "past": False, "diff": None, "null": True}),
    ("Ticket", "priority_id", "Priority", "select", 80, True,
     {"relation": "TicketPriority", "null": False}),
    ("Ticket", "tags", "Tags", "tag", 900, True, {"type": "text", "null": True}),
    ("TicketArticle", "type_id", "Type", "select", 100, True,
     {"relation": "TicketArticleType", "null": False}),
    ("TicketArticle", "internal", "Visibility", "select", 200, True,
     {"options": {"true": "internal", "false": "public"}, "default": False, "null": True}),
    ("TicketArticle", "to", "To", "input", 300, True, {**_TEXT, "maxlength": 1000}),
    ("TicketArticle", "cc", "CC", "input", 400, True, {**_TEXT, "maxlength": 1000}),
    ("TicketArticle", "body", "Text", "richtext", 600, True,
     {"type": "richtext", "maxlength": 150000, "null": True}),
    ("User", "login", "Login", "input", 100, True, {**_TEXT, "maxlength": 100}),
    ("User", "firstname", "First name", "input", 200, True, {**_TEXT, "null": False}),
    ("User", "lastname", "Last name", "input", 300, True, {**_TEXT, "null": False}),
    ("User", "email", "Email", "input", 400, True, {**_TEXT, "type": "email"}),
    ("User", "web", "Web", "input", 500, True, {**_TEXT, "type": "url", "maxlength": 250}),
    ("User", "phone", "Phone", "input", 600, True, {**_TEXT, "type": "tel", "maxlength": 100}),
    ("User", "mobile", "Mobile", "input", 700, True, {**_TEXT, "type": "tel", "maxlength": 100}),
    ("User", "fax", "Fax", "input", 800, True, {**_TEXT, "type": "tel", "maxlength": 100}),
    ("User", "organization_id", "Organization", "autocompletion_ajax", 900, True,
     {"relation": "Organization", "null": True}),
    ("User", "organization_ids", "Secondary organizations", "autocompletion_ajax", 901, True,
     {"relation": "Organization", "multiple": True, "null": True}),
    ("User", "department", "Department", "input", 1000, True, {**_TEXT, "maxlength": 200}),
    ("User", "street", "Street", "input", 1100, False, {**_TEXT, "maxlength": 100}),
    ("User", "zip", "Zip", "input", 1200, False, {**_TEXT, "maxlength": 100}),
    ("User", "city", "City", "input", 1300, False, {**_TEXT, "maxlength": 100}),
    ("User", "country", "Country", "input", 1325, False, {**_TEXT, "maxlength": 100}),
    ("User", "address", "Address", "textarea", 1350, True, {"maxlength": 500, "null": True}),
    ("User", "password", "Password", "input", 1400, True,
     {"type": "password", "maxlength": 1001, "null": True}),
    ("User", "vip", "VIP", "boolean", 1490, True,
     {"options": {"false": "no", "true": "yes"}, "default": False, "null": True}),
    ("User", "note", "Note", "richtext", 1500, True, {"type": "text", "maxlength": 5000,
                                                      "null": True}),
    ("User", "role_ids", "Permissions", "user_permission", 1600, True, {"null": False}),
    ("User", "active", "Active", "active", 1800, True, {"default": True, "null": True}),
    ("Organization", "name", "Name", "input", 200, True, {**_TEXT, "null": False}),
    ("Organization", "shared", "Shared organization", "boolean", 1400, True,
     {"options": {"true": "yes", "false": "no"}, "default": True, "null": True}),
    ("Organization", "domain_assignment", "Domain based assignment", "boolean", 1410, True,
     {"options": {"true": "yes", "false": "no"}, "default": False, "null": True}),
    ("Organization", "domain", "Domain", "input", 1420, True, {**_TEXT}),
    ("Organization", "vip", "VIP", "boolean", 1450, True,
     {"options": {"false": "no", "true": "yes"}, "default": False, "null": True}),
    ("Organization", "note", "Note", "richtext", 1500, True, {"type": "text", "maxlength": 5000,
                                                              "null": True}),
    ("Organization", "active", "Active", "active", 1800, True, {"default": True, "null": True}),
    ("Group", "name", "Name", "input", 200, True, {**_TEXT, "maxlength": 160, "null": False}),
    ("Group", "assignment_timeout", "Assignment timeout", "integer", 300, True,
     {"min": 0, "max": 999999, "null": True}),
    ("Group", "follow_up_possible", "Follow-up possible", "select", 400, True,
     {"default": "yes", "options": {"yes": "yes", "new_ticket": "do not reopen ticket but "
                                    "create new ticket"}, "null": False}),
    ("Group", "follow_up_assignment", "Assign follow-ups", "select", 500, True,
     {"default": "true", "options": {"true": "yes", "false": "no"}, "null": False}),
    ("Group", "email_address_id", "Email", "select", 600, True,
     {"relation": "EmailAddress", "null": True}),
    ("Group", "signature_id", "Signature", "select", 600, True,
     {"relation": "Signature", "null": True}),
    ("Group", "note", "Note", "richtext", 1500, True, {"type": "text", "maxlength": 250,
                                                       "null": True}),
    ("Group", "active", "Active", "active", 1800, True, {"default": True, "null": True}),
)  # fmt: skip


def _built_in_record(entry: tuple[str, str, str, str, int, bool, dict[str, Any]]) -> dict[str, Any]:
    obj, name, display, data_type, position, active, option = entry
    return {
        "object_lookup_id": OBJECT_LOOKUP_IDS[obj],
        "name": name,
        "display": display,
        "data_type": data_type,
        "data_option": option,
        "data_option_new": {},
        "editable": name == "type",
        "active": active,
        "screens": {},
        "to_create": False,
        "to_migrate": False,
        "to_delete": False,
        "to_config": False,
        "position": position,
        "created_by_id": 1,
        "updated_by_id": 1,
    }


_BUILT_IN_RECORDS = [_built_in_record(entry) for entry in _BUILT_IN]


def seed_attributes(store: Store) -> None:
    """Insert Zammad's built-in attributes (not editable, already migrated), copied from
    prepared records as a reset runs before every test: their nested values are replaced,
    never changed in place, so one level of copying keeps the templates intact."""
    now = store.now()
    for template in _BUILT_IN_RECORDS:
        ident = store.next_id("object_manager_attributes")
        store.put(
            "object_manager_attributes",
            {
                **template,
                "data_option": dict(template["data_option"]),
                "data_option_new": {},
                "screens": {},
                "id": ident,
                "created_at": now,
                "updated_at": now,
            },
        )


# -- custom columns --------------------------------------------------------------------------


def custom_attributes(
    store: Store, table: str, *, active_only: bool = False
) -> Iterator[dict[str, Any]]:
    """The migrated editable attributes of ``table`` (its custom columns)."""
    lookup_id = _TABLE_LOOKUP_IDS.get(table)
    if lookup_id is None:
        return
    for attribute in store.tables["object_manager_attributes"].values():
        if (
            attribute["object_lookup_id"] == lookup_id
            and attribute["editable"]
            and not attribute["to_create"]
            and (attribute["active"] or not active_only)
        ):
            yield attribute


def new_record_defaults(store: Store, table: str) -> dict[str, Any]:
    """What Zammad's ``SetDefaults`` gives a new record of ``table``: each active custom
    field's default, and for dates the day (or hour) ``diff`` from now."""
    defaults: dict[str, Any] = {}
    for attribute in custom_attributes(store, table):
        defaults[attribute["name"]] = None
        if not attribute["active"]:
            continue
        option = attribute["data_option"]
        if attribute["data_type"] in ("date", "datetime"):
            defaults[attribute["name"]] = _from_now(attribute["data_type"], option.get("diff"))
        else:
            defaults[attribute["name"]] = cast_value(attribute, option.get("default"))
    return defaults


def column_default(attribute: Mapping[str, Any]) -> Any:
    """The database default of the attribute's column: the default of integer, boolean and
    date types; string columns have none."""
    if attribute["data_type"] in STRING_TYPES | LIST_TYPES:
        return None
    return cast_value(attribute, attribute["data_option"].get("default"))


def _from_now(data_type: str, diff: Any) -> str | None:
    if diff is None or isinstance(diff, bool) or not isinstance(diff, (int, float, str)):
        return None
    try:
        amount = float(diff)
    except ValueError:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    if data_type == "date":
        return (now + dt.timedelta(days=amount)).date().isoformat()
    moment = (now + dt.timedelta(hours=amount)).replace(second=0, microsecond=0)
    return _format_datetime(moment)


def _format_datetime(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# -- casting as Rails casts the column ---------------------------------------------------------


def cast_value(attribute: Mapping[str, Any], value: Any) -> Any:
    """``value`` as the attribute's column stores it (Rails' type casting)."""
    if value is None:
        return None
    kind = attribute["data_type"]
    if kind in LIST_TYPES:
        items = value if isinstance(value, list) else [value]
        return [_string(item) for item in items if item not in (None, "")]
    if kind == "integer":
        return _integer(value)
    if kind in ("boolean", "active"):
        return _boolean(value)
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(value)
    if kind in STRING_TYPES:
        return _string(value)
    return value


def _string(value: Any) -> str:
    if value is True or value is False:
        return "t" if value else "f"
    return str(value)


def _integer(value: Any) -> int | None:
    """Ruby's ``to_i`` as ActiveModel's integer type uses it: ``"12abc"`` is 12, ``"abc"``
    is 0, a blank string is nil."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        if not value.strip():
            return None
        match = re.match(r"\s*([+-]?\d+)", value.replace("_", ""))
        return int(match.group(1)) if match else 0
    return None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value == "":
        return None
    return str(value) not in _FALSE_VALUES and value != 0


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _datetime(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return _format_datetime(moment)


# -- validation on write -----------------------------------------------------------------------


def checked_values(call: Call, table: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The custom fields of ``params``, cast and validated as Zammad does on create (POST) or
    update (PUT of ``call.params["id"]``): value validations first, then select options, then
    the fields the screen requires."""
    attributes = list(custom_attributes(call.store, table))
    if not attributes:
        return {}
    values = {
        attribute["name"]: cast_value(attribute, params[attribute["name"]])
        for attribute in attributes
        if attribute["name"] in params
    }
    active = [attribute for attribute in attributes if attribute["active"]]
    messages = [
        message
        for attribute in active
        if attribute["name"] in values
        for message in _value_problems(attribute, values[attribute["name"]])
    ]
    if messages:
        raise ValidationFailed(messages)
    for attribute in active:
        _check_option(attribute, values.get(attribute["name"]))
    _check_required(call, table, active, values)
    return values


def _value_problems(attribute: Mapping[str, Any], value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    option, kind = attribute["data_option"], attribute["data_type"]
    label = human_attribute(attribute["name"])
    problems: list[str] = []
    maxlength = option.get("maxlength")
    if kind in ("input", "textarea") and isinstance(maxlength, int) and len(value) > maxlength:
        problems.append(f"{label} is longer than the allowed length {option['maxlength']}")
    if kind == "integer":
        minimum, maximum = option.get("min"), option.get("max")
        if isinstance(minimum, int) and value < minimum:
            problems.append(f"{label} is smaller than the allowed minimum value of {minimum}")
        if isinstance(maximum, int) and value > maximum:
            problems.append(f"{label} is larger than the allowed maximum value of {maximum}")
    if kind == "datetime":
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        now = dt.datetime.now(dt.timezone.utc)
        if not option.get("past") and moment < now:
            problems.append(f"{label} does not allow past dates.")
        if not option.get("future") and moment > now:
            problems.append(f"{label} does not allow future dates.")
    return problems


def _option_values(options: Any) -> set[str]:
    """The values a select allows: a hash's keys, or every node's value of a tree (whose
    values are full paths, ``Parent::Child``)."""
    if isinstance(options, Mapping):
        return {str(key) for key in options}
    found: set[str] = set()
    if isinstance(options, list):
        for node in options:
            if isinstance(node, Mapping) and "value" in node:
                found.add(str(node["value"]))
                found |= _option_values(node.get("children") or [])
    return found


def _check_option(attribute: Mapping[str, Any], value: Any) -> None:
    if attribute["data_type"] not in OPTION_TYPES or value in (None, "", []):
        return
    allowed = _option_values(attribute["data_option"].get("options"))
    if not allowed:
        return
    for item in value if isinstance(value, list) else [value]:
        if str(item) not in allowed:
            raise unprocessable(f"Invalid value '{item}' for field '{attribute['name']}'!")


def _check_required(
    call: Call, table: str, attributes: list[dict[str, Any]], values: dict[str, Any]
) -> None:
    creating = call.method == "POST"
    screen = ("create_middle" if table == "tickets" else "create") if creating else "edit"
    record: Mapping[str, Any] = {}
    if not creating and "id" in call.params:
        record = call.store.tables[table].get(int(call.params["id"])) or {}
    defaults = new_record_defaults(call.store, table) if creating else {}
    for attribute in attributes:
        name = attribute["name"]
        value = values[name] if name in values else record.get(name, defaults.get(name))
        if value is not None or column_default(attribute) is not None:
            continue
        if _required_for(call, attribute.get("screens") or {}, screen):
            raise unprocessable(f"Missing required value for field '{name}'!")


def _required_for(call: Call, screens: Mapping[str, Any], screen: str) -> bool:
    for permission, config in (screens.get(screen) or {}).items():
        if not isinstance(config, Mapping) or not config.get("required"):
            continue
        if permission == "-all-" or call.store.has_permission(call.actor, permission):
            return True
    return False


# -- search ------------------------------------------------------------------------------------


def search_field_names(store: Store, table: str) -> tuple[list[str], list[str]]:
    """The custom fields in the search documents of ``table``'s records, and those of them
    free text searches."""
    attributes = list(custom_attributes(store, table))
    text = [a["name"] for a in attributes if a["data_type"] in TEXT_TYPES]
    return [a["name"] for a in attributes], text
