"""The fake server answers like a real Zammad 6.2: one test per captured request/response sample.

Each file in ``tests/data/zammad-6.2-samples`` holds a request sent to a real Zammad 6.2 and
its reply. For each one a *scenario* below creates what the request needs,
through the fake server's API, and names the ids to put into the sample's path; the test then
sends the sample's request and compares the reply with the sample's:

* the status code and the media type;
* for JSON, the *shape* (:func:`shape_differences`): the same keys, recursively, and the same
  JSON types (integer and float are different types), with the two explicit exceptions below;
* error bodies word for word (after putting our ids in place of the sample's);
* for the binary attachment, the bytes that were uploaded.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from zammad_orm.testing import FakeZammad

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "zammad-6.2-samples"

# --- shape comparison ----------------------------------------------------------------------------

#: Keys whose value may be null on one side and set on the other, because whether it is set
#: depends on the record's history, not on the API's shape. Every other key must have the same
#: JSON type in the sample and in the fake server's reply.
NULLABLE = frozenset(
    {
        # Ticket event timestamps: null until the event (a close, a contact, an owner change)
        # happens. The sample's welcome ticket had been closed and reassigned; ours is fresh.
        "close_at",
        "last_close_at",
        "last_contact_at",
        "last_contact_agent_at",
        "last_contact_customer_at",
        "last_owner_update_at",
        # Null for users (and their tickets) without an organization: the sample's first
        # user and its tickets' customer had none, our Nicole Braun has one.
        "organization_id",
        # The sample's seed group has an email address and a signature; groups created through
        # the API (and the sample's own post_groups reply) have none.
        "email_address_id",
        "signature_id",
    }
)

#: Objects whose keys are data, not schema: only their being objects is compared.
FREE_FORM = frozenset({"preferences"})


def json_type(value: object) -> str:
    """The JSON type of a decoded value; ``integer`` and ``float`` are told apart."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def _is_id_map(value: Mapping[str, object]) -> bool:
    """Objects keyed by record ids (assets, ``group_ids``): their keys are data."""
    return all(key.isdigit() for key in value)


def shape_differences(expected: object, actual: object, path: str = "$") -> list[str]:
    """How ``actual``'s shape differs from ``expected``'s, one message per difference.

    Objects must have the same keys (except id-keyed objects, where the first values are
    compared, and :data:`FREE_FORM` ones); arrays compare their first elements when both are
    non-empty; scalars compare their JSON type, with null allowed for :data:`NULLABLE` keys.
    """
    key = path.rsplit(".", 1)[-1]
    expected_type, actual_type = json_type(expected), json_type(actual)
    if expected_type != actual_type:
        if "null" in (expected_type, actual_type) and key in NULLABLE:
            return []
        return [f"{path}: expected {expected_type}, got {actual_type}"]
    if isinstance(expected, list) and isinstance(actual, list):
        if expected and actual:
            return shape_differences(expected[0], actual[0], f"{path}[0]")
        return []
    if not (isinstance(expected, dict) and isinstance(actual, dict)) or key in FREE_FORM:
        return []
    if _is_id_map(expected) and _is_id_map(actual):
        if expected and actual:
            return shape_differences(
                next(iter(expected.values())), next(iter(actual.values())), f"{path}.<id>"
            )
        return []
    differences: list[str] = []
    if missing := sorted(expected.keys() - actual.keys()):
        differences.append(f"{path}: missing keys {missing}")
    if unexpected := sorted(actual.keys() - expected.keys()):
        differences.append(f"{path}: unexpected keys {unexpected}")
    for name in sorted(expected.keys() & actual.keys()):
        differences += shape_differences(expected[name], actual[name], f"{path}.{name}")
    return differences


def test_equal_shapes_have_no_differences() -> None:
    sample = {"id": 1, "name": "Users", "note": None, "user_ids": [3], "active": True}
    fake = {"id": 7, "name": "Other", "note": None, "user_ids": [4, 5], "active": False}
    assert shape_differences(sample, fake) == []


