from bot.index import Analyzer
from bot.lexicon import load
from bot.negation import denied
from bot.text import tokens


def _denied(question: str, text: str) -> bool:
    analyzer = Analyzer(load())
    words = tokens(question)
    return denied(words, set(analyzer.terms(words)), text, analyzer)


def test_a_fact_that_negates_the_asked_word_denies_it():
    assert _denied("does it undermine sovereignty", "it does not undermine the sovereignty")
    assert _denied("is it binding", "a non-binding statement")
    assert _denied("did they sign it", "they haven't signed it yet")


def test_a_negator_reaches_only_the_next_word():
    # "not undermine the sovereignty" says nothing against sovereignty
    assert not _denied("does it respect sovereignty", "it does not undermine the sovereignty")
    assert not _denied("did it help", "it not only helped but lasted")


def test_a_negated_question_is_left_alone():
    assert not _denied("did they not sign it", "they did not sign it")


def test_yes_no_answers_say_no_when_the_fact_negates_the_question(engine):
    answer = engine.ask("did paparo say us-vn capacity building undermines anyone's sovereignty")
    assert answer.answered and answer.text.startswith("No.")
    # an adverb the base never uses ("legally") is no topic of its own
    assert engine.ask("is the ph-vn loi legally binding").text.startswith("No.")
    assert engine.ask("did giang meet austin").text.startswith("Yes")
