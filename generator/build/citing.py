"""How a report page describes its report to machines and to readers who cite it.

schema.org JSON-LD and Dublin Core for harvesters, and two references a reader can copy: GB/T 7714-2015
(the Chinese national standard for bibliographic references) and BibTeX.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.build.content import Report

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
        "url": (url := reference_address(report, address)) and _BIBTEX_ESCAPE.sub(_escaped, url),
        "language": "chinese",
    }
    lines = [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join([f"@techreport{{{key},", *lines, "}"])


def _bibtex_value(text: str) -> str:
    return _BIBTEX_ESCAPE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    return _BIBTEX_SPECIAL[found[0]]