def test_a_missing_key_is_a_difference() -> None:
    assert shape_differences({"id": 1, "name": "x"}, {"id": 1}) == ["$: missing keys ['name']"]


def test_an_unexpected_key_is_a_difference() -> None:
    assert shape_differences({"id": 1}, {"id": 1, "x": 2}) == ["$: unexpected keys ['x']"]


def test_integer_and_float_are_different_types() -> None:
    assert shape_differences({"size": 1}, {"size": 1.0}) == ["$.size: expected integer, got float"]


def test_null_and_a_value_differ_for_an_ordinary_key() -> None:
    assert shape_differences({"cc": None}, {"cc": ""}) == ["$.cc: expected null, got string"]


def test_null_and_a_value_are_accepted_for_an_allow_listed_key() -> None:
    assert shape_differences({"close_at": "2024-01-01T00:00:00Z"}, {"close_at": None}) == []
    assert shape_differences({"close_at": None}, {"close_at": "2024-01-01T00:00:00Z"}) == []


def test_an_allow_listed_key_still_needs_the_right_type_when_set() -> None:
    assert shape_differences({"close_at": "2024"}, {"close_at": 2024}) == [
        "$.close_at: expected string, got integer"
    ]


def test_arrays_compare_their_first_elements() -> None:
    assert shape_differences([{"id": 1}], [{"id": 2, "x": 1}, {"y": 2}]) == [
        "$[0]: unexpected keys ['x']"
    ]


def test_an_empty_array_matches_any_array() -> None:
    assert shape_differences([], [{"id": 1}]) == []
    assert shape_differences([1], []) == []


def test_id_keyed_objects_compare_values_not_keys() -> None:
    sample = {"Ticket": {"373": {"id": 373, "title": "x"}}}
    fake = {"Ticket": {"2": {"id": 2}}}
    assert shape_differences(sample, fake) == ["$.Ticket.<id>: missing keys ['title']"]


def test_an_empty_id_map_matches_a_filled_one() -> None:
    assert shape_differences({"group_ids": {}}, {"group_ids": {"1": ["full"]}}) == []


def test_free_form_objects_compare_only_their_type() -> None:
    assert shape_differences({"preferences": {"locale": "de"}}, {"preferences": {}}) == []
    assert shape_differences({"preferences": {}}, {"preferences": []}) == [
        "$.preferences: expected object, got array"
    ]


def test_differences_name_the_nested_path() -> None:
    sample = {"assets": {"User": {"1": {"login": "-"}}}}
    fake = {"assets": {"User": {"3": {"login": 3}}}}
    assert shape_differences(sample, fake) == [
        "$.assets.User.<id>.login: expected string, got integer"
    ]


# --- samples and scenarios -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One captured exchange with a real Zammad 6.2."""

    name: str
    method: str
    path: str  # relative to /api/v1, without a leading slash
    query: dict[str, str]
    body: Any
    status: int
    content_type: str
    reply: Any

    @classmethod
    def load(cls, name: str) -> Sample:
        """Read ``name`` from the samples directory."""
        data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
        request, response = data["request"], data["response"]
        return cls(
            name=name,
            method=request["method"],
            path=request["path"].removeprefix("/api/v1").lstrip("/"),
            query=request["query"],
            body=request["json"],
            status=response["status"],
            content_type=response["content_type"],
            reply=response["json"],
        )

    @property
    def ids(self) -> list[str]:
        """The numeric path segments (record ids, ticket numbers), in order."""
        return [part for part in self.path.split("/") if part.isdigit()]


KEEP = object()  # Call.body default: send the sample's own body


@dataclass(frozen=True)
class Call:
    """What a scenario changes in the sample's request: ids, query values, body, credentials."""

    ids: tuple[int | str, ...] = ()
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = KEEP
    auth: tuple[str, str] | None = None  # HTTP Basic instead of the API token
    headers: Mapping[str, str] = field(default_factory=dict)
    uploaded: bytes | None = None  # the attachment's bytes, for the binary sample


