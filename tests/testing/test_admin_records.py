"""``/email_addresses``, ``/signatures``, ``/text_modules`` and ``/templates`` on the fake
server."""

from __future__ import annotations

from raw_api import Api


def test_agents_read_signatures_but_only_admins_write_them(api: Api, agent: Api) -> None:
    """app/policies/controllers/signatures_controller_policy.rb."""
    assert [s["name"] for s in agent.ok("GET", "/signatures")] == ["default"]
    assert agent.error("POST", "/signatures", json={"name": "x"}) == (403, "Not authorized (user)!")
    created = api.call("POST", "/signatures", json={"name": "Sales", "body": "Regards"})
    assert (created.status_code, created.json()["name"]) == (201, "Sales")


def test_customers_may_not_read_signatures(nicole: Api) -> None:
    """app/policies/controllers/signatures_controller_policy.rb: agents and email admins."""
    assert nicole.error("GET", "/signatures") == (403, "Not authorized (user)!")


def test_a_signature_used_by_a_group_cannot_be_deleted(api: Api) -> None:
    """``model_destroy_render`` checks references
    (app/controllers/application_controller/renders_models.rb)."""
    assert api.error("DELETE", "/signatures/1") == (422, "Can't delete, object has references.")
    unused = api.ok("POST", "/signatures", json={"name": "Unused"})
    assert api.ok("DELETE", f"/signatures/{unused['id']}") == {}


def test_an_email_address_is_lower_cased_and_inactive_without_a_channel(api: Api) -> None:
    """``EmailAddress#check_email`` and ``check_if_channel_exists_set_inactive``
    (app/models/email_address.rb)."""
    created = api.ok(
        "POST", "/email_addresses", json={"realname": "Sales", "email": " Sales@Example.com "}
    )
    assert (created["email"], created["active"], created["channel_id"]) == (
        "sales@example.com",
        False,
        None,
    )
    assert (
        api.ok("PUT", f"/email_addresses/{created['id']}", json={"channel_id": 1})["active"] is True
    )


def test_an_email_address_needs_a_valid_email_and_a_realname(api: Api) -> None:
    """``EmailAddress`` validations (app/models/email_address.rb)."""
    assert api.error("POST", "/email_addresses", json={"realname": "S", "email": "nope"}) == (
        422,
        "Invalid email 'nope'",
    )
    assert api.error("POST", "/email_addresses", json={"email": "a@example.com"}) == (
        422,
        "Validation failed: Realname can't be blank",
    )


def test_deleting_an_email_address_clears_the_groups_reference(api: Api) -> None:
    """``EmailAddress#delete_group_reference`` (app/models/email_address.rb)."""
    assert api.ok("DELETE", "/email_addresses/1") == {}
    assert api.ok("GET", "/groups/1")["email_address_id"] is None


def test_text_modules_need_a_name_and_content(api: Api, agent: Api) -> None:
    """``TextModule`` validations; app/policies/controllers/text_modules_controller_policy.rb."""
    assert api.error("POST", "/text_modules", json={"name": "hi"}) == (
        422,
        "Validation failed: Content can't be blank",
    )
    created = api.ok(
        "POST", "/text_modules", json={"name": "hi", "keywords": "greet", "content": "Hello!"}
    )
    assert [module["id"] for module in agent.ok("GET", "/text_modules")] == [created["id"]]
    assert agent.error("DELETE", f"/text_modules/{created['id']}") == (
        403,
        "Not authorized (user)!",
    )


def test_templates_migrate_old_flat_options(api: Api) -> None:
    """``TemplatesController#create`` migrates the pre-5.x option format
    (app/controllers/templates_controller.rb)."""
    created = api.ok(
        "POST", "/templates", json={"name": "Bug", "options": {"title": "Bug", "body": "Steps"}}
    )
    assert created["options"] == {
        "ticket.title": {"value": "Bug"},
        "article.body": {"value": "Steps"},
    }


def test_templates_are_written_by_template_admins_only(agent: Api) -> None:
    """app/policies/controllers/templates_controller_policy.rb."""
    assert agent.ok("GET", "/templates") == []
    assert agent.error("POST", "/templates", json={"name": "x"}) == (403, "Not authorized (user)!")
