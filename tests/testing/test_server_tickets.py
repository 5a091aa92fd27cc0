"""Tickets on the fake server: create and update semantics, parameters, search, history,
notifications, concurrency."""

from __future__ import annotations

import base64
import threading

import pytest
import requests
from raw_api import Api

from zammad_orm.testing import FakeZammad


def error_of(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]


# -- create --------------------------------------------------------------------------------------


def test_create_takes_names_and_applies_defaults(api: Api) -> None:
    ticket = api.ticket(priority="3 high")
    assert (ticket["group_id"], ticket["priority_id"], ticket["state_id"]) == (1, 3, 1)
    assert ticket["owner_id"] == 1
    assert ticket["organization_id"] == 1  # Nicole's
    assert ticket["number"].isdigit()
    assert ticket["article_ids"] == []


def test_create_with_an_article_counts_it(api: Api) -> None:
    ticket = api.ticket(article={"body": "Hello"})
    assert ticket["article_count"] == 1
    assert len(ticket["article_ids"]) == 1
    (article,) = api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}")
    assert (article["type"], article["sender"], article["internal"]) == ("note", "Agent", False)


def test_create_guesses_a_customer_by_email(api: Api) -> None:
    ticket = api.ticket(customer_id="guess:new.customer@example.org")
    customer = api.ok("GET", f"/users/{ticket['customer_id']}", params={"expand": "true"})
    assert customer["email"] == "new.customer@example.org"
    assert customer["roles"] == ["Customer"]


def test_a_bad_guess_has_no_error_human(api: Api) -> None:
    response = api.call(
        "POST",
        "/tickets",
        json={"title": "x", "group": "Users", "customer_id": "guess:not-an-email"},
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Invalid email 'not-an-email' of customer"}


def test_create_without_group_is_422(api: Api) -> None:
    response = api.call("POST", "/tickets", json={"title": "x", "customer_id": 2})
    assert error_of(response) == (422, "The required value 'group_id' is missing.")


def test_unknown_name_is_422_no_lookup_value(api: Api) -> None:
    response = api.call("POST", "/tickets", json={"title": "x", "group": "Nope", "customer_id": 2})
    assert error_of(response) == (422, "No lookup value found for 'group': \"Nope\"")


def test_unknown_referenced_id_is_422_invalid_value(api: Api) -> None:
    response = api.call("PUT", "/tickets/1", json={"owner_id": 99999})
    assert error_of(response) == (422, "Invalid value for param 'owner_id': 99999")


def test_user_names_must_be_strings(api: Api) -> None:
    response = api.call("PUT", "/tickets/1", json={"owner": 5})
    assert error_of(response) == (422, "String is needed as ref value 5 for 'owner'")


def test_the_id_wins_over_the_name(api: Api) -> None:
    ticket = api.ok("PUT", "/tickets/1", json={"state": "closed", "state_id": 2})
    assert ticket["state_id"] == 2


def test_article_without_body_fails_the_whole_create(api: Api) -> None:
    before = len(api.ok("GET", "/tickets"))
    response = api.call(
        "POST",
        "/tickets",
        json={"title": "x", "group": "Users", "customer_id": 2, "article": {"subject": "no body"}},
    )
    assert error_of(response) == (422, "Need at least an 'article body' field.")
    assert len(api.ok("GET", "/tickets")) == before


def test_pending_state_needs_a_pending_time(api: Api) -> None:
    response = api.call("PUT", "/tickets/1", json={"state": "pending reminder"})
    assert error_of(response) == (422, "Missing required value for field 'pending_time'!")


def test_unknown_and_read_only_fields_are_dropped(api: Api) -> None:
    ticket = api.ok("PUT", "/tickets/1", json={"no_such": 1, "created_by_id": 4, "number": "1"})
    assert "no_such" not in ticket
    assert ticket["created_by_id"] == 2
    assert ticket["number"] == "31001"


def test_a_failed_create_leaves_no_guessed_customer_behind(api: Api) -> None:
    users_before = len(api.ok("GET", "/users"))
    response = api.call(
        "POST",
        "/tickets",
        json={
            "title": "x",
            "group": "Users",
            "customer_id": "guess:ghost@example.org",
            "article": {"subject": "no body"},
        },
    )
    assert response.status_code == 422
    assert len(api.ok("GET", "/users")) == users_before


def test_the_organization_follows_the_customer_on_create(api: Api) -> None:
    other = api.ok("POST", "/organizations", json={"name": "Not Nicole's"})
    ticket = api.ticket(organization_id=other["id"])
    assert ticket["organization_id"] == 1


def test_the_organization_follows_a_new_customer_on_update(api: Api) -> None:
    ticket = api.ticket()
    updated = api.ok(
        "PUT", f"/tickets/{ticket['id']}", json={"customer_id": "guess:loner@example.org"}
    )
    assert updated["organization_id"] is None


def test_leaving_a_pending_state_clears_the_pending_time(api: Api) -> None:
    ticket = api.ticket(state="pending reminder", pending_time="2030-01-01T00:00:00.000Z")
    assert ticket["pending_time"] == "2030-01-01T00:00:00.000Z"
    reopened = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "open"})
    assert reopened["pending_time"] is None


