"""A ticket's title and note: whitespace, required, length limits (Zammad 6.2)."""

from __future__ import annotations

import re

import pytest
from raw_api import Api


def test_whitespace_in_a_title_becomes_spaces_one_for_one(api: Api) -> None:
    """app/models/ticket.rb#check_title: ``title.gsub!(%r{\\s|\\t|\\r}, ' ')``: each
    whitespace character becomes a space, nothing is collapsed or stripped."""
    ticket = api.ticket(title=" Printer\t\tbroken\r\n")
    assert ticket["title"] == " Printer  broken  "


def test_an_update_cleans_the_title_the_same_way(api: Api) -> None:
    """app/models/ticket.rb: ``check_title`` runs ``before_update`` too."""
    ticket = api.ticket()
    assert api.ok("PUT", f"/tickets/{ticket['id']}", json={"title": "a\tb"})["title"] == "a b"


@pytest.mark.parametrize("title", ["", "   ", "\t\n", None])
def test_a_blank_title_is_refused_on_create(api: Api, title: str | None) -> None:
    """app/models/concerns/checks_core_workflow.rb#check_mandatory (2023): an empty column
    (nil, or blank and not a boolean) of a mandatory field is ``Missing required value for
    field 'title'!``."""
    response = api.try_ticket(title=title)
    assert (response.status_code, response.json()["error"]) == (
        422,
        "Missing required value for field 'title'!",
    )


def test_a_ticket_without_a_title_is_refused(api: Api) -> None:
    """checks_core_workflow.rb#check_mandatory: the title is mandatory on ``create_middle``."""
    body = {"group": "Users", "customer_id": 2}
    assert api.error("POST", "/tickets", json=body) == (
        422,
        "Missing required value for field 'title'!",
    )


def test_a_blank_title_is_refused_on_update(api: Api) -> None:
    """checks_core_workflow.rb#check_mandatory on the ``edit`` screen."""
    ticket = api.ticket()
    assert api.error("PUT", f"/tickets/{ticket['id']}", json={"title": " "}) == (
        422,
        "Missing required value for field 'title'!",
    )
    assert api.ok("GET", f"/tickets/{ticket['id']}")["title"] == "Ticket"


def test_a_title_of_250_characters_is_kept(api: Api) -> None:
    """db/migrate/20120101000010_create_ticket.rb: ``title`` is a ``string, limit: 250``."""
    assert api.ticket(title="x" * 250)["title"] == "x" * 250


def test_a_longer_title_fails_in_the_database_with_the_raw_error_for_admins(api: Api) -> None:
    """create_ticket.rb (``limit: 250``) and application_controller/handles_errors.rb:
    ``ActiveRecord::ValueTooLong`` is a 422 with no ``error_human``; admins
    (``ExceptionsPolicy#view_details?``) read the PostgreSQL message."""
    response = api.try_ticket(title="x" * 251)
    assert response.status_code == 422
    assert response.json() == {
        "error": "PG::StringDataRightTruncation: ERROR:  value too long for type character "
        "varying(250)\n"
    }


def test_a_longer_title_shows_an_error_id_to_agents(agent: Api) -> None:
    """application_controller/handles_errors.rb#humanize_error: non-admins get ``Error ID
    <id>: Please contact your administrator.``."""
    response = agent.try_ticket(title="x" * 251)
    assert response.status_code == 422
    error = response.json()["error"]
    assert re.fullmatch(r"Error ID [\w-]{8}: Please contact your administrator\.", error)
    assert "error_human" not in response.json()


def test_a_longer_title_is_refused_on_update(api: Api) -> None:
    """create_ticket.rb: the column limit holds for updates too; nothing is saved."""
    ticket = api.ticket()
    response = api.call("PUT", f"/tickets/{ticket['id']}", json={"title": "y" * 300})
    assert response.status_code == 422
    assert api.ok("GET", f"/tickets/{ticket['id']}")["title"] == "Ticket"


def test_a_note_of_250_characters_is_kept(api: Api) -> None:
    """app/models/ticket.rb: ``validates :note, length: { maximum: 250 }``."""
    assert api.ticket(note="n" * 250)["note"] == "n" * 250


def test_a_longer_note_is_refused_with_rails_text(api: Api) -> None:
    """app/models/ticket.rb ``validates :note, length: { maximum: 250 }``: Rails' message,
    as ``error`` and ``error_human`` alike."""
    response = api.try_ticket(note="n" * 251)
    assert response.status_code == 422
    assert response.json() == {
        "error": "Note is too long (maximum is 250 characters)",
        "error_human": "Note is too long (maximum is 250 characters)",
    }


def test_the_note_is_validated_before_the_title(api: Api) -> None:
    """Rails runs validations before the ``before_create`` callbacks (``check_title``, the
    core-workflow checks)."""
    response = api.try_ticket(note="n" * 251, title="")
    assert response.json()["error"] == "Note is too long (maximum is 250 characters)"


def test_a_longer_note_is_refused_on_update(api: Api) -> None:
    """app/models/ticket.rb: the validation runs on every save."""
    ticket = api.ticket()
    assert api.error("PUT", f"/tickets/{ticket['id']}", json={"note": "n" * 251}) == (
        422,
        "Note is too long (maximum is 250 characters)",
    )
