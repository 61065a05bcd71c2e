"""Finding the names in an article: people by their titles, organisations by their
head words, countries (the base's own, else pycountry's), places after "in"/"at".

Everything works on `Word`s: the article's words with their original spelling (for
capitals) and their folded key (for matching, so "Defence" finds "defense minister").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.text import fold, tokens

_WORD = re.compile(r"[^\W_][\w’'.-]*[\w]|[^\W_]")

RANKS = (
    "senior lieutenant general",
    "lieutenant general",
    "major general",
    "brigadier general",
    "captain",
    "general",
    "admiral",
    "vice admiral",
    "rear admiral",
    "senior colonel",
    "colonel",
    "dai tuong",
    "thuong tuong",
    "trung tuong",
    "thieu tuong",
    "do doc",
    "pho do doc",
    "chuan do doc",
    "dai ta",
    "mr",
    "ms",
    "mrs",
)
RANK_ABBREVIATIONS = {
    "sen": "senior",
    "snr": "senior",
    "lt": "lieutenant",
    "lieut": "lieutenant",
    "gen": "general",
    "maj": "major",
    "col": "colonel",
    "adm": "admiral",
    "capt": "captain",
    "brig": "brigadier",
}
# Titles that are not role words the engine knows but still introduce a name.
OTHER_TITLES = (
    "minister",
    "deputy minister",
    "vice minister",
    "undersecretary",
    "under secretary",
    "undersecretary of national defense",
    "under secretary of national defense",
    "secretary of national defense",
    "secretary",
    "chief of general staff",
    "chief of the general staff",
    "chief of staff",
    "chief of defense staff",
    "chief of the defense staff",
    "director",
    "director general",
    "chairman",
    "bo truong",
    "thu truong",
    "chu tich",
    "tong tham muu truong",
    "counterpart",
    "nguoi dong cap",
    "deputy prime minister",
    "vice premier",
    "foreign minister",
    "deputy foreign minister",
    "minister of foreign affairs",
    "pho thu tuong",
    "bo truong ngoai giao",
    "thu truong ngoai giao",
)
# The common Vietnamese family names: a person with one of them is taken to be Vietnamese
# when the article does not say (reported as unsure).
_SURNAMES = (
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly trinh dinh "
    "luong lam mai truong ha cao quach ta phung kieu doan thai chu la luu mac tong to nong "
    "giap thach vuong trieu ton dao tang khong quan lai van"
)
VIETNAMESE_SURNAMES = frozenset(_SURNAMES.split())
# Demonyms and Vietnamese names -> ISO 3166 alpha-2 (pycountry supplies the names).
COUNTRY_WORDS = {
    "indian": "IN",
    "japanese": "JP",
    "russian": "RU",
    "russia": "RU",
    "australian": "AU",
    "british": "GB",
    "britain": "GB",
    "uk": "GB",
    "korean": "KR",
    "south korea": "KR",
    "south korean": "KR",
    "north korea": "KP",
    "philippine": "PH",
    "filipino": "PH",
    "chinese": "CN",
    "thai": "TH",
    "indonesian": "ID",
    "malaysian": "MY",
    "singaporean": "SG",
    "german": "DE",
    "israeli": "IL",
    "canadian": "CA",
    "dutch": "NL",
    "italian": "IT",
    "spanish": "ES",
    "turkish": "TR",
    "turkey": "TR",
    "burmese": "MM",
    "bangladeshi": "BD",
    "pakistani": "PK",
    "ukrainian": "UA",
    "belarusian": "BY",
    "cuban": "CU",
    "brazilian": "BR",
    "mongolian": "MN",
    "swedish": "SE",
    "polish": "PL",
    "czech": "CZ",
    "egyptian": "EG",
    "new zealand": "NZ",
    "taiwan": "TW",
    "iran": "IR",
    "syria": "SY",
    "an do": "IN",
    "nhat ban": "JP",
    "nga": "RU",
    "han quoc": "KR",
    "trieu tien": "KP",
    "trung quoc": "CN",
    "uc": "AU",
    "thai lan": "TH",
    "duc": "DE",
    "ba lan": "PL",
    "tho nhi ky": "TR",
    "lien bang nga": "RU",
    "nam sudan": "SS",
    "south sudan": "SS",
}
COUNTRY_VI = {
    "IN": "Ấn Độ",
    "JP": "Nhật Bản",
    "RU": "Nga",
    "KR": "Hàn Quốc",
    "KP": "Triều Tiên",
    "CN": "Trung Quốc",
    "AU": "Australia",
    "TH": "Thái Lan",
    "DE": "Đức",
    "GB": "Vương quốc Anh",
    "PL": "Ba Lan",
    "TR": "Thổ Nhĩ Kỳ",
    "PH": "Philippines",
    "ID": "Indonesia",
    "SG": "Singapore",
    "MY": "Malaysia",
}
SHORT_NAMES = {"KR": "South Korea", "KP": "North Korea", "RU": "Russia", "GB": "United Kingdom"}
ORG_HEADS = frozenset(
    [
        "navy",
        "army",
        "force",
        "forces",
        "command",
        "guard",
        "agency",
        "council",
        "academy",
        "university",
        "institute",
        "office",
        "corporation",
        "company",
        "group",
        "limited",
        "ltd",
        "inc",
        "industries",
        "shipyard",
        "association",
        "committee",
        "organisation",
        "organization",
        "bank",
        "ministry",
        "department",
        "police",
    ]
)
COMPANY_HEADS = frozenset(
    [
        "corporation",
        "company",
        "group",
        "limited",
        "ltd",
        "inc",
        "industries",
        "shipyard",
        "plc",
        "llc",
    ]
)
CONNECTORS = frozenset({"of", "for", "and", "the", "de", "on"})
NOT_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "the",
        "on",
        "in",
        "at",
        "during",
        "after",
        "before",
        "but",
        "and",
        "while",
        "last",
        "this",
        "next",
        "a",
        "an",
        "he",
        "she",
        "they",
        "it",
        "its",
        "their",
        "his",
        "her",
        "we",
        "our",
        "analysts",
        "chieu",
        "sang",
        "toi",
        "ngay",
        "tai",
        "hom",
        "thang",
        "nam",
    ]
)


@dataclass(frozen=True)
class Word:
    """One word of a sentence: as written, its folded key, and where it is."""

    text: str
    key: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def phrase(name: str) -> tuple[str, ...]:
    """The token phrase a name is matched by, read as `words` reads a sentence."""
    return tuple(" ".join(w.key for w in words(name)).split())


def words(sentence: str) -> list[Word]:
    """The words of `sentence`, with keys as `bot.text.tokens` reads them; a rank
    abbreviated with a dot reads as the rank ("Lt." -> "lieutenant")."""
    out = []
    for m in _WORD.finditer(sentence):
        text, start = m.group(0).rstrip("."), m.start()
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        if text.lower().startswith(("then-", "ex-")):  # "then-Prime Minister"
            cut = text.index("-") + 1
            text, start = text[cut:], start + cut
        key = " ".join(tokens(text))
        if sentence[m.end() : m.end() + 1] == "." and key in RANK_ABBREVIATIONS:
            key = RANK_ABBREVIATIONS[key]
        if key:
            out.append(Word(text, key, start, start + len(text)))
    return out


def joined(sentence: str, a: Word, b: Word) -> bool:
    """True when only spaces separate `a` and `b` (no comma, no bracket)."""
    gap = sentence[a.end : b.start].strip()
    return gap in ("", "'s", "’s") or (gap == "." and a.text.lower() in RANK_ABBREVIATIONS)


def plain(text: str) -> str:
    """`text` without diacritics, keeping capitals: "Phạm Minh Chính" -> "Pham Minh Chinh"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str, limit: int = 60) -> str:
    """An id: lower-case words joined by hyphens."""
    out = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", fold(text))).strip("-")
    return out[:limit].rstrip("-") or "item"


