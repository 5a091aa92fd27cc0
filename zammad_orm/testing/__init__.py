"""A fake Zammad server for tests: the REST API of Zammad 6.2 (or newer) over real HTTP.

``FakeZammad`` runs on loopback in a background thread, holds its records in memory and
answers with the keys, types, status codes and error bodies of a real Zammad. Its request log
(``server.requests``) lets tests count what went over the wire; ``fail_next`` injects errors,
delays and dropped connections. See ``docs/testing.md``.
"""

from zammad_orm.testing.clock import FakeClock
from zammad_orm.testing.server import FakeZammad, RecordedRequest

__all__ = ["FakeClock", "FakeZammad", "RecordedRequest"]
