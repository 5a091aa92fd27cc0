"""Associations given by name or as id lists, which Zammad applies: time accounting types,
out-of-office replacements, organization members and group users."""

from __future__ import annotations

from raw_api import Api


def booking_type(api: Api, name: str) -> int:
    return int(api.ok("POST", "/time_accounting/types", json={"name": name})["id"])


def test_a_time_accounting_type_by_name(api: Api) -> None:
    """app/models/application_model/can_associations.rb#association_name_to_id_convert on
    Ticket::TimeAccounting ``belongs_to :type``."""
    type_id = booking_type(api, "Research")
    ticket = api.ticket()
    booking = api.ok(
        "POST",
        f"/tickets/{ticket['id']}/time_accountings",
        json={"time_unit": "1.5", "type": "Research"},
    )
    assert booking["type_id"] == type_id


def test_an_unknown_time_accounting_type_name_is_refused(api: Api) -> None:
    """app/models/application_model/can_associations.rb: ``No lookup value found``."""
    ticket = api.ticket()
    assert api.error(
        "POST", f"/tickets/{ticket['id']}/time_accountings", json={"time_unit": 1, "type": "Nope"}
    ) == (422, "No lookup value found for 'type': \"Nope\"")


def test_an_articles_accounted_time_type_by_name(api: Api) -> None:
    """app/controllers/concerns/creates_ticket_articles.rb: ``accounted_time_type`` names the
    booking's type."""
    type_id = booking_type(api, "Billing")
    ticket = api.ticket(
        article={"body": "worked", "time_unit": "2", "accounted_time_type": "Billing"}
    )
    (booking,) = api.ok("GET", f"/tickets/{ticket['id']}/time_accountings")
    assert (booking["type_id"], booking["time_unit"]) == (type_id, "2.0")


def test_an_out_of_office_replacement_by_login(api: Api) -> None:
    """app/models/user.rb ``belongs_to :out_of_office_replacement``: a login converts to the
    id."""
    updated = api.ok("PUT", "/users/3", json={"out_of_office_replacement": "agent@example.com"})
    assert updated["out_of_office_replacement_id"] == 4


def test_an_unknown_out_of_office_replacement_is_refused(api: Api) -> None:
    """app/models/application_model/can_associations.rb: ``No lookup value found``."""
    assert api.error("PUT", "/users/3", json={"out_of_office_replacement": "ghost"}) == (
        422,
        "No lookup value found for 'out_of_office_replacement': \"ghost\"",
    )


def test_organization_member_ids_replace_the_members(api: Api) -> None:
    """app/models/organization.rb ``has_many :members``: ``member_ids`` go through
    ``associations_from_param``; added users point to it, dropped ones lose it."""
    organization = api.ok("POST", "/organizations", json={"name": "Team", "member_ids": [4]})
    assert organization["member_ids"] == [4]
    assert api.ok("GET", "/users/4")["organization_id"] == organization["id"]
    moved = api.ok("PUT", f"/organizations/{organization['id']}", json={"member_ids": [2]})
    assert moved["member_ids"] == [2]
    assert api.ok("GET", "/users/4")["organization_id"] is None


def test_unknown_member_ids_are_refused(api: Api) -> None:
    """app/models/application_model/can_associations.rb#associations_from_param."""
    assert api.error("POST", "/organizations", json={"name": "T", "member_ids": [99]}) == (
        422,
        "No value found for 'members' with id 99",
    )


def test_group_user_ids_grant_full_access(api: Api) -> None:
    """app/models/concerns/has_groups.rb: Group ``has_many :users, through: :user_groups``;
    new rows get the column default ``full``; dropped users lose their access."""
    group = api.ok("POST", "/groups", json={"name": "Staffed", "user_ids": [4]})
    assert group["user_ids"] == [4]
    agent = api.ok("GET", "/users/4")
    assert agent["group_ids"][str(group["id"])] == ["full"]
    emptied = api.ok("PUT", f"/groups/{group['id']}", json={"user_ids": []})
    assert emptied["user_ids"] == []
    assert str(group["id"]) not in api.ok("GET", "/users/4")["group_ids"]
