"""The fake server's search query language (Elasticsearch ``query_string`` as Zammad uses it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zammad_orm.testing.query import Query, parse
from zammad_orm.testing.query_parser import QuerySyntaxError

NOW = datetime(2024, 3, 15, 12, 30, tzinfo=timezone.utc)
TICKET_FULLTEXT = ["title", "number", "article.body", "article.from", "article.to"]


def ticket(**fields: object) -> dict[str, object]:
    """A ticket document; dotted field names go in as ``**{"state.name": ...}``."""
    doc: dict[str, object] = {
        "_fulltext": TICKET_FULLTEXT,
        "id": 42,
        "number": "31001",
        "title": "Welcome to Zammad!",
        "state.name": "pending reminder",
        "customer.email": "nicole.braun@zammad.org",
        "owner.login": None,
        "tags": ["billing", "VIP"],
        "article.body": ["Hello, please help", "Second reply"],
        "article.from": ["Nicole Braun <nicole.braun@zammad.org>"],
        "article.to": [],
        "time_unit": 1.5,
        "vip": True,
        "created_at": datetime(2024, 3, 10, 8, 0, tzinfo=timezone.utc),
    }
    doc.update(fields)
    return doc


def hits(query: str, doc: Mapping[str, object] | None = None) -> bool:
    return parse(query, now=NOW).matches(ticket() if doc is None else doc)


# --- everything ----------------------------------------------------------------------------------


def test_empty_query_matches_everything() -> None:
    assert hits("", {})


def test_whitespace_only_query_matches_everything() -> None:
    assert hits("  \t ", {})


def test_star_matches_everything_even_without_text() -> None:
    assert hits("*", {"_fulltext": ["title"], "title": None})


def test_star_colon_star_matches_everything() -> None:
    assert hits("*:*", {})


def test_query_keeps_its_text() -> None:
    query = parse("title:welcome")
    assert query.text == "title:welcome"
    assert repr(query) == "Query('title:welcome')"


# --- free text -----------------------------------------------------------------------------------


def test_free_text_matches_a_substring_of_a_fulltext_field() -> None:
    assert hits("elcom")


def test_free_text_is_case_insensitive() -> None:
    assert hits("WELCOME")


def test_free_text_searches_every_element_of_a_list_field() -> None:
    assert hits("second")


def test_free_text_searches_only_the_fulltext_fields() -> None:
    assert not hits("reminder")


def test_free_text_searches_every_field_without_a_fulltext_list() -> None:
    assert hits("remind", {"state.name": "pending reminder"})


def test_free_text_finds_numbers_as_text() -> None:
    assert hits("3100")


def test_free_text_wildcard_matches_anywhere_in_the_value() -> None:
    assert hits("wel*zam")


def test_free_text_phrase_matches_a_substring() -> None:
    assert hits('"to zammad"')
    assert not hits('"zammad to"')


def test_several_free_text_terms_must_all_match() -> None:
    assert hits("welcome help")
    assert not hits("welcome nowhere")


# --- field terms ---------------------------------------------------------------------------------


def test_term_on_a_text_field_matches_one_of_its_words() -> None:
    assert hits("title:zammad")


def test_term_on_a_text_field_does_not_match_part_of_a_word() -> None:
    assert not hits("title:zam")


def test_term_on_a_text_field_matches_its_whole_value() -> None:
    assert hits('title:"WELCOME TO ZAMMAD!"')


def test_phrase_on_a_text_field_matches_consecutive_words_in_order() -> None:
    assert hits('title:"to zammad"')
    assert not hits('title:"zammad to"')


def test_term_with_punctuation_on_a_text_field_matches_its_words_in_order() -> None:
    assert hits("article.from:nicole.braun@zammad.org")


def test_wildcard_on_a_text_field_matches_one_word() -> None:
    assert hits("title:zam*")
    assert hits("title:*come")


def test_question_mark_matches_exactly_one_character() -> None:
    assert hits("title:w?lcome")
    assert not hits("title:w?come")


def test_term_on_a_keyword_field_matches_the_whole_value_ignoring_case() -> None:
    assert hits('state.name:"Pending Reminder"')


def test_term_on_a_keyword_field_does_not_match_one_word_of_it() -> None:
    assert not hits("state.name:pending")


def test_wildcard_on_a_keyword_field_matches_the_whole_value() -> None:
    assert hits("state.name:pending*")
    assert hits("customer.email:*@zammad.org")
    assert not hits("customer.email:*@example.com")


def test_fields_are_keyword_fields_without_a_fulltext_list() -> None:
    assert not hits("title:zammad", {"title": "Welcome to Zammad!"})


def test_list_field_matches_when_any_element_matches() -> None:
    assert hits("tags:vip")


def test_empty_list_field_matches_no_term() -> None:
    assert not hits("article.to:anyone")


def test_missing_field_matches_no_term() -> None:
    assert not hits("organization.name:acme")


def test_null_field_matches_no_term() -> None:
    assert not hits("owner.login:admin")


def test_term_on_a_number_field_compares_numerically() -> None:
    assert hits("id:42")
    assert hits("id:42.0")
    assert hits("time_unit:1.50")


def test_non_numeric_term_on_a_number_field_does_not_match() -> None:
    assert not hits("id:forty")


def test_term_on_a_boolean_field_is_true_or_false() -> None:
    assert hits("vip:TRUE")
    assert not hits("vip:false")


def test_term_on_a_date_field_matches_the_whole_day() -> None:
    assert hits("created_at:2024-03-10")
    assert not hits("created_at:2024-03-11")


def test_escaped_wildcard_is_a_literal_character() -> None:
    doc = {"note": "a*b"}
    assert hits(r"note:a\*b", doc)
    assert not hits(r"note:a\*b", {"note": "axb"})


def test_escaped_characters_in_a_field_name_are_literal() -> None:
    assert hits(r"odd\:name:x", {"odd:name": "x"})


def test_field_value_may_contain_unescaped_colons() -> None:
    assert hits("created_at:2024-03-10T08:00:00Z")


def test_minus_inside_a_word_is_literal() -> None:
    doc = ticket(title="E-mail bounce")
    assert hits("title:e-mail", doc)
    assert hits("e-mail", doc)


def test_whitespace_after_the_colon_is_allowed() -> None:
    assert hits("title: zammad")


def test_field_group_applies_the_field_to_each_term() -> None:
    assert hits("title:(nothing OR zammad)")
    assert not hits("title:(nothing OR help)")


# --- existence -----------------------------------------------------------------------------------


def test_field_star_matches_a_field_with_a_value() -> None:
    assert hits("customer.email:*")


def test_field_star_does_not_match_a_null_field() -> None:
    assert not hits("owner.login:*")


def test_exists_pseudo_field_matches_a_field_with_a_value() -> None:
    assert hits("_exists_:title")
    assert not hits("_exists_:owner.login")


# --- boolean operators ---------------------------------------------------------------------------


def test_and_requires_both_sides() -> None:
    assert hits("welcome AND help")
    assert not hits("welcome AND nowhere")


def test_terms_side_by_side_are_joined_with_and() -> None:
    assert not hits("title:welcome title:nowhere")


def test_or_requires_either_side() -> None:
    assert hits("nowhere OR help")
    assert not hits("nowhere OR nothing")


def test_not_negates_the_next_term() -> None:
    assert hits("NOT nowhere")
    assert not hits("NOT welcome")


def test_not_matches_a_missing_field() -> None:
    assert hits("NOT organization.name:acme")


def test_symbol_operators_mean_and_or_not() -> None:
    assert hits("welcome && help")
    assert hits("nowhere || help")
    assert hits("!nowhere")


def test_minus_prefix_excludes() -> None:
    assert hits("welcome -nowhere")
    assert not hits("welcome -help")


def test_plus_prefix_requires() -> None:
    assert hits("+welcome +help")
    assert not hits("+welcome +nowhere")


def test_and_binds_tighter_than_or() -> None:
    assert hits("welcome OR nowhere AND nothing")


def test_parentheses_group_before_the_operators_apply() -> None:
    assert not hits("(welcome OR nowhere) AND nothing")


def test_not_binds_to_one_term_only() -> None:
    assert hits("NOT nowhere welcome")


def test_lowercase_operator_words_are_search_terms() -> None:
    assert hits("welcome AND zammad")
    assert not hits("welcome and zammad")


# --- ranges and comparisons ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("id:>41", True),
        ("id:>42", False),
        ("id:>=42", True),
        ("id:>=43", False),
        ("id:<43", True),
        ("id:<42", False),
        ("id:<=42", True),
        ("id:<=41", False),
    ],
)
def test_comparison_operators_compare_numbers(query: str, expected: bool) -> None:
    assert hits(query) is expected


def test_inclusive_range_includes_both_ends() -> None:
    assert hits("id:[42 TO 50]")
    assert hits("id:[1 TO 42]")


def test_exclusive_range_excludes_both_ends() -> None:
    assert not hits("id:{42 TO 50}")
    assert not hits("id:{1 TO 42}")
    assert hits("id:{41 TO 43}")


def test_range_brackets_can_be_mixed() -> None:
    assert hits("id:[42 TO 50}")
    assert not hits("id:[1 TO 42}")


def test_star_is_an_open_range_end() -> None:
    assert hits("id:[* TO 42]")
    assert hits("id:[40 TO *]")
    assert not hits("id:[43 TO *]")


def test_range_on_a_string_field_is_lexicographic() -> None:
    assert hits("number:[31000 TO 31005]")
    assert not hits("number:{31001 TO 31005]")


def test_range_bound_of_the_wrong_type_does_not_match() -> None:
    assert not hits("id:>now-1d")


def test_null_matches_no_range() -> None:
    assert not hits("owner.login:[* TO *]")


def test_date_comparison_with_date_math() -> None:
    assert hits("created_at:>now-7d")
    assert not hits("created_at:>now-3d")


@pytest.mark.parametrize(
    ("age", "query"),
    [
        (timedelta(minutes=59), "created_at:>now-1h"),
        (timedelta(minutes=29), "created_at:>now-30m"),
        (timedelta(seconds=9), "created_at:>now-10s"),
        (timedelta(days=13), "created_at:>now-2w"),
        (timedelta(days=28), "created_at:>now-1M"),
        (timedelta(days=364), "created_at:>now-1y"),
        (timedelta(hours=-23), "created_at:<now+1d"),
    ],
)
def test_date_math_units(age: timedelta, query: str) -> None:
    assert hits(query, ticket(created_at=NOW - age))
    assert not hits(query, ticket(created_at=NOW - 2 * age))


def test_rounding_to_the_day_rounds_down_for_greater_or_equal() -> None:
    assert hits("created_at:>=now/d", ticket(created_at=NOW.replace(hour=0, minute=5)))


def test_rounding_to_the_day_rounds_up_for_greater_than() -> None:
    assert not hits("created_at:>now/d", ticket(created_at=NOW.replace(hour=23)))
    assert hits("created_at:>now/d", ticket(created_at=NOW + timedelta(days=1)))


def test_rounding_to_the_week_starts_on_monday() -> None:
    monday = datetime(2024, 3, 11, 0, 0, tzinfo=timezone.utc)
    assert hits("created_at:>=now/w", ticket(created_at=monday))
    assert not hits("created_at:>=now/w", ticket(created_at=monday - timedelta(seconds=1)))


def test_month_math_keeps_the_day_within_the_month() -> None:
    march_31 = datetime(2024, 3, 31, tzinfo=timezone.utc)
    doc = ticket(created_at=datetime(2024, 2, 29, tzinfo=timezone.utc))
    assert parse("created_at:>=now-1M").matches(doc, now=march_31)


def test_date_range_includes_all_of_its_upper_day() -> None:
    assert hits("created_at:[2024-03-01 TO 2024-03-10]")


def test_exclusive_date_range_excludes_its_bound_days() -> None:
    assert not hits("created_at:{2024-03-01 TO 2024-03-10}")
    assert not hits("created_at:{2024-03-10 TO 2024-03-31}")


def test_date_with_time_and_offset() -> None:
    assert hits("created_at:>=2024-03-10T09:00+01:00")
    assert not hits("created_at:>2024-03-10T09:00+01:00")


def test_partial_date_covers_its_month() -> None:
    assert hits("created_at:2024-03")
    assert not hits("created_at:2024-02")


def test_quoted_range_bounds() -> None:
    assert hits('created_at:["2024-03-10 08:00" TO *]')


def test_date_math_from_an_anchor_date() -> None:
    assert hits("created_at:<2024-02-11||+1M")
    assert not hits("created_at:<2024-02-10||+1M")


def test_invalid_date_math_does_not_match() -> None:
    assert not hits("created_at:>now-7x")


def test_date_range_on_iso_string_values() -> None:
    assert hits("updated_at:>now-1d", {"updated_at": "2024-03-15T08:00:00.000Z"})


def test_naive_datetimes_are_utc() -> None:
    assert hits("created_at:>=2024-03-10T08:00Z", ticket(created_at=datetime(2024, 3, 10, 8)))


def test_now_defaults_to_the_current_time() -> None:
    recent = ticket(created_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    assert parse("created_at:>now-1h").matches(recent)


def test_now_given_to_matches_overrides_the_one_given_to_parse() -> None:
    query = parse("created_at:>now-1d", now=NOW)
    doc = ticket()
    assert not query.matches(doc)
    assert query.matches(doc, now=datetime(2024, 3, 10, 12, tzinfo=timezone.utc))


# --- syntax errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "problem", "position"),
    [
        ("(welcome", "unbalanced parenthesis: '(' is never closed", 0),
        ("welcome)", "unbalanced parenthesis: ')' has no matching '('", 7),
        ('title:"welcome', "unterminated quote", 6),
        ("welcome AND", "dangling operator 'AND'", 8),
        ("welcome ||", "dangling operator '||'", 8),
        ("welcome NOT", "dangling operator 'NOT'", 8),
        ("welcome -", "dangling operator '-'", 8),
        ("OR welcome", "operator 'OR' has no term before it", 0),
        ("welcome AND OR help", "operator 'AND' is not followed by a term", 8),
        ("(welcome AND)", "operator 'AND' is not followed by a term", 9),
        ("title:", "field 'title' has no value", 0),
        ("(title:)", "field 'title' has no value", 1),
        ("()", "empty parentheses", 0),
        ("id:[1 5]", "a range needs ' TO ' between its bounds", 6),
        ("id:[1 TO 5", "unterminated range", 3),
        ("id:[1 TO 5)", "a range must end with ']' or '}'", 10),
        ("id:>", "the comparison has a missing value", 3),
        ("[1 TO 5]", "a range needs a field", 0),
        (":welcome", "':' has no field name before it", 0),
        ("welcome\\", "dangling escape character", 7),
        ("(" * 101 + "x" + ")" * 101, "the query nests deeper than 100 levels", 100),
    ],
)
def test_syntax_errors_name_the_problem_and_its_position(
    query: str, problem: str, position: int
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query)
    assert raised.value.problem.startswith(problem)
    assert raised.value.position == position
    assert f"at position {position}" in str(raised.value)


def test_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unterminated quote"):
        parse('"open')


# --- properties ----------------------------------------------------------------------------------

WORDS = ["welcome", "zammad", "help", "billing", "open", "new"]

leaves = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda word: f"title:{word}"),
    st.sampled_from(WORDS).map(lambda word: f"title:{word[:3]}*"),
    st.sampled_from(WORDS).map(lambda word: f"tags:{word}"),
    st.sampled_from(["open", "new", "closed"]).map(lambda state: f"state.name:{state}"),
    st.integers(0, 5).map(lambda number: f"id:>{number}"),
    st.tuples(st.integers(0, 5), st.integers(0, 5)).map(lambda b: f"id:[{b[0]} TO {b[1]}}}"),
    st.sampled_from(["now-1d", "now-7d", "now/d", "2024-03-10"]).map(lambda d: f"created_at:>{d}"),
    st.sampled_from(['"to zammad"', "owner.login:*", "_exists_:tags"]),
)
queries = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]}) AND ({pair[1]})"),
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]}) OR ({pair[1]})"),
        inner.map(lambda query: f"NOT ({query})"),
    ),
    max_leaves=6,
)
docs = st.fixed_dictionaries(
    {
        "_fulltext": st.just(["title"]),
        "title": st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join),
        "tags": st.lists(st.sampled_from(WORDS), max_size=3),
        "state.name": st.sampled_from(["open", "new", "closed"]),
        "owner.login": st.sampled_from([None, "admin"]),
        "id": st.integers(0, 6),
        "created_at": st.integers(0, 240).map(lambda hours: NOW - timedelta(hours=hours)),
    }
)


@given(queries, docs)
def test_not_matches_exactly_when_the_query_does_not(query: str, doc: dict[str, object]) -> None:
    assert hits(f"NOT ({query})", doc) is not hits(query, doc)


@given(queries, queries, docs)
def test_and_matches_exactly_when_both_match(a: str, b: str, doc: dict[str, object]) -> None:
    assert hits(f"({a}) AND ({b})", doc) is (hits(a, doc) and hits(b, doc))


@given(queries, queries, docs)
def test_or_matches_exactly_when_either_matches(a: str, b: str, doc: dict[str, object]) -> None:
    assert hits(f"({a}) OR ({b})", doc) is (hits(a, doc) or hits(b, doc))


@given(queries, queries, docs)
def test_operator_spellings_are_equivalent(a: str, b: str, doc: dict[str, object]) -> None:
    both = hits(f"({a}) AND ({b})", doc)
    assert hits(f"({a}) ({b})", doc) is both
    assert hits(f"({a}) && ({b})", doc) is both
    assert hits(f"-({a})", doc) is hits(f"!({a})", doc) is hits(f"NOT ({a})", doc)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1), st.data())
def test_free_text_finds_any_part_of_a_fulltext_field(title: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(title) - 1))
    end = data.draw(st.integers(start + 1, len(title)))
    assert hits(title[start:end], {"_fulltext": ["title"], "title": title})


@given(st.text(max_size=40), docs)
def test_any_text_parses_or_raises_a_syntax_error(text: str, doc: dict[str, object]) -> None:
    try:
        query = parse(text, now=NOW)
    except QuerySyntaxError:
        return
    assert isinstance(query, Query)
    assert isinstance(query.matches(doc), bool)
