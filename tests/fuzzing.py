"""What the fuzz tests share: the case budget, JSON values, and a client whose replies are
canned (a requests transport adapter instead of a socket, so ten thousand cases take seconds).

The case count per test is ``ZAMMAD_ORM_FUZZ_CASES`` (150 by default)::

    ZAMMAD_ORM_FUZZ_CASES=10000 python -m pytest -m fuzz
"""

from __future__ import annotations

import os
from typing import Any

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from zammad_orm import Client, Retry

CASES = int(os.environ.get("ZAMMAD_ORM_FUZZ_CASES", "150"))
TOKEN = "fuzz-secret-token"
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


class CannedAdapter(BaseAdapter):
    """Answers each request with the next canned reply, ``(status, headers, body)``, or raises
    the canned ``requests`` exception class; the last one answers every further request."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__()
        self.script = script
        self.sent = 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        step = self.script[min(self.sent, len(self.script) - 1)]
        self.sent += 1
        if isinstance(step, type):
            raise step("injected", request=request)
        status, headers, body = step
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response._content = body
        response.url = request.url or ""
        response.request = request
        response.reason = "Fuzzed"
        return response

    def close(self) -> None:
        pass


def fuzz_client(adapter: CannedAdapter) -> Client:
    client = Client(
        "https://zammad.test/api/v1", http_token=TOKEN, sleep=lambda _: None, retry=Retry()
    )
    client.session.mount("https://", adapter)
    return client
