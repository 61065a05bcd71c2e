"""attache's own wording, one catalogue per language (en.yaml, vi.yaml beside this file)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml_rs

LANGUAGES = ("en", "vi")


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, Any]:
    """The messages of `lang`, falling back to English for an unknown language."""
    name = f"{lang if lang in LANGUAGES else 'en'}.yaml"
    data = yaml_rs.loads(resources.files("bot.messages").joinpath(name).read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"bot/messages/{name} must be a mapping of message keys")
    return data


def say(lang: str, key: str, **fields: object) -> str:
    """Message `key` ("smalltalk.thanks" for nested ones) in `lang`, fields filled in."""
    value: Any = catalogue(lang)
    for part in key.split("."):
        value = value[part]
    return " ".join(str(value).split()).format(**fields)
