"""Plain data (dicts, lists, tuples, strings, numbers, None) as bytes to digest."""

from __future__ import annotations

import marshal

# Version 2 writes every object out in full. Later versions write an object met before as a reference
# to it, so the bytes would depend on which equal strings happen to be one object, not only on the data.
_FULL = 2


def plain_bytes(data: object) -> bytes:
    """Bytes that are equal exactly when the plain data is: types, order and all, as repr() tells them,
    several times quicker. Raises ValueError for anything else, which a page's data never holds."""
    return marshal.dumps(data, _FULL)
