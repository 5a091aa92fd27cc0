"""Progress bars for long iterations (``progress=True``), and the totals they show.

The bar is ``tqdm``'s (``pip install zammad_orm[progress]``); ``tqdm.auto`` draws a widget in
Jupyter and text elsewhere. Its total is the count the server sends with the first page
(``total_count`` of a ``full`` search or index reply), so showing it costs no extra request;
without one the bar counts up without a total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["TotalSink", "report_first", "total_of", "tqdm_class", "with_progress"]

T = TypeVar("T")

#: what the pager calls with the total it learned from the first page (or None)
TotalSink = Callable[[int | None], None]


def total_of(reply: Any) -> int | None:
    """The whole count a list or search reply announces, or ``None``.

    Only ``total_count`` counts: the ``tickets_count`` of Zammad's ticket search up to 6.4 is
    the length of the page, not of the result.
    """
    if isinstance(reply, Mapping):
        total = reply.get("total_count")
        if isinstance(total, int) and not isinstance(total, bool):
            return total
    return None


def report_first(
    replies: Iterator[Any], sink: TotalSink, total: Callable[[Any], int | None]
) -> Iterator[Any]:
    """The page replies unchanged; the first one's ``total(reply)`` goes to ``sink`` before
    it is passed on."""
    first = True
    for reply in replies:
        if first:
            sink(total(reply))
            first = False
        yield reply


def _tqdm() -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        raise ImportError("progress=True needs tqdm: pip install 'zammad_orm[progress]'") from None
    return tqdm


def with_progress(start: Callable[[TotalSink], Iterator[T]], label: str) -> Iterator[T]:
    """The items of ``start(sink)`` with a progress bar labelled ``label``.

    ``start`` is called at once (so a missing ``tqdm`` fails at the call, and the pager reads
    the acting user now); the pager reports the total through ``sink`` when its first page
    arrives, before the bar is drawn.
    """
    tqdm = _tqdm()
    learned: list[int | None] = []
    items = start(learned.append)
    return _advance(items, learned, tqdm, label)


def _advance(items: Iterator[T], learned: list[int | None], tqdm: Any, label: str) -> Iterator[T]:
    iterator = iter(items)
    try:
        first = next(iterator)
    except StopIteration:
        first_missing = True
    else:
        first_missing = False
    total = learned[0] if learned else None
    with tqdm(total=0 if first_missing else total, desc=label) as bar:
        if first_missing:
            return
        yield first
        bar.update(1)
        for item in iterator:
            yield item
            bar.update(1)


def tqdm_class() -> Any:
    """``tqdm``'s bar class (``tqdm.auto``: a widget in Jupyter, text elsewhere).

    :raises ImportError: naming the extra to install, when tqdm is missing
    """
    return _tqdm()
