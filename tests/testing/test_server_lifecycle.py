"""The fake server's own machinery: lifecycle, request log, reset, faults, latency, the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from zammad_orm.testing import FakeZammad

pytest_plugins = ["pytester"]


def headers(server: FakeZammad) -> dict[str, str]:
    return {"Authorization": f"Token token={server.token}"}


def test_url_is_on_loopback_with_a_free_port() -> None:
    with FakeZammad() as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.url.endswith("/api/v1")
        assert int(server.url.split(":")[2].split("/")[0]) > 0


def test_url_before_start_raises() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = FakeZammad().url


def test_stop_closes_the_port() -> None:
    with FakeZammad() as server:
        url = server.url
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/users/me", timeout=2)


def test_request_log_records_method_path_query_body_headers_and_status() -> None:
    with FakeZammad() as server:
        requests.put(
            f"{server.url}/tickets/1?expand=true",
            json={"title": "Logged"},
            headers={**headers(server), "X-Trace": "1"},
            timeout=5,
        )
        (request,) = server.requests
        assert (request.method, request.path, request.endpoint) == (
            "PUT",
            "/api/v1/tickets/1",
            "/tickets/1",
        )
        assert request.query == {"expand": "true"}
        assert request.json == {"title": "Logged"}
        assert request.headers["x-trace"] == "1"
        assert request.status == 200


def test_request_log_keeps_the_last_value_of_a_repeated_parameter() -> None:
    with FakeZammad() as server:
        requests.get(f"{server.url}/tickets?page=1&page=2", headers=headers(server), timeout=5)
        assert server.requests[0].query == {"page": "2"}


def test_reset_restores_the_seed_and_clears_the_log() -> None:
    with FakeZammad() as server:
        requests.put(
            f"{server.url}/tickets/1", json={"title": "Changed"}, headers=headers(server), timeout=5
        )
        server.reset()
        assert server.requests == []
        title = requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5).json()
        assert title["title"] == "Welcome to Zammad!"


def test_seed_false_has_no_welcome_ticket() -> None:
    with FakeZammad(seed=False) as server:
        assert (
            requests.get(f"{server.url}/tickets", headers=headers(server), timeout=5).json() == []
        )


def test_fail_next_answers_zammads_error_body_then_recovers() -> None:
    with FakeZammad() as server:
        server.fail_next(2, status=503, path=r"^/tickets/\d+$")
        for _ in range(2):
            failed = requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5)
            assert failed.status_code == 503
            assert failed.json()["error"] == "Injected failure."
        assert requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5).ok


def test_fail_next_only_hits_matching_requests() -> None:
    with FakeZammad() as server:
        server.fail_next(status=500, method="PUT")
        assert requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5).ok
        failed = requests.put(
            f"{server.url}/tickets/1", json={}, headers=headers(server), timeout=5
        )
        assert failed.status_code == 500


def test_fail_next_html_page_and_extra_headers() -> None:
    with FakeZammad() as server:
        server.fail_next(status=429, body="html", headers={"Retry-After": "3"})
        failed = requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5)
        assert failed.status_code == 429
        assert failed.headers["Content-Type"] == "text/html"
        assert failed.headers["Retry-After"] == "3"


def test_fail_next_drop_closes_the_connection() -> None:
    with FakeZammad() as server:
        server.fail_next(drop=True)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5)
        assert server.requests[-1].status == 0


def test_fail_next_delay_outlasts_a_client_timeout() -> None:
    with FakeZammad() as server:
        server.fail_next(status=0, delay=1.0)
        with pytest.raises(requests.Timeout):
            requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=0.2)


def test_a_request_that_outlives_a_reset_is_neither_applied_nor_logged() -> None:
    with FakeZammad() as server:
        server.fail_next(status=0, delay=0.5, method="PUT")
        with pytest.raises(requests.Timeout):
            requests.put(
                f"{server.url}/tickets/1",
                json={"title": "Too late"},
                headers=headers(server),
                timeout=0.1,
            )
        server.reset()
        time.sleep(0.6)  # the delayed request wakes up after the reset
        assert server.requests == []
        ticket = requests.get(f"{server.url}/tickets/1", headers=headers(server), timeout=5)
        assert ticket.json()["title"] == "Welcome to Zammad!"


def test_latency_delays_every_reply() -> None:
    with FakeZammad(latency=0.2) as server:
        started = time.perf_counter()
        requests.get(f"{server.url}/users/me", headers=headers(server), timeout=5)
        assert time.perf_counter() - started >= 0.2


def test_serve_command_prints_its_url_and_serves_another_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "zammad_orm", "serve", "--port", "0", "--token", "cli-token"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Fake Zammad API at http://127.0.0.1:")
        assert line.endswith("/api/v1 (token: cli-token)")
        url = line.split(" ")[4]
        me = requests.get(
            f"{url}/users/me", headers={"Authorization": "Token token=cli-token"}, timeout=5
        )
        assert me.json()["id"] == 3
    finally:
        process.send_signal(signal.SIGINT if os.name != "nt" else signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_pytest_plugin_fixtures_work_in_a_users_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_closing(zammad_client, zammad_server):
            ticket = zammad_client.tickets(1)
            ticket.state = "closed"
            ticket.save()
            assert zammad_server.requests[-1].json == {"state_id": 4}
        """
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_pytest_plugin_gives_each_test_the_seed_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def auth(server):
            return {"Authorization": f"Token token={server.token}"}

        def test_one_changes_the_server(zammad_server):
            zammad_server.latency = 0.01
            requests.put(f"{zammad_server.url}/tickets/1", json={"title": "Changed"},
                         headers=auth(zammad_server), timeout=5)

        def test_two_sees_the_seed(zammad_server):
            assert zammad_server.requests == []
            assert zammad_server.latency == 0
            ticket = requests.get(f"{zammad_server.url}/tickets/1",
                                  headers=auth(zammad_server), timeout=5).json()
            assert ticket["title"] == "Welcome to Zammad!"
        """
    )
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=2)