def test_closing_sets_the_close_times(api: Api) -> None:
    ticket = api.ticket()
    assert ticket["close_at"] is None
    closed = api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "closed"})
    assert closed["close_at"] == closed["last_close_at"] == closed["updated_at"]


def test_a_new_owner_sets_last_owner_update_at(api: Api) -> None:
    ticket = api.ticket()
    assert ticket["last_owner_update_at"] is None
    assigned = api.ok("PUT", f"/tickets/{ticket['id']}", json={"owner": "agent@example.com"})
    assert assigned["last_owner_update_at"] == assigned["updated_at"]


def test_a_customers_web_article_is_a_customer_contact(api: Api, server: FakeZammad) -> None:
    ticket = api.ticket(article={"body": "agent note"})
    assert ticket["last_contact_at"] is None  # notes are no contact
    api.session.post(
        f"{server.url}/ticket_articles",
        json={"ticket_id": ticket["id"], "body": "Any news?", "type": "web"},
        headers={"X-On-Behalf-Of": "2"},
        timeout=5,
    ).raise_for_status()
    after = api.ok("GET", f"/tickets/{ticket['id']}")
    assert after["last_contact_customer_at"] is not None
    assert after["last_contact_at"] == after["last_contact_customer_at"]
    assert after["last_contact_agent_at"] is None


def test_customer_and_owner_are_named_by_login_or_email(api: Api) -> None:
    ticket = api.ticket(
        customer_id=None, customer="nicole.braun@zammad.org", owner="AGENT@example.com"
    )
    assert (ticket["customer_id"], ticket["owner_id"]) == (2, 4)


def test_a_customer_hash_creates_the_customer(api: Api) -> None:
    ticket = api.ticket(
        customer_id=None, customer={"firstname": "Erika", "email": "erika@example.org"}
    )
    customer = api.ok("GET", f"/users/{ticket['customer_id']}")
    assert (customer["firstname"], customer["login"]) == ("Erika", "erika@example.org")


def test_a_customer_creates_tickets_for_themselves_only(api: Api) -> None:
    ticket = api.acting_as("2").ticket(customer_id=3, owner_id=4, article={"body": "Help"})
    assert (ticket["customer_id"], ticket["owner_id"], ticket["created_by_id"]) == (2, 1, 2)
    (article,) = api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}")
    assert (article["sender"], article["type"], article["from"]) == (
        "Customer",
        "note",
        "Nicole Braun",
    )


def test_creating_in_a_group_without_create_access_is_403(api: Api) -> None:
    api.ok("POST", "/groups", json={"name": "Sales"})
    response = api.call("POST", "/tickets", json={"title": "x", "group": "Sales", "customer_id": 2})
    assert error_of(response) == (403, "Not authorized")


# -- update --------------------------------------------------------------------------------------


def test_update_is_partial_and_bumps_updated_at(api: Api) -> None:
    ticket = api.ticket(note="keep me")
    updated = api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "New"})
    assert (updated["title"], updated["note"]) == ("New", "keep me")
    assert updated["updated_at"] >= ticket["updated_at"]


def test_update_merges_preferences_one_level_deep(api: Api) -> None:
    ticket = api.ticket(preferences={"a": 1, "nested": {"x": 1}})
    updated = api.ok(
        "PUT", f"/tickets/{ticket['id']}", json={"preferences": {"b": 2, "nested": {"y": 2}}}
    )
    assert updated["preferences"] == {"a": 1, "b": 2, "nested": {"y": 2}}


def test_update_with_an_article_adds_it(api: Api) -> None:
    ticket = api.ticket(article={"body": "first"})
    updated = api.ok("PUT", f"/tickets/{ticket['id']}", json={"article": {"body": "second"}})
    assert updated["article_count"] == 2


