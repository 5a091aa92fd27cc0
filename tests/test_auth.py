"""Choosing and applying the authentication scheme."""

from __future__ import annotations

import pytest
import requests
from requests.auth import HTTPBasicAuth

from zammad_orm.auth import BearerAuth, TokenAuth, auth_from_settings


def authorization(auth: requests.auth.AuthBase) -> str:
    prepared = requests.Request("GET", "http://zammad.test/", auth=auth).prepare()
    return prepared.headers["Authorization"]


def test_token_sends_zammad_token_header() -> None:
    assert authorization(auth_from_settings(None, "s3cret", None)) == "Token token=s3cret"


def test_oauth2_token_sends_bearer_header() -> None:
    assert authorization(auth_from_settings(None, None, "abc")) == "Bearer abc"


def test_http_auth_sends_basic_header() -> None:
    auth = auth_from_settings(("admin@example.com", "pw"), None, None)
    assert isinstance(auth, HTTPBasicAuth)
    assert authorization(auth).startswith("Basic ")


def test_no_credentials_raise_value_error_that_says_what_to_pass() -> None:
    with pytest.raises(ValueError, match="exactly one of http_auth"):
        auth_from_settings(None, None, None)


def test_two_credentials_raise_value_error_naming_both() -> None:
    with pytest.raises(ValueError, match="http_token and oauth2_token"):
        auth_from_settings(None, "a", "b")


@pytest.mark.parametrize("pair", [("user",), ("user", ""), "user:pw", ("a", "b", "c")])
def test_malformed_http_auth_is_rejected(pair: object) -> None:
    with pytest.raises(ValueError, match="http_auth must be"):
        auth_from_settings(pair, None, None)  # type: ignore[arg-type]


def test_blank_token_is_rejected() -> None:
    with pytest.raises(ValueError, match="http_token must be a non-empty string"):
        auth_from_settings(None, "  ", None)


def test_token_never_shows_in_repr() -> None:
    assert "s3cret" not in repr(TokenAuth("s3cret"))
    assert "s3cret" not in repr(BearerAuth("s3cret"))
