"""Addresses that leave the site without saying so: ``//host/page`` and the forms a browser reads as it.

A link in a report's text is either a page or file of the site, or an https:, http: or mailto: address
written out. Anything that starts with two slashes (or backslashes) is a page on another host, so it is
a problem that names the line and says to write https:// in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.build.links import elsewhere, relative_links
from generator.core.problems import ProblemsFound
from generator.pipeline import build_site


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    return [str(problem) for problem in found.value.problems]


@pytest.mark.parametrize(
    "link",
    [
        "//evil.example/phish",
        "\\\\evil.example",
        "/\\evil.example",
        "\\/evil.example",
        " //evil.example",
        "\t//evil.example",
        "/\t/evil.example",
        "\x01//evil.example",
        "/\n/evil.example",
        "///evil.example",
        "//",
    ],
)
def test_a_browser_reads_these_as_another_host(link: str) -> None:
    assert elsewhere(link)
    assert list(relative_links("reports/2020/a.html", f'<a href="{link}">x</a>')) == [(link, link)]


@pytest.mark.parametrize(
    "link",
    [
        "/evil.example",
        "evil.example//x",
        "%2F%2Fevil.example",
        "https://ok.example/",
        "./a.html",
        "../x/y.html",
        "#s1",
        "",
    ],
)
def test_these_stay_where_they_say(link: str) -> None:
    assert not elsewhere(link)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[点此](//evil.example/phish)", "//evil.example/phish"),
        ("[点此](<//evil.example/phish>)", "//evil.example/phish"),
        ("[点此](&#47;&#47;evil.example/phish)", "//evil.example/phish"),
        ("[点此](&#x2F;/evil.example/phish)", "//evil.example/phish"),
        ("[点此][出处]\n\n[出处]: //evil.example/phish", "//evil.example/phish"),
        ("![图](//evil.example/pixel.png)", "//evil.example/pixel.png"),
        ("[点此](///evil.example/phish)", "///evil.example/phish"),
    ],
)
def test_protocol_relative_link_in_a_report_is_a_problem(written: str, shown: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(body=f"## 一、总体情况\n\n{written}\n")})
    lines = (root / "content/a.md").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "evil" in text)
    # Written with character references, the link is not found as written: the file is named alone.
    where = f"content/a.md:{line}" if shown in written else "content/a.md"
    assert problems_of(root) == [
        f"{where}: links to {shown}, an address on another site written without https: or http:\n"
        f"    hint: write https:// in full, e.g. https://{shown.lstrip('/')}, or link to a page of the archive by "
        "its file name, e.g. ../2017/report.html"
    ]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "written",
    [
        "[点此](\\\\evil.example/phish)",
        "[点此](/\\evil.example/phish)",
        "[点此](&bsol;&bsol;evil.example)",
        "[点此](<\x01//evil.example>)",
    ],
)
def test_backslash_forms_are_broken_links(written: str, tmp_path: Path) -> None:
    """The Markdown parser percent-encodes the backslashes, so these name files the site does not have."""
    root = make_project(tmp_path, {"content/a.md": report_text(body=f"{written}\n")})
    [problem] = problems_of(root)
    assert "which is not a page or file of the site" in problem


def test_addresses_written_out_are_links(tmp_path: Path) -> None:
    body = "[门户](https://www.gov.cn/)、[旧站](http://old.example.gov.cn/a)、[信箱](mailto:gk@example.gov.cn)。\n"
    root = make_project(tmp_path, {"content/a.md": report_text(body=body)})
    assert build_site(root).reports == 1
    html = next((root / "site/reports/2020").glob("*.html")).read_text(encoding="utf-8")
    assert '<a href="https://www.gov.cn/">门户</a>' in html and '<a href="mailto:gk@example.gov.cn">' in html


def test_protocol_relative_link_in_a_template_is_the_templates_problem(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(),
            "layouts/report.html": "{% extends 'base.html' %}{% block main %}"
            '<a href="//cdn.example/x.js">x</a>{% endblock %}',
        },
    )
    assert problems_of(root) == [
        "layouts/report.html: a page from this template links to //cdn.example/x.js, an address on another site "
        "written without https: or http:\n    hint: write https:// in full in the template"
    ]
