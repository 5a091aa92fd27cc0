"""Resources and lists of them render as HTML tables in Jupyter, from what they hold only."""

from __future__ import annotations

from zammad_orm import Client, ResourceList
from zammad_orm.testing import FakeZammad


def test_an_unloaded_handle_renders_without_a_request(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    shown = zammad_client.tickets(1)._repr_html_()
    assert zammad_server.requests == []
    assert "<caption>Ticket 1 (not loaded)</caption>" in shown


def test_a_loaded_ticket_shows_its_fields_and_the_names_of_cached_relations(
    zammad_client: Client,
) -> None:
    (ticket,) = zammad_client.tickets.search("welcome")  # brings the customer along
    shown = ticket._repr_html_()
    assert "<td>title</td><td>Welcome to Zammad!</td>" in shown
    assert "<td>customer_id</td><td>2 (nicole.braun@zammad.org)</td>" in shown


def test_values_are_html_escaped(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.create(
        title="<script>x</script> & co", group="Users", customer_id=2
    )
    shown = ticket._repr_html_()
    assert "<script>" not in shown
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in shown


def test_pending_changes_are_marked(zammad_client: Client) -> None:
    ticket = zammad_client.tickets.get(1)
    ticket.title = "Renamed"
    shown = ticket._repr_html_()
    assert "(changed: title)" in shown
    assert "<td>title *</td><td>Renamed</td>" in shown


def test_a_resource_list_renders_one_row_per_resource_without_requests(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    users = ResourceList(zammad_client.users.search("*"), fields=["login", "organization.name"])
    zammad_server.clear_requests()
    shown = users._repr_html_()
    assert zammad_server.requests == []
    assert "<th>login</th><th>organization.name</th>" in shown
    assert "<tr><td>nicole.braun@zammad.org</td><td>Zammad Foundation</td></tr>" in shown


def test_a_resource_list_leaves_cells_of_unloaded_records_empty(
    zammad_client: Client, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    shown = ResourceList([zammad_client.tickets(1)])._repr_html_()
    assert zammad_server.requests == []
    assert "<tr><td>1</td><td></td>" in shown
