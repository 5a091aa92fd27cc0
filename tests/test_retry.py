"""The Retry policy on its own: which failures are retried and how long it waits."""

from __future__ import annotations

import pytest

from zammad_orm import Client, Retry
from zammad_orm.retry import DEFAULT_METHODS, FailureKind

NOT_SENT, MAYBE_APPLIED, STATUS = (
    FailureKind.NOT_SENT,
    FailureKind.MAYBE_APPLIED,
    FailureKind.STATUS,
)
ARTICLE = {"article": {"body": "once only"}}


def test_the_default_policy_gives_four_attempts() -> None:
    assert Retry().attempts == 4
    assert Retry.never().attempts == 1


def test_the_client_retries_with_the_default_policy_unless_given_one() -> None:
    assert Client("https://zammad.test/api/v1", http_token="t").retry == Retry()
    custom = Retry(total=1)
    assert Client("https://zammad.test/api/v1", http_token="t", retry=custom).retry is custom


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "get"])
def test_idempotent_methods_are_retried(method: str) -> None:
    assert Retry().allows(method, None, MAYBE_APPLIED, None, attempt=1)


@pytest.mark.parametrize("kind", [NOT_SENT, MAYBE_APPLIED, STATUS])
def test_post_is_never_retried_by_default(kind: FailureKind) -> None:
    assert not Retry().allows("POST", {"name": "x"}, kind, 503, attempt=1)


def test_post_is_retried_when_the_caller_opts_in() -> None:
    policy = Retry(methods=DEFAULT_METHODS | {"POST"})
    assert policy.allows("POST", {"name": "x"}, STATUS, 503, attempt=1)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    assert Retry().allows("GET", None, STATUS, status, attempt=1)


@pytest.mark.parametrize("status", [200, 400, 401, 404, 422, 500])
def test_other_statuses_are_final(status: int) -> None:
    assert not Retry().allows("GET", None, STATUS, status, attempt=1)


def test_retries_stop_after_total() -> None:
    policy = Retry(total=2)
    assert policy.allows("GET", None, STATUS, 503, attempt=2)
    assert not policy.allows("GET", None, STATUS, 503, attempt=3)


def test_a_put_adding_an_article_is_not_repeated_once_it_may_have_been_applied() -> None:
    assert not Retry().allows("PUT", ARTICLE, MAYBE_APPLIED, None, attempt=1)


@pytest.mark.parametrize("status", [502, 504])
def test_a_put_adding_an_article_is_not_repeated_after_a_gateway_error(status: int) -> None:
    assert not Retry().allows("PUT", ARTICLE, STATUS, status, attempt=1)


@pytest.mark.parametrize(("kind", "status"), [(NOT_SENT, None), (STATUS, 429), (STATUS, 503)])
def test_a_put_adding_an_article_is_retried_when_it_was_not_processed(
    kind: FailureKind, status: int | None
) -> None:
    assert Retry().allows("PUT", ARTICLE, kind, status, attempt=1)


def test_write_once_keys_are_configurable() -> None:
    policy = Retry(write_once_keys=frozenset({"note"}))
    assert not policy.allows("PUT", {"note": "x"}, MAYBE_APPLIED, None, attempt=1)
    assert policy.allows("PUT", ARTICLE, MAYBE_APPLIED, None, attempt=1)


def test_backoff_is_full_jitter_below_an_exponential_ceiling() -> None:
    policy = Retry(backoff_factor=0.5, backoff_max=30.0)
    assert [policy.wait(n, None, lambda: 1.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert policy.wait(3, None, lambda: 0.25) == 0.5
    assert policy.wait(3, None, lambda: 0.0) == 0.0


def test_backoff_is_capped() -> None:
    assert Retry(backoff_factor=1.0, backoff_max=5.0).wait(30, None, lambda: 1.0) == 5.0
    assert Retry(backoff_factor=1.0, backoff_max=5.0).wait(10_000, None, lambda: 1.0) == 5.0


def test_retry_after_replaces_the_backoff() -> None:
    assert Retry().wait(1, 7.0, lambda: 1.0) == 7.0


def test_retry_after_is_capped() -> None:
    assert Retry(retry_after_max=60.0).wait(1, 3600.0, lambda: 1.0) == 60.0
    assert Retry(retry_after_max=60.0).wait(1, float("inf"), lambda: 1.0) == 60.0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"total": -1}, "total must be an int"),
        ({"total": True}, "total must be an int"),
        ({"backoff_factor": -0.1}, "backoff_factor must be finite"),
        ({"backoff_max": float("nan")}, "backoff_max must be finite"),
    ],
)
def test_nonsense_settings_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Retry(**settings)  # type: ignore[arg-type]


def test_a_client_refuses_a_retry_that_is_not_a_policy() -> None:
    with pytest.raises(TypeError, match=r"retry must be a zammad_orm\.Retry"):
        Client("https://zammad.test/api/v1", http_token="t", retry=3)  # type: ignore[arg-type]
