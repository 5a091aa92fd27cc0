"""Custom fields: Zammad's object manager attributes as typed field descriptors.

Admins add attributes to tickets, users, organizations and groups; once their migration ran,
every record of the object carries the new column. The library reads the attribute list
(``GET /object_manager_attributes``) once, at the first use of a field a class does not
declare, keeps it in the client's shared cache for the cache's time to live, and from then on
a custom field reads, assigns, tracks and saves like a declared one, with the type its
attribute declares:

=====================================================  ==========================================
data type                                              Python value
=====================================================  ==========================================
``input``, ``textarea``, ``richtext``, ``checkbox``     ``str | None``
``select``, ``tree_select``                            ``str | None``, checked against the options
``multiselect``, ``multi_tree_select``                 ``list[str]``, each checked
``integer``                                            ``int | None``, checked against min and max
``boolean``                                            ``bool | None``
``date``                                               :class:`datetime.date` or ``None``
``datetime``                                           aware :class:`datetime.datetime` or ``None``
=====================================================  ==========================================

Reading the list needs the ``admin.object`` permission. A client without it gets no schema
(the refusal is cached like a list): custom fields then read as the raw JSON the server sent,
and ``obj["name"] = value`` sends one.

To give mypy and IDEs the types, declare the fields on a subclass and register it with the
client (see :meth:`zammad_orm.Client.manager_for`)::

    class MyTicket(Ticket):
        customer_no = Field[str | None](doc="The customer's number in the ERP.")

    client = Client(url, http_token=token, resource_classes=[MyTicket])
    tickets = client.manager_for(MyTicket)  # Manager[MyTicket]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.cache import CacheKey
from zammad_orm.errors import Forbidden
from zammad_orm.fields import DateField, DateTimeField, Field
from zammad_orm.reply_shapes import expect_records

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.resource import Resource

__all__ = [
    "CUSTOMIZABLE",
    "ChoiceField",
    "ChoicesField",
    "IntegerField",
    "custom_fields",
    "field_for",
    "forget_schema",
    "known_custom_fields",
]

#: the asset keys of the objects that take custom attributes over the API
CUSTOMIZABLE = frozenset({"Ticket", "User", "Organization", "Group"})

_ENDPOINT = "object_manager_attributes"
_SCHEMA_KEY = CacheKey(None, _ENDPOINT, "__schema__")
_TEXT_TYPES = frozenset({"input", "textarea", "richtext", "checkbox", "user_autocompletion"})
_CHOICE_TYPES = frozenset({"select", "tree_select"})
_MULTI_CHOICE_TYPES = frozenset({"multiselect", "multi_tree_select"})

#: object name -> {field name -> descriptor}
Schema = dict[str, dict[str, Field[Any]]]


def _option_values(options: Any) -> list[str]:
    """The values a select allows: a hash's keys, or every node's value of a tree (whose values
    are full paths, ``Parent::Child``)."""
    if isinstance(options, Mapping):
        return [str(key) for key in options]
    found: list[str] = []
    for node in options if isinstance(options, list) else ():
        if isinstance(node, Mapping) and "value" in node:
            found.append(str(node["value"]))
            found += _option_values(node.get("children") or [])
    return found


def _refuse_choice(
    field: Field[Any], owner: type[Any] | None, value: Any, choices: list[str]
) -> None:
    where = f"{owner.__name__}.{field.attribute}" if owner else field.attribute
    close = difflib.get_close_matches(str(value), choices, n=3)
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    raise ValueError(f"{where} takes one of {', '.join(map(repr, choices))}, got {value!r}{hint}")


class ChoiceField(Field[str | None]):
    """A ``select`` or ``tree_select`` custom field: one of the attribute's options."""

    def __init__(self, choices: Iterable[str], *, doc: str | None = None) -> None:
        super().__init__(doc=doc)
        self.hint = str | None
        self.choices = list(choices)

    def to_json(self, value: str | None, *, owner: type[Any] | None = None) -> Any:
        """The option, checked (``None`` and ``""`` clear the field)."""
        super().to_json(value, owner=owner)
        if value not in (None, "") and self.choices and value not in self.choices:
            _refuse_choice(self, owner, value, self.choices)
        return value


class ChoicesField(Field[list[str]]):
    """A ``multiselect`` or ``multi_tree_select`` custom field: a list of options."""

    def __init__(self, choices: Iterable[str], *, doc: str | None = None) -> None:
        super().__init__(doc=doc)
        self.hint = list[str]
        self.choices = list(choices)

    def to_python(self, raw: Any) -> list[str]:
        """The selected options (an empty list for none)."""
        return list(raw) if isinstance(raw, list) else []

    def to_json(self, value: list[str], *, owner: type[Any] | None = None) -> Any:
        """The options, each checked (a tuple is taken as a list)."""
        given: Any = value
        value = list(given) if isinstance(given, tuple) else given
        super().to_json(value, owner=owner)
        for item in value if self.choices else ():
            if item not in self.choices:
                _refuse_choice(self, owner, item, self.choices)
        return list(value)


