"""Sending many writes: the report of what was sent and what failed, and the order.

:func:`send_writes` is what ``work.commit()`` and ``manager.save_all()`` do: creations first,
each after the new objects its relations refer to, then the other writes, up to ``workers`` at a
time. Failures are collected in a :class:`CommitReport`, never raised half-way.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from zammad_orm.errors import UnsavedResourceError, ZammadError

if TYPE_CHECKING:
    from zammad_orm.resource import Resource

__all__ = ["Action", "CommitError", "CommitReport", "Failure", "Write", "send_writes"]

Action = Literal["create", "update", "delete"]


class Write(NamedTuple):
    """One write a commit sent."""

    #: the object written
    obj: Resource
    #: ``"create"``, ``"update"`` or ``"delete"``
    action: Action
    #: the JSON body sent (None for a delete)
    payload: dict[str, Any] | None


class Failure(NamedTuple):
    """One write a commit could not make; the object keeps its changes."""

    #: the object not written
    obj: Resource
    #: ``"create"``, ``"update"`` or ``"delete"``
    action: Action
    #: why: the server's error, or what kept the write from being tried
    error: BaseException


@dataclass
class CommitReport:
    """What :meth:`UnitOfWork.commit` sent, in order, and what failed."""

    #: the writes the server accepted, in the order they were sent
    writes: list[Write] = field(default_factory=list)
    #: the writes that failed or were not tried
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every write went through."""
        return not self.failures

    def __str__(self) -> str:
        lines = [f"{len(self.writes)} sent, {len(self.failures)} failed"]
        lines += [f"  {w.action} {w.obj!r}: {w.payload}" for w in self.writes]
        lines += [f"  FAILED {f.action} {f.obj!r}: {f.error}" for f in self.failures]
        return "\n".join(lines)


class CommitError(ZammadError):
    """Some writes of a commit failed. ``report`` says what was sent and what failed; the
    objects not written keep their changes, so the commit can be tried again."""

    def __init__(self, report: CommitReport) -> None:
        self.report = report
        named = "; ".join(f"{f.action} {f.obj!r}: {f.error}" for f in report.failures)
        super().__init__(
            f"{len(report.failures)} of {len(report.failures) + len(report.writes)} writes "
            f"failed ({named})"
        )


def send_writes(
    creates: list[Resource],
    later: list[tuple[Resource, Action]],
    *,
    workers: int = 1,
    progress: bool = False,
) -> CommitReport:
    """Create ``creates`` (each after the new objects it refers to), then make the ``later``
    writes, up to ``workers`` at a time; what :meth:`UnitOfWork.commit` and
    ``manager.save_all`` do. Failures are reported, not raised."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}")
    ordered = _creation_order(creates)
    report = CommitReport()
    bar = _progress_bar(len(ordered) + len(later)) if progress else None
    lock = threading.Lock()
    failed: set[int] = set()

    def write(obj: Resource, action: Action) -> None:
        try:
            if action == "delete":
                obj.delete()
                payload: dict[str, Any] | None = None
            else:
                payload = obj._save()
        except Exception as error:
            with lock:
                failed.add(id(obj))
                report.failures.append(Failure(obj, action, error))
        else:
            if payload is not None or action == "delete":
                with lock:
                    report.writes.append(Write(obj, action, payload))
        finally:
            if bar is not None:
                bar.update(1)

    try:
        for obj in ordered:
            blocked = [ref for ref in _unsaved_references(obj) if id(ref) in failed]
            if blocked:
                failed.add(id(obj))
                error = UnsavedResourceError(f"not sent: {blocked[0]!r} could not be created")
                report.failures.append(Failure(obj, "create", error))
                continue
            write(obj, "create")
        # Changes before deletions (a change may stop referring to a record deleted next),
        # each phase with up to ``workers`` requests in flight.
        for phase in ("update", "delete"):
            batch = [(obj, action) for obj, action in later if action == phase]
            if workers == 1 or len(batch) < 2:
                for obj, action in batch:
                    write(obj, action)
                continue
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for future in [pool.submit(write, obj, action) for obj, action in batch]:
                    future.result()
    finally:
        if bar is not None:
            bar.close()
    return report


def _progress_bar(total: int) -> Any:
    """A ``tqdm`` bar for ``total`` writes (``pip install zammad_orm[progress]``)."""
    from zammad_orm.progress import tqdm_class

    return tqdm_class()(total=total, desc="writes")


def _unsaved_references(obj: Resource) -> list[Resource]:
    """The unsaved objects that ``obj``'s pending changes refer to."""
    from zammad_orm.resource import Resource

    return [
        value for value in obj._pending.values() if isinstance(value, Resource) and value.is_new
    ]


def _creation_order(new: list[Resource]) -> list[Resource]:
    """New objects, each after the new objects its relations refer to (cycles keep their
    order and fail on save with a clear error)."""
    ordered: list[Resource] = []
    placed: set[int] = set()
    visiting: set[int] = set()
    members = {id(obj) for obj in new}

    def place(obj: Resource) -> None:
        if id(obj) in placed or id(obj) in visiting:
            return
        visiting.add(id(obj))
        for ref in _unsaved_references(obj):
            if id(ref) in members:
                place(ref)
        visiting.discard(id(obj))
        placed.add(id(obj))
        ordered.append(obj)

    for obj in new:
        place(obj)
    return ordered
