"""An editor's App Home lists what attache could not answer; other users' does not."""

import time

from tests.handlers.conftest import start_app
from tests.handlers.test_events import mention, unique_ts


def home(app, user: str) -> str:
    app.standin.reset()
    app.event({"type": "app_home_opened", "user": user, "tab": "home", "event_ts": unique_ts()})
    (publish,) = app.standin.wait_for("views.publish")
    return str(publish["view"])


def test_editors_see_the_most_asked_unanswered_questions(standin, tmp_path):
    app = start_app(standin, tmp_path, extra_env={"ATTACHE_EDITORS": "U999, UEDITOR"})
    try:
        for _ in range(2):
            app.event(mention("<@UBOT> who is the Thai defence minister?", unique_ts()))
            app.standin.wait_for("chat.postMessage")
            app.standin.reset()
            time.sleep(0.01)
        editor_view = home(app, "UEDITOR")
        assert "Most asked, not answered" in editor_view
        assert "2× who is the Thai defence minister?" in editor_view
        assert "Most asked, not answered" not in home(app, "U123")
    finally:
        app.process.terminate()
        app.process.wait(timeout=10)
