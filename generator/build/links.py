"""Links inside the site: every relative ``href`` and ``src`` must name a file the build writes.

A link to a folder counts as broken too, because a browser reading the site from disk does not open
the folder's ``index.html`` by itself. A link that starts with two slashes (``//host/page``, or with
backslashes, which browsers read as slashes) is not inside the site at all: it names a page on another
host without saying https:, and is reported as such.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote, urldefrag

from generator.core.markdown import SCHEME

_LINK = re.compile(r"""\s(?:href|src)=["']([^"']*)["']""")
# How a browser reads the start of an address: leading spaces and controls are dropped, tabs and line
# breaks are dropped anywhere, and a backslash counts as a slash.
_LEADING = re.compile(r"^[\x00-\x20]+")
_DROPPED = re.compile(r"[\t\n\r]")
_TWO_SLASHES = re.compile(r"[/\\]{2}")


def relative_links(page: str, markup: str) -> Iterator[tuple[str, str]]:
    """(link as written, file it names) for each relative link in ``markup``, on the page at ``page``, and
    (link, link) for each address on another host written without a scheme: no file of the site."""
    folder = posixpath.dirname(page)
    for written in _LINK.findall(markup):
        link = _resolved(folder, written)
        if link is not None:
            yield link


# The pages of one folder share most of their links: the navigation, listings, assets.
@lru_cache(maxsize=1 << 16)
def _resolved(folder: str, written: str) -> tuple[str, str] | None:
    link = html.unescape(written)
    address = urldefrag(link).url.split("?", 1)[0]
    if elsewhere(link):
        return link, link
    if address and not SCHEME.match(address):
        return link, posixpath.normpath(posixpath.join(folder, unquote(address)))
    return None


def elsewhere(link: str) -> bool:
    """Whether a browser takes ``link`` for an address on another host without a scheme (``//host``)."""
    return bool(_TWO_SLASHES.match(_DROPPED.sub("", _LEADING.sub("", link))))