@dataclass(frozen=True)
class Country:
    """A country found through pycountry: what a new entity for it needs."""

    code: str
    name: str
    official: str
    name_vi: str | None


@lru_cache(maxsize=512)
def country(phrase: str) -> Country | None:
    """The country a folded phrase names ("india", "indian", "an do"), or None."""
    import pycountry

    code = COUNTRY_WORDS.get(phrase)
    found = None
    if code:
        found = pycountry.countries.get(alpha_2=code)
    elif len(phrase) >= 4:
        for field in ("name", "common_name", "official_name"):
            for item in pycountry.countries:
                value = getattr(item, field, None)
                if value and fold(value) == phrase:
                    found = item
                    break
            if found:
                break
    if found is None:
        return None
    code = found.alpha_2
    name = SHORT_NAMES.get(code) or getattr(found, "common_name", None) or found.name
    return Country(
        code=code,
        name=name,
        official=getattr(found, "official_name", None) or found.name,
        name_vi=COUNTRY_VI.get(code),
    )


COMMON_ZIPF = 4.5  # a word this frequent (about once in 30,000 words) is an everyday word


@lru_cache(maxsize=1)
def _vietnamese_common() -> frozenset[str]:
    from wordfreq import top_n_list, zipf_frequency

    return frozenset(
        fold(w) for w in top_n_list("vi", 20000) if zipf_frequency(w, "vi") >= COMMON_ZIPF
    )


def common_word(name: str) -> bool:
    """True for a one-word name that is also an everyday English or Vietnamese word once
    diacritics are dropped ("Royal", "Chien" as chiến): a poor alias to match on."""
    from wordfreq import zipf_frequency

    key = fold(name)
    if " " in key.strip():
        return False
    return zipf_frequency(key, "en") >= COMMON_ZIPF or key in _vietnamese_common()


@lru_cache(maxsize=1)
def title_phrases() -> dict[tuple[str, ...], str]:
    """Title phrases (token tuples) -> role id ("" for a rank or a title with no role)."""
    from bot import lexicon

    table: dict[tuple[str, ...], str] = {}
    for title in (*RANKS, *OTHER_TITLES):
        table[tuple(tokens(title))] = ""
    for words_, role in lexicon.load().role_phrases.items():
        if len(words_) > 1 or len(words_[0]) > 3:
            table[words_] = role
    return table


def match_title(ws: list[Word], i: int) -> tuple[int, str] | None:
    """The longest title starting at word `i`: (its end, its role id or "")."""
    table = title_phrases()
    keys = [w.key for w in ws]
    for n in range(min(6, len(ws) - i), 0, -1):
        phrase = tuple(" ".join(keys[i : i + n]).split())
        if phrase in table:
            return i + n, table[phrase]
    return None


def name_run(sentence: str, ws: list[Word], i: int, most: int = 4) -> int:
    """The end of the run of capitalised name words starting at `i` (== i if none)."""
    j = i
    while (
        j < len(ws)
        and j - i < most
        and ws[j].capitalised
        and ws[j].key not in NOT_NAMES
        and (j == i or joined(sentence, ws[j - 1], ws[j]))
    ):
        j += 1
    return j


def looks_vietnamese_name(name: str) -> bool:
    """True for a name written with Vietnamese letters or a Vietnamese family name."""
    first = fold(name.split()[0]) if name.split() else ""
    return first in VIETNAMESE_SURNAMES or plain(name) != name