class Api:
    """Raw HTTP against the fake server (not zammad_orm's client, which is not under test)."""

    def __init__(self, server: FakeZammad, session: requests.Session) -> None:
        self.server = server
        self.session = session

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        auth: tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one request; the API token authenticates unless ``auth`` is given."""
        all_headers = dict(headers or {})
        if auth is None:
            all_headers["Authorization"] = f"Token token={self.server.token}"
        url = f"{self.server.url}/{path}" if path else self.server.url
        return self.session.request(
            method,
            url,
            params=query,
            json=body,
            auth=auth,
            headers=all_headers,
            timeout=10,
        )

    def ok(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        """Send a setup request that must succeed and return its JSON."""
        response = self.send(method, path, query=query, body=body)
        assert response.ok, f"setup {method} {path} failed: {response.status_code} {response.text}"
        return response.json()

    def ticket(self, **fields: Any) -> dict[str, Any]:
        """A ticket of Nicole Braun (who belongs to an organization) with one article."""
        payload = {
            "title": "__pytest__",
            "group": "Users",
            "customer_id": 2,
            "article": {"body": "..."},
            **fields,
        }
        ticket: dict[str, Any] = self.ok("POST", "tickets", payload)
        return ticket

    def article(self, ticket_id: int, **fields: Any) -> dict[str, Any]:
        """A note on the ticket."""
        payload = {"ticket_id": ticket_id, "body": "pytest article", "type": "note", **fields}
        article: dict[str, Any] = self.ok("POST", "ticket_articles", payload)
        return article

    def time_accounting(self, **fields: Any) -> dict[str, Any]:
        """Time booked on a new ticket's first article."""
        ticket = self.ticket()
        payload = {
            "ticket_id": ticket["id"],
            "ticket_article_id": ticket["article_ids"][0],
            "time_unit": "1.23",
            **fields,
        }
        booking: dict[str, Any] = self.ok("POST", "time_accountings", payload)
        return booking

    def linked_tickets(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Two tickets, the first linked to the second (``normal``)."""
        source, target = self.ticket(), self.ticket()
        self.ok("POST", "links/add", LINK_BY_NUMBER | link_ends(source, target))
        return source, target

    def tag_list_id(self, name: str) -> int:
        """Create a tag in the admin tag list and return its id."""
        self.ok("POST", "tag_list", {"name": name})
        return next(int(tag["id"]) for tag in self.ok("GET", "tag_list") if tag["name"] == name)


LINK_BY_NUMBER = {"link_object_source": "Ticket", "link_object_target": "Ticket"}


def link_ends(source: Mapping[str, Any], target: Mapping[str, Any]) -> dict[str, Any]:
    """``links/add`` parameters: the source by ticket number, the target by id."""
    return {
        "link_type": "normal",
        "link_object_source_number": source["number"],
        "link_object_target_value": target["id"],
    }


Scenario = Callable[[Api], Call]
SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    """Register the setup for the sample file ``name``."""

    def register(function: Scenario) -> Scenario:
        assert name not in SCENARIOS, f"two scenarios for {name}"
        SCENARIOS[name] = function
        return function

    return register


MISSING_ID = 9999  # an id no record has after reset()


# Groups, organizations, roles, users


@scenario("get_groups_id_200.json")
def _get_group(api: Api) -> Call:
    return Call(ids=(1,))


@scenario("post_groups_201.json")
def _create_group(api: Api) -> Call:
    return Call()


@scenario("delete_groups_id_200.json")
def _delete_group(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "groups", {"name": "pytest_group"})["id"],))


@scenario("post_organizations_201.json")
def _create_organization(api: Api) -> Call:
    return Call()


@scenario("delete_organizations_id_200.json")
def _delete_organization(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "organizations", {"name": "pytest_organization"})["id"],))


@scenario("get_roles_200.json")
def _list_roles(api: Api) -> Call:
    return Call()


@scenario("get_roles_id_200.json")
def _get_role(api: Api) -> Call:
    return Call(ids=(1,))


@scenario("get_roles_id_expand_200.json")
def _get_role_expanded(api: Api) -> Call:
    return Call(ids=(1,))


def _cloned_customer_role(api: Api) -> dict[str, Any]:
    """The sample's body: the Customer role as read from the server, renamed."""
    role: dict[str, Any] = api.ok("GET", "roles/3")
    return role | {"name": "Clone: Customer"}


@scenario("post_roles_201.json")
def _create_role(api: Api) -> Call:
    return Call(body=_cloned_customer_role(api))


@scenario("put_roles_id_200.json")
def _update_role(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "roles", _cloned_customer_role(api))["id"],))


