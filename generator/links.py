"""Links inside the site: every relative ``href`` and ``src`` must name a file the build writes.

A link to a folder counts as broken too, because a browser reading the site from disk does not open
the folder's ``index.html`` by itself.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urldefrag

from generator.markdown import SCHEME

_LINK = re.compile(r"""\s(?:href|src)=["']([^"']*)["']""")


def relative_links(page: str, markup: str) -> Iterator[tuple[str, str]]:
    """(link as written, file it names) for each relative link in ``markup``, on the page at ``page``."""
    for written in _LINK.findall(markup):
        link = html.unescape(written)
        address = urldefrag(link).url.split("?", 1)[0]
        if not address or SCHEME.match(address) or address.startswith("//"):
            continue
        yield link, posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(address)))
