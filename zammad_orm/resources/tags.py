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

    def _ticket_id(self, ticket: Ticket | int) -> int:
        ident: int = self.client.tickets.reference_id(ticket, field="ticket")
        return ident

    def of(self, ticket: Ticket | int) -> list[str]:
        """The tags of ``ticket``, in the order they were added (one request)."""
        reply = self.client.get(
            "tags", params={"object": "Ticket", "o_id": self._ticket_id(ticket)}
        )
        return list(reply.get("tags", []))

    def add(self, ticket: Ticket | int, tag: str) -> None:
        """Add ``tag`` to ``ticket`` (adding a tag it has is no error)."""
        self.client.post(
            "tags/add", json={"object": "Ticket", "o_id": self._ticket_id(ticket), "item": tag}
        )

    def remove(self, ticket: Ticket | int, tag: str) -> None:
        """Remove ``tag`` from ``ticket`` (removing a tag it lacks is no error)."""
        self.client.delete(
            "tags/remove",
            json={"object": "Ticket", "o_id": self._ticket_id(ticket), "item": tag},
        )

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
