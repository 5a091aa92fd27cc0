"""``/object_manager_attributes`` on the fake server: listing, creating, changing, deleting
and migrating attribute definitions as Zammad 6.2's controller and model do."""

from __future__ import annotations

from object_manager_api import add_field, attribute_body
from raw_api import Api

_ROUTES = "config/routes/object_manager_attribute.rb"


def test_the_index_lists_the_built_in_attributes_not_editable(api: Api) -> None:
    """``ObjectManager::Attribute.list_full`` (app/models/object_manager/attribute.rb) over the
    seeds of db/seeds/object_manager_attributes.rb: object names, not lookup ids."""
    listed = {
        (item["object"], item["name"]): item for item in api.ok("GET", "/object_manager_attributes")
    }
    title = listed[("Ticket", "title")]
    assert (title["data_type"], title["editable"], title["deletable"]) == ("input", False, False)
    assert listed[("User", "vip")]["data_type"] == "boolean"
    assert listed[("Group", "assignment_timeout")]["data_type"] == "integer"
    assert listed[("Organization", "shared")]["data_type"] == "boolean"
    assert "object_lookup_id" not in title


def test_the_index_is_ordered_by_position_then_name(api: Api) -> None:
    """``list_full`` orders by ``position ASC, name ASC``
    (app/models/object_manager/attribute.rb)."""
    listed = api.ok("GET", "/object_manager_attributes")
    keys = [(item["position"], item["name"]) for item in listed]
    assert keys == sorted(keys)


def test_only_object_admins_manage_attributes(agent: Api) -> None:
    """app/policies/controllers/object_manager_attributes_controller_policy.rb: ``admin.object``."""
    assert agent.error("GET", "/object_manager_attributes") == (403, "Not authorized (user)!")


def test_a_new_attribute_waits_for_the_migration(api: Api) -> None:
    """``create`` answers 201 with ``attributes_with_association_ids`` at position 1550,
    ``to_create``/``to_migrate`` set (app/controllers/object_manager_attributes_controller.rb)."""
    created = api.call("POST", "/object_manager_attributes", json=attribute_body("Customer_No"))
    body = created.json()
    assert created.status_code == 201
    assert (body["name"], body["position"], body["editable"]) == ("customer_no", 1550, True)
    assert (body["to_create"], body["to_migrate"], body["object_lookup_id"]) == (True, True, 1)
    assert "customer_no" not in api.ok("GET", "/tickets/1")


def test_the_controller_completes_the_data_option(api: Api) -> None:
    """``permitted_params`` adds ``default: ''``, ``null: true``, ``options: {}`` and
    ``relation: ''``; ``set_base_options`` gives selects ``nulloption`` and ``maxlength`` 255
    (app/controllers/object_manager_attributes_controller.rb,
    app/models/object_manager/attribute.rb)."""
    body = attribute_body("kind", "select", data_option={"options": {"a": "A"}})
    option = api.ok("POST", "/object_manager_attributes", json=body)["data_option"]
    assert option == {
        "options": {"a": "A"},
        "default": "",
        "null": True,
        "relation": "",
        "nulloption": True,
        "maxlength": 255,
    }


def test_executing_migrations_adds_the_column_to_every_record(api: Api) -> None:
    """``migration_execute`` adds the column; string columns start as null
    (app/models/object_manager/attribute.rb)."""
    add_field(api, "customer_no")
    assert api.ok("GET", "/tickets/1")["customer_no"] is None
    listed = {item["name"]: item for item in api.ok("GET", "/object_manager_attributes")}
    assert (listed["customer_no"]["to_create"], listed["customer_no"]["to_migrate"]) == (
        False,
        False,
    )


def test_a_taken_name_is_refused(api: Api) -> None:
    """``create`` answers 422 ``already exists`` for an object and name pair that exists
    (app/controllers/object_manager_attributes_controller.rb)."""
    api.ok("POST", "/object_manager_attributes", json=attribute_body("kind"))
    assert api.error("POST", "/object_manager_attributes", json=attribute_body("Kind")) == (
        422,
        "already exists",
    )


def test_names_follow_check_name(api: Api) -> None:
    """``check_name`` refuses ``*_id``, reserved words and existing columns
    (app/models/object_manager/attribute.rb)."""
    for name, message in (
        ("vendor_id", "Name can't get used because *_id and *_ids are not allowed"),
        ("search", "Name search is a reserved word! (1)"),
        ("number", "Name number already exists!"),
        ("my field", "Name spaces are not allowed"),
    ):
        response = api.call("POST", "/object_manager_attributes", json=attribute_body(name))
        assert response.status_code == 422
        assert response.json()["error_human"] == message
        assert response.json()["error"].startswith(f"Validation failed: {message}")


def test_data_options_are_validated_per_type(api: Api) -> None:
    """``data_option_must_have_appropriate_values`` (app/models/object_manager/attribute.rb)."""
    cases = (
        ("input", {"type": "text"}, "Data option must have integer for :maxlength"),
        (
            "input",
            {"type": "color", "maxlength": 5},
            "Data option must have one of text/password/tel/fax/email/url for :type",
        ),
        ("integer", {"min": -1, "max": 5}, "Data option must have integer for :min"),
        ("date", {"future": True}, "Data option must have integer value for :diff (in days)"),
        (
            "datetime",
            {"future": True, "past": True},
            "Data option must have integer value for :diff (in hours)",
        ),
    )
    for data_type, option, message in cases:
        body = attribute_body("field", data_type, data_option=option)
        assert api.error("POST", "/object_manager_attributes", json=body) == (
            422,
            f"Validation failed: {message}",
        )