@scenario("get_users_id_200.json")
def _get_user(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "users", {"email": "pytest@localhost.local"})["id"],))


@scenario("get_users_me_200.json")
def _get_me(api: Api) -> Call:
    return Call()


@scenario("post_users_201.json")
def _create_user(api: Api) -> Call:
    return Call()


@scenario("delete_users_id_200.json")
def _delete_user(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "users", {"firstname": "John", "lastname": "Pytest"})["id"],))


@scenario("get_version_200.json")
def _get_version(api: Api) -> Call:
    return Call()


@scenario("get_root_404.json")
def _get_root(api: Api) -> Call:
    return Call()


# States and priorities


@scenario("get_ticket_states_id_200.json")
def _get_state(api: Api) -> Call:
    state = api.ok("POST", "ticket_states", {"name": "pytest_state", "state_type_id": 1})
    api.ok("PUT", f"ticket_states/{state['id']}", {"active": False})
    return Call(ids=(state["id"],))


@scenario("get_ticket_states_id_404.json")
def _get_missing_state(api: Api) -> Call:
    return Call(ids=(MISSING_ID,))


@scenario("post_ticket_states_201.json")
def _create_state(api: Api) -> Call:
    return Call()


@scenario("put_ticket_states_id_200.json")
def _update_state(api: Api) -> Call:
    state = api.ok("POST", "ticket_states", {"name": "pytest_state", "state_type_id": 1})
    return Call(ids=(state["id"],))


@scenario("delete_ticket_states_id_200.json")
def _delete_state(api: Api) -> Call:
    state = api.ok("POST", "ticket_states", {"name": "pytest_state", "state_type_id": 5})
    return Call(ids=(state["id"],))


@scenario("get_ticket_priorities_id_200.json")
def _get_priority(api: Api) -> Call:
    priority = api.ok("POST", "ticket_priorities", {"name": "pytest_priority"})
    api.ok("PUT", f"ticket_priorities/{priority['id']}", {"active": False})
    return Call(ids=(priority["id"],))


@scenario("get_ticket_priorities_id_404.json")
def _get_missing_priority(api: Api) -> Call:
    return Call(ids=(MISSING_ID,))


@scenario("post_ticket_priorities_201.json")
def _create_priority(api: Api) -> Call:
    return Call()


@scenario("put_ticket_priorities_id_200.json")
def _update_priority(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "ticket_priorities", {"name": "pytest_priority"})["id"],))


@scenario("delete_ticket_priorities_id_200.json")
def _delete_priority(api: Api) -> Call:
    return Call(ids=(api.ok("POST", "ticket_priorities", {"name": "pytest_priority"})["id"],))


# Tickets and articles


@scenario("get_tickets_200.json")
def _list_tickets_past_the_end(api: Api) -> Call:
    return Call()


@scenario("get_tickets_id_200.json")
def _get_welcome_ticket(api: Api) -> Call:
    return Call(ids=(1,))


