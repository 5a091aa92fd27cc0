"""Attachments: uploads from paths, file objects and tuples with guessed MIME types; reading,
streaming and downloading files; raw email (zammadoo A1-A7, A10, A13, A14, C11)."""

from __future__ import annotations

import base64
import email
import email.policy
import io
from pathlib import Path

import pytest
from support import NewTicket, last, wire

from zammad_orm import Client
from zammad_orm.errors import NotFound
from zammad_orm.resources.attachments import Attachment
from zammad_orm.resources.tickets import Ticket
from zammad_orm.testing import FakeZammad

BINARY = bytes(range(256))


@pytest.fixture
def ticket(zammad_client: Client, new_ticket: NewTicket) -> Ticket:
    return zammad_client.tickets(new_ticket())


def _sent_files(server: FakeZammad) -> list[dict[str, str]]:
    body = last(server).json
    files: list[dict[str, str]] = body.get("attachments") or body["article"]["attachments"]
    return files


# -- uploads -------------------------------------------------------------------------------


def test_a_path_is_sent_with_its_name_content_and_guessed_type(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 fake")
    ticket.create_article("See attached", files=[path])
    assert _sent_files(zammad_server) == [
        {
            "filename": "report.pdf",
            "data": base64.b64encode(b"%PDF-1.4 fake").decode(),
            "mime-type": "application/pdf",
        }
    ]


def test_a_single_path_string_needs_no_list(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    article = ticket.create_article("See attached", files=str(path))
    assert [a.filename for a in article.attachments] == ["notes.txt"]


def test_a_binary_file_object_is_sent_under_its_name(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(BINARY)
    with path.open("rb") as handle:
        ticket.create_article("Photo", files=[handle])
    assert [(f["filename"], f["mime-type"]) for f in _sent_files(zammad_server)] == [
        ("photo.png", "image/png")
    ]


def test_a_tuple_gives_name_data_and_mime_type(ticket: Ticket, zammad_server: FakeZammad) -> None:
    ticket.create_article("Data", files=[("data.bin", b"\x00\x01", "application/x-custom")])
    assert _sent_files(zammad_server)[0]["mime-type"] == "application/x-custom"


def test_utf8_content_without_a_known_extension_is_text_plain(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.create_article("Log", files=[("build.log1", "Grüße\n".encode())])
    assert _sent_files(zammad_server)[0]["mime-type"] == "text/plain"


def test_binary_content_without_a_known_extension_is_octet_stream(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    ticket.create_article("Dump", files=[("core.dump1", BINARY)])
    assert _sent_files(zammad_server)[0]["mime-type"] == "application/octet-stream"


def test_a_missing_file_raises_before_anything_is_sent(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.txt"):
        ticket.create_article("See attached", files=[tmp_path / "missing.txt"])
    assert zammad_server.requests == []


def test_a_file_object_opened_as_text_is_refused(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with path.open() as handle, pytest.raises(TypeError, match="binary mode"):
        ticket.create_article("See attached", files=[handle])  # type: ignore[list-item]
    assert zammad_server.requests == []


def test_a_nameless_buffer_needs_the_tuple_form(ticket: Ticket) -> None:
    with pytest.raises(ValueError, match="has no name"):
        ticket.create_article("x", files=[io.BytesIO(b"x")])


def test_files_ride_along_a_reply_in_one_put(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    path = tmp_path / "answer.txt"
    path.write_text("42")
    ticket.update(article={"body": "Answer attached", "files": [path]})
    assert wire(zammad_server) == [("PUT", f"/tickets/{ticket.id}")]
    assert [f["filename"] for f in _sent_files(zammad_server)] == ["answer.txt"]
    assert [a.filename for a in ticket.articles[-1].attachments] == ["answer.txt"]


def test_a_bad_file_in_a_reply_leaves_the_ticket_unchanged(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        ticket.update(title="Changed", article={"body": "x", "files": [tmp_path / "none"]})
    assert not ticket.is_dirty
    assert zammad_server.requests == []


def test_the_articles_manager_takes_files_too(
    zammad_client: Client, ticket: Ticket, zammad_server: FakeZammad
) -> None:
    article = zammad_client.ticket_articles.create(
        ticket=ticket, body="Attached", files=[("a.txt", b"hello")]
    )
    assert wire(zammad_server) == [("POST", "/ticket_articles")]
    assert [a.filename for a in article.attachments] == ["a.txt"]


def test_files_cannot_be_added_to_a_saved_article(ticket: Ticket) -> None:
    article = ticket.create_article("Hello")
    with pytest.raises(AttributeError, match="new articles only"):
        article.files = [("a.txt", b"x")]


# -- reading -------------------------------------------------------------------------------


def _with_file(ticket: Ticket, name: str, data: bytes, mime: str | None = None) -> Attachment:
    spec = (name, data) if mime is None else (name, data, mime)
    return ticket.create_article("file", files=[spec]).attachments[0]


def test_attachment_describes_the_file(ticket: Ticket) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY, "application/octet-stream")
    assert (attachment.filename, attachment.size, attachment.content_type) == (
        "a.bin",
        256,
        "application/octet-stream",
    )


def test_read_bytes_fetches_the_content_once(ticket: Ticket, zammad_server: FakeZammad) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    zammad_server.clear_requests()
    assert attachment.read_bytes() == BINARY
    assert wire(zammad_server) == [
        ("GET", f"/ticket_attachment/{ticket.id}/{attachment.article.id}/{attachment.id}")
    ]


def test_client_get_returns_binary_content_as_bytes(ticket: Ticket, zammad_client: Client) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    path = ("ticket_attachment", ticket.id, attachment.article.id, attachment.id)
    assert zammad_client.get(*path) == BINARY


def test_read_text_uses_the_charset_of_the_content_type(ticket: Ticket) -> None:
    attachment = _with_file(
        ticket, "latin.txt", "Grüße".encode("latin-1"), "text/plain; charset=iso-8859-1"
    )
    assert attachment.read_text() == "Grüße"


def test_read_text_defaults_to_utf8(ticket: Ticket) -> None:
    attachment = _with_file(ticket, "utf8.txt", "Grüße".encode(), "text/plain")
    assert attachment.read_text() == "Grüße"


def test_read_text_of_undecodable_content_says_what_to_do(ticket: Ticket) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    with pytest.raises(UnicodeDecodeError, match=r"'a\.bin' is not utf-8 text.*read_bytes"):
        attachment.read_text()


def test_iter_bytes_streams_chunks(ticket: Ticket, zammad_server: FakeZammad) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    zammad_server.clear_requests()
    chunks = list(attachment.iter_bytes(chunk_size=100))
    assert [len(chunk) for chunk in chunks] == [100, 100, 56]
    assert b"".join(chunks) == BINARY
    assert len(zammad_server.requests) == 1


def test_iter_text_decodes_as_it_streams(ticket: Ticket) -> None:
    text = "Grüße " * 50
    attachment = _with_file(ticket, "greetings.txt", text.encode(), "text/plain")
    assert "".join(attachment.iter_text(chunk_size=7)) == text


def test_iter_text_of_binary_content_says_what_to_do(ticket: Ticket) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    with pytest.raises(UnicodeDecodeError, match="read_bytes"):
        list(attachment.iter_text())


def test_a_missing_attachment_raises_the_librarys_error(
    ticket: Ticket, zammad_server: FakeZammad
) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    zammad_server.fail_next(status=404, path="/ticket_attachment/")
    with pytest.raises(NotFound):
        attachment.read_bytes()


# -- downloads -----------------------------------------------------------------------------


def test_download_into_a_directory_uses_the_file_name(ticket: Ticket, tmp_path: Path) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    written = attachment.download(tmp_path)
    assert written == tmp_path / "a.bin"
    assert written.read_bytes() == BINARY


def test_download_to_a_file_path(ticket: Ticket, tmp_path: Path) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    assert attachment.download(tmp_path / "copy.bin").read_bytes() == BINARY


def test_download_refuses_to_overwrite_before_fetching(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    (tmp_path / "a.bin").write_bytes(b"mine")
    zammad_server.clear_requests()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        attachment.download(tmp_path)
    assert (tmp_path / "a.bin").read_bytes() == b"mine"
    assert zammad_server.requests == []


def test_download_overwrites_when_asked(ticket: Ticket, tmp_path: Path) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    (tmp_path / "a.bin").write_bytes(b"mine")
    attachment.download(tmp_path, overwrite=True)
    assert (tmp_path / "a.bin").read_bytes() == BINARY


def test_a_failed_download_leaves_no_file_behind(
    ticket: Ticket, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    attachment = _with_file(ticket, "a.bin", BINARY)
    zammad_server.fail_next(status=500, path="/ticket_attachment/")
    with pytest.raises(Exception, match="500"):
        attachment.download(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_stored_name_cannot_escape_the_target_directory(ticket: Ticket, tmp_path: Path) -> None:
    attachment = _with_file(ticket, "../../escape.txt", b"x")
    target = tmp_path / "inbox"
    target.mkdir()
    assert attachment.download(target) == target / "escape.txt"


# -- raw email -----------------------------------------------------------------------------


def test_raw_email_of_an_email_article_is_its_message(ticket: Ticket) -> None:
    article = ticket.create_article(
        "Hello by mail", type="email", to="nicole.braun@zammad.org", subject="Greetings"
    )
    raw = article.raw_email()
    assert isinstance(raw, bytes)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Greetings"


def test_raw_email_of_a_note_is_none(ticket: Ticket) -> None:
    assert ticket.create_article("just a note").raw_email() is None
