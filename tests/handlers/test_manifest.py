"""The Slack app manifests are valid and declare exactly what the code listens to."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from handlers import commands, events, scheduler
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "deploy").glob("slack-app-manifest*.yaml"))
SCHEMAS = SHARED / "slack-manifest-schema"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_there_is_one_manifest_per_mode():
    modes = {load(p)["settings"]["socket_mode_enabled"] for p in MANIFESTS}
    assert modes == {True, False}


@pytest.mark.skipif(
    not SCHEMAS.exists(), reason="../shared/slack-manifest-schema is not beside this checkout"
)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_against_slacks_schema(path):
    manifest = load(path)
    version = manifest["_metadata"]["major_version"]
    schema = json.loads(
        (SCHEMAS / f"manifest.schema.{version}.0.0.json").read_text(encoding="utf-8")
    )
    jsonschema.validate(manifest, schema)


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_declares_what_the_code_registers_and_nothing_else(path):
    manifest = load(path)
    declared_commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared_commands == set(commands.COMMANDS)
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(
        events.EVENTS.values()
    )
    assert (
        set(manifest["oauth_config"]["scopes"]["bot"])
        == events.SCOPES | commands.SCOPES | scheduler.SCOPES
    )
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_http_manifest_points_every_url_at_the_events_endpoint():
    (manifest,) = [load(p) for p in MANIFESTS if not load(p)["settings"]["socket_mode_enabled"]]
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert all(u.endswith("/slack/events") for u in urls)
