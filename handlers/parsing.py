"""The command words: the one home of the slash command's name and its typed forms. The search grammar itself
(options, limits) is core.matching.query, shared by every entry."""
from __future__ import annotations

from core.matching.query import (MAX_LIMIT, OptionError, ParsedSearch, check_limit, filters_from_dict,  # noqa: F401
                                 filters_to_dict, parse_search)

SEARCH_COMMAND = "/find-candidates"       # Slack's slash command (manifest.yml), Teams' command list, the help text
COMMAND_PREFIXES = (
    SEARCH_COMMAND, SEARCH_COMMAND[1:], "find candidates", "find candidate", "/find_candidates", "find_candidates",
    "후보 찾기", "후보찾기", "후보자 찾기", "후보자찾기", "/후보",
)


def strip_command(text: str) -> tuple[bool, str]:
    """(was a find-candidates command, the rest)."""
    stripped = (text or "").strip()
    low = stripped.lower()
    for prefix in COMMAND_PREFIXES:
        if low.startswith(prefix) and (len(low) == len(prefix) or not low[len(prefix)].isalnum()):
            return True, stripped[len(prefix):].lstrip(" :：,")
    return False, stripped