def test_an_unknown_data_type_is_refused(api: Api) -> None:
    """``validates :data_type, inclusion:`` (app/models/object_manager/attribute.rb)."""
    body = attribute_body("field", "colour")
    assert api.error("POST", "/object_manager_attributes", json=body) == (
        422,
        "Validation failed: Data type is not included in the list",
    )


def test_only_tickets_users_organizations_and_groups_take_attributes(api: Api) -> None:
    """``check_name`` constantizes the object's name (app/models/object_manager/attribute.rb);
    the controller turns the NameError into a 422."""
    body = attribute_body("field", object="Widget")
    assert api.error("POST", "/object_manager_attributes", json=body) == (
        422,
        "uninitialized constant Widget",
    )


def test_an_update_keeps_the_new_data_option_for_the_migration(api: Api) -> None:
    """``ObjectManager::Attribute.add`` on an existing record stores the option in
    ``data_option_new`` and sets ``to_config`` until ``migration_execute``
    (app/models/object_manager/attribute.rb)."""
    created = add_field(api, "kind", "select")
    body = attribute_body("kind", "select", data_option={"options": {"c": "C"}})
    updated = api.ok("PUT", f"/object_manager_attributes/{created['id']}", json=body)
    assert updated["to_config"] is True
    assert updated["data_option"]["options"] == {"a": "A", "b": "B"}
    assert updated["data_option_new"]["options"] == {"c": "C"}
    api.ok("POST", "/object_manager_attributes_execute_migrations")
    shown = api.ok("GET", f"/object_manager_attributes/{created['id']}")
    assert shown["data_option"]["options"] == {"c": "C"}
    assert shown["data_option"]["historical_options"] == {"a": "A", "b": "B", "c": "C"}


def test_an_update_finds_the_attribute_by_object_and_name_not_by_id(api: Api) -> None:
    """``update`` looks the attribute up by ``object`` and ``name`` of the body and answers
    ``does not exist`` otherwise (app/controllers/object_manager_attributes_controller.rb)."""
    created = add_field(api, "kind")
    body = attribute_body("other")
    assert api.error("PUT", f"/object_manager_attributes/{created['id']}", json=body) == (
        422,
        "does not exist",
    )


def test_built_in_attributes_cannot_be_changed_or_removed(api: Api) -> None:
    """``check_editable`` and ``remove`` refuse non-editable attributes
    (app/models/object_manager/attribute.rb)."""
    title = next(
        item for item in api.ok("GET", "/object_manager_attributes") if item["name"] == "title"
    )
    body = attribute_body("title", data_option={"type": "text", "maxlength": 250})
    assert api.error("PUT", f"/object_manager_attributes/{title['id']}", json=body) == (
        422,
        "Validation failed: Name Attribute not editable!",
    )
    assert api.error("DELETE", f"/object_manager_attributes/{title['id']}") == (
        422,
        "Ticket.title can't be removed!",
    )


def test_the_data_type_changes_only_between_string_types(api: Api) -> None:
    """``data_type_must_not_change`` (app/models/object_manager/attribute.rb)."""
    created = add_field(api, "amount", "integer")
    body = attribute_body("amount", "input", data_option={"type": "text", "maxlength": 5})
    status, message = api.error("PUT", f"/object_manager_attributes/{created['id']}", json=body)
    assert (status, message) == (
        422,
        "Validation failed: Data type can't be altered after creation (delete the attribute "
        "and create another with the desired value)",
    )


def test_deleting_a_migrated_attribute_removes_the_column_at_the_next_migration(api: Api) -> None:
    """``remove`` marks ``to_delete``; ``migration_execute`` drops the column
    (app/models/object_manager/attribute.rb)."""
    created = add_field(api, "customer_no")
    assert api.ok("DELETE", f"/object_manager_attributes/{created['id']}") == {}
    assert "customer_no" in api.ok("GET", "/tickets/1")
    api.ok("POST", "/object_manager_attributes_execute_migrations")
    assert "customer_no" not in api.ok("GET", "/tickets/1")
    assert api.error("GET", f"/object_manager_attributes/{created['id']}")[0] == 404


def test_deleting_a_missing_attribute_is_a_422(api: Api) -> None:
    """``destroy`` rescues every error into a 422, RecordNotFound included
    (app/controllers/object_manager_attributes_controller.rb)."""
    assert api.error("DELETE", "/object_manager_attributes/999") == (
        422,
        "Couldn't find ObjectManager::Attribute with 'id'=999",
    )


def test_discarding_changes_drops_new_attributes_and_pending_options(api: Api) -> None:
    """``discard_changes`` destroys ``to_create`` attributes and resets the others
    (app/models/object_manager/attribute.rb)."""
    kept = add_field(api, "kept", "select")
    api.ok(
        "PUT",
        f"/object_manager_attributes/{kept['id']}",
        json=attribute_body("kept", "select", data_option={"options": {"z": "Z"}}),
    )
    fresh = api.ok("POST", "/object_manager_attributes", json=attribute_body("fresh"))
    assert api.ok("POST", "/object_manager_attributes_discard_changes") == {}
    assert api.error("GET", f"/object_manager_attributes/{fresh['id']}")[0] == 404
    shown = api.ok("GET", f"/object_manager_attributes/{kept['id']}")
    assert (shown["to_config"], shown["data_option_new"]) == (False, {})
    assert shown["data_option"]["options"] == {"a": "A", "b": "B"}


def test_the_object_list_names_the_customizable_objects(api: Api) -> None:
    """``GET /object_manager_attributes_list`` (config/routes/object_manager_attribute.rb)."""
    assert api.ok("GET", "/object_manager_attributes_list") == {
        "objects": ["Ticket", "Group", "Organization", "User"]
    }
