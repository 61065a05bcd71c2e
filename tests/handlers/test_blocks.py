"""Block Kit limits and escaping, on answers longer than any in the shipped base."""

from bot.answer import Answer, Citation, FactRef
from bot.knowledge import load
from handlers.blocks import MAX_BLOCKS, MAX_SECTION_CHARS, answer_messages, escape


def long_answer(chars: int) -> Answer:
    kb = load(None)
    fact = kb.facts[0]
    refs = tuple(FactRef(fact, Citation.of(kb.sources[fact.source])) for _ in range(3))
    line = "• 18 December 2024: a long line about <defence> & cooperation that goes on\n"
    return Answer("what happened?", True, line * (chars // len(line)), 1.0, refs, "timeline")


def test_long_answers_are_split_within_slack_limits():
    messages = answer_messages(long_answer(200_000), shareable=True)
    assert len(messages) > 1
    for message in messages:
        assert len(message["blocks"]) <= MAX_BLOCKS
        assert message["text"]
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION_CHARS
    assert messages[-1]["blocks"][-1]["type"] == "actions"


def test_a_single_line_longer_than_a_section_is_split():
    messages = answer_messages(Answer("q", True, "word " * 2000, 1.0), shareable=False)
    sections = [b for m in messages for b in m["blocks"] if b["type"] == "section"]
    assert len(sections) >= 4 and all(len(s["text"]["text"]) <= MAX_SECTION_CHARS for s in sections)


def test_escape():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
