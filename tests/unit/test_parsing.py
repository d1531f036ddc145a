import pytest

from handlers.parsing import OptionError, parse_search, strip_command


def test_options_anywhere_and_text_kept():
    p = parse_search('senior backend engineer dept:Payments -dept:"Data & AI" --open-only level:L4+ who knows Kafka 7')
    assert p.text == "senior backend engineer who knows Kafka"
    assert p.filters.departments == ("Payments",)
    assert p.filters.exclude_departments == ("Data & AI",)
    assert p.filters.open_only and p.filters.min_level == 4 and p.filters.max_level is None
    assert p.limit == 7


def test_number_inside_the_description_is_not_a_limit():
    p = parse_search("engineer with 5 years of Kafka")
    assert p.limit is None and "5 years" in p.text


@pytest.mark.parametrize("level,expected", [("L3", (3, 3)), ("L3-L5", (3, 5)), ("l5-3", (3, 5)), ("L2-", (None, 2))])
def test_level_ranges(level, expected):
    f = parse_search(f"designer level:{level}").filters
    assert (f.min_level, f.max_level) == expected


@pytest.mark.parametrize("bad", ["level:senior", "--fast", "limit:50", "designer 99"])
def test_bad_options_are_named(bad):
    with pytest.raises(OptionError) as exc:
        parse_search(f"designer {bad}" if not bad.startswith("designer") else bad)
    assert exc.value.option in bad


def test_korean_and_english_command_prefixes():
    assert strip_command("/find-candidates kafka") == (True, "kafka")
    assert strip_command("find candidates: kafka") == (True, "kafka")
    assert strip_command("후보 찾기 카프카 개발자") == (True, "카프카 개발자")
    assert strip_command("find-candidatesX") == (False, "find-candidatesX")
