"""User and organization search replies before 6.5, when each had its own controller action
(app/controllers/users_controller.rb#search, app/controllers/organizations_controller.rb
#search), and the shared model_search_render from 6.5."""

from __future__ import annotations

from raw_api import Api

from zammad_orm.testing import FakeZammad


def test_users_search_full_answers_assets_and_user_ids(api: Api) -> None:
    """app/controllers/users_controller.rb#search (6.2): ``{assets, user_ids}``."""
    reply = api.ok("GET", "/users/search", params={"query": "nicole", "full": "true"})
    assert set(reply) == {"assets", "user_ids"}
    assert reply["user_ids"] == [2]


def test_organizations_search_full_answers_assets_and_organization_ids(api: Api) -> None:
    """app/controllers/organizations_controller.rb#search (6.2): ``{assets,
    organization_ids}``."""
    reply = api.ok("GET", "/organizations/search", params={"query": "Zammad", "full": "true"})
    assert set(reply) == {"assets", "organization_ids"}
    assert reply["organization_ids"] == [1]


def test_users_search_label_rows(api: Api) -> None:
    """app/controllers/users_controller.rb#search with ``label``: "First Last <email>"."""
    reply = api.ok("GET", "/users/search", params={"query": "nicole", "label": "true"})
    name = "Nicole Braun <nicole.braun@zammad.org>"
    assert reply == [{"id": 2, "label": name, "value": name}]


def test_users_search_term_rows(api: Api) -> None:
    """app/controllers/users_controller.rb#search with ``term``: the email as value and
    ``inactive``."""
    reply = api.ok("GET", "/users/search", params={"term": "nicole"})
    assert reply == [
        {
            "id": 2,
            "label": "Nicole Braun <nicole.braun@zammad.org>",
            "value": "nicole.braun@zammad.org",
            "inactive": False,
        }
    ]


def test_organizations_search_label_rows(api: Api) -> None:
    """app/controllers/organizations_controller.rb#search with ``label``: the name."""
    reply = api.ok("GET", "/organizations/search", params={"query": "Zammad", "label": "true"})
    assert reply == [{"id": 1, "label": "Zammad Foundation", "value": "Zammad Foundation"}]


def test_users_search_pages_100_by_default_and_at_most_500(api: Api) -> None:
    """app/controllers/users_controller.rb#search (6.2): ``per_page || limit || 100``, capped
    at 500."""
    for number in range(110):
        api.ok("POST", "/users", json={"login": f"many{number}"})
    assert len(api.ok("GET", "/users/search", params={"query": "many"})) == 100
    assert len(api.ok("GET", "/users/search", params={"query": "many", "per_page": 999})) == 110


def test_from_6_5_full_is_the_shared_shape() -> None:
    """app/controllers/application_controller/renders_models.rb#model_search_render (6.5)."""
    with FakeZammad(version="6.5") as server:
        reply = Api(server).ok("GET", "/users/search", params={"query": "nicole", "full": "true"})
        assert set(reply) == {"record_ids", "assets", "total_count"}
