"""/attache through real signed HTTP requests to `attache serve`."""

import json

import pytest


def texts(message: dict) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def test_question_is_acknowledged_then_answered_privately(app):
    reply, path = app.command("who met the Lao defence minister?")
    assert reply.status == 200 and reply.seconds < 3
    (message,) = app.responses(path)
    assert message["response_type"] == "ephemeral"
    blocks = texts(message)
    assert "You asked: who met the Lao defence minister?" in blocks
    assert "Pham Minh Chinh" in blocks and "IMCE Singapore" in blocks
    assert "share_answer" in blocks and "feedback_up" in blocks
    assert message["text"].startswith("Pham Minh Chinh")


def test_help(app):
    _, path = app.command("help")
    (message,) = app.responses(path)
    assert "/attache timeline" in texts(message) and message["response_type"] == "ephemeral"


def test_timeline_subcommand(app):
    _, path = app.command("timeline 18/12/2024")
    (message,) = app.responses(path)
    assert "On 18 December 2024" in texts(message)


def test_unknown_subcommand_is_a_question(app):
    _, path = app.command("budget for Bien Hoa: how much did the US pledge?")
    (message,) = app.responses(path)
    assert "$130 million" in texts(message)


def test_pings_typed_into_a_question_are_escaped(app):
    _, path = app.command("<!channel> <!here> <@U999> who is Marc Knapper?")
    (message,) = app.responses(path)
    blocks = texts(message)
    assert "&lt;!channel&gt;" in blocks and "&lt;@U999&gt;" in blocks
    assert "<!channel>" not in blocks and "<@U999>" not in blocks


def test_unanswerable_question_says_so_without_buttons(app):
    _, path = app.command("When did Vietnam buy submarines from Israel?")
    (message,) = app.responses(path)
    assert "nothing on Israel" in texts(message) and "feedback_up" not in texts(message)


def test_digest_on_uses_the_users_zone_and_says_what_is_set(app):
    _, path = app.command("digest on", channel="CDIG1")
    (message,) = app.responses(path)
    assert "Daily digest at 08:00 Asia/Ho_Chi_Minh, starting" in message["text"]
    _, path = app.command("digest status", channel="CDIG1")
    assert "Daily digest at 08:00 Asia/Ho_Chi_Minh" in app.responses(path)[0]["text"]


def test_digest_on_with_time_zone_and_every_day(app):
    _, path = app.command("digest on 07:30 Europe/Paris daily", channel="CDIG2")
    assert "Daily digest at 07:30 Europe/Paris, starting" in app.responses(path)[0]["text"]
    assert "every day" in app.responses(path)[0]["text"]


@pytest.mark.parametrize(
    ("words", "complaint"),
    [("25:00", "is not a time of day"), ("08:00 Mars/Olympus", "is not a time zone")],
)
def test_bad_digest_settings_change_nothing(app, words, complaint):
    _, path = app.command("digest on 09:15 Asia/Tokyo", channel="CDIG3")
    app.responses(path)
    _, path = app.command(f"digest on {words}", channel="CDIG3")
    assert (
        complaint in app.responses(path)[0]["text"]
        and "Nothing was changed" in app.responses(path)[0]["text"]
    )
    _, path = app.command("digest status", channel="CDIG3")
    assert "09:15 Asia/Tokyo" in app.responses(path)[0]["text"]


def test_digest_off_and_preview(app):
    _, path = app.command("digest on", channel="CDIG4")
    app.responses(path)
    _, path = app.command("digest preview", channel="CDIG4")
    preview = app.responses(path)[0]
    assert preview["response_type"] == "ephemeral" and "attache daily digest" in preview["text"]
    _, path = app.command("digest off", channel="CDIG4")
    assert "turned off" in app.responses(path)[0]["text"]
    _, path = app.command("digest status", channel="CDIG4")
    assert "has no daily digest" in app.responses(path)[0]["text"]
