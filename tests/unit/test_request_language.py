"""The language of a request is decided once, from the words a person typed: ids, links, e-mail addresses and search
options never count (they made Korean requests about a JD come back in English about one time in eight)."""
from __future__ import annotations

import random
import uuid

import pytest

from core.text import request_language
from handlers.requests import Request, value_language
from handlers.router import request_lang


@pytest.mark.parametrize("text, expected", [
    ("JD 이력 jd-abcdefabcdef", "ko"),                      # the letters of an id are not English
    ("jd history jd-1a2b3c4d5e6f", "en"),
    ("gap for E0123: 데이터 엔지니어", "ko"),
    ("카프카 개발자 dept:\"Data & AI\" level:L4+ --open-only exclude:E0012,E0040 10", "ko"),
    ("백엔드 -dept:Infrastructure loc:Seoul", "ko"),
    ("https://wiki.example.com/teams/platform/backend 이 팀에 맞는 사람 찾아줘", "ko"),
    ("jane.doe@corp.example 이력서 확인", "ko"),
    ("<@U07ABC123> 카프카 아는 사람", "ko"),
    ("senior backend engineer who knows Kafka", "en"),
    ("compare E0012, E0044 for data platform", "en"),
    ("맞춤 JD: 한빛페이 백엔드 개발자 L4, 카프카 기반 정산 시스템 경험자", "ko"),
    ("진행 상황 job-0188f3a2b4c5d6e7-a1b2c3", "ko"),
])
def test_ids_links_and_options_do_not_count(text, expected):
    assert request_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "E0012", "jd-1a2b3c4d5e6f", "op-abcdef123456 10", "https://x.example/a"])
def test_nothing_but_ids_takes_the_fallback(text):
    assert request_language(text, fallback="ko") == "ko"
    assert request_language(text) == "en"


def test_random_ids_never_change_the_answer():
    """Ids are random uuids: whatever letters they hold, a Korean request stays Korean (1,000 draws)."""
    rng = random.Random(7)
    for _ in range(1000):
        hex_id = uuid.UUID(int=rng.getrandbits(128)).hex
        for text in (f"JD 이력 jd-{hex_id[:12]}", f"jd-{hex_id[:12]} 승인해줘", f"공고 op-{hex_id[:12]} 마감",
                     f"갭 분석 op-{hex_id[:12]}", f"검색 {hex_id[:12]} 다시"):
            assert request_language(text) == "ko", text


def test_a_button_press_takes_the_language_of_its_card():
    assert value_language("jd-1a2b3c4d5e6f:3|ko") == "ko"
    assert value_language("E0001|en|2025-01-01T00:00:00") == "en"
    assert value_language("a1b2c3d4e5f6") is None
    press = Request(actor=None, platform="local", action_id="jd_approve", action_value="jd-abcdef123456:2|ko")
    assert request_lang(press) == "ko"
    assert request_lang(Request(actor=None, platform="local", action_id="details", action_value="abc:E0001")) is None
    given = Request(actor=None, platform="slack", text="find-candidates kafka", lang="ko")
    assert request_lang(given) == "ko"                                  # the adapter decided it: kept


def test_a_file_alone_is_korean_by_its_name_or_left_to_the_resume():
    from handlers.requests import Upload

    assert request_lang(Request(actor=None, platform="slack", upload=Upload("이력서_김민준.pdf"))) == "ko"
    assert request_lang(Request(actor=None, platform="slack", upload=Upload("resume.pdf"))) is None
    assert request_lang(Request(actor=None, platform="slack", text="제 이력서예요", upload=Upload("cv.pdf"))) == "ko"
