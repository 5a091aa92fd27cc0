"""A ticket's ``title`` and ``note`` on save, in the order Zammad 6.2 checks them.

1. ``validates :note, length: { maximum: 250 }`` (``app/models/ticket.rb``): a validation,
   so it runs first and answers 422 ``Note is too long (maximum is 250 characters)``.
2. ``check_title`` (a ``before_create``/``before_update`` callback) turns every whitespace
   character of the title into one space: nothing is collapsed or stripped.
3. ``ChecksCoreWorkflow#check_mandatory``: the title is mandatory on the create and edit
   screens, so a missing, null or blank one is 422 ``Missing required value for field
   'title'!``.
4. The database: ``tickets.title`` is ``varchar(250)``; a longer title makes PostgreSQL fail
   the insert (``ActiveRecord::ValueTooLong``, a 422 with no human text: admins read the
   database error, everyone else an error id).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from zammad_orm.testing.http import unexplained, unprocessable

__all__ = ["NOTE_MAXIMUM", "TITLE_COLUMN_LIMIT", "check_ticket_text"]

#: ``validates :note, length: { maximum: 250 }``
NOTE_MAXIMUM = 250
#: ``t.column :title, :string, limit: 250`` (``db/migrate/20120101000010_create_ticket.rb``)
TITLE_COLUMN_LIMIT = 250

#: Ruby's ``\s``: ASCII whitespace only
_RUBY_WHITESPACE = re.compile(r"[ \t\r\n\f\v]")


def check_ticket_text(values: MutableMapping[str, Any], *, creating: bool, admin: bool) -> None:
    """Check and clean the ``title`` and ``note`` of ticket ``values`` in place (on update
    only the keys given are looked at); ``admin`` decides what a database error shows."""
    note = values.get("note")
    if isinstance(note, str) and len(note) > NOTE_MAXIMUM:
        raise unprocessable(f"Note is too long (maximum is {NOTE_MAXIMUM} characters)")
    if not creating and "title" not in values:
        return
    title = values.get("title")
    if isinstance(title, str):
        title = values["title"] = _RUBY_WHITESPACE.sub(" ", title)
    if title is None or (isinstance(title, str) and not title.strip()):
        raise unprocessable("Missing required value for field 'title'!")
    if isinstance(title, str) and len(title) > TITLE_COLUMN_LIMIT:
        raise unexplained(
            422,
            "PG::StringDataRightTruncation: ERROR:  value too long for type character "
            f"varying({TITLE_COLUMN_LIMIT})\n",
            admin=admin,
        )
