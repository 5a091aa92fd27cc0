"""How a manager turns what is assigned to a relation into what is sent.

:class:`References` is the part of every manager that answers "what does this value name?":
an object of the family (of the same client), an id, or a name (resolved locally for lookup
tables, sent for the server to resolve otherwise, or recognised as the record the relation
already points to).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from zammad_orm.cache import CachedRecord, CacheKey
from zammad_orm.errors import UnsavedResourceError
from zammad_orm.json_values import check_id, shown
from zammad_orm.resource import Resource

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.unit_of_work import UnitOfWork

__all__ = ["References"]

R = TypeVar("R", bound=Resource)


class References(Generic[R]):
    """Resolving relation values for one resource family (mixed into the managers)."""

    client: Client
    resource_class: type[Resource]
    endpoint: ClassVar[str]

    def _key(self, ident: Any, acting_as: str | None) -> CacheKey:
        return CacheKey(acting_as, self.endpoint, ident)

    if TYPE_CHECKING:

        def _expect_record(
            self, reply: Any, path: tuple[object, ...], ident: Any, method: str | None = "GET"
        ) -> Mapping[str, Any]: ...

    def reference(
        self,
        value: object,
        *,
        field: str,
        acting_as: str | None = None,
        current: Any = None,
    ) -> Any:
        """What to record for ``value`` assigned to a relation ``field``: an id, a name for
        the server to resolve, an unsaved object of the same unit, or ``None``.

        Accepts an object of this family (of the same client), an id, or a name. The base
        class passes names through, unless ``current`` (the id the relation holds now) is the
        record of that name: then the relation is unchanged and nothing will be sent.
        """
        if value is None:
            return None
        if isinstance(value, str):
            return self._name_reference(value, field=field, acting_as=acting_as, current=current)
        return self.reference_id(value, field=field, acting_as=acting_as, allow_unsaved=True)

    def _name_reference(self, name: str, *, field: str, acting_as: str | None, current: Any) -> Any:
        """What to record for a name: here, the name itself for the server to resolve, or
        ``current`` when that record is the one called ``name``."""
        if not name.strip():
            raise ValueError(f"{field} needs a non-empty name, got {name!r}")
        if isinstance(current, int) and self._is_named(current, name, acting_as):
            return current
        return name

    def _id_of_name(self, name: str, *, field: str, acting_as: str | None) -> int:
        """The id of the record called ``name``, for families that resolve names locally."""
        raise TypeError(
            f"{field} takes a {self.resource_class.__name__}, its id or its name, got {shown(name)}"
        )

    def _is_named(self, ident: int, name: str, acting_as: str | None) -> bool:
        """Whether record ``ident`` is the one called ``name`` (families that take names)."""
        return False

    def reference_id(
        self,
        value: object,
        *,
        field: str,
        acting_as: str | None = None,
        allow_unsaved: bool = False,
    ) -> Any:
        """The id of ``value`` (an object of this family, an id or a resolvable name).

        :raises ValueError: for an object of another client (its id names another record)
        :raises UnsavedResourceError: for an unsaved object, unless ``allow_unsaved``
        """
        if isinstance(value, self.resource_class):
            if value._client is not self.client:
                raise ValueError(
                    f"{field}: {value!r} belongs to another Client ({value._client.url}); "
                    "its id would name a different record here"
                )
            ident = value._data.get("id")
            if ident is None:
                if allow_unsaved:
                    return value
                raise UnsavedResourceError(f"save {value!r} before assigning it to {field}")
            return int(ident)
        if isinstance(value, Resource):
            raise TypeError(
                f"{field} takes a {self.resource_class.__name__}, got a {type(value).__name__}"
            )
        if isinstance(value, int) and not isinstance(value, bool):
            check_id(value, where=field)
            return value
        if isinstance(value, str):
            return self._id_of_name(value, field=field, acting_as=acting_as)
        raise TypeError(
            f"{field} takes a {self.resource_class.__name__}, its id or its name, "
            f"got {shown(value)}"
        )

    def by_reference(
        self, name: str, *, acting_as: str | None = None, unit: UnitOfWork | None = None
    ) -> R:
        """The object a name assigned to a relation refers to (may cost a request)."""
        raise TypeError(f"{self.resource_class.__name__} cannot be looked up by name {name!r}")

    def _record_of(self, ident: int, acting_as: str | None) -> Mapping[str, Any]:
        """Record ``ident`` from the shared cache, or fetched (one request, then cached)."""
        key = self._key(ident, acting_as)
        record = self.client.cache.record(key)
        if record is not None:
            return record.data

        def fetch() -> CachedRecord:
            with self.client._acting(acting_as):
                data = self.client.get(self.endpoint, ident)
            self._expect_record(data, (self.endpoint, ident), ident)
            return self.client.cache.store(key, data, complete=True)

        return self.client.cache.single_flight(("load", key), fetch).data
