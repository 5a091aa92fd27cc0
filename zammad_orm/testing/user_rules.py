"""What Zammad's User model does to a user before saving it (``app/models/user.rb``).

* ``check_name``: names are stripped; a user with one name only, or none but an email, gets
  them guessed (``"Agent First"`` becomes Agent / First, ``jane.doe@x.org`` Jane / Doe), and a
  guessed name in one case only is capitalised;
* ``check_email``: the email is lower-cased and stripped (422 ``Invalid email '...'`` when it
  is no address);
* ``check_login``: the login defaults to the email, follows the email when it was the old
  email, falls back to ``auto-<uuid>``, is lower-cased and stripped, and a taken login gets
  the first free number appended (``jane``, ``jane1``, ``jane2``, ...) instead of failing;
* ``ensure_identifier``: 422 unless the user has an email, a name, a phone or a login of its
  own;
* ``ensure_uniq_email``: 422 when a changed email is another user's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from zammad_orm.testing.http import unprocessable

if TYPE_CHECKING:
    from zammad_orm.testing.store import Store

__all__ = ["EMAIL", "normalise_user"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FIRST_LAST = re.compile(r"^(((Dr\.|Prof\.)\s|).+?)\s(.+?)$", re.IGNORECASE)
_EMAIL_NAMES = re.compile(r"^(.+?)\.(.+?)@.+?$")
_ONE_CASE = re.compile(r"^([A-Z]+|[a-z]+)$")


def _guess_names(text: str, email: str) -> tuple[str, str] | None:
    """``User.name_guess``: "Last, First", "First Last", or first.last@ of the email."""
    text = text.strip()
    if "," in text:
        last, _, first = text.partition(", ")
        if first.strip() or last.strip():
            return first.strip(), last.strip()
    match = _FIRST_LAST.match(text)
    if match:
        return match.group(1).strip(), match.group(4).strip()
    if not text and email:
        match = _EMAIL_NAMES.match(email)
        if match:
            return match.group(1).strip(), match.group(2).strip()
    return None


def _names(user: dict[str, Any]) -> None:
    first = str(user.get("firstname") or "").strip()
    last = str(user.get("lastname") or "").strip()
    user["firstname"], user["lastname"] = first, last
    if first and last:
        return
    guess = None
    if first or last:
        guess = _guess_names(first or last, str(user.get("email") or ""))
    elif user.get("email"):
        guess = _guess_names("", str(user["email"]))
    for key, value in zip(("firstname", "lastname"), guess or ("", ""), strict=True):
        if value:
            user[key] = value
        if _ONE_CASE.match(user[key]):
            user[key] = user[key].capitalize()


def _unique_login(store: Store, base: str, ident: int | None) -> str:
    for suffix in ["", *map(str, range(1, 21)), str(uuid.uuid4())]:
        login = f"{base}{suffix}"
        taken = store.find("users", login=login)
        if taken is None or taken["id"] == ident:
            return login
    raise unprocessable(f"Invalid user login generation for login {base}!")


def normalise_user(
    store: Store, saved: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """``changes`` to the user ``saved`` (``{}`` on create) completed and checked as Zammad's
    ``before_validation`` callbacks do; returns the columns to write."""
    user = {**saved, **changes}
    ident = saved.get("id")
    if isinstance(user.get("email"), str):
        user["email"] = user["email"].strip().lower()
    email = str(user.get("email") or "")
    if email and ident != 1 and not EMAIL.match(email):
        raise unprocessable(f"Invalid email '{email}'")
    _names(user)
    login = str(user.get("login") or "").strip()
    old_email = saved.get("email")
    if saved and email != old_email and old_email and saved.get("login") == old_email:
        login = email
    login = (login or email or f"auto-{uuid.uuid4()}").lower()
    user["login"] = _unique_login(store, login, ident)
    own_login = not user["login"].startswith("auto-")
    named = any(str(user.get(key) or "").strip() for key in ("firstname", "lastname", "phone"))
    if not (email or named or own_login):
        raise unprocessable(
            "At least one identifier (firstname, lastname, phone or email) for user is required."
        )
    users = store.tables["users"].values()
    if email and email != old_email and any(other.get("email") == email for other in users):
        raise unprocessable(f"Email address '{email}' is already used for other user.")
    return {key: value for key, value in user.items() if key not in saved or saved[key] != value}
