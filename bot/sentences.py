"""What one sentence of an article says: where sentences end, which kind of event a
sentence reports (from its verb), the dates, sums of money, areas of cooperation and
topics it gives. English and Vietnamese; patterns run on folded text unless a
Vietnamese word needs its diacritics (ký, signed, is not kỳ, term).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from bot import dates
from bot.text import clean, fold, tokens

_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Ỹ][A-ZÀ-Ỹ .,'-]{1,40}(?:\([^)]*\))?\s*[:—–-]+\s+"
    r"|[A-ZÀ-Ỹ][\w .'-]{1,30}(?:,\s*\w{3,9}\.?\s+\d{1,2})?\s*\([A-Z]{2,8}\)\s*[:—–-]?\s*)"
)
# "(Photo: VNA)", "Photo: Nguyen Thai / Reuters", "Ảnh: TTXVN": never news, and a
# photographer's name must not be read as a country ("Thai")
_CREDIT = re.compile(r"\s*[(\[](?:photo|ảnh|image|source|nguồn)\b[^)\]]*[)\]]", re.I)
_CAPTION = re.compile(
    r"^\s*(?:photo|photos|ảnh|image|picture|source|nguồn|file photo)\b\s*(?:by\b|[:/-])|"
    r"^[^.]{0,60}\s/\s*(?:VNA|TTXVN|Reuters|AFP|AP|VNS|QĐND|QDND)\s*$",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-ZÀ-Ỹ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Lieut|Col|Maj|Adm|Capt|Brig|Sen|Snr|Rep|Gov|Prof|No|St|Jr|Sr)"
    r"|\b[A-Z])\.$"
)
_WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|scheduled|expected to|due to)\b|\bsẽ\b")
DAY_WORDS = "|".join(d.title() for d in _WEEKDAYS_EN)
_WEEKDAYS_VI = {"thu hai": 0, "thu ba": 1, "thu tu": 2, "thu nam": 3, "thu sau": 4, "thu bay": 5}
_WEEKDAY = re.compile(
    r"\b(?:on\s+)?(?P<en>" + "|".join(_WEEKDAYS_EN) + r")\b"
    r"|\b(?:hom|ngay|vao|sang|chieu|toi|trua)\s+(?P<vi>" + "|".join(_WEEKDAYS_VI) + r"|chu nhat)\b"
)
_LEADING_DATE = re.compile(
    r"^(?:(?:on|in|last|this|earlier|late|early|during|at|for)\s+[^,]{1,30},\s*"
    r"|(?:sang|chieu|toi|ngay|hom|thang)\s+[^,]{1,20},\s*(?:tai\s+[^,]{1,30},\s*)?)",
    re.I,
)
# kind, English verbs (on folded text), Vietnamese verbs (on lower-cased text), in the
# order a sentence is tried: "signed ... and said" is an agreement.
_KINDS = [
    ("statement", r"\binvit(?:ed|es|e)\b", r"\bmời\b"),
    (
        "agreement",
        # not "the fields the two sides had signed", "under signed agreements", "aimed to sign"
        r"(?<!had )(?<!have )(?<!has )(?<!already )(?<!under )(?<!the )(?<!to )"
        r"(?<!agreement )(?<!agreements )(?<!document )(?<!documents )"
        r"\b(?:signed|signs|sign|inked)\b",
        r"\bký(?: kết)?\b",
    ),
    (
        "call",
        r"\b(?:phone (?:call|talks)|by (?:tele)?phone|video[ -]?(?:call|conferenc\w*)"
        r"|virtual (?:talks|meeting|format))\b",
        r"điện đàm",
    ),
    (
        "funding",
        r"\b(?:pledged?|pledges|provided?|provides|granted?|donated?|fund(?:ed|ing|s)?|allocated?)\b",
        r"tài trợ|viện trợ|hỗ trợ|cung cấp|cam kết|tặng",
    ),
    (
        "visit",
        # not "the visit will ..." (a noun for a visit told before), but "a visit to X"
        r"\b(?:visited|visiting|toured|port call|arrived in)\b|\bvisits? to\b"
        r"|(?<!the )(?<!this )(?<!his )(?<!her )(?<!their )(?<!its )\bvisits?\b(?! exchange)",
        r"\bthăm\b",
    ),
    (
        "meeting",
        r"\b(?:met|meets?|received|receives|hosted|hosts|(?:held|holds|hold) (?:\w+ ){0,3}talks"
        r"|talks with|co-?chaired)\b",
        r"(?<!buổi )(?<!trực )\btiếp\b(?! tục)|hội đàm|hội kiến|\bgặp\b|làm việc với",
    ),
    (
        "statement",
        r"(?<!-)\b(?:said|says|stated|told|stressed|affirmed|noted|highlighted|thanked|praised|"
        r"welcomed|concurred|"
        r"invited|urged|called for|agreed|expressed|pledged|voiced|spoke|hoped|conveyed|outlined|"
        r"underlined|reaffirmed|vowed|discussed|reviewed|emphasi[sz]ed|proposed|asked|"
        r"reiterated|consented|appreciated|acknowledged|confirmed|underscored|valued|"
        r"spoke highly|shared|exchanged views|committed|suggested|reached consensus)\b",
        r"cho biết|khẳng định|nhấn mạnh|phát biểu|đánh giá cao|cảm ơn|bày tỏ|đề nghị|mong muốn|nhất trí",
    ),
    (
        "event",
        r"\b(?:held|handed over|delivered|upgraded|attended|took part|launched|conducted|opened|"
        r"established|joined|deployed|witnessed|took office|was appointed|renewed|co-?chaired|"
        r"took place|was held|were held|took part)\b",
        r"bàn giao|tổ chức|nâng cấp|tham dự|khai mạc|tham gia|triển khai",
    ),
    ("announcement", r"\b(?:announced|will|plans? to)\b", r"\bsẽ\b|công bố"),
]
_FIRST_VERB = frozenset({"visit", "meeting", "event"})
_AMOUNT = re.compile(
    r"(?:US\s?\$|\$|USD\s?)\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<m>million|billion|thousand|bn|m)?\b"
    r"|(?P<n2>\d[\d,]*(?:\.\d+)?)\s*(?P<m2>million|billion|triệu|tỷ)\s*(?:USD|US dollars|dollars|đô la)",
    re.I,
)
# "cooperation in shipbuilding, cyber security and military medicine"
_AREAS = re.compile(
    r"\b(?:(?:cooperation|collaboration|ties|partnership|engagements?|exchanges?|work|focus)"
    r"\s+(?:in|on)|(?:areas|fields|sectors)\s+(?:such as|including|of)|including|"
    r"cover(?:s|ing|ed)?)\s+"
    r"(?:the\s+(?:areas?|fields?)\s+of\s+)?(?P<en>[^.;:]+?,[^.;:]+?\band\s+[^.;:,]+?)"
    r"(?=[.;:]|,?\s+(?:according|as well|which|while|before|after)\b|$)"
    r"|(?:các\s+)?lĩnh vực\s+(?P<vi>[^.;:]+?\svà\s[^.;:,]+)",
    re.I,
)
_NUMBER_WORDS = dict(
    zip(
        [
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        range(2, 13),
        strict=True,
    )
)
# "five agreements and MOUs", "12 cooperation documents", "two memoranda of understanding"
_COUNT = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:(?:new|more|other|bilateral|"
    r"cooperation|defen[cs]e|key|important)\s+){0,2}(?P<what>agreements|memoranda|memorandums|"
    r"MOUs|MoUs|documents|deals|accords|contracts|treaties|letters of intent|vessels|ships|"
    r"aircraft|projects)\b(?:\s+(?:and|of)\s+(?:MOUs|MoUs|memoranda|understanding|intent|"
    r"agreements|documents)\b(?:\s*\(MOUs?\))?){0,2}",
    re.I,
)
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "triệu": 1e6, "billion": 1e9, "bn": 1e9}
_TOPICS = {
    "shipbuilding": "shipbuilding",
    "cyber security": "cyber security",
    "cybersecurity": "cyber security",
    "military medicine": "military medicine",
    "peacekeeping": "peacekeeping",
    "gin giu hoa binh": "peacekeeping",
    "search and rescue": "search and rescue",
    "defense industry": "defence industry",
    "cong nghiep quoc phong": "defence industry",
    "credit line": "credit line",
    "maritime security": "maritime security",
    "an ninh hang hai": "maritime security",
    "training": "training",
    "dao tao": "training",
    "exercise": "exercise",
    "port call": "port call",
    "memorandum of understanding": "memorandum of understanding",
    "ban ghi nho": "memorandum of understanding",
    "unexploded ordnance": "unexploded ordnance",
    "war legacies": "war legacies",
    "technology transfer": "technology transfer",
    "transfer of defense equipment": "equipment transfer",
    "coast guard": "coast guard",
    "submarine": "submarines",
    "patrol vessel": "patrol vessels",
    "field hospital": "field hospital",
    "benh vien da chien": "field hospital",
    "comprehensive strategic partnership": "comprehensive strategic partnership",
    "doi tac chien luoc toan dien": "comprehensive strategic partnership",
    "dialogue": "dialogue",
    "expo": "expo",
}


def split(text: str) -> list[str]:
    """The sentences of a text, paragraph by paragraph, without datelines ("HANOI: "),
    photo captions and credits."""
    out: list[str] = []
    for paragraph in (p for p in text.splitlines() if p.strip()):
        paragraph = _DATELINE.sub("", _CREDIT.sub("", clean(paragraph)))
        if _CAPTION.match(paragraph):
            continue
        pieces: list[str] = []
        for piece in _SENTENCE_END.split(paragraph):
            if pieces and _ABBREVIATION.search(pieces[-1]):
                pieces[-1] += " " + piece
            else:
                pieces.append(piece)
        out += [p.strip() for p in pieces if len(p.strip()) > 3]
    return out


def dates_in(sentence: str, published: dt.date) -> list[tuple[dates.DateSpan, str]]:
    """The dates a sentence gives, read against the publication date, most precise first,
    each with the words that gave it."""
    folded = fold(sentence)
    found: list[tuple[int, dates.DateSpan, str]] = []
    try:
        for f in dates.find(sentence, today=published):
            span = f.span if f.span.year_known else _in_year(f.span, published)
            found.append((f.begin, span, sentence[f.begin : f.end].strip(" .,;")))
    except ValueError:
        pass
    # "what it is today" is no date; "since 2019", "previous meeting in 2019" is background
    found = [
        f
        for f in found
        if not (fold(f[2]) in ("today", "now") and re.search(r"\b(?:is|are)\s+$", folded[: f[0]]))
        and not re.search(r"\b(?:since|(?:previous|last) \w+(?: \w+)?(?: in)?)\s+$", folded[: f[0]])
    ]
    days = []
    for m in _WEEKDAY.finditer(folded):
        wd = _WEEKDAYS_EN.index(m["en"]) if m["en"] else _WEEKDAYS_VI.get(m["vi"], 6)
        if future(sentence):  # "will fly ... on Thursday": the coming one
            shift = (wd - published.weekday()) % 7
        else:  # "met ... on Tuesday": the one just past
            shift = -((published.weekday() - wd) % 7)
        days.append((m, published + dt.timedelta(shift)))
    in_range: set[int] = set()
    for (m, day), (n, last) in itertools.pairwise(days):
        if re.fullmatch(r"\s*(?:to|until|through|and|-|–|den)\s*", folded[m.end() : n.start()]):
            first = day if day <= last else day - dt.timedelta(7)  # "from Sunday to Tuesday"
            span = dates.DateSpan(first, last, "range")
            found.append((m.start(), span, sentence[m.start() : n.end()]))
            in_range |= {m.start(), n.start()}
    found += [
        (m.start(), dates.day_span(day), sentence[m.start() : m.end()])
        for m, day in days
        if m.start() not in in_range
    ]
    rank = {"day": 3, "range": 3, "month": 2, "year": 1}
    found.sort(key=lambda x: (-rank[x[1].precision], x[0]))
    return [(span, text) for _, span, text in found]


def _in_year(span: dates.DateSpan, published: dt.date) -> dates.DateSpan:
    """A date written without a year: the latest one not after the publication."""
    resolved = span.in_year(published.year)
    if resolved.start > published + dt.timedelta(days=7):
        resolved = span.in_year(published.year - 1)
    return resolved


def future(sentence: str) -> bool:
    """True when the sentence speaks of something still to come ("will", "scheduled")."""
    return bool(_FUTURE.search(sentence.lower()))


def kind_of(sentence: str, has_amount: bool) -> tuple[str, str] | None:
    """The fact's kind and its verb: a signing, call or funding wherever it is said,
    else the kind of the first verb ("held talks with X, who is on a visit")."""
    folded, lower = fold(sentence), sentence.lower()
    found = []
    for rank, (kind, english, vietnamese) in enumerate(_KINDS):
        m = re.search(english, folded) or re.search(vietnamese, lower)
        if m and (kind != "funding" or has_amount):
            # a signing, call or funding wherever it is said; then the first of a visit,
            # meeting or event; a statement, then an announcement, only failing those
            where = {"statement": len(sentence), "announcement": len(sentence) + 1}.get(
                kind, m.start() if kind in _FIRST_VERB else -1
            )
            found.append((where, rank, kind, m.group(0)))
    if not found:
        return None
    _, _, kind, verb = min(found)
    return kind, verb


def amounts(sentence: str) -> list[dict[str, Any]]:
    """The sums of money a sentence states, as fact `amounts` (value, unit, of)."""
    out = []
    for m in _AMOUNT.finditer(sentence):
        number = (m["n"] or m["n2"]).replace(",", "")
        scale = _SCALE.get((m["m"] or m["m2"] or "").lower(), 1.0)
        after = sentence[m.end() :].strip()
        if m["m2"] and m["m2"].lower() in ("triệu", "tỷ"):  # "khoản tín dụng 300 triệu USD"
            after = " ".join([*sentence[: m.start()].split()[-3:], after])
        of = re.split(r"[,;.]| that | which ", after)[0].strip()
        of = re.sub(r"^(?:to help|to|for|in)\s+", "", of)
        of = " ".join(of.split()[:8]) or "the amount the article reports"
        value = float(number) * scale
        out.append({"value": int(value) if value.is_integer() else value, "unit": "USD", "of": of})
    return out


def counts(sentence: str) -> list[dict[str, Any]]:
    """The numbers of things a sentence counts ("five agreements"), as fact `amounts`."""
    out = []
    for m in _COUNT.finditer(sentence):
        n = m["n"].lower()
        value = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        if value >= 1900:  # a year, not a count
            continue
        of = sentence[m.start() : m.end()].strip()
        out.append({"value": value, "unit": m["what"].lower(), "of": of})
    return out


def areas(sentence: str) -> list[str]:
    """The areas of cooperation a sentence lists, if it lists some."""
    m = _AREAS.search(sentence)
    if not m:
        return []
    listed = m["en"] or m["vi"]
    *first, last = [p.strip() for p in listed.split(",") if p.strip()]
    last = re.sub(r"^(?:and|và)\s+", "", last)
    tail = re.split(r"\s+(?:and|và)\s+", last, maxsplit=1)
    items = [re.sub(r"^(?:the|và|as well as)\s+", "", p).strip() for p in [*first, *tail]]
    # "intellectual property among other areas" -> "intellectual property"; no "2017-2022"
    items = [re.split(r"\s+(?:among|and|as well as) other\b|\s+etc\b", i)[0] for i in items]
    return [i for i in items if 0 < len(i) <= 80 and not re.match(r"^[\d\s/–-]+$", i)]


def without_opener(sentence: str) -> str:
    """The sentence without a leading date or place phrase ("On Tuesday, ", "Chiều 5/3, ")."""
    folded = fold(sentence)
    m = _LEADING_DATE.match(folded) if len(folded) == len(sentence) else None
    body = sentence[m.end() :] if m else sentence
    return body[:1].upper() + body[1:]


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip(",;:") + "…"


def topics(sentence: str) -> list[str]:
    """The topic tags a sentence mentions ("peacekeeping", "credit line")."""
    folded = " ".join(tokens(sentence))
    return list(dict.fromkeys(t for key, t in _TOPICS.items() if re.search(rf"\b{key}\b", folded)))
