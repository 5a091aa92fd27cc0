"""Attachments of ticket articles (``/ticket_attachment/:ticket_id/:article_id/:id``).

An :class:`Attachment` describes one file of an article as the article's record lists it;
its content is fetched only when asked for, one request per call and never cached (files can
be large). Errors are the library's usual exceptions (:class:`~zammad_orm.errors.NotFound`,
:class:`~zammad_orm.errors.Forbidden`, ...).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from zammad_orm.errors import exception_for_response

if TYPE_CHECKING:
    from zammad_orm.resources.articles import Article

__all__ = ["Attachment"]

#: bytes per chunk when streaming
DEFAULT_CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True, eq=False)
class Attachment:
    """One file attached to an article.

    :ivar article: the article it belongs to
    :ivar id: the attachment's id (Zammad's ``Store`` id)
    :ivar filename: the file name as stored
    :ivar size: the size in bytes (Zammad sends it as a string; this is an int)
    :ivar preferences: Zammad's preferences of the file (``Mime-Type``, ``Charset``, ...)
    :ivar store_file_id: the id of the stored content (shared by identical files)
    """

    article: Article = field(repr=False)
    id: int
    filename: str
    size: int
    preferences: Mapping[str, Any] = field(default_factory=dict, repr=False)
    store_file_id: int | None = field(default=None, repr=False)

    @classmethod
    def from_record(cls, article: Article, record: Mapping[str, Any]) -> Attachment:
        """The attachment an article's ``attachments`` entry describes."""
        size = record.get("size")
        return cls(
            article=article,
            id=int(record["id"]),
            filename=str(record.get("filename") or f"attachment-{record['id']}"),
            size=int(size) if size not in (None, "") else 0,
            preferences=dict(record.get("preferences") or {}),
            store_file_id=record.get("store_file_id"),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attachment):
            return NotImplemented
        return self.id == other.id and self.article == other.article

    def __hash__(self) -> int:
        return hash((Attachment, self.id))

    @property
    def content_type(self) -> str:
        """The MIME type Zammad serves the file with (its ``Content-Type`` or ``Mime-Type``
        preference, as Zammad's download does; ``application/octet-stream`` without one)."""
        prefs = self.preferences
        value = prefs.get("Content-Type") or prefs.get("Mime-Type") or prefs.get("mime_type")
        return str(value) if value else "application/octet-stream"

    @property
    def url(self) -> str:
        """The download URL."""
        article = self.article
        return article.client.url_for("ticket_attachment", article.ticket_id, article.id, self.id)

    # -- content ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _response(self) -> Iterator[requests.Response]:
        """The streamed download response (closed on leaving); HTTP errors raise."""
        article = self.article
        with article._acting():
            response = article.client.response("GET", self.url, stream=True)
        try:
            if response.status_code >= 400:
                raise exception_for_response(response)
            yield response
        finally:
            response.close()

    def read_bytes(self) -> bytes:
        """The file's content (one request)."""
        with self._response() as response:
            return response.content

    def read_text(self, encoding: str | None = None) -> str:
        """The file's content as text (one request).

        :param encoding: the character set; default: the ``charset`` of the response's
            ``Content-Type``, else UTF-8
        :raises UnicodeDecodeError: the content is not text in that character set (the
            message says which and how to read it instead)
        """
        with self._response() as response:
            data = response.content
            charset = encoding or _charset(response.headers.get("Content-Type", "")) or "utf-8"
        try:
            return data.decode(charset)
        except UnicodeDecodeError as error:
            raise self._not_text(error, charset) from None
        except LookupError:
            raise LookupError(
                f"{self.filename!r}: unknown character set {charset!r}; pass encoding=..."
            ) from None

    def _not_text(self, error: UnicodeDecodeError, charset: str) -> UnicodeDecodeError:
        return UnicodeDecodeError(
            error.encoding,
            error.object,
            error.start,
            error.end,
            f"{self.filename!r} is not {charset} text ({error.reason}); use read_bytes(), "
            "or pass encoding=... with its character set",
        )

    def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The file's content in chunks of at most ``chunk_size`` bytes, streamed (one
        request, made when the iteration starts)."""
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
        with self._response() as response:
            for chunk in response.iter_content(chunk_size):
                if chunk:
                    yield chunk

    def iter_text(
        self, chunk_size: int = DEFAULT_CHUNK_SIZE, *, encoding: str | None = None
    ) -> Iterator[str]:
        """The file's content as text, decoded chunk by chunk as it streams (one request).

        :param encoding: as for :meth:`read_text`
        :raises UnicodeDecodeError: as for :meth:`read_text`
        """
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
        with self._response() as response:
            charset = encoding or _charset(response.headers.get("Content-Type", "")) or "utf-8"
            decoder = codecs.getincrementaldecoder(charset)()
            try:
                for chunk in response.iter_content(chunk_size):
                    text = decoder.decode(chunk)
                    if text:
                        yield text
                rest = decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise self._not_text(error, charset) from None
            if rest:
                yield rest

    def download(self, path: str | os.PathLike[str] = ".", *, overwrite: bool = False) -> Path:
        """Stream the file to disk and return where it is (one request).

        :param path: a file path, or a directory to hold the file under its own name
        :param overwrite: replace an existing file (otherwise :class:`FileExistsError`, raised
            before anything is fetched)

        The content goes to a temporary file beside the target, renamed into place once
        complete: an error leaves no partial file behind.
        """
        target = Path(path)
        if target.is_dir():
            target = target / _safe_name(self.filename, self.id)
        if target.exists() and not overwrite:
            raise FileExistsError(f"{str(target)!r} exists; pass overwrite=True to replace it")
        if target.is_dir():
            raise IsADirectoryError(f"{str(target)!r} is a directory")
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in self.iter_bytes():
                    out.write(chunk)
            if not overwrite and target.exists():
                raise FileExistsError(f"{str(target)!r} appeared during the download")
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return target


def _charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` header, if any."""
    if not content_type:
        return None
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_param("charset")
    return charset if isinstance(charset, str) and charset.strip() else None


def _safe_name(filename: str, ident: int) -> str:
    """``filename`` without any directory part (a stored name cannot escape the target
    directory)."""
    name = Path(filename.replace("\\", "/")).name
    return name if name not in ("", ".", "..") else f"attachment-{ident}"
