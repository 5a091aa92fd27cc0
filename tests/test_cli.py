"""The ``zammad-orm`` console script, run for real against the fake server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zammad_orm.cli import main
from zammad_orm.testing import FakeZammad

SCRIPT = Path(sys.executable).with_name("zammad-orm")

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(zammad_server: FakeZammad, tmp_path: Path) -> Run:
    """Run the console script with the server in ZAMMAD_URL/ZAMMAD_HTTP_TOKEN and the config
    file in a temporary directory (``env`` entries override, None removes)."""

    def run_script(
        *args: str, env: dict[str, str | None] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("ZAMMAD")}
        environ.update(
            HOME=str(tmp_path),
            ZAMMAD_ORM_CONFIG=str(tmp_path / "config.ini"),
            ZAMMAD_URL=zammad_server.url,
            ZAMMAD_HTTP_TOKEN=zammad_server.token,
        )
        for key, value in (env or {}).items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        return subprocess.run(
            [str(SCRIPT), *args], capture_output=True, text=True, env=environ, timeout=60
        )

    return run_script


def test_ticket_search_prints_an_aligned_table(run: Run) -> None:
    result = run("tickets", "search", "welcome", "--fields", "id,title,state.name")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "id  title               state.name",
        "1   Welcome to Zammad!  new",
    ]


def test_ticket_search_as_json_is_a_list_of_records(run: Run) -> None:
    result = run("tickets", "search", "welcome", "--json", "--fields", "id,customer.email")
    assert json.loads(result.stdout) == [{"id": 1, "customer.email": "nicole.braun@zammad.org"}]


def test_ticket_show_lists_fields_with_relation_names(run: Run) -> None:
    result = run("tickets", "show", "1")
    lines = result.stdout.splitlines()
    assert "state          new" in lines
    assert "customer       nicole.braun@zammad.org" in lines


def test_ticket_update_sends_one_minimal_put_and_shows_the_diff(
    run: Run, zammad_server: FakeZammad
) -> None:
    zammad_server.clear_requests()
    result = run("tickets", "update", "1", "state=closed", "title=Welcome to Zammad!")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ticket 1: sent PUT with 1 field(s)",
        "state_id  1 (new) -> 4 (closed)",
    ]
    puts = [r for r in zammad_server.requests if r.method == "PUT"]
    assert [(r.endpoint, r.json) for r in puts] == [("/tickets/1", {"state_id": 4})]


def test_ticket_update_dry_run_sends_nothing(run: Run, zammad_server: FakeZammad) -> None:
    result = run("tickets", "update", "1", "priority=3 high", "--dry-run", "--json")
    assert json.loads(result.stdout) == {
        "id": 1,
        "sent": False,
        "changes": {"priority_id": {"old": 2, "new": 3}},
    }
    assert all(r.method == "GET" for r in zammad_server.requests)


def test_json_values_are_written_with_colon_equals(run: Run, zammad_server: FakeZammad) -> None:
    result = run("tickets", "update", "1", "owner_id:=4")
    assert result.returncode == 0, result.stderr
    assert zammad_server.requests[-1].json == {"owner_id": 4}


def test_an_unknown_state_name_exits_2_listing_the_choices(run: Run) -> None:
    result = run("tickets", "update", "1", "state=finished")
    assert result.returncode == 2
    assert "no state is named 'finished'; choose one of: 'closed'" in result.stderr


def test_an_unknown_field_exits_2(run: Run) -> None:
    result = run("tickets", "update", "1", "titel=x")
    assert (result.returncode, result.stderr) == (
        2,
        "zammad-orm: error: ticket 1 has no field 'titel'\n",
    )


def test_a_missing_ticket_exits_4(run: Run) -> None:
    result = run("tickets", "show", "99")
    assert result.returncode == 4
    assert "404 Couldn't find Ticket" in result.stderr


def test_a_refused_token_exits_5(run: Run) -> None:
    result = run("tickets", "search", "x", "--token", "wrong")
    assert result.returncode == 5
    assert "check the token" in result.stderr


def test_an_unreachable_server_exits_6(run: Run) -> None:
    result = run("tickets", "search", "x", "--url", "http://127.0.0.1:9/api/v1")
    assert result.returncode == 6
    assert "cannot reach http://127.0.0.1:9/api/v1" in result.stderr


def test_no_url_anywhere_exits_3_saying_where_to_put_one(run: Run, tmp_path: Path) -> None:
    result = run("tickets", "search", "x", env={"ZAMMAD_URL": None})
    assert result.returncode == 3
    assert f"set ZAMMAD_URL, or add 'url = ...' to [default] in {tmp_path}" in result.stderr


def test_a_named_profile_of_the_config_file_connects(
    run: Run, zammad_server: FakeZammad, tmp_path: Path
) -> None:
    (tmp_path / "config.ini").write_text(
        f"[work]\nurl = {zammad_server.url}\ntoken = {zammad_server.token}\n", encoding="utf-8"
    )
    unset: dict[str, str | None] = {"ZAMMAD_URL": None, "ZAMMAD_HTTP_TOKEN": None}
    result = run("users", "search", "nicole", "--profile", "work", "--fields", "login", env=unset)
    assert result.stdout.splitlines() == ["login", "nicole.braun@zammad.org"]


def test_an_unknown_profile_exits_3_naming_the_known_ones(run: Run, tmp_path: Path) -> None:
    (tmp_path / "config.ini").write_text("[work]\nurl = http://x\n", encoding="utf-8")
    result = run("tags", env={"ZAMMAD_PROFILE": "home"})
    assert result.returncode == 3
    assert "no profile 'home'" in result.stderr
    assert "(profiles: work)" in result.stderr


def test_tags_of_a_ticket_after_adding_one(run: Run) -> None:
    result = run("tags", "1", "--add", "urgent", "--json")
    assert json.loads(result.stdout) == ["urgent"]


def test_the_script_prints_help(run: Run) -> None:
    result = run("--help")
    assert result.stdout.startswith("usage: zammad-orm")
    assert "exit codes: 0 done" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["tickets"],
        ["tickets", "search"],
        ["tickets", "show"],
        ["tickets", "update"],
        ["users"],
        ["users", "search"],
        ["tags"],
        ["demo"],
        ["serve"],
    ],
    ids=" ".join,
)
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: {' '.join(['zammad-orm', *command])}")


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "zammad_orm", "--version"], capture_output=True, text=True
    )
    assert result.stdout.startswith("zammad_orm ")


def test_demo_still_tours_the_fake_server(run: Run) -> None:
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert "Impersonate a customer" in result.stdout