@scenario("get_tickets_id_expand_200.json")
def _get_ticket_expanded(api: Api) -> Call:
    # As in the sample: a customer guessed from an email (so no organization), three articles.
    ticket = api.ticket(customer_id="guess:pytest@localhost.local")
    api.article(ticket["id"])
    api.article(ticket["id"])
    return Call(ids=(ticket["id"],))


@scenario("get_tickets_search_200.json")
def _search_tickets(api: Api) -> Call:
    api.ticket()
    api.ticket()
    return Call()


@scenario("post_tickets_201.json")
def _create_ticket(api: Api) -> Call:
    return Call()


@scenario("put_tickets_id_200.json")
def _update_ticket_with_an_article(api: Api) -> Call:
    return Call(ids=(api.ticket(customer_id="guess:pytest@localhost.local")["id"],))


@scenario("delete_tickets_id_200.json")
def _delete_ticket(api: Api) -> Call:
    return Call(ids=(api.ticket()["id"],))


@scenario("get_ticket_history_id_200.json")
def _ticket_history(api: Api) -> Call:
    return Call(ids=(api.ticket()["id"],))


@scenario("put_ticket_merge_id_id_200.json")
def _merge_tickets(api: Api) -> Call:
    target = api.ticket(customer_id="guess:pytest@localhost.local")
    source = api.ticket(customer_id="guess:pytest@localhost.local")
    return Call(ids=(source["id"], target["number"]))


@scenario("get_ticket_articles_by_ticket_id_200.json")
def _articles_of_a_ticket(api: Api) -> Call:
    ticket = api.ticket(customer_id="guess:pytest@localhost.local")
    api.article(ticket["id"], internal=True, attachments=[ATTACHMENT])
    return Call(ids=(ticket["id"],))


@scenario("get_ticket_articles_id_200.json")
def _get_article(api: Api) -> Call:
    return Call(ids=(api.ticket()["article_ids"][0],))


@scenario("post_ticket_articles_201.json")
def _create_article(api: Api) -> Call:
    ticket = api.ticket(customer_id="guess:pytest@localhost.local")
    sample = Sample.load("post_ticket_articles_201.json")
    return Call(body=sample.body | {"ticket_id": ticket["id"]})


ATTACHMENT = {
    "filename": "attachment.txt",
    "data": base64.b64encode(b"pytest attachment").decode(),
    "mime-type": "text/plain",
}
BINARY = bytes(range(256))  # the sample's attachment is 256 bytes of application/octet-stream


@scenario("get_ticket_attachment_id_id_id_200.json")
def _download_attachment(api: Api) -> Call:
    ticket = api.ticket()
    binary = {
        "filename": "attachment.bin",
        "data": base64.b64encode(BINARY).decode(),
        "mime-type": "application/octet-stream",
    }
    article = api.article(ticket["id"], attachments=[ATTACHMENT, binary])
    attachment = next(a for a in article["attachments"] if a["filename"] == "attachment.bin")
    return Call(ids=(ticket["id"], article["id"], attachment["id"]), uploaded=BINARY)


# Tags


@scenario("get_tags_200.json")
def _tags_of_a_ticket(api: Api) -> Call:
    return Call(query={"o_id": str(api.ticket()["id"])})


@scenario("post_tags_add_201.json")
def _add_tag(api: Api) -> Call:
    return Call(body={"item": "__pytest__", "object": "Ticket", "o_id": api.ticket()["id"]})


@scenario("delete_tags_remove_200.json")
def _remove_tag(api: Api) -> Call:
    ticket_id = api.ticket()["id"]
    tag = {"item": "__tag__", "object": "Ticket", "o_id": ticket_id}
    api.ok("POST", "tags/add", tag)
    return Call(body=tag)


@scenario("get_tag_search_200.json")
def _search_tags(api: Api) -> Call:
    return Call()


@scenario("get_tag_list_200.json")
def _tag_list(api: Api) -> Call:
    api.ok("POST", "tags/add", {"item": "accounting", "object": "Ticket", "o_id": 1})
    api.ok("POST", "tag_list", {"name": "__pytest__"})
    return Call()


