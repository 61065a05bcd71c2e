"""Reading an article to ingest: a local file, a web page or an RSS/Atom feed.

Web pages and HTML files go through trafilatura, which keeps the article's main text
(no navigation, footer or related stories) and reads its title, date, site name,
author and language. Feeds are read with feedparser; each item's page is fetched
in turn. Anything a user can get wrong raises `ArticleError` with one line saying
what to do. trafilatura and feedparser are imported only when needed.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from bot.text import clean, looks_vietnamese

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 5_000_000
MIN_ARTICLE_CHARS = 200
USER_AGENT = "attache-ingest/1.0 (+https://github.com/attache)"
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".md")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S
)
_HTML_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
_TEXT_DATE = re.compile(
    r"^(?:published|date|ngày đăng|ngay dang)\s*:\s*(\d{4}-\d{2}-\d{2})\s*$", re.I | re.M
)


class ArticleError(Exception):
    """The source cannot be read as an article; the message says why in one line."""


@dataclass(frozen=True)
class Article:
    """An article's main text and what is known about it."""

    text: str
    title: str | None
    published: dt.date | None
    publisher: str | None
    author: str | None
    language: str
    url: str | None


def _language(declared: str | None, text: str) -> str:
    if declared and declared.lower()[:2] in ("en", "vi", "fr", "lo"):
        return declared.lower()[:2]
    sample = text[:2000]
    if not looks_vietnamese(sample):
        return "en"
    # an English report that writes "Việt Nam" and "Nguyễn" is still English
    english = sum(w in _ENGLISH_WORDS for w in sample.lower().split())
    return "en" if english >= 0.08 * max(len(sample.split()), 1) else "vi"


_ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "on",
        "with",
        "for",
        "that",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
    ]
)


def _iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def from_html(html: bytes | str, url: str | None = None) -> Article:
    """The article in an HTML page (raises ArticleError when there is none)."""
    import trafilatura

    raw = html.encode("utf-8") if isinstance(html, str) else html
    doc: Any = None
    text = ""
    for precise in (True, False):  # precision first; recall if that leaves too little
        doc = trafilatura.bare_extraction(
            raw,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=precise,
        )
        text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if len(text) >= MIN_ARTICLE_CHARS:
            break
    if doc is None or len(text) < MIN_ARTICLE_CHARS:
        raise ArticleError("no article text found in the page: is it a news article?")
    declared = getattr(doc, "language", None)
    if not declared and (m := _HTML_LANG.search(raw[:5000])):
        declared = m.group(1).decode()
    return Article(
        text=text,
        title=clean(doc.title) if doc.title else None,
        published=_iso_date(doc.date),
        publisher=clean(doc.sitename) if doc.sitename else None,
        author=clean(doc.author) if doc.author else None,
        language=_language(declared, text),
        url=url or doc.url,
    )


def from_text(text: str) -> Article:
    """An article saved as plain text or Markdown: the first line is its title; a
    line `Published: YYYY-MM-DD` gives its date."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if not lines or len(text.strip()) < MIN_ARTICLE_CHARS:
        raise ArticleError("the file holds too little text to be an article")
    title = lines[0].lstrip("#").strip() or None
    published = _iso_date(m.group(1)) if (m := _TEXT_DATE.search(text)) else None
    body = "\n".join(line for line in lines[1:] if not _TEXT_DATE.match(line)).strip()
    return Article(
        text=body,
        title=title,
        published=published,
        publisher=None,
        author=None,
        language=_language(None, text),
        url=None,
    )


def fetch(url: str) -> tuple[bytes, str]:
    """The body (at most MAX_BYTES) and content type at `url`."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ArticleError(f"{url!r} is not a web address: give an http(s) URL or a file")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
            kind = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise ArticleError(f"{url} answered HTTP {exc.code} ({exc.reason})") from None
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise ArticleError(f"cannot reach {parts.netloc}: {reason}") from None
    except (TimeoutError, OSError) as exc:
        raise ArticleError(f"cannot read {url}: {exc.__class__.__name__} {exc}".strip()) from None
    except ValueError as exc:
        raise ArticleError(f"{url!r} is not a valid URL ({exc})") from None
    if len(body) > MAX_BYTES:
        raise ArticleError(f"{url} is larger than {MAX_BYTES // 1_000_000} MB: not an article")
    return body, kind.lower()


def is_feed(body: bytes, content_type: str = "") -> bool:
    """True for an RSS or Atom document."""
    if any(k in content_type for k in ("rss", "atom")):
        return True
    return bool(_FEED_START.match(body[:2000]))


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its link and what the feed says about it."""

    url: str
    title: str | None
    published: dt.date | None


def feed_items(body: bytes, base: str | None = None) -> list[FeedItem]:
    """The items of an RSS/Atom feed that link to a page (relative links against `base`)."""
    import feedparser  # type: ignore[import-untyped]

    parsed: Any = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise ArticleError("the feed cannot be read as RSS or Atom")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                url=urljoin(base, link) if base else link,
                title=clean(entry.get("title", "")) or None,
                published=dt.date(*when[:3]) if when else None,
            )
        )
    return items


def read_page(url: str, hint: FeedItem | None = None) -> Article:
    """The article at `url`; a feed item's title and date fill in what the page lacks."""
    body, kind = fetch(url)
    if is_feed(body, kind):
        raise ArticleError(f"{url} is a feed, not an article page")
    article = from_html(body, url=url)
    if hint:
        article = replace(
            article,
            title=article.title or hint.title,
            published=article.published or hint.published,
        )
    return article


def read_file(path: Path) -> Article | list[FeedItem]:
    """The article in a local file, or the items of a local feed file."""
    suffix = path.suffix.lower()
    if suffix not in (*HTML_SUFFIXES, *TEXT_SUFFIXES, *FEED_SUFFIXES):
        raise ArticleError(f"{path.name}: give an .html, .htm, .txt, .md or an RSS/Atom file")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if suffix in FEED_SUFFIXES or is_feed(body):
        return feed_items(body)
    if suffix in HTML_SUFFIXES:
        return from_html(body)
    try:
        return from_text(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArticleError(f"{path.name} is not UTF-8 text") from None


def read(source: str) -> Article | list[FeedItem]:
    """An article, or a feed's items, from a file path or an http(s) URL."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        body, kind = fetch(source)
        if is_feed(body, kind):
            return feed_items(body, base=source)
        return from_html(body, url=source)
    path = Path(source).expanduser()
    if not path.is_file():
        raise ArticleError(f"{source}: no such file (give a file path or an http(s) URL)")
    return read_file(path)
