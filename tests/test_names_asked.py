import pytest


@pytest.mark.parametrize(
    "question",
    [
        "name of the third used korean ship going to vn",  # "two decommissioned vessels"
        "what's the name of the 3rd korean ship going to vn",
    ],
)
def test_a_name_the_facts_do_not_give_is_not_answered(engine, question):
    answer = engine.ask(question)
    assert not answer.answered


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("name of the us ambassador", "Marc Knapper"),
        ("names of the us companies that met chinh", "Boeing"),
    ],
)
def test_a_name_the_facts_give_is_answered(engine, question, name):
    answer = engine.ask(question)
    assert answer.answered and name in answer.text
