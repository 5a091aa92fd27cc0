"""How resources behave under Python's object protocols: ``dir()``, ``copy``, ``pickle`` and
freshness.

* ``dir(obj)`` lists the class's attributes, the fields the object holds and the custom fields
  the client knows (for REPL and IDE completion); it never sends a request.
* ``copy.copy``, ``copy.deepcopy`` and ``pickle`` are refused with a :class:`TypeError` that
  says what to do instead (signal receivers' copies of the changes keep objects as
  themselves, see :func:`deepcopy_sharing_objects`). An object is the one copy of a record
  in its unit of work, tied to a client's session and locks: a second object for the same
  record would track changes the unit never sees. Its data is plain JSON, though:
  ``obj.view()`` is a dict that copies and pickles, and ``client.tickets(id, info=data)``
  gives the object back.
* :attr:`ObjectProtocols.age` is how many seconds ago the object's data arrived from the server
  (by a load, a page, a search, an ``assets`` record or a write's reply), ``None`` when it holds
  none: the counterpart of zammadoo's ``last_request_age_s()``.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

if TYPE_CHECKING:
    from collections.abc import Mapping

    from zammad_orm.client import Client

__all__ = ["ObjectProtocols", "deepcopy_sharing_objects"]

#: a memo entry telling :meth:`ObjectProtocols.__deepcopy__` to share objects, not refuse
_SHARING = object()


def deepcopy_sharing_objects(value: Any) -> Any:
    """A deep copy of ``value`` in which resource objects stay themselves (as classes and
    functions do): what signal receivers get, e.g. a change to a relation that holds an
    object created in the same commit."""
    return copy.deepcopy(value, {id(_SHARING): _SHARING})


class ObjectProtocols:
    """The protocol methods of :class:`~zammad_orm.resource.Resource` (see the module)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _client: Client
        _data: Mapping[str, Any]
        _pending: dict[str, Any]
        _stamp: float | None
        manager_name: ClassVar[str]

    def __dir__(self) -> list[str]:
        custom = self._client._custom_fields(type(self), fetch=False)  # type: ignore[arg-type]
        names = set(super().__dir__()) | set(custom)
        names |= {key for key in (*self._data, *self._pending) if key.isidentifier()}
        return sorted(names)

    def _refuse_copy(self, verb: str) -> NoReturn:
        kind, done = type(self).__name__, "copied" if verb == "copy" else "pickled"
        raise TypeError(
            f"a {kind} cannot be {done}: it is the one object for its record in a unit of "
            f"work, bound to a client that holds credentials; {verb} obj.view() (a plain dict) "
            f"instead and get the "
            f"object back with client.{self.manager_name}(id, info=data)"
        )

    def __copy__(self) -> NoReturn:
        self._refuse_copy("copy")

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if memo.get(id(_SHARING)) is not _SHARING:
            self._refuse_copy("copy")
        return self

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        self._refuse_copy("pickle")

    @property
    def age(self) -> float | None:
        """Seconds since the object's data arrived from the server (on the client cache's
        clock), or ``None`` when it holds no server data (a handle never loaded, a new
        object)."""
        stamp = self._stamp
        if stamp is None:
            return None
        return max(0.0, self._client.cache.timer() - stamp)
