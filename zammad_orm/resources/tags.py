"""Tags (``/tags``, ``/tag_list``, ``/tag_search``): labels on tickets."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypedDict

from zammad_orm.cache import CacheKey

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.resources.tickets import Ticket

__all__ = ["Tags", "TypedTag"]


class TypedTag(TypedDict):
    """One tag of the admin list."""

    #: the tag's id
    id: int
    #: its name
    name: str
    #: how many objects carry it
    count: int


class Tags:
    """Manages the ``/tags``, ``/tag_list`` and ``/tag_search`` endpoints.

    The admin list (``admin.tag``) reads like a mapping of names: ``for tag in client.tags``
    (each a :class:`TypedTag` ``{id, name, count}``), ``client.tags["urgent"]``,
    ``"urgent" in client.tags``. It is read once per cache lifetime (one request, kept in the
    client's shared cache) and read again after every write made through the library. Tags
    are named by name or id in :meth:`rename` and :meth:`delete`; an unknown one raises
    :class:`KeyError` before any write.
    """

    def __init__(self, client: Client) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client.url_for('tags')!r}>"

    def _ticket(self, ticket: Ticket | int) -> Ticket:
        ident = self.client.tickets.reference_id(ticket, field="ticket")
        if isinstance(ticket, int):
            return self.client.tickets(ident)
        return ticket

    def of(self, ticket: Ticket | int) -> list[str]:
        """The tags of ``ticket``: :meth:`Ticket.tags()
        <zammad_orm.resources.tickets.Ticket.tags>`."""
        return self._ticket(ticket).tags()

    def add(self, ticket: Ticket | int, *tags: str) -> list[str]:
        """Add ``tags`` to ``ticket``: :meth:`Ticket.add_tags()
        <zammad_orm.resources.tickets.Ticket.add_tags>` (signals sent, caches kept right)."""
        return self._ticket(ticket).add_tags(*tags)

    def remove(self, ticket: Ticket | int, *tags: str) -> list[str]:
        """Remove ``tags`` from ``ticket``: :meth:`Ticket.remove_tags()
        <zammad_orm.resources.tickets.Ticket.remove_tags>`."""
        return self._ticket(ticket).remove_tags(*tags)

    def search(self, term: str, *, limit: int = 10) -> list[str]:
        """Tag names containing ``term``, case-insensitively, by name (one request); a blank
        term gives the most used names.

        :param limit: how many names at most (Zammad's default is 10)
        """
        if not isinstance(term, str):
            raise TypeError(f"term must be a str, got {term!r}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive int, got {limit!r}")
        reply: list[dict[str, Any]] = self.client.get(
            "tag_search", params={"term": term, "limit": limit}
        )
        return [entry["value"] for entry in reply]

    # -- the admin list (``admin.tag``) -------------------------------------------------------

    def _list_key(self) -> CacheKey:
        return CacheKey(self.client.acting_as, "tag_list", "__list__")

    def _listed(self, *, refresh: bool = False) -> dict[str, TypedTag]:
        """``{name: tag}`` of the admin list, from the shared cache or one request."""
        key = self._list_key()
        if not refresh:
            held: dict[str, TypedTag] | None = self.client.cache.get(key)
            if held is not None:
                return held

        def fetch() -> dict[str, TypedTag]:
            reply = self.client.get("tag_list")
            listed = {
                str(entry["name"]): TypedTag(
                    id=int(entry["id"]), name=str(entry["name"]), count=int(entry["count"])
                )
                for entry in reply
            }
            self.client.cache.put(key, listed)
            return listed

        return self.client.cache.single_flight(("tag_list", key), fetch)

    def reload(self) -> None:
        """Read the admin list again now (one request)."""
        self._listed(refresh=True)

    def all(self) -> list[TypedTag]:
        """Every tag with its id and usage count, ordered by name (admin only; one request
        per cache lifetime)."""
        return [TypedTag(**tag) for tag in self._listed().values()]

    def __iter__(self) -> Iterator[TypedTag]:
        """The admin list's tags (copies: changing them changes nothing)."""
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._listed())

    def __contains__(self, name: object) -> bool:
        return name in self._listed()

    def __getitem__(self, name: str) -> TypedTag:
        """The tag called ``name`` (admin only).

        :raises KeyError: no tag has that name (close names are suggested)
        """
        return TypedTag(**self._tag(name))

    def _tag(self, tag: str | int) -> TypedTag:
        """The listed tag of a name or an id; a miss reads the list once more (the tag may be
        newer than it) before raising."""
        if isinstance(tag, bool) or not isinstance(tag, str | int):
            raise TypeError(f"a tag is named by its name or id, got {tag!r}")
        for refresh in (False, True):
            listed = self._listed(refresh=refresh)
            found = listed.get(tag) if isinstance(tag, str) else None
            if isinstance(tag, int):
                found = next((item for item in listed.values() if item["id"] == tag), None)
            if found is not None:
                return found
        close = difflib.get_close_matches(str(tag), list(listed), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"no tag is {'named' if isinstance(tag, str) else 'numbered'} {tag!r}{hint}")

    def _after_write(self) -> None:
        self.client.cache.invalidate("tag_list")

    def create(self, name: str) -> None:
        """Add ``name`` to the list of known tags (admin only; a name that exists is kept)."""
        clean = _tag_name(name)
        self.client.post("tag_list", json={"name": clean})
        self._after_write()

    def rename(self, tag: str | int, new_name: str) -> None:
        """Rename a tag (by name or id) everywhere it is used (admin only). Onto a name that
        exists, Zammad merges the two into it.

        :raises KeyError: no tag has that name or id (before any write)
        """
        clean = _tag_name(new_name)
        ident = self._tag(tag)["id"]
        self.client.put("tag_list", ident, json={"name": clean})
        self._after_write()

    def delete(self, tag: str | int) -> None:
        """Delete a tag (by name or id) from the list and from every ticket (admin only).

        :raises KeyError: no tag has that name or id (before any write)
        """
        ident = self._tag(tag)["id"]
        self.client.delete("tag_list", ident)
        self._after_write()


def _tag_name(name: object) -> str:
    """A tag name as Zammad keeps it (stripped); blank names are refused before sending."""
    if not isinstance(name, str):
        raise TypeError(f"a tag name is a str, got {name!r}")
    if not name.strip():
        raise ValueError("a tag name cannot be blank")
    return name.strip()
