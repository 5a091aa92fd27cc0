"""Custom fields in records on the fake server: defaults, casting, validation on write and
search, once ``/object_manager_attributes_execute_migrations`` has run."""

from __future__ import annotations

from object_manager_api import add_field, attribute_body
from raw_api import Api

from zammad_orm.testing import FakeZammad


def test_a_new_ticket_gets_the_default(api: Api) -> None:
    """``ObjectManager::Attribute::SetDefaults`` gives new records the attribute's default
    (app/models/object_manager/attribute/set_defaults.rb); existing ones keep null."""
    add_field(api, "kind", "select", data_option={"options": {"a": "A", "b": "B"}, "default": "b"})
    assert api.ticket()["kind"] == "b"
    assert api.ok("GET", "/tickets/1")["kind"] is None


def test_integer_and_boolean_columns_default_for_existing_records_too(api: Api) -> None:
    """``migration_execute`` creates integer and boolean columns with the attribute's default
    (app/models/object_manager/attribute.rb)."""
    add_field(
        api,
        "urgent",
        "boolean",
        data_option={"options": {"true": "y", "false": "n"}, "default": True},
    )
    assert api.ok("GET", "/tickets/1")["urgent"] is True


def test_a_custom_field_is_written_and_read_back(api: Api) -> None:
    """Migrated attributes are columns: ``param_cleanup`` keeps them
    (app/models/application_model/can_cleanup_param.rb)."""
    add_field(api, "customer_no")
    ticket = api.ticket(customer_no="C-42")
    assert api.ok("GET", f"/tickets/{ticket['id']}")["customer_no"] == "C-42"
    assert (
        api.ok("PUT", f"/tickets/{ticket['id']}", json={"customer_no": "C-43"})["customer_no"]
        == "C-43"
    )


def test_a_field_before_the_migration_is_ignored(api: Api) -> None:
    """Without its column the value is dropped by ``param_cleanup``
    (app/controllers/object_manager_attributes_controller.rb: columns come with
    ``execute_migrations``)."""
    api.ok("POST", "/object_manager_attributes", json=attribute_body("customer_no"))
    assert "customer_no" not in api.ticket(customer_no="C-42")


def test_values_are_cast_as_rails_casts_the_column(api: Api) -> None:
    """Column types of ``migration_execute`` (app/models/object_manager/attribute.rb):
    integer, boolean, date and datetime values are cast."""
    add_field(api, "amount", "integer")
    add_field(api, "urgent", "boolean")
    add_field(api, "due", "date")
    add_field(api, "callback", "datetime")
    ticket = api.ticket(
        amount="7", urgent="false", due="2024-03-01", callback="2024-03-01T10:00:00+02:00"
    )
    assert (ticket["amount"], ticket["urgent"], ticket["due"]) == (7, False, "2024-03-01")
    assert ticket["callback"] == "2024-03-01T08:00:00.000Z"


def test_integers_outside_min_and_max_are_refused(api: Api) -> None:
    """``ObjectManager::Attribute::Validation::MinMax``
    (app/models/object_manager/attribute/validation/min_max.rb)."""
    add_field(api, "amount", "integer")
    response = api.call(
        "POST", "/tickets", json={"title": "T", "group": "Users", "customer_id": 2, "amount": 11}
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: Amount is larger than the allowed maximum value of 10",
        "error_human": "Amount is larger than the allowed maximum value of 10",
    }


def test_text_longer_than_maxlength_is_refused(api: Api) -> None:
    """``ObjectManager::Attribute::Validation::MaxLength``
    (app/models/object_manager/attribute/validation/max_length.rb)."""
    add_field(api, "customer_no")
    status, message = api.error("PUT", "/tickets/1", json={"customer_no": "x" * 21})
    assert (status, message) == (
        422,
        "Validation failed: Customer no is longer than the allowed length 20",
    )


def test_datetimes_respect_past_and_future(api: Api) -> None:
    """``ObjectManager::Attribute::Validation::FuturePast``
    (app/models/object_manager/attribute/validation/future_past.rb)."""
    add_field(api, "callback", "datetime", data_option={"future": True, "past": False, "diff": 24})
    status, message = api.error("PUT", "/tickets/1", json={"callback": "2001-01-01T00:00:00Z"})
    assert (status, message) == (422, "Validation failed: Callback does not allow past dates.")


def test_a_select_value_must_be_an_option(api: Api) -> None:
    """``ChecksCoreWorkflow#check_restrict_values``
    (app/models/concerns/checks_core_workflow.rb)."""
    add_field(api, "kind", "select")
    assert api.error("PUT", "/tickets/1", json={"kind": "z"}) == (
        422,
        "Invalid value 'z' for field 'kind'!",
    )
    assert api.ok("PUT", "/tickets/1", json={"kind": "a"})["kind"] == "a"


