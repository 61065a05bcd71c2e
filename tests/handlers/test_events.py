"""Mentions, direct messages, retries, ignored messages and the App Home tab."""

import time

from bot.knowledge import load


def mention(
    text: str, ts: str, channel: str = "C777", thread_ts: str | None = None, **extra
) -> dict:
    event = {
        "type": "app_mention",
        "user": "U123",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event | extra


def unique_ts() -> str:
    return f"{time.time():.6f}"


def test_mention_is_answered_in_a_thread(app):
    ts = unique_ts()
    assert app.event(mention("<@UBOT> who is Olivier Brochet?", ts)).status == 200
    (post,) = app.standin.wait_for("chat.postMessage")
    assert post["channel"] == "C777" and post["thread_ts"] == ts
    assert "Ambassador" in post["text"]


def test_mention_inside_a_thread_replies_in_that_thread(app):
    ts = unique_ts()
    app.event(mention("<@UBOT> what is ADMM+?", ts, thread_ts="1600000000.000001"))
    (post,) = app.standin.wait_for("chat.postMessage")
    assert post["thread_ts"] == "1600000000.000001"


def test_direct_message_is_answered_in_the_dm(app):
    ts = unique_ts()
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D123",
        "user": "U123",
        "text": "who is Marc Knapper?",
        "ts": ts,
    }
    app.event(event)
    (post,) = app.standin.wait_for("chat.postMessage")
    assert post["channel"] == "D123" and not post.get("thread_ts")


def test_mention_that_also_arrives_as_a_message_is_answered_once(app):
    ts = unique_ts()
    app.event(mention("<@UBOT> who is Lloyd Austin?", ts, channel="C888"))
    app.event(
        {
            "type": "message",
            "channel_type": "channel",
            "channel": "C888",
            "user": "U123",
            "text": "<@UBOT> who is Lloyd Austin?",
            "ts": ts,
        }
    )
    app.standin.wait_for("chat.postMessage")
    app.standin.settle()
    assert len(app.standin.of("chat.postMessage")) == 1


def test_retried_event_is_answered_once(app):
    event = mention("<@UBOT> who is Patrick Leahy?", unique_ts())
    assert app.event(event, event_id="EvRETRY1").status == 200
    assert app.event(event, event_id="EvRETRY1", retry=1).status == 200
    assert app.event(event, event_id="EvRETRY1", retry=2).status == 200
    app.standin.wait_for("chat.postMessage")
    app.standin.settle()
    assert len(app.standin.of("chat.postMessage")) == 1


def test_bot_messages_edits_deletions_and_joins_are_ignored(app):
    base = {"type": "message", "channel_type": "im", "channel": "D123"}
    app.event(base | {"bot_id": "B999", "text": "who is Marc Knapper?", "ts": unique_ts()})
    app.event(
        base | {"user": "UBOT", "bot_id": "BBOT", "text": "who is Marc Knapper?", "ts": unique_ts()}
    )
    app.event(
        base
        | {
            "subtype": "message_changed",
            "message": {"text": "who is Marc Knapper?"},
            "ts": unique_ts(),
        }
    )
    app.event(base | {"subtype": "message_deleted", "ts": unique_ts()})
    app.event(
        base
        | {
            "subtype": "channel_join",
            "user": "U123",
            "text": "<@U123> has joined",
            "ts": unique_ts(),
        }
    )
    app.standin.settle(1.0)
    assert app.standin.of("chat.postMessage") == []


def test_app_home_shows_what_attache_knows(app):
    app.event(
        {
            "type": "app_home_opened",
            "user": "U123",
            "channel": "D123",
            "tab": "home",
            "event_ts": unique_ts(),
        }
    )
    (publish,) = app.standin.wait_for("views.publish")
    assert publish["user_id"] == "U123"
    view = str(publish["view"])
    kb = load(None)
    assert f"{len(kb.facts)} facts from {len(kb.sources)} sources" in view
    assert "VOV.VN" in view and "ask_example_0" in view


def direct_message(text: str, ts: str, channel: str = "D123", user: str = "U123") -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
    }


def reply_to(app, count: int) -> str:
    """The text of the `count`-th chat.postMessage so far."""
    return app.standin.wait_for("chat.postMessage", count=count)[count - 1]["text"]


def test_a_follow_up_in_the_thread_refers_to_the_previous_answer(app):
    first = unique_ts()
    app.event(mention("<@UBOT> who met the Lao defence minister?", first, channel="C901"))
    assert "Chinh" in reply_to(app, 1)
    app.event(mention("<@UBOT> when was that?", unique_ts(), channel="C901", thread_ts=first))
    assert "18 December 2024" in reply_to(app, 2)


def test_a_follow_up_in_a_dm_refers_to_the_previous_answer(app):
    app.event(direct_message("who did Lloyd Austin meet at the Pentagon?", unique_ts()))
    assert "Giang" in reply_to(app, 1)
    app.event(direct_message("khi nào?", unique_ts()))
    assert "9/9/2024" in reply_to(app, 2)


def test_context_never_crosses_conversations(app):
    """Another person's DM, another thread: "that" refers to nothing there."""
    first = unique_ts()
    app.event(direct_message("who met the Lao defence minister?", first, channel="D555"))
    assert "Chinh" in reply_to(app, 1)
    app.event(direct_message("when was that?", unique_ts(), channel="D666", user="U666"))
    other_dm = reply_to(app, 2)
    app.event(mention("<@UBOT> when was that?", unique_ts(), channel="C902"))
    other_thread = reply_to(app, 3)
    for text in (other_dm, other_thread):
        assert "December 2024" not in text and "that" in text.lower()
