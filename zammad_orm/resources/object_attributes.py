"""Object manager attributes (``/object_manager_attributes``): custom fields, for admins.

Creating, changing or deleting an attribute is *pending* in Zammad until
:meth:`ObjectAttributes.execute_migrations` applies every pending change (the column then
appears in, or vanishes from, every record of its object); :meth:`ObjectAttributes.discard_changes`
drops them. How custom fields then read and write on tickets, users, organizations and groups
is described in :mod:`zammad_orm.custom_fields`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zammad_orm.custom_fields import CUSTOMIZABLE, custom_fields, forget_schema
from zammad_orm.fields import Field
from zammad_orm.manager import Manager
from zammad_orm.resource import Resource
from zammad_orm.tracking import _Outgoing

__all__ = ["ObjectAttribute", "ObjectAttributes"]

#: what Zammad's update needs beside the changed keys: it finds the attribute by ``object``
#: and ``name`` in the body, and rebuilds it from ``data_type`` and ``data_option``
_UPDATE_NEEDS = ("object", "name", "display", "data_type", "data_option", "active", "screens",
                 "position")  # fmt: skip


class _ObjectName(Field[str]):
    """The object an attribute belongs to: ``"Ticket"``, ``"User"``, ``"Organization"`` or
    ``"Group"``; a resource class (``Ticket``) is taken for its name."""

    def to_json(self, value: Any, *, owner: type[Any] | None = None) -> Any:
        """The object's name, checked."""
        if isinstance(value, type) and issubclass(value, Resource):
            value = value.asset_key
        if value not in CUSTOMIZABLE:
            choices = ", ".join(sorted(CUSTOMIZABLE))
            raise ValueError(f"object must be one of {choices} (or its class), got {value!r}")
        return value


class ObjectAttribute(Resource):
    """One attribute of a ticket, user, organization or group (built in or custom)."""

    __slots__ = ()
    manager_name = "object_attributes"
    asset_key = "ObjectManagerAttribute"

    object = _ObjectName(doc="The object it belongs to, e.g. ``Ticket``.")
    name = Field[str](doc="The field name (lower case, letters, digits and ``_``).")
    display = Field[str](doc="The label the web interface shows.")
    data_type = Field[str](
        doc="``input``, ``select``, ``multiselect``, ``tree_select``, ``boolean``, "
        "``integer``, ``date``, ``datetime``, ``textarea``, ``richtext``, ..."
    )
    data_option = Field[dict[str, Any]](
        doc="The type's options: ``options``, ``default``, ``maxlength``, ``min``/``max``, ..."
    )
    data_option_new = Field[dict[str, Any]](
        read_only=True, doc="Changed options waiting for the next migration."
    )
    active = Field[bool](doc="Whether the field is in use.")
    screens = Field[dict[str, Any]](doc="Where the field shows and whether it is required.")
    position = Field[int](doc="Its place among the fields.")
    editable = Field[bool](read_only=True, doc="False for Zammad's built-in attributes.")
    deletable = Field[bool](read_only=True, doc="Whether it may be deleted.")
    to_create = Field[bool](read_only=True, doc="Created, waiting for the migration.")
    to_migrate = Field[bool](read_only=True, doc="Changed, waiting for the migration.")
    to_delete = Field[bool](read_only=True, doc="Deleted, waiting for the migration.")
    to_config = Field[bool](read_only=True, doc="Options changed, waiting for the migration.")

    def _outgoing(self) -> _Outgoing:
        outgoing = super()._outgoing()
        if outgoing.payload and not self.is_new:
            for key in _UPDATE_NEEDS:
                if key not in outgoing.payload:
                    value = self._held_value(key)
                    if value is None and key == "object":
                        value = self._client.object_attributes._object_name(self)
                    outgoing.payload[key] = value
        return outgoing


class ObjectAttributes(Manager[ObjectAttribute]):
    """Manages ``/object_manager_attributes`` (the ``admin.object`` permission): list,
    create, change and delete attributes, then :meth:`execute_migrations`.

    Example::

        client.object_attributes.create(
            object="Ticket", name="customer_no", display="Customer no.",
            data_type="input", data_option={"type": "text", "maxlength": 20},
            screens={"edit": {"ticket.agent": {"shown": True, "required": False}}},
        )
        client.object_attributes.execute_migrations()
        ticket.customer_no = "C-1042"   # a typed field from now on
    """

    resource_class = ObjectAttribute
    endpoint = "object_manager_attributes"
    paginated = False

    def _after_write(self) -> None:
        forget_schema(self.client)

    def _object_name(self, obj: ObjectAttribute) -> Any:
        """The object of an attribute read alone (which gives only its lookup id), from the
        list (one request)."""
        ident = obj._data.get("id")
        for listed in self.iter():
            if listed._data.get("id") == ident:
                return listed._data.get("object")
        return None

    def of(self, obj: str | type[Resource]) -> list[ObjectAttribute]:
        """The attributes of one object (``"Ticket"`` or ``Ticket``), by position."""
        name = obj.asset_key if isinstance(obj, type) else obj
        return [attribute for attribute in self.iter() if attribute._data.get("object") == name]

    def execute_migrations(self) -> None:
        """Apply every pending attribute change (one request). Records of the objects gain
        (or lose) the columns, so every held ticket, user, organization and group loads again
        on its next read; pending changes stay."""
        self.client.post("object_manager_attributes_execute_migrations")
        self._changed_columns()

    def discard_changes(self) -> None:
        """Drop every pending attribute change (one request)."""
        self.client.post("object_manager_attributes_discard_changes")
        self._changed_columns()

    def _changed_columns(self) -> None:
        self.invalidate()
        forget_schema(self.client)
        for family in ("tickets", "users", "organizations", "groups"):
            manager: Manager[Any] = getattr(self.client, family)
            manager.invalidate()

    def fields_for(self, cls: type[Resource], *, fetch: bool = True) -> Mapping[str, Field[Any]]:
        """The custom field descriptors of ``cls`` by name (see :mod:`zammad_orm.custom_fields`)."""
        return custom_fields(self.client, cls, fetch=fetch)