@scenario("post_tag_list_200.json")
def _create_listed_tag(api: Api) -> Call:
    return Call()


@scenario("put_tag_list_id_200.json")
def _rename_listed_tag(api: Api) -> Call:
    return Call(ids=(api.tag_list_id("__pytest__"),))


@scenario("delete_tag_list_id_200.json")
def _delete_listed_tag(api: Api) -> Call:
    return Call(ids=(api.tag_list_id("__pytest__"),))


# Links


@scenario("get_links_200.json")
def _links_of_a_ticket(api: Api) -> Call:
    source, _target = api.linked_tickets()
    return Call(query={"link_object_value": str(source["id"])})


@scenario("post_links_add_201.json")
def _add_link(api: Api) -> Call:
    source, target = api.ticket(), api.ticket()
    return Call(body=LINK_BY_NUMBER | link_ends(source, target))


@scenario("delete_links_remove_201.json")
def _remove_link(api: Api) -> Call:
    # As in the sample: the link is removed naming its ends the other way round.
    source, target = api.linked_tickets()
    return Call(
        body={
            "link_type": "normal",
            "link_object_source": "Ticket",
            "link_object_source_value": target["id"],
            "link_object_target": "Ticket",
            "link_object_target_value": source["id"],
        }
    )


# Time accounting


@scenario("get_tickets_id_time_accountings_200.json")
def _time_of_a_ticket(api: Api) -> Call:
    return Call(ids=(api.ticket()["id"],))


@scenario("get_time_accountings_id_200.json")
def _get_time_accounting(api: Api) -> Call:
    type_id = api.ok("POST", "time_accounting/types", {"name": "_accounting_type_test"})["id"]
    return Call(ids=(api.time_accounting(type_id=type_id)["id"],))


@scenario("post_time_accountings_201.json")
def _create_time_accounting(api: Api) -> Call:
    # The sample did not record its request body; its reply shows what was sent.
    ticket = api.ticket()
    body = {"ticket_id": ticket["id"], "ticket_article_id": ticket["article_ids"][0]}
    return Call(body=body | {"time_unit": "1.23"})


@scenario("put_time_accountings_id_200.json")
def _update_time_accounting(api: Api) -> Call:
    # The sample did not record its request body; its reply shows the new time_unit.
    return Call(ids=(api.time_accounting()["id"],), body={"time_unit": "2.34"})


@scenario("delete_time_accountings_id_200.json")
def _delete_time_accounting(api: Api) -> Call:
    return Call(ids=(api.time_accounting()["id"],))


@scenario("get_time_accounting_types_200.json")
def _list_time_accounting_types(api: Api) -> Call:
    api.ok("POST", "time_accounting/types", {"name": "_accounting_type_test", "note": "updated"})
    return Call()


@scenario("post_time_accounting_types_201.json")
def _create_time_accounting_type(api: Api) -> Call:
    return Call()


# Online notifications


def _notified_admin(api: Api) -> list[dict[str, Any]]:
    """The agent changes a ticket the admin owns, so the admin is notified."""
    as_agent = {"X-On-Behalf-Of": "agent@example.com"}
    ticket = api.send("POST", "tickets", body={**TICKET_OWNED_BY_ADMIN}, headers=as_agent)
    assert ticket.status_code == 201, ticket.text
    update = {"title": "__pytest__ updated"}
    changed = api.send("PUT", f"tickets/{ticket.json()['id']}", body=update, headers=as_agent)
    assert changed.status_code == 200, changed.text
    notifications: list[dict[str, Any]] = api.ok("GET", "online_notifications")
    assert notifications, "the setup should have notified the admin"
    return notifications


TICKET_OWNED_BY_ADMIN = {
    "title": "__pytest__",
    "group": "Users",
    "customer_id": 2,
    "owner_id": 3,
    "article": {"body": "..."},
}


