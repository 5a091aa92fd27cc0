"""The client's side of units of work: which unit is current, and which units exist.

Each thread and each asyncio task has a default unit; ``with client.unit_of_work()`` makes
another current for its block. The client knows every live unit, so a write through one can
update the others (:mod:`zammad_orm.coherence`).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import TYPE_CHECKING, Any, cast

from zammad_orm import coherence
from zammad_orm.unit_of_work import UnitOfWork, active_units

if TYPE_CHECKING:
    from zammad_orm.client import Client
    from zammad_orm.manager import Manager
    from zammad_orm.resource import Resource

__all__ = ["UnitsOfWork"]


def _current_task() -> asyncio.Task[Any] | None:
    """The running asyncio task, or None outside of one."""
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class UnitsOfWork:
    """Units of work on a client (mixed into :class:`~zammad_orm.Client`)."""

    @property
    def _as_client(self) -> Client:
        """This object as the :class:`~zammad_orm.Client` it is part of."""
        return cast("Client", self)

    def _init_units(self) -> None:
        self._units_lock = threading.Lock()
        self._units: weakref.WeakSet[UnitOfWork] = weakref.WeakSet()
        self._thread_units = threading.local()
        self._task_units: weakref.WeakKeyDictionary[asyncio.Task[Any], UnitOfWork] = (
            weakref.WeakKeyDictionary()
        )

    def unit_of_work(self, *, if_unmodified: bool | None = None) -> UnitOfWork:
        """A new unit of work, to use as ``with client.unit_of_work() as work:``.

        Inside the block, every manager call in this thread or task (and the tasks it starts)
        uses the unit: its objects and pending changes are its own, ``work.commit()`` sends
        them, and leaving the block discards whatever is unsaved (with a warning). See
        :mod:`zammad_orm.unit_of_work`.

        :param if_unmodified: the default of ``save(if_unmodified=...)`` for the unit's
            objects and so of its commits: each ``PUT`` first checks that no field it sends
            was changed on the server since the object loaded it, and a conflict is reported
            as :class:`~zammad_orm.errors.ConflictError` (see :mod:`zammad_orm.conflicts`);
            ``None`` follows the client's ``if_unmodified``
        """
        return UnitOfWork(self._as_client, if_unmodified=if_unmodified)

    def current_unit_of_work(self) -> UnitOfWork:
        """The unit of work manager calls use here and now: the innermost ``with`` block's,
        else this thread's (or asyncio task's) default unit."""
        return self._current_unit()

    def _current_unit(self) -> UnitOfWork:
        unit = active_units.get().get(id(self))
        if unit is not None and not unit.is_closed:  # a task may outlive its block
            return unit
        task = _current_task()
        if task is not None:
            with self._units_lock:
                unit = self._task_units.get(task)
            if unit is None:
                fresh = UnitOfWork(self._as_client, default=True)
                with self._units_lock:
                    unit = self._task_units.setdefault(task, fresh)
            return unit
        unit = getattr(self._thread_units, "unit", None)
        if unit is None:
            unit = UnitOfWork(self._as_client, default=True)
            self._thread_units.unit = unit
        return unit

    def _register_unit(self, unit: UnitOfWork) -> None:
        with self._units_lock:
            self._units.add(unit)

    def _unregister_unit(self, unit: UnitOfWork) -> None:
        with self._units_lock:
            self._units.discard(unit)

    def _live_units(self) -> list[UnitOfWork]:
        with self._units_lock:
            return list(self._units)

    def _record_written(self, obj: Resource) -> None:
        """After a write through ``obj``: see :func:`zammad_orm.coherence.record_written`."""
        coherence.record_written(self._as_client, obj)

    def _forget_record(self, manager: Manager[Any], ident: Any, *, source: Resource) -> None:
        """A record is gone: see :func:`zammad_orm.coherence.forget_record`."""
        coherence.forget_record(self._as_client, manager, ident, source=source)

    def _expire_everywhere(self, endpoint: str, ident: Any = None) -> None:
        """Every unit's objects for one record (or family) load again on their next read."""
        coherence.expire_everywhere(self._as_client, endpoint, ident)
