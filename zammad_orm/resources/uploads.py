"""Files to attach to a new article, in the form Zammad's API takes them.

Zammad takes attachments inside the article's JSON: ``[{"filename", "data" (base64),
"mime-type"}]`` (``CreatesTicketArticles#article_create``). :func:`encode_files` builds that list
from what a caller has at hand:

* a path (``str`` or :class:`os.PathLike`): the file's name and bytes;
* a binary file object (``open(p, "rb")``, :class:`io.BytesIO` with a ``name``): read to its
  end; its name is ``.name`` (a ``BytesIO`` without one needs the tuple form);
* a tuple ``(filename, data)`` or ``(filename, data, mime_type)`` where ``data`` is ``bytes``
  (or ``str``, sent as UTF-8).

The MIME type, unless given, is guessed from the file name (:mod:`mimetypes`), else
``text/plain`` for content that decodes as UTF-8 text, else ``application/octet-stream``.
Every file is read and checked before anything is sent: a missing file or a bad tuple raises
with nothing sent.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, TypeAlias

from zammad_orm.json_values import shown

__all__ = ["FileSpec", "Upload", "encode_files", "guess_mime_type"]

#: one file to attach: a path, a binary file object, or ``(name, data[, mime_type])``
FileSpec: TypeAlias = (
    str
    | os.PathLike[str]
    | IO[bytes]
    | tuple[str, bytes | str]
    | tuple[str, bytes | str, str | None]
)

#: one encoded attachment, as Zammad's API takes it
Upload: TypeAlias = dict[str, str]


def guess_mime_type(filename: str, data: bytes) -> str:
    """The MIME type of ``data`` named ``filename``: from the name, else ``text/plain`` for
    UTF-8 text without NUL bytes, else ``application/octet-stream``."""
    guessed, _encoding = mimetypes.guess_type(filename, strict=False)
    if guessed:
        return guessed
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain"
    return "application/octet-stream"


def _read(spec: object, position: int) -> tuple[str, bytes, str | None]:
    """``(filename, data, mime type or None)`` of one file spec."""
    where = f"files[{position}]"
    if isinstance(spec, tuple):
        if len(spec) not in (2, 3):
            raise ValueError(f"{where}: a tuple is (filename, data) or (filename, data, mime_type)")
        name, data = spec[0], spec[1]
        mime = spec[2] if len(spec) == 3 else None
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: the file name must be a non-empty str, got {shown(name)}")
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"{where}: the data must be bytes or str, got {type(data).__name__}")
        if mime is not None and (not isinstance(mime, str) or not mime.strip()):
            raise ValueError(f"{where}: the MIME type must be a non-empty str, got {shown(mime)}")
        return name, bytes(data), mime
    if isinstance(spec, str | os.PathLike):
        path = Path(spec)
        if not path.is_file():
            raise FileNotFoundError(f"{where}: no such file: {str(path)!r}")
        return path.name, path.read_bytes(), None
    read = getattr(spec, "read", None)
    if callable(read):
        name = getattr(spec, "name", None)
        if not isinstance(name, str | os.PathLike) or not os.fspath(name):
            raise ValueError(
                f"{where}: the file object has no name; pass (filename, data[, mime_type])"
            )
        data = read()
        if not isinstance(data, bytes):
            raise TypeError(f"{where}: open the file in binary mode ('rb'), it gave {data!r:.40}")
        return Path(os.fspath(name)).name, data, None
    raise TypeError(
        f"{where}: expected a path, a binary file object or (filename, data[, mime_type]), "
        f"got {shown(spec)}"
    )


def encode_files(files: Iterable[FileSpec] | FileSpec) -> list[Upload]:
    """Zammad's ``attachments`` list for ``files``: a list (or any iterable, a tuple too) of
    file specs, or a single path or file object (see the module docs). All files are read and
    checked before this returns.

    :raises FileNotFoundError: a path names no file
    :raises TypeError, ValueError: a spec of the wrong shape
    """
    specs: list[Any]
    if isinstance(files, str | os.PathLike) or callable(getattr(files, "read", None)):
        specs = [files]
    elif isinstance(files, Iterable):
        specs = list(files)
    else:
        raise TypeError(f"files: expected file specs, got {shown(files)}")
    uploads: list[Upload] = []
    for position, spec in enumerate(specs):
        name, data, mime = _read(spec, position)
        uploads.append(
            {
                "filename": name,
                "data": base64.b64encode(data).decode("ascii"),
                "mime-type": mime or guess_mime_type(name, data),
            }
        )
    return uploads
