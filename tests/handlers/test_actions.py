"""Share in channel, feedback, and App Home example buttons."""

import json

from bot.store import Store


def test_share_posts_for_everyone_crediting_the_asker(app):
    reply, path = app.action(
        "share_answer", json.dumps({"q": "who met the Lao defence minister?"}), user="U42"
    )
    assert reply.status == 200
    shared, deleted = app.responses(path, count=2)
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert "&lt;@U42&gt;" not in json.dumps(shared) and "<@U42> asked" in json.dumps(
        shared["blocks"]
    )
    assert "share_answer" not in json.dumps(shared["blocks"])
    assert deleted["delete_original"] is True


def test_feedback_is_stored_and_thanked_quietly(app):
    value = json.dumps(
        {"q": "who is Marc Knapper?", "f": ["us-officials-attend-vide-2024-opening"]}
    )
    _, path = app.action("feedback_down", value, user="U77")
    (thanks,) = app.responses(path)
    assert thanks["response_type"] == "ephemeral" and "Thanks" in thanks["text"]
    rows = [r for r in Store(f"sqlite:///{app.database}").feedback_rows() if r["user_id"] == "U77"]
    assert (
        rows
        and rows[-1]["vote"] == -1
        and rows[-1]["fact_ids"] == ["us-officials-attend-vide-2024-opening"]
    )


def test_example_button_answers_in_the_users_dm(app):
    app.action("ask_example_0", "who met the Lao defence minister?", user="U55")
    (post,) = app.standin.wait_for("chat.postMessage")
    assert post["channel"] == "U55" and "Pham Minh Chinh" in post["text"]


def test_a_failing_listener_tells_the_user_something_went_wrong(app):
    """A listener that raises (here on a malformed feedback value) is caught by the app's
    error handler: the user gets an ephemeral apology, not silence."""
    _, path = app.action("feedback_up", json.dumps({"q": "who?", "f": 5}), user="U88")
    (sorry,) = app.responses(path)
    assert sorry["response_type"] == "ephemeral" and "something went wrong" in sorry["text"]
