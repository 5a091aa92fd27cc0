"""Sending an object's changes: save, update (all or nothing), one-shot updates, delete.

:class:`Writes` is the part of :class:`~zammad_orm.resource.Resource` that talks to the server
to change a record: one write at a time per object (its ``_writing`` lock, held across the
request), the ``-ing`` signals before the payload is read, the server's reply merged, every
other unit of work told, the ``-ed`` signals after.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from zammad_orm import signals
from zammad_orm.conflicts import check_unmodified
from zammad_orm.errors import AmbiguousWriteError, UnexpectedResponse, UnsavedResourceError
from zammad_orm.tracking import MISSING, NOTHING, TrackedRecord
from zammad_orm.write_once import guarding_write_once, withdraw

if TYPE_CHECKING:
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource

__all__ = ["Writes"]

Self = TypeVar("Self", bound="Writes")


class _ScratchUnit:
    """The unit of a scratch copy: it holds nothing."""

    def _track(self, obj: object) -> None:
        """Nothing to hold."""

    def _untrack(self, obj: object) -> None:
        """Nothing to let go."""

    def _watch(self, obj: object) -> None:
        """Nothing to watch."""


_SCRATCH_UNIT: Any = _ScratchUnit()


class Writes(TrackedRecord):
    """Saving, updating and deleting (mixed into :class:`~zammad_orm.resource.Resource`)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _declared: ClassVar[frozenset[str]]

        @property
        def manager(self) -> Manager[Any]: ...

        def _path(self) -> tuple[object, ...]: ...

        def _create_path(self) -> tuple[object, ...]: ...

        def _after_write(self, action: str) -> None: ...

        def _acting(self) -> contextlib.AbstractContextManager[None]: ...

        def _evicting_when_gone(self) -> contextlib.AbstractContextManager[None]: ...

        def _no_such_field(self, name: str, *, loaded: bool) -> str: ...

    def _writing(self) -> threading.RLock:
        """The lock that makes writes through this object one at a time.

        It is held across the request, so it is never the lock that guards the object's
        state (``_lock``, held only briefly): another unit's write can always merge into this
        object while it saves, and two objects' writes never wait for each other.
        """
        lock = self._write_lock
        if lock is None:
            with self._lock:
                lock = self._write_lock
                if lock is None:
                    lock = threading.RLock()
                    object.__setattr__(self, "_write_lock", lock)
        return lock

    def save(self: Self, *, if_unmodified: bool | None = None) -> Self:
        """Send pending changes: a ``POST`` for a new object, a ``PUT`` holding only the
        changed fields otherwise, nothing at all when nothing changed.

        On success the reply is merged into the object (fields the reply lacks are kept), the
        changes are cleared and every other unit of work sees the new data; on failure the
        object keeps every pending change. Two threads saving one object send it once.

        :param if_unmodified: first check that no field about to be sent was changed on the
            server since the object was loaded, raising :class:`ConflictError` instead of
            overwriting (one extra ``GET``; see :mod:`zammad_orm.conflicts` for the race
            window); ``None`` uses the client's ``if_unmodified`` setting
        """
        self._save(if_unmodified=if_unmodified)
        return self

    def _save(self, *, if_unmodified: bool | None = None) -> dict[str, Any] | None:
        """:meth:`save`, returning the payload sent (None when nothing was sent)."""
        resource = cast("Resource", self)
        with self._writing():
            if self._deleted:
                raise UnsavedResourceError(f"{self!r} was deleted")
            created = self.is_new
            cls = type(resource)
            # Receivers of the -ing signal may still change the object: what is sent is read
            # after them.
            if created:
                signals.send_before_write(signals.creating, cls, resource)
            else:
                before = self.changes
                if not before:
                    self._unit._untrack(self)
                    return None
                signals.send_before_write(signals.updating, cls, resource, changes=before)
            payload, states, sources, changes = self._outgoing()
            if not payload and not created:
                self._unit._untrack(self)
                return None
            if created:
                with self._acting():
                    reply = self._client.post(*self._create_path(), json=payload)
                # The record may exist now: UnexpectedResponse says so (maybe_applied).
                self.manager._expect_record(reply, self._create_path(), None, method="POST")
            else:
                if self._unit._checks_unmodified(if_unmodified):
                    with self._acting(), self._evicting_when_gone():
                        check_unmodified(resource, payload)
                with (
                    self._acting(),
                    self._evicting_when_gone(),
                    guarding_write_once(resource, payload, sources),
                ):
                    reply = self._client.put(*self._path(), json=payload)
                    self.manager._expect_record(reply, self._path(), self._data["id"], "PUT")
            self._accept_reply(states, sources, reply)
            if created:
                self._unit._adopt(resource)
            if not self.is_dirty:
                self._unit._untrack(self)
            self._client._record_written(resource)
            self._after_write("create" if created else "update")
        if created:
            signals.send_after_write(signals.created, cls, resource)
        else:
            signals.send_after_write(signals.updated, cls, resource, changes=changes)
        return payload

    def update(self: Self, **fields: Any) -> Self:
        """Assign ``fields`` (names resolve as on assignment) and :meth:`save` at once.

        Other pending changes of this object are sent along. All or nothing: if a value is
        refused (an unknown name, a wrong type, an unknown field) or the server refuses the
        write, the object is exactly as before the call.
        """
        with self._writing():
            before = self._capture()
            try:
                for name, value in fields.items():
                    setattr(self, name, value)
                return self.save()
            except BaseException as error:
                self._restore(before)
                if isinstance(error, AmbiguousWriteError):  # never pending again
                    withdraw(cast("Resource", self), error.unsent)
                raise

    def _send_only(self, fields: Mapping[str, Any]) -> None:
        """Send exactly ``fields`` (one ``PUT``), whatever the object already shows, leaving its
        other pending changes pending and untouched: what ``manager.update(id, **fields)``
        does. The payload is built on a scratch copy, so nothing of the object changes until
        the server has accepted the write, and nothing at all when a value or the write is
        refused."""
        resource = cast("Resource", self)
        scratch = type(resource)(
            self._client, self._data["id"], acting_as=self._acting_as, unit=_SCRATCH_UNIT
        )
        object.__setattr__(scratch, "_loaded", True)  # an unknown field raises, no GET
        for name, value in fields.items():
            if (
                name in self._declared
                or name in self._declared_keys
                or hasattr(type(self), name)
                or name in self._client._custom_fields(type(resource))
            ):
                setattr(scratch, name, value)
            elif name in self._data:
                scratch[name] = value
            else:
                raise AttributeError(self._no_such_field(name, loaded=self._loaded))
        with self._writing():
            if self._deleted:
                raise UnsavedResourceError(f"{self!r} was deleted")
            payload, _states, _sources, sent = scratch._outgoing()
            changes = {
                name: (None if self._original(name) is MISSING else self._original(name), new)
                for name, (_old, new) in sent.items()
            }
            cls = type(resource)
            signals.send_before_write(signals.updating, cls, resource, changes=changes)
            with self._acting(), self._evicting_when_gone():
                reply = self._client.put(*self._path(), json=payload)
            try:
                self.manager._expect_record(reply, self._path(), self._data["id"], "PUT")
            except UnexpectedResponse:
                self.manager.invalidate(self._data["id"])  # what the server holds is unknown
                raise
            self._merge(reply, complete=True)
            self._client._record_written(resource)
        signals.send_after_write(signals.updated, cls, resource, changes=changes)

    def delete(self) -> None:
        """Delete the record on the server now and drop it from every unit and cache."""
        resource = cast("Resource", self)
        with self._writing():
            if self._deleted:
                raise UnsavedResourceError(f"{self!r} was deleted already")
            self.manager._check(self.manager.can_delete, "delete")
            path = self._path()
            cls = type(resource)
            signals.deleting.send(cls, instance=self, client=self._client)
            with self._acting(), self._evicting_when_gone():
                self._client.delete(*path)
            with self._lock:
                self._deleted = True
                object.__setattr__(self, "_pending", NOTHING)
                object.__setattr__(self, "_live", NOTHING)
                self._forget_reads()
            self._unit._doomed.pop(id(self), None)
            self._unit._untrack(self)
            self._client._forget_record(self.manager, path[1], source=resource)
            self._after_write("delete")
        signals.send_after_write(signals.deleted, cls, resource)
