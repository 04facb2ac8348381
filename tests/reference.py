"""The Python reference for a built archive's search: what each query must find, from the same search
data the build indexes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.build.catalogue import build_catalogue
from generator.build.content import load_content
from generator.build.plan import plan_site
from generator.core.config import load_config
from generator.core.searchtext import matches, parse_query, searchable_text
from generator.search.data import SearchData, plan_search


def search_data(root: Path) -> SearchData:
    """What search knows of the project at ``root``'s published reports."""
    config = load_config(root)
    catalogue = build_catalogue(load_content(config).reports)
    return plan_search(catalogue, plan_site(catalogue, config).report_paths)


def expected(data: SearchData, queries: Iterable[str]) -> dict[str, set[str]]:
    """Per query, the pages of the reports whose searchable text holds every term."""
    texts = [(document.url, searchable_text(document.fields)) for document in data.documents]
    return {query: {url for url, text in texts if matches(text, parse_query(query))} for query in queries}
