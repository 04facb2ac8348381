"""How a report page describes its report to machines and to readers who cite it.

schema.org JSON-LD, Dublin Core and Highwire ``citation_*`` tags for harvesters and reference managers,
and two references a reader can copy: GB/T 7714-2015 (the Chinese national standard for bibliographic
references) and BibTeX.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.build.content import Report
from generator.core.chinese import fold, pinyin

# BibTeX gives these characters meaning; in a value each is written as a command or escaped.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_ESCAPE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))
# A url field is taken verbatim (biblatex, Zotero): only its braces matter to BibTeX, and an address
# means the same with them percent-encoded.
_URL_BRACES = {"{": "%7B", "}": "%7D"}

# BibTeX keys: the agency's pinyin initials, the year covered, then the 文号's issuer and number (or a
# word for the kind). ``临沧市民政局``, 2017, ``临民字〔2018〕2号`` → ``lcsmzj2017linminzi2``.
KEY_LENGTH = 28
_AGENCY_INITIALS = 10
_ISSUER_PINYIN = 12
_DOC_NUMBER = re.compile(
    r"(?P<issuer>.*?)[〔\[【(［〖]\s*(?:19|20)\d\d\s*[〕\]】)］〗]\s*第?\s*(?P<number>\d{1,5})\s*号"
)
# Words people already use for the kinds of report (the sample's file names use them too).
_KIND_WORDS = (("自查", "zicha"), ("年度报告", "nianbao"), ("年报", "nianbao"), ("落实情况", "luoshi"))
_KIND_INITIALS = 8


def json_ld(report: Report, address: str | None) -> dict[str, Any]:
    """The report as a schema.org ``Report``."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": report.title,
        "publisher": {"@type": "GovernmentOrganization", "name": report.agency},
        "author": {"@type": "GovernmentOrganization", "name": report.agency},
        "spatialCoverage": {"@type": "AdministrativeArea", "name": "".join(report.region)},
        "temporalCoverage": str(report.year),
        "inLanguage": report.language,
    }
    optional = {
        "identifier": report.doc_number,
        "datePublished": report.date,
        "genre": report.kind,
        "url": address,
        "isBasedOn": report.source_url,
    }
    return {**data, **{key: value for key, value in optional.items() if value}}


def script_json(data: object) -> str:
    """JSON to put inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so text can never end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def gbt7714(report: Report) -> str:
    """A GB/T 7714-2015 reference up to the date of citation, which the page adds; reference_address follows it.

    ``临沧市民政局. 临沧市民政局2017年…自查报告: 临民字〔2018〕2号[R/OL]. 临沧市: 临沧市民政局, 2017-12-26``
    """
    title = f"{report.title}: {report.doc_number}" if report.doc_number else report.title
    return f"{report.agency}. {title}[R/OL]. {report.region[-1]}: {report.agency}, {report.date or report.year}"


def reference_address(report: Report, address: str | None) -> str | None:
    """Where a reference sends its reader: the portal the report was found on, else the archive's page."""
    return report.source_url or address


def bibtex_keys(reports: Iterable[Report], paths: Mapping[str, str]) -> dict[str, str]:
    """A short BibTeX key for each report (by id), unique across the archive. Reports that would share
    one are taken in order of the date signed (undated last), then page path: the first keeps the key,
    the next get ``b``, ``c`` …, so adding a newer report never renames an older one's key."""
    groups: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        groups[_bibtex_key(report)].append(report)
    taken = set(groups)
    keys = {}
    for base, group in sorted(groups.items()):
        if len(group) > 1:  # most keys are unique already: only a shared one needs its reports ordered
            group.sort(key=lambda r: (r.date or r.published or "9999", paths[r.id]))
        keys[group[0].id] = base
        suffixes = (_letters(n) for n in range(2, 1 << 30))
        for report in group[1:]:
            key = next(base + suffix for suffix in suffixes if base + suffix not in taken)
            taken.add(key)
            keys[report.id] = key
    return keys


def _bibtex_key(report: Report) -> str:
    return _key(report.agency, report.year, report.doc_number, report.kind)


