"""The demo organisation does not flatter the ranker: its resumes are messy the way real ones are."""
import re

import pytest

from bot.demo import generate_demo_org
from bot.demo.generator import _PARAPHRASES
from core.skills import SkillExtractor, load_taxonomy


@pytest.fixture(scope="module")
def orgs():
    return generate_demo_org(), generate_demo_org(messy=False)


def test_messiness_changes_only_resume_text(orgs):
    messy, tidy = orgs
    assert messy.truth == tidy.truth
    for a, b in zip(messy.employees, tidy.employees):
        assert {k: v for k, v in a.items() if k != "resume_text"} == {k: v for k, v in b.items() if k != "resume_text"}
    changed = sum(a["resume_text"] != b["resume_text"] for a, b in zip(messy.employees, tidy.employees))
    assert changed > len(tidy.employees) * 0.6
    assert generate_demo_org().employees == messy.employees          # still deterministic


def test_paraphrases_never_name_the_skill_they_stand_for():
    taxonomy = load_taxonomy()
    extractor = SkillExtractor(taxonomy)
    for skill, (english, korean) in _PARAPHRASES.items():
        skill_id = taxonomy.lookup_name(skill)
        assert skill_id, skill
        for phrase in english + korean:
            assert skill_id not in extractor.skills_in_line(phrase), (skill, phrase)


def test_resumes_carry_typos_paraphrases_mixed_language_and_irrelevant_sections(orgs):
    messy, tidy = orgs
    texts = [e["resume_text"] for e in messy.employees]
    tidy_text = "\n".join(e["resume_text"] for e in tidy.employees)
    phrases = [p for en, ko in _PARAPHRASES.values() for p in en + ko]
    assert sum(any(p in t for p in phrases) for t in texts) >= 30
    hobbies = re.compile(r"Interests|Hobbies|Volunteering|References available|취미|봉사활동|추천인|자기소개:")
    assert sum(bool(hobbies.search(t)) for t in texts) >= 100 and not hobbies.search(tidy_text)
    # Korean resumes with a line in English, beyond names of tools
    english_sentence = re.compile(r"^[-•*·]\s+[A-Z][a-z]+ [a-z]+ .*[a-z]{4,} [a-z]{4,}", re.MULTILINE)
    korean_resumes = [e["resume_text"] for e in messy.employees if re.search(r"[가-힣]{2,} [가-힣]{2,}", e["resume_text"])]
    assert sum(bool(english_sentence.search(t)) for t in korean_resumes) >= 20
    tidy_words = set(re.findall(r"[A-Za-z]{5,}", tidy_text))
    typos = {w for t in texts for w in re.findall(r"[A-Za-z]{5,}", t)} - tidy_words
    assert len(typos) >= 30
