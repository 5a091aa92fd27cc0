"""Custom fields for the fake server's tests: create an attribute and run the migrations."""

from __future__ import annotations

from typing import Any

from raw_api import Api


def attribute_body(name: str, data_type: str = "input", **fields: Any) -> dict[str, Any]:
    """A ``POST /object_manager_attributes`` body for a Ticket attribute, ``fields`` on top."""
    options: dict[str, dict[str, Any]] = {
        "input": {"type": "text", "maxlength": 20},
        "integer": {"min": 0, "max": 10, "default": None},
        "select": {"options": {"a": "A", "b": "B"}},
        "multiselect": {"options": {"a": "A", "b": "B"}},
        "boolean": {"options": {"true": "yes", "false": "no"}, "default": False},
        "date": {"diff": 1},
        "datetime": {"future": True, "past": True, "diff": 24},
        "textarea": {"maxlength": 500, "rows": 4},
    }
    return {
        "object": "Ticket",
        "name": name,
        "display": name.title(),
        "data_type": data_type,
        "data_option": options.get(data_type, {}),
        "active": True,
        "screens": {},
        **fields,
    }


def add_field(api: Api, name: str, data_type: str = "input", **fields: Any) -> dict[str, Any]:
    """Create an attribute and run the migrations, so records have the field."""
    created = api.ok(
        "POST", "/object_manager_attributes", json=attribute_body(name, data_type, **fields)
    )
    api.ok("POST", "/object_manager_attributes_execute_migrations")
    return dict(created)
