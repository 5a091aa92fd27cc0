"""What Zammad's User model does to a user before saving it (app/models/user.rb)."""

from __future__ import annotations

from raw_api import Api


def test_email_and_login_are_lowercased_and_trimmed(api: Api) -> None:
    """app/models/user.rb#check_email and #check_login: ``downcase.strip``."""
    user = api.ok(
        "POST", "/users", json={"email": "  Jane.Doe@Example.ORG ", "login": " JDoe ", "note": "x"}
    )
    assert (user["email"], user["login"]) == ("jane.doe@example.org", "jdoe")


def test_the_login_defaults_to_the_email(api: Api) -> None:
    """app/models/user.rb#check_login: ``self.login = email`` when blank."""
    user = api.ok("POST", "/users", json={"email": "Someone@Example.org"})
    assert user["login"] == "someone@example.org"


def test_a_taken_login_gets_a_number(api: Api) -> None:
    """app/models/user.rb#check_login: a taken login gets the first free suffix."""
    first = api.ok("POST", "/users", json={"login": "twin", "firstname": "One"})
    second = api.ok("POST", "/users", json={"login": "Twin", "firstname": "Two"})
    third = api.ok("POST", "/users", json={"login": "twin", "firstname": "Three"})
    assert [first["login"], second["login"], third["login"]] == ["twin", "twin1", "twin2"]


def test_names_are_guessed_from_the_email(api: Api) -> None:
    """app/models/user.rb#check_name and ``User.name_guess``: first.last@ gives the names,
    capitalised when written in one case."""
    user = api.ok("POST", "/users", json={"email": "jane.doe@example.org"})
    assert (user["firstname"], user["lastname"]) == ("Jane", "Doe")


def test_a_single_name_is_split(api: Api) -> None:
    """app/models/user.rb#check_name: "Agent First" alone becomes Agent / First (spec
    spec/requests/user_spec.rb)."""
    user = api.ok("POST", "/users", json={"firstname": "Agent First", "email": "a1@example.org"})
    assert (user["firstname"], user["lastname"]) == ("Agent", "First")


def test_names_are_trimmed(api: Api) -> None:
    """app/models/user.rb#check_name: names are stripped."""
    user = api.ok("POST", "/users", json={"firstname": " Ann ", "lastname": " Lee "})
    assert (user["firstname"], user["lastname"]) == ("Ann", "Lee")


def test_the_login_follows_an_email_change(api: Api) -> None:
    """app/models/user.rb#check_login: when the login was the old email it becomes the new."""
    user = api.ok("POST", "/users", json={"email": "old@example.org"})
    moved = api.ok("PUT", f"/users/{user['id']}", json={"email": "New@example.org"})
    assert (moved["email"], moved["login"]) == ("new@example.org", "new@example.org")


def test_an_own_login_stays_when_the_email_changes(api: Api) -> None:
    """app/models/user.rb#check_login: only a login equal to the old email follows it."""
    user = api.ok("POST", "/users", json={"email": "mail@example.org", "login": "mine"})
    moved = api.ok("PUT", f"/users/{user['id']}", json={"email": "other@example.org"})
    assert moved["login"] == "mine"


def test_a_user_without_identifier_is_refused(api: Api) -> None:
    """app/models/user.rb#ensure_identifier (words of spec/requests/user_spec.rb)."""
    assert api.error("POST", "/users", json={"note": "some note"}) == (
        422,
        "At least one identifier (firstname, lastname, phone or email) for user is required.",
    )
    assert api.error("POST", "/users", json={})[0] == 422


def test_a_phone_is_enough_identifier(api: Api) -> None:
    """app/models/user.rb#ensure_identifier: phone counts; the login is then generated."""
    user = api.ok("POST", "/users", json={"phone": "+49 30 1234"})
    assert user["login"].startswith("auto-")


def test_a_guessed_customer_is_normalised_too(api: Api) -> None:
    """app/controllers/tickets_controller.rb#create ``guess:`` creates a User, with its
    callbacks."""
    ticket = api.ticket(customer_id="guess:Max.Power@Example.org")
    customer = api.ok("GET", f"/users/{ticket['customer_id']}")
    assert (customer["email"], customer["firstname"], customer["lastname"]) == (
        "max.power@example.org",
        "Max",
        "Power",
    )
