"""A copy of the fact base as it was in November 2026 (tests/fixtures/kb-2026-11),
unchanged: it must stay valid and answer as well as it did. New schema fields are
optional, and the role words, kinds and field names it uses keep their meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Engine
from bot.knowledge import check
from bot.text import fold

FIXTURE = Path(__file__).parent / "fixtures" / "kb-2026-11"

# (question, patterns every answer must match), written against that base.
QUESTIONS = [
    ("Who is the US ambassador to Vietnam?", ["knapper"]),
    ("who is the Lao defence minister?", ["khamliang"]),
    ("who is the prime minister of Vietnam?", ["chinh"]),
    ("Who is the US Defense Secretary?", ["austin"]),
    ("Who signed the joint vision statement?", ["giang", "austin"]),
    ("When was the joint vision statement signed?", ["9 sep|sep\\w* 9", "2024"]),
    ("when did Nguyen Chi Vinh meet Michalak?", ["16", "mar", "2016"]),
    ("When did Vietnam and France become comprehensive strategic partners?", ["oct", "2024"]),
    ("Where did Giang and Austin hold talks?", ["pentagon"]),
    ("Where was the defence expo held?", ["hanoi"]),
    ("How much extra money did the US announce for Bien Hoa?", ["130"]),
    ("when did phan van giang vist the us", ["sep", "2024"]),
    ("Ai là Bộ trưởng Quốc phòng Lào?", ["khamliang"]),
    ("Tuyên bố tầm nhìn chung được ký khi nào?", ["2024"]),
    ("Which companies were in the USABC delegation?", ["boeing|lockheed"]),
]
ABSTAIN = [
    "Who is the Cambodian defence minister?",
    "Did Vietnam buy submarines from Russia?",
    "Who met the Thai defence minister?",
]


@pytest.fixture(scope="module")
def old_base() -> Engine:
    return Engine.from_path(FIXTURE, use_cache=False)


def test_the_old_base_is_still_valid(capsys):
    kb, problems = check(FIXTURE)
    assert problems == [] and kb is not None
    assert main(["kb", "check", str(FIXTURE)]) == 0  # lints are warnings only
    assert "OK:" in capsys.readouterr().out


@pytest.mark.parametrize(("question", "expect"), QUESTIONS)
def test_the_old_base_answers_as_before(old_base, question, expect):
    answer = old_base.ask(question)
    assert answer.answered, answer.text
    assert all(re.search(p, fold(answer.text)) for p in expect), answer.text


@pytest.mark.parametrize("question", ABSTAIN)
def test_the_old_base_still_abstains_outside_it(old_base, question):
    assert not old_base.ask(question).answered
