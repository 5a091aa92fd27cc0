"""Tags (``/tags``, ``/tag_list``, ``/tag_search``): labels on tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.resources.tickets import Ticket

__all__ = ["Tags"]


class Tags:
    """Manages the ``/tags``, ``/tag_list`` and ``/tag_search`` endpoints."""

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
        """Tag names containing ``term`` (one request)."""
        reply: list[dict[str, Any]] = self.client.get(
            "tag_search", params={"term": term, "limit": limit}
        )
        return [entry["value"] for entry in reply]

    def all(self) -> list[dict[str, Any]]:
        """Every tag with its id and usage count, ordered by name (admin only)."""
        reply: list[dict[str, Any]] = self.client.get("tag_list")
        return reply

    def create(self, name: str) -> None:
        """Add ``name`` to the list of known tags (admin only)."""
        self.client.post("tag_list", json={"name": name})

    def rename(self, tag_id: int, name: str) -> None:
        """Rename the tag ``tag_id`` everywhere it is used (admin only)."""
        self.client.put("tag_list", tag_id, json={"name": name})

    def delete(self, tag_id: int) -> None:
        """Delete the tag ``tag_id`` from every ticket (admin only)."""
        self.client.delete("tag_list", tag_id)