def test_update_with_an_empty_article_adds_nothing(api: Api) -> None:
    ticket = api.ticket()
    updated = api.ok("PUT", f"/tickets/{ticket['id']}", json={"article": {}})
    assert updated["article_count"] == 0


def test_update_writes_history(api: Api) -> None:
    ticket = api.ticket()
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"state": "closed"})
    history = api.ok("GET", f"/ticket_history/{ticket['id']}")["history"]
    change = history[-1]
    assert (change["type"], change["attribute"]) == ("updated", "state")
    assert (change["value_from"], change["value_to"]) == ("new", "closed")


def test_changes_by_someone_else_notify_the_owner(api: Api, server: FakeZammad) -> None:
    ticket = api.ticket(owner_id=4)
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "Changed by the admin"})
    as_agent = requests.get(
        f"{server.url}/online_notifications",
        params={"expand": "true"},
        auth=("agent@example.com", server.admin_password),
        timeout=5,
    ).json()
    assert [(n["o_id"], n["type"]) for n in as_agent][:1] == [(ticket["id"], "update")]


def test_updates_under_impersonation_are_by_the_impersonated_user(api: Api) -> None:
    updated = api.acting_as("agent@example.com").ok("PUT", "/tickets/1", json={"title": "Hi"})
    assert updated["updated_by_id"] == 4
    history = api.ok("GET", "/ticket_history/1")["history"]
    assert history[-1]["created_by_id"] == 4


def test_a_customer_cannot_reassign_their_ticket(api: Api) -> None:
    updated = api.acting_as("2").ok("PUT", "/tickets/1", json={"owner_id": 3, "title": "Mine"})
    assert (updated["owner_id"], updated["title"]) == (1, "Mine")


def test_a_customer_cannot_change_someone_elses_ticket(api: Api) -> None:
    other = api.ticket(customer_id="guess:other@example.org")
    response = api.acting_as("2").call("PUT", f"/tickets/{other['id']}", json={"title": "x"})
    assert error_of(response) == (403, "Not authorized")


def test_customers_see_the_tickets_of_a_shared_organization(api: Api) -> None:
    colleague = api.ok("POST", "/users", json={"login": "colleague", "organization_id": 1})
    as_colleague = api.acting_as(str(colleague["id"]))
    assert [ticket["id"] for ticket in as_colleague.ok("GET", "/tickets")] == [1]
    api.ok("PUT", "/organizations/1", json={"shared": False})
    assert as_colleague.ok("GET", "/tickets") == []


def test_delete_answers_an_empty_200(api: Api) -> None:
    ticket = api.ticket()
    response = api.call("DELETE", f"/tickets/{ticket['id']}")
    assert (response.status_code, response.content) == (200, b"")
    assert api.call("GET", f"/tickets/{ticket['id']}").status_code == 404


# -- shapes and parameters -----------------------------------------------------------------------


def test_show_is_plain_columns_and_expand_adds_names(api: Api) -> None:
    plain = api.ok("GET", "/tickets/1")
    assert "article_ids" not in plain
    expanded = api.ok("GET", "/tickets/1", params={"expand": "yes"})
    assert (expanded["group"], expanded["state"], expanded["owner"]) == ("Users", "new", "-")
    assert expanded["customer"] == "nicole.braun@zammad.org"


def test_index_expands_every_ticket(api: Api) -> None:
    (ticket,) = api.ok("GET", "/tickets", params={"expand": "true"})
    assert (ticket["customer"], ticket["priority"], ticket["create_article_sender"]) == (
        "nicole.braun@zammad.org",
        "2 normal",
        "Customer",
    )


def test_full_gives_the_record_id_and_assets(api: Api) -> None:
    full = api.ok("GET", "/tickets/1", params={"full": "true"})
    assert full["id"] == 1
    assert set(full["assets"]) >= {"Ticket", "User", "Group", "Organization"}


def test_index_pages_are_capped_at_100(api: Api) -> None:
    for _ in range(105):
        api.ticket()
    assert len(api.ok("GET", "/tickets", params={"per_page": 500})) == 100
    assert len(api.ok("GET", "/tickets", params={"per_page": 100, "page": 2})) == 6


def test_limit_is_an_alias_of_per_page(api: Api) -> None:
    for _ in range(3):
        api.ticket()
    assert len(api.ok("GET", "/tickets", params={"limit": 2})) == 2


