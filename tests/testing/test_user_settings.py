"""``/users/preferences``, ``/users/out_of_office`` and ``/users/password_change`` on the fake
server."""

from __future__ import annotations

import requests
from raw_api import Api

from zammad_orm.testing import FakeZammad

_OOO = {"out_of_office": True, "out_of_office_start_at": "2030-01-01",
        "out_of_office_end_at": "2030-01-10", "out_of_office_replacement_id": 3}  # fmt: skip


def test_preferences_set_the_given_keys(agent: Api) -> None:
    """``UsersController#preferences`` assigns each key (app/controllers/users_controller.rb)."""
    assert agent.ok("PUT", "/users/preferences", json={"locale": "de-de", "intro": True}) == {
        "message": "ok"
    }
    preferences = agent.ok("GET", "/users/me")["preferences"]
    assert (preferences["locale"], preferences["intro"]) == ("de-de", True)


def test_notification_sound_enabled_must_be_a_boolean(agent: Api) -> None:
    """``User#validate_preferences`` (app/models/user.rb)."""
    body = {"notification_sound": {"enabled": "loud"}}
    assert agent.error("PUT", "/users/preferences", json=body) == (
        422,
        "preferences.notification_sound.enabled needs to be an boolean, but it was a String",
    )
    agent.ok("PUT", "/users/preferences", json={"notification_sound": {"enabled": "true"}})
    assert agent.ok("GET", "/users/me")["preferences"]["notification_sound"] == {"enabled": True}


def test_out_of_office_sets_the_five_values(agent: Api) -> None:
    """``Service::User::OutOfOffice`` (app/services/service/user/out_of_office.rb)."""
    assert agent.ok("PUT", "/users/out_of_office", json={**_OOO, "out_of_office_text": "away"}) == {
        "message": "ok"
    }
    me = agent.ok("GET", "/users/me")
    assert (me["out_of_office"], me["out_of_office_start_at"], me["out_of_office_end_at"]) == (
        True,
        "2030-01-01",
        "2030-01-10",
    )
    assert (me["out_of_office_replacement_id"], me["preferences"]["out_of_office_text"]) == (
        3,
        "away",
    )


def test_out_of_office_needs_start_end_and_replacement(agent: Api) -> None:
    """``User#validate_ooo`` (app/models/user.rb)."""
    cases = (
        ({**_OOO, "out_of_office_start_at": None}, "out of office start is required"),
        ({**_OOO, "out_of_office_end_at": None}, "out of office end is required"),
        ({**_OOO, "out_of_office_end_at": "2029-12-31"}, "out of office end is before start"),
        (
            {**_OOO, "out_of_office_replacement_id": 999},
            "out of office replacement user is required",
        ),
    )
    for body, message in cases:
        assert agent.error("PUT", "/users/out_of_office", json=body) == (422, message)


def test_switching_out_of_office_off_clears_the_values(agent: Api) -> None:
    """Every value comes from the request (app/services/service/user/out_of_office.rb)."""
    agent.ok("PUT", "/users/out_of_office", json=_OOO)
    agent.ok("PUT", "/users/out_of_office", json={"out_of_office": False})
    me = agent.ok("GET", "/users/me")
    assert (
        me["out_of_office"],
        me["out_of_office_start_at"],
        me["out_of_office_replacement_id"],
    ) == (False, None, None)


def test_a_password_change_takes_effect(agent: Api, server: FakeZammad) -> None:
    """``UsersController#password_change`` (app/controllers/users_controller.rb)."""
    body = {"password_old": server.admin_password, "password_new": "NewPassw0rd!x"}
    assert agent.ok("POST", "/users/password_change", json=body) == {
        "message": "ok",
        "user_login": "agent@example.com",
    }
    response = requests.get(
        f"{server.url}/users/me", auth=("agent@example.com", "NewPassw0rd!x"), timeout=5
    )
    assert response.status_code == 200


def test_password_change_failures_answer_a_notice(agent: Api, server: FakeZammad) -> None:
    """422 ``{message: 'failed', notice: [...]}`` from the controller and ``PasswordPolicy``
    (app/controllers/users_controller.rb, lib/password_policy/*.rb)."""
    old = server.admin_password
    cases = (
        ({"password_new": "NewPassw0rd!x"}, ["Please provide your current password."]),
        ({"password_old": old}, ["Please provide your new password."]),
        (
            {"password_old": "wrong", "password_new": "NewPassw0rd!x"},
            ["The current password you provided is incorrect."],
        ),
        (
            {"password_old": old, "password_new": "Sh0rt"},
            ["Invalid password, it must be at least %s characters long!", 10],
        ),
        (
            {"password_old": old, "password_new": "alllowercase1"},
            ["Invalid password, it must contain at least 2 lowercase and 2 uppercase characters!"],
        ),
        (
            {"password_old": old, "password_new": "NoDigitsHereAtAll"},
            ["Invalid password, it must contain at least 1 digit!"],
        ),
    )
    for body, notice in cases:
        response = agent.call("POST", "/users/password_change", json=body)
        assert (response.status_code, response.json()) == (
            422,
            {"message": "failed", "notice": notice},
        )