@scenario("get_online_notifications_expand_200.json")
def _list_notifications(api: Api) -> Call:
    _notified_admin(api)
    return Call()


@scenario("get_online_notifications_id_expand_200.json")
def _get_notification(api: Api) -> Call:
    return Call(ids=(_notified_admin(api)[0]["id"],))


@scenario("post_online_notifications_mark_all_as_read_200.json")
def _mark_notifications_read(api: Api) -> Call:
    _notified_admin(api)
    return Call()


# --- the conformance test ------------------------------------------------------------------------


def sample_files() -> list[str]:
    """Every sample file (all ``*.json`` next to INDEX.md)."""
    return sorted(path.name for path in SAMPLES.glob("*.json"))


def test_the_samples_directory_exists() -> None:
    assert SAMPLES.is_dir(), f"the Zammad 6.2 samples are expected at {SAMPLES}"
    assert sample_files(), f"no samples in {SAMPLES}"


def test_every_sample_has_a_scenario_and_every_scenario_a_sample() -> None:
    assert sorted(SCENARIOS) == sample_files()


def test_the_index_lists_every_sample() -> None:
    index = (SAMPLES / "INDEX.md").read_text(encoding="utf-8")
    listed = sorted(re.findall(r"^\| (\S+\.json) \|", index, flags=re.MULTILINE))
    assert listed == sample_files()


@pytest.fixture(scope="module")
def server() -> Iterator[FakeZammad]:
    """One fake Zammad 6.2 for the module; each test resets it."""
    with FakeZammad(version="6.2") as fake:
        yield fake


@pytest.fixture
def api(server: FakeZammad) -> Iterator[Api]:
    server.reset()
    with requests.Session() as session:
        yield Api(server, session)


def fill_ids(sample: Sample, ids: tuple[int | str, ...]) -> tuple[str, dict[str, str]]:
    """The sample's path with our ids, and how to turn the sample's ids into ours in text."""
    assert len(ids) == len(sample.ids), f"{sample.path} needs {len(sample.ids)} ids, got {ids}"
    ours = iter(str(value) for value in ids)
    path = "/".join(next(ours) if part.isdigit() else part for part in sample.path.split("/"))
    return path, dict(zip(sample.ids, map(str, ids), strict=True))


def substitute(value: Any, replacements: Mapping[str, str]) -> Any:
    """``value`` with each sample id replaced by ours in its strings."""
    if isinstance(value, str):
        for old, new in replacements.items():
            value = re.sub(rf"\b{re.escape(old)}\b", new, value)
        return value
    if isinstance(value, dict):
        return {key: substitute(item, replacements) for key, item in value.items()}
    return value


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


@pytest.mark.parametrize("name", sample_files())
def test_fake_server_answers_like_zammad_6_2(name: str, api: Api) -> None:
    sample = Sample.load(name)
    assert name in SCENARIOS, f"no scenario for the sample {name}: add one to this module"
    call = SCENARIOS[name](api)
    path, replacements = fill_ids(sample, call.ids)
    body = sample.body if call.body is KEEP else call.body
    if sample.body is not None:
        assert sorted(body) == sorted(sample.body), "send the sample's body keys"

    response = api.send(
        sample.method,
        path,
        query={**sample.query, **call.query},
        body=body,
        auth=call.auth,
        headers=call.headers,
    )

    assert response.status_code == sample.status, response.text
    assert media_type(response.headers.get("Content-Type", "")) == media_type(sample.content_type)
    if call.uploaded is not None:
        assert len(call.uploaded) == sample.reply["_binary_bytes"]
        assert response.content == call.uploaded
    elif sample.reply is None:
        assert response.content == b""
    elif sample.status >= 400:
        assert response.json() == substitute(sample.reply, replacements)
    else:
        reply = response.json()
        assert shape_differences(sample.reply, reply) == []
        if isinstance(sample.reply, list) and sample.reply:
            assert reply, "the scenario should give the list something to compare"