def test_full_index_has_record_ids_and_assets(api: Api) -> None:
    reply = api.ok("GET", "/tickets", params={"full": "true"})
    assert reply["record_ids"] == [1]
    assert "1" in reply["assets"]["Ticket"]


def test_generic_index_sorts_on_request(api: Api) -> None:
    names = [
        state["name"]
        for state in api.ok("GET", "/ticket_states", params={"sort_by": "name", "order_by": "desc"})
    ]
    assert names == sorted(names, reverse=True)


def test_an_invalid_sort_column_is_a_500(api: Api) -> None:
    response = api.call("GET", "/tickets/search", params={"query": "*", "sort_by": "nope"})
    assert response.status_code == 500


# -- search --------------------------------------------------------------------------------------


def test_search_in_6_2_answers_the_legacy_shape(api: Api) -> None:
    ticket = api.ticket(title="Printer on fire")
    reply = api.ok("GET", "/tickets/search", params={"query": "printer"})
    assert reply["tickets"] == [ticket["id"]]
    assert reply["tickets_count"] == 1
    assert str(ticket["id"]) in reply["assets"]["Ticket"]
    assert "2" in reply["assets"]["User"]


def test_search_in_6_5_answers_an_array() -> None:
    with FakeZammad(version="6.5") as newer:
        api = Api(newer)
        ticket = api.ticket(title="Printer on fire")
        reply = api.ok("GET", "/tickets/search", params={"query": "printer"})
        assert [found["id"] for found in reply] == [ticket["id"]]
        assert api.ok(
            "GET", "/tickets/search", params={"query": "*", "only_total_count": "true"}
        ) == {"total_count": 2}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:printer", ["Printer on fire"]),
        ('title:"on fire"', ["Printer on fire"]),
        ("print*", ["Printer on fire"]),
        ("state.name:closed", ["Coffee machine"]),
        ("printer OR coffee", ["Printer on fire", "Coffee machine"]),
        ("NOT state.name:closed AND title:*i*", ["Printer on fire"]),
        ('customer.email:nicole.braun@zammad.org AND priority.name:"3 high"', ["Printer on fire"]),
        ("created_at:>now-1h AND title:coffee", ["Coffee machine"]),
        ("descaling", ["Coffee machine"]),
    ],
)
def test_search_query_language(api: Api, query: str, expected: list[str]) -> None:
    api.ticket(title="Printer on fire", priority="3 high")
    api.ticket(title="Coffee machine", state="closed", article={"body": "Needs descaling"})
    reply = api.ok(
        "GET",
        "/tickets/search",
        params={"query": query, "expand": "true", "sort_by": "id", "order_by": "asc"},
    )
    assert [ticket["title"] for ticket in reply] == expected


def test_search_finds_only_what_the_actor_may_read(api: Api) -> None:
    api.ticket(title="Visible to Nicole")
    api.ticket(title="Visible to others", customer_id="guess:other@example.org")
    found = api.acting_as("2").ok(
        "GET", "/tickets/search", params={"query": "visible", "expand": "true"}
    )
    assert [ticket["title"] for ticket in found] == ["Visible to Nicole"]


def test_search_takes_its_parameters_in_a_post_body(api: Api) -> None:
    for number in range(3):
        api.ticket(title=f"Posted {number}")
    reply = api.ok(
        "POST",
        "/tickets/search",
        json={"query": "posted", "sort_by": "title", "order_by": "asc", "limit": 2},
    )
    titles = [reply["assets"]["Ticket"][str(ident)]["title"] for ident in reply["tickets"]]
    assert (titles, reply["tickets_count"]) == (["Posted 0", "Posted 1"], 2)


def test_search_pages_are_capped_at_200(api: Api) -> None:
    for _ in range(200):
        api.ticket()
    assert len(api.ok("GET", "/tickets/search", params={"query": "*"})["tickets"]) == 50
    reply = api.ok("GET", "/tickets/search", params={"query": "*", "per_page": 1000})
    assert reply["tickets_count"] == 200


def test_search_in_7_0_answers_records_with_a_total_on_request() -> None:
    with FakeZammad(version="7.0") as newer:
        reply = Api(newer).ok(
            "GET", "/tickets/search", params={"query": "welcome", "with_total_count": "true"}
        )
        assert [ticket["id"] for ticket in reply["records"]] == [1]
        assert reply["total_count"] == 1
        assert "article_ids" in reply["records"][0]


def test_users_search(api: Api) -> None:
    found = api.ok("GET", "/users/search", params={"query": "braun"})
    assert [user["id"] for user in found] == [2]


