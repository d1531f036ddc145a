"""The `find-candidates` grammar: free text plus options, in any order.

    find-candidates senior backend engineer who knows Kafka dept:Payments -dept:"Data & AI" --open-only level:L4+ 10
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from core.domain import SearchFilters

MAX_LIMIT = 20          # the most results one search shows; checked here only (check_limit)


class OptionError(ValueError):
    def __init__(self, option: str, why: str):
        super().__init__(f"{option}: {why}")
        self.option = option
        self.why = why


def check_limit(value, option: str = "--limit") -> int:
    """The 1-20 rule for how many results to show, wherever the number came from (a trailing number, `limit:N`, the
    CLI's --limit)."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise OptionError(option, f"the number of results must be between 1 and {MAX_LIMIT}")
    return int(text)


@dataclass
class ParsedSearch:
    text: str
    filters: SearchFilters
    limit: int | None = None
    options: list[str] = field(default_factory=list)


# a trailing result count: 1-2 digits, "5명", or what can only be a count (a negative number, an exponent, six digits
# or more); 3-5 digits stay words (ISO 27001, 2024)
_COUNT = re.compile(r"(\d{1,2}|\d+(?=명)|-\d+(?:\.\d+)?|\d+(?:\.\d+)?[eE][+-]?\d+|\d{6,})명?")
_LEVEL = re.compile(r"^l?(\d)(\+|-)?(?:-l?(\d))?$", re.IGNORECASE)


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text.replace("“", '"').replace("”", '"'), posix=True)
    except ValueError:  # an unbalanced quote: fall back to plain words rather than failing the search
        return text.split()


def parse_search(text: str) -> ParsedSearch:
    words: list[str] = []
    departments, exclude_departments, exclude_ids = [], [], []
    open_only = False
    min_level = max_level = None
    limit = None
    locations: list[str] = []
    options = []
    tokens = _split(text)
    for position, token in enumerate(tokens):
        low = token.lower()
        key, sep, value = token.partition(":")
        key_low = key.lower()
        if low in ("--open-only", "--open", "open-only", "open:yes", "open:true", "--이동희망"):
            open_only = True
            options.append(token)
        elif sep and key_low in ("dept", "department", "부서") and value:
            departments.extend(v.strip() for v in value.split(",") if v.strip())
            options.append(token)
        elif sep and key_low in ("-dept", "!dept", "-department", "-부서") and value:
            exclude_departments.extend(v.strip() for v in value.split(",") if v.strip())
            options.append(token)
        elif sep and key_low in ("loc", "location", "근무지", "지역") and value:
            locations.extend(v.strip() for v in value.split(",") if v.strip())
            options.append(token)
        elif sep and key_low in ("exclude", "-id", "제외"):
            exclude_ids.extend(v.strip() for v in value.split(",") if v.strip())
            options.append(token)
        elif sep and key_low in ("level", "lvl", "레벨"):
            m = _LEVEL.match(value.strip())
            if not m:
                raise OptionError(token, "use level:L4, level:L4+, level:L3-L5 or level:L3-")
            low_level = int(m.group(1))
            if m.group(3):
                min_level, max_level = sorted((low_level, int(m.group(3))))
            elif m.group(2) == "+":
                min_level = low_level
            elif m.group(2) == "-":
                max_level = low_level
            else:
                min_level = max_level = low_level
            options.append(token)
        elif sep and key_low in ("limit", "top", "n") and value:
            check_limit(value, token)
            limit = int(value)
            options.append(token)
        elif position == len(tokens) - 1 and _COUNT.fullmatch(token):
            # Only a trailing number is a result count: "5 years of Kafka" stays part of the description, and so do
            # "ISO 27001" or "Python 2.7"; but 999999, -1, 1e9 or 30명 are counts, never words to search for.
            limit = check_limit(_COUNT.fullmatch(token).group(1), token)
            options.append(token)
        elif token.startswith("--"):
            raise OptionError(token, "unknown option (known: --open-only)")
        else:
            words.append(token)
    filters = SearchFilters(departments=tuple(departments), exclude_departments=tuple(exclude_departments),
                            open_only=open_only, exclude_ids=tuple(exclude_ids), min_level=min_level,
                            max_level=max_level, locations=tuple(locations))
    return ParsedSearch(text=" ".join(words).strip(), filters=filters, limit=limit, options=options)


def filters_to_dict(filters: SearchFilters) -> dict:
    return {"departments": list(filters.departments), "exclude_departments": list(filters.exclude_departments),
            "open_only": filters.open_only, "exclude_ids": list(filters.exclude_ids),
            "min_level": filters.min_level, "max_level": filters.max_level, "locations": list(filters.locations)}


def filters_from_dict(data: dict) -> SearchFilters:
    return SearchFilters(departments=tuple(data.get("departments", ())),
                         exclude_departments=tuple(data.get("exclude_departments", ())),
                         open_only=bool(data.get("open_only")), exclude_ids=tuple(data.get("exclude_ids", ())),
                         min_level=data.get("min_level"), max_level=data.get("max_level"),
                         locations=tuple(data.get("locations", ())))