# Kept between the builds of a preview session, whose archive changes a report at a time.
@lru_cache(maxsize=1 << 16)
def _key(agency: str, year: int, doc_number: str | None, kind: str | None) -> str:
    tail = _number_part(doc_number) if doc_number else _kind_part(kind)
    room = max(1, min(_AGENCY_INITIALS, KEY_LENGTH - 4 - len(tail)))
    return f"{_initials(agency)[:room] or 'x'}{year}{tail}"


def _number_part(doc_number: str) -> str:
    """``临民字〔2018〕2号`` → ``linminzi2``; a long issuer by its initials (``云府办明电…`` → ``yfbmd67``)."""
    found = _DOC_NUMBER.fullmatch(fold(doc_number).strip())
    if not found:
        return _spelled(doc_number)[:_ISSUER_PINYIN]
    issuer = _spelled(found["issuer"])
    if len(issuer) > _ISSUER_PINYIN:
        issuer = _initials(found["issuer"])[:_ISSUER_PINYIN]
    return issuer + found["number"]


def _kind_part(kind: str | None) -> str:
    if not kind:
        return ""
    folded = fold(kind)
    word = next((word for words, word in _KIND_WORDS if words in folded), None)
    return word or _initials(kind)[:_KIND_INITIALS]


@cache  # names and issuers recur across an archive, and keys are made on every build
def _spelled(text: str) -> str:
    """Pinyin without tones, and ASCII letters and digits, run together in lower case."""
    return re.sub(r"[^a-z0-9]", "", "".join(pinyin(fold(text))).lower())


@cache
def _initials(text: str) -> str:
    """The first letter of each syllable, and ASCII letters and digits as they are, in lower case."""
    syllables = pinyin(fold(text), initials=True)
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower())


def _letters(number: int) -> str:
    """2 → b, 26 → z, 27 → aa: the suffixes of keys that would otherwise be the same."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def bibtex(report: Report, key: str, address: str | None) -> str:
    fields = {
        "author": "{" + _bibtex_value(report.agency) + "}",
        "title": "{" + _bibtex_value(report.title) + "}",
        "institution": _bibtex_value(report.agency),
        "address": _bibtex_value("".join(report.region)),
        "year": str(int((report.date or str(report.year))[:4])),
        "number": report.doc_number and _bibtex_value(report.doc_number),
        "type": report.kind and _bibtex_value(report.kind),
        "date": report.date,
        "url": (url := reference_address(report, address)) and _bibtex_url(url),
        "language": "chinese",
    }
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join([f"@techreport{{{key},", *lines, "}"])


def _bibtex_url(url: str) -> str:
    return "".join(_URL_BRACES.get(char, char) for char in url)


def _bibtex_value(text: str) -> str:
    return _BIBTEX_ESCAPE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    return _BIBTEX_SPECIAL[found[0]]


def highwire(report: Report, address: str | None) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags (name, content) that Google Scholar and reference managers (Zotero's
    Embedded Metadata translator) read: a technical report by the agency. The page's own address is
    given only when it is known in full (``base_url``); ``citation_pdf_url`` is added by the page, which
    knows the links of its text (see ``pdf_link``)."""
    signed = report.date or report.published
    tags = [
        ("citation_title", report.title),
        ("citation_author", report.agency),
        ("citation_publication_date", signed.replace("-", "/") if signed else str(report.year)),
        ("citation_publisher", report.agency),
        ("citation_technical_report_institution", report.agency),
        ("citation_technical_report_number", report.doc_number),
        ("citation_language", report.language),
        ("citation_fulltext_html_url", address),
        ("citation_abstract_html_url", address),
    ]
    return [(name, value) for name, value in tags if value]


_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def pdf_link(body_html: str, source_url: str | None, address: str | None) -> str | None:
    """The full address of the report as a PDF: its source when that is a PDF, else the first PDF its
    text links to (an attachment), a relative link made absolute when the page's address is known."""
    links = [source_url] if source_url else []
    links += [html.unescape(href) for href in _HREF.findall(body_html)]
    for link in links:
        full = link if urlsplit(link).scheme else urljoin(address, link) if address else ""
        parts = urlsplit(full)
        if parts.scheme in ("http", "https") and parts.path.lower().endswith(".pdf"):
            return full
    return None
