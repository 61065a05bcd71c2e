"""Slack-facing code (Bolt app, listeners, Block Kit). Depends on `bot`, never the reverse."""