def test_a_multiselect_holds_a_list_of_options(api: Api) -> None:
    """Multiselect values are lists; each must be an option
    (app/models/concerns/checks_core_workflow.rb)."""
    add_field(api, "kinds", "multiselect")
    assert api.ok("PUT", "/tickets/1", json={"kinds": ["a", "b"]})["kinds"] == ["a", "b"]
    assert api.error("PUT", "/tickets/1", json={"kinds": ["a", "q"]}) == (
        422,
        "Invalid value 'q' for field 'kinds'!",
    )


_REQUIRED = {"create_middle": {"ticket.agent": {"required": True}}}
_NO_DEFAULT = {"type": "text", "maxlength": 20, "default": None}


def test_a_field_required_on_the_create_screen_must_be_given(api: Api) -> None:
    """``ChecksCoreWorkflow#check_mandatory`` with the ticket's ``create_middle`` screen
    (app/models/concerns/checks_core_workflow.rb, app/controllers/tickets_controller.rb)."""
    add_field(api, "customer_no", data_option=_NO_DEFAULT, screens=_REQUIRED)
    body = {"title": "T", "group": "Users", "customer_id": 2}
    assert api.error("POST", "/tickets", json=body) == (
        422,
        "Missing required value for field 'customer_no'!",
    )
    assert api.ok("POST", "/tickets", json={**body, "customer_no": "C-1"})["customer_no"] == "C-1"


def test_a_required_field_is_satisfied_by_its_default(api: Api) -> None:
    """``check_mandatory`` only refuses nil, and ``SetDefaults`` already gave the new record
    the controller's default ``''`` (app/models/concerns/checks_core_workflow.rb,
    app/models/object_manager/attribute/set_defaults.rb)."""
    add_field(api, "customer_no", screens=_REQUIRED)
    assert api.ticket()["customer_no"] == ""


def test_a_required_field_cannot_be_cleared_on_the_edit_screen(api: Api) -> None:
    """``check_mandatory`` on the ``edit`` screen (app/models/concerns/checks_core_workflow.rb)."""
    add_field(
        api, "customer_no", data_option=_NO_DEFAULT, screens={"edit": {"-all-": {"required": True}}}
    )
    ticket = api.ticket(customer_no="C-1")
    assert api.error("PUT", f"/tickets/{ticket['id']}", json={"customer_no": None}) == (
        422,
        "Missing required value for field 'customer_no'!",
    )


def test_new_records_get_a_datetime_diff_hours_ahead(api: Api) -> None:
    """``SetDefaults#build_value_datetime``: now plus ``diff`` hours, seconds cut
    (app/models/object_manager/attribute/set_defaults.rb)."""
    import datetime as dt

    add_field(api, "callback", "datetime")
    value = dt.datetime.fromisoformat(api.ticket()["callback"].replace("Z", "+00:00"))
    ahead = value - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=23, minutes=58) < ahead <= dt.timedelta(hours=24)
    assert value.second == 0


def test_a_field_required_for_agents_is_optional_for_customers(api: Api, nicole: Api) -> None:
    """Required per permission of the screen (app/models/concerns/checks_core_workflow.rb)."""
    add_field(api, "customer_no", data_option=_NO_DEFAULT, screens=_REQUIRED)
    assert (
        nicole.ok("POST", "/tickets", json={"title": "T", "group": "Users"})["customer_no"] is None
    )


def test_users_organizations_and_groups_take_custom_fields(api: Api) -> None:
    """Custom attributes of User, Organization and Group
    (app/models/object_manager/attribute.rb)."""
    for obj, path in (
        ("User", "/users/2"),
        ("Organization", "/organizations/1"),
        ("Group", "/groups/1"),
    ):
        add_field(api, "region", object=obj)
        assert api.ok("PUT", path, json={"region": "EMEA"})["region"] == "EMEA"


def test_search_finds_records_by_custom_field(api: Api) -> None:
    """Custom fields are indexed like other columns (lib/search_index_backend.rb)."""
    add_field(api, "customer_no")
    add_field(api, "amount", "integer")
    wanted = api.ticket(customer_no="C-42", amount=5)
    api.ticket(customer_no="C-77", amount=9)
    for query in ("customer_no:C-42", "amount:<6", "C-42"):
        found = api.ok("GET", "/tickets/search", params={"query": query})
        assert found["tickets"] == [wanted["id"]], query


def test_users_are_searchable_by_custom_field(api: Api) -> None:
    """User search covers custom fields (lib/search_index_backend.rb)."""
    add_field(api, "region", object="User")
    api.ok("PUT", "/users/2", json={"region": "EMEA"})
    assert [
        user["id"] for user in api.ok("GET", "/users/search", params={"query": "region:emea"})
    ] == [2]


def test_reset_forgets_custom_fields(api: Api, server: FakeZammad) -> None:
    """Each test starts from a new install (zammad_orm/testing/pytest_plugin.py)."""
    add_field(api, "customer_no")
    server.reset()
    assert "customer_no" not in api.ok("GET", "/tickets/1")