class IntegerField(Field[int | None]):
    """An ``integer`` custom field, checked against the attribute's ``min`` and ``max``."""

    def __init__(self, minimum: Any, maximum: Any, *, doc: str | None = None) -> None:
        super().__init__(doc=doc)
        self.hint = int | None
        self.minimum = minimum if isinstance(minimum, int) else None
        self.maximum = maximum if isinstance(maximum, int) else None

    def to_json(self, value: int | None, *, owner: type[Any] | None = None) -> Any:
        """The number, checked against the bounds."""
        super().to_json(value, owner=owner)
        where = f"{owner.__name__}.{self.attribute}" if owner else self.attribute
        if value is not None and self.minimum is not None and value < self.minimum:
            raise ValueError(f"{where} is at least {self.minimum}, got {value}")
        if value is not None and self.maximum is not None and value > self.maximum:
            raise ValueError(f"{where} is at most {self.maximum}, got {value}")
        return value


def field_for(attribute: Mapping[str, Any]) -> Field[Any]:
    """The descriptor of one attribute record (its ``data_type`` decides the type)."""
    kind = attribute.get("data_type")
    option = attribute.get("data_option") or {}
    doc = str(attribute.get("display") or attribute["name"])
    field: Field[Any]
    if kind in _CHOICE_TYPES:
        field = ChoiceField(_option_values(option.get("options")), doc=doc)
    elif kind in _MULTI_CHOICE_TYPES:
        field = ChoicesField(_option_values(option.get("options")), doc=doc)
    elif kind == "integer":
        field = IntegerField(option.get("min"), option.get("max"), doc=doc)
    elif kind in ("boolean", "active"):
        field = Field[bool | None](doc=doc)
    elif kind == "date":
        field = DateField(doc=doc)
    elif kind == "datetime":
        field = DateTimeField(doc=doc)
    elif kind in _TEXT_TYPES:
        field = Field[str | None](doc=doc)
    else:
        field = Field[Any](doc=doc)
    field.__set_name__(object, str(attribute["name"]))
    return field


def _schema_of(attributes: Iterable[Mapping[str, Any]]) -> Schema:
    """The custom fields of each object: editable attributes whose column exists (migrated)."""
    schema: Schema = {}
    for attribute in attributes:
        obj = attribute.get("object")
        if obj not in CUSTOMIZABLE or not attribute.get("editable") or attribute.get("to_create"):
            continue
        if not isinstance(attribute.get("name"), str) or not isinstance(
            attribute.get("data_option") or {}, Mapping
        ):
            continue  # not an attribute this library can type: the field stays raw JSON
        schema.setdefault(str(obj), {})[str(attribute["name"])] = field_for(attribute)
    return schema


def _schema(client: Client, *, fetch: bool) -> Schema | None:
    held: Schema | None = client.cache.get(_SCHEMA_KEY)
    if held is not None or not fetch:
        return held

    def read() -> Schema:
        try:
            with client._acting(None):
                listed = client.get(_ENDPOINT)
        except Forbidden:
            listed = []  # no admin.object: custom fields stay raw JSON
        attributes = expect_records(
            listed, method="GET", url=client.url_for(_ENDPOINT), what="the list of attributes"
        )
        schema = _schema_of(attributes)
        client.cache.put(_SCHEMA_KEY, schema)
        return schema

    return client.cache.single_flight(("schema", _SCHEMA_KEY), read)


def custom_fields(
    client: Client, cls: type[Resource], *, fetch: bool = True
) -> Mapping[str, Field[Any]]:
    """The custom field descriptors of ``cls`` by name (one request per cache lifetime at
    most; with ``fetch=False`` only what is known without one). Classes Zammad gives no
    custom attributes have none, at no cost."""
    if cls.asset_key not in CUSTOMIZABLE:
        return {}
    schema = _schema(client, fetch=fetch)
    if schema is None:
        return {}
    return schema.get(cls.asset_key, {})


def known_custom_fields(obj: Resource) -> Mapping[str, Field[Any]]:
    """The custom fields of ``obj``'s class the client knows without a request."""
    return custom_fields(obj._client, type(obj), fetch=False)


def forget_schema(client: Client) -> None:
    """Attributes changed: the next use of a custom field reads the list again."""
    client.cache.evict(_SCHEMA_KEY)