# -- articles and attachments --------------------------------------------------------------------


def test_attachments_upload_as_base64_and_download_as_bytes(api: Api) -> None:
    ticket = api.ticket()
    data = bytes(range(256))
    article = api.ok(
        "POST",
        "/ticket_articles",
        json={
            "ticket_id": ticket["id"],
            "body": "see attached",
            "attachments": [
                {
                    "filename": "blob.bin",
                    "data": base64.b64encode(data).decode(),
                    "mime-type": "application/octet-stream",
                }
            ],
        },
    )
    (attachment,) = article["attachments"]
    assert attachment["size"] == "256"
    response = api.call(
        "GET", f"/ticket_attachment/{ticket['id']}/{article['id']}/{attachment['id']}"
    )
    assert response.content == data
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_bad_base64_is_422_naming_the_attachment(api: Api) -> None:
    ticket = api.ticket()
    response = api.call(
        "POST",
        "/ticket_articles",
        json={
            "ticket_id": ticket["id"],
            "body": "x",
            "attachments": [{"filename": "a", "data": "***", "mime-type": "text/plain"}],
        },
    )
    assert error_of(response) == (422, "Invalid base64 for attachment with index '0'")


def test_customers_do_not_see_internal_articles(api: Api, server: FakeZammad) -> None:
    ticket = api.ticket(article={"body": "public"})
    api.ok(
        "PUT", f"/tickets/{ticket['id']}", json={"article": {"body": "secret", "internal": True}}
    )
    as_nicole = requests.get(
        f"{server.url}/ticket_articles/by_ticket/{ticket['id']}",
        headers={"Authorization": f"Token token={server.token}", "X-On-Behalf-Of": "2"},
        timeout=5,
    ).json()
    assert [article["body"] for article in as_nicole] == ["public"]


def test_articles_always_carry_names(api: Api) -> None:
    ticket = api.ticket(article={"body": "Hello"})
    article = api.ok("GET", f"/ticket_articles/{ticket['article_ids'][0]}")
    assert (article["type"], article["sender"], article["created_by"]) == (
        "note",
        "Agent",
        "admin@example.com",
    )


def test_an_article_update_changes_only_internal_and_highlight(api: Api) -> None:
    ticket = api.ticket(article={"body": "Hello"})
    path = f"/ticket_articles/{ticket['article_ids'][0]}"
    updated = api.ok(
        "PUT",
        path,
        json={"body": "rewritten", "internal": True, "preferences": {"highlight": "yellow"}},
    )
    assert (updated["body"], updated["internal"]) == ("Hello", True)
    assert updated["preferences"]["highlight"] == "yellow"


def test_deleting_an_article_keeps_the_count_true(api: Api) -> None:
    ticket = api.ticket(article={"body": "one"})
    api.ok("PUT", f"/tickets/{ticket['id']}", json={"article": {"body": "two"}})
    assert api.ok("DELETE", f"/ticket_articles/{ticket['article_ids'][0]}") == {}
    assert api.ok("GET", f"/tickets/{ticket['id']}")["article_count"] == 1


def test_customers_cannot_delete_articles(api: Api) -> None:
    ticket = api.ticket(article={"body": "one"})
    response = api.acting_as("2").call("DELETE", f"/ticket_articles/{ticket['article_ids'][0]}")
    assert error_of(response) == (403, "Not authorized (agent permission required)!")


def test_an_attachment_of_another_article_is_403(api: Api) -> None:
    ticket = api.ticket(article={"body": "one"})
    response = api.call("GET", f"/ticket_attachment/{ticket['id']}/{ticket['article_ids'][0]}/99")
    assert error_of(response) == (403, "The file does not belong to the specified article.")


# -- concurrency ---------------------------------------------------------------------------------


def test_concurrent_writers_keep_counts_consistent(api: Api, server: FakeZammad) -> None:
    ticket = api.ticket()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            session = Api(server)
            for step in range(5):
                session.ok(
                    "PUT",
                    f"/tickets/{ticket['id']}",
                    json={"article": {"body": f"{number}.{step}"}},
                )
                session.ticket(title=f"Writer {number}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = api.ok("GET", f"/tickets/{ticket['id']}")
    assert final["article_count"] == 30
    assert len(api.ok("GET", f"/ticket_articles/by_ticket/{ticket['id']}")) == 30
    numbers = [t["number"] for t in api.ok("GET", "/tickets")]
    assert len(numbers) == len(set(numbers)) == 32
