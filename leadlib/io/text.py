"""Words of transcripts: the one rule every reader uses to fill ``interviews.n_words``.

A word is a run of characters other than Unicode whitespace, whitespace
being exactly what :meth:`str.isspace` says (what ``str.split()`` with no
argument splits on): ASCII spaces, tabs and line breaks, the separators
``\\x1c``-``\\x1f``, NEL (U+0085), the no-break space (U+00A0), the
typographic spaces U+2000-U+200A, U+202F, U+205F, the ideographic space
U+3000 and the line and paragraph separators. A zero width space (U+200B) is
not whitespace (``str.isspace`` says so): it joins the characters on either
side into one word. The count of one text equals ``len(text.split())``.

The texts are counted together, in numpy, on the UTF-8 bytes of an Arrow
string array (which the readers build anyway), so no Python string is
visited character by character.

>>> from leadlib.io.text import count_words
>>> count_words(["a b\\u00a0c", "", "x\\u200by"]).tolist()
[3, 0, 1]
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["count_words", "WHITESPACE"]

#: Code points :meth:`str.isspace` calls whitespace. None lies beyond the
#: Basic Multilingual Plane (the tests check every code point), so the BMP
#: is searched once, at import.
WHITESPACE: tuple[int, ...] = tuple(c for c in range(0x10000) if chr(c).isspace())

#: Byte -> is an ASCII whitespace character (a single UTF-8 byte); all are <= 32.
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[c for c in WHITESPACE if c < 0x80]] = True

#: Code point (BMP) -> is whitespace.
_SPACE_POINT = np.zeros(0x10000, dtype=bool)
_SPACE_POINT[list(WHITESPACE)] = True

#: Byte -> the UTF-8 length (2 or 3) of the whitespace characters that start with it; 0 for the others.
_SPACE_LEAD = np.zeros(256, dtype=np.uint8)
for _point in WHITESPACE:
    _encoded = chr(_point).encode("utf-8")
    if len(_encoded) > 1:
        _SPACE_LEAD[_encoded[0]] = len(_encoded)
del _point, _encoded

#: Texts are counted this many at a time (Python strings are converted to Arrow a block at a time).
_BLOCK = 1024


def count_words(texts: Iterable[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Words in each text: runs of characters other than Unicode whitespace.

    Parameters
    ----------
    texts
        Strings: a list or other iterable, a numpy array, a pandas Series
        (any string dtype), or a pyarrow string array (plain or chunked,
        counted in place without a copy).

    Returns
    -------
    numpy.ndarray
        One ``int64`` count per text, in order; ``count_words([t])[0] ==
        len(t.split())`` for every string ``t``.

    Raises
    ------
    ValueError
        If a text is missing (None or NaN): it has no count, and 0 would
        say it has no words.
    TypeError
        If a value is not a string.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("count_words counts many texts: for one text, pass [text]")
    if isinstance(texts, (pa.Array, pa.ChunkedArray)) or hasattr(texts, "__arrow_array__"):
        arrays = [_as_arrow(texts)]
    elif isinstance(texts, pd.Series | pd.Index) and hasattr(texts.array, "__arrow_array__"):
        arrays = [_as_arrow(texts.array)]  # pandas strings held by Arrow: counted where they are
    else:
        # Python strings: converted a block at a time, so that only one block is held twice
        values = iter(texts.tolist() if isinstance(texts, np.ndarray | pd.Series | pd.Index) else texts)
        blocks = iter(lambda: list(islice(values, _BLOCK)), [])
        arrays = (_as_arrow(block) for block in blocks)
    counts = []
    for array in arrays:
        for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
            # a block of texts at a time (slices are views): the work arrays,
            # a few bytes per byte of text, stay the size of one block
            counts.extend(_count_chunk(chunk.slice(lo, _BLOCK)) for lo in range(0, len(chunk), _BLOCK))
    return np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)


def _as_arrow(texts) -> pa.Array | pa.ChunkedArray:
    """The texts as an Arrow ``large_string`` array (a view where they already are one)."""
    if isinstance(texts, (pa.Array, pa.ChunkedArray)):
        array = texts
    else:
        try:
            array = pa.array(texts, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise TypeError(f"count_words counts strings: {exc}") from None
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise TypeError(f"count_words counts strings, not {array.type}")
    if array.null_count:
        raise ValueError(f"count_words: {array.null_count} text(s) are missing (None or NaN); they have no count")
    return array.cast(pa.large_string()) if pa.types.is_string(array.type) else array


def _count_chunk(chunk: pa.Array) -> np.ndarray:
    """Words of each string of one Arrow ``large_string`` array, from its offsets and UTF-8 bytes."""
    n = len(chunk)
    _validity, offsets_buf, data_buf = chunk.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[chunk.offset : chunk.offset + n + 1]
    if n == 0 or offsets[-1] == offsets[0]:
        return np.zeros(n, dtype=np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
    bounds = offsets - offsets[0]
    space = _space_bytes(data)
    # a word starts at a byte that is not whitespace where the byte before
    # is whitespace or the text begins (the continuation bytes of a
    # character follow its first byte, so they never start a word)
    starts = ~space
    starts[1:] &= space[:-1]
    firsts = bounds[:-1][bounds[:-1] < bounds[1:]]  # the first byte of each non-empty text
    starts[firsts] = ~space[firsts]
    positions = np.flatnonzero(starts)
    return np.diff(np.searchsorted(positions, bounds)).astype(np.int64)


def _space_bytes(data: np.ndarray) -> np.ndarray:
    """For each byte of UTF-8 text: whether it belongs to a whitespace character."""
    # every ASCII whitespace byte is <= 32: one comparison finds them, then the
    # few control characters below 28 that are not whitespace are set apart
    space = data <= 32
    low = np.flatnonzero(data < 28)
    space[low] = _ASCII_SPACE[data[low]]
    wide = np.flatnonzero(data >= 0xC2)  # first bytes of multi-byte characters (and a few others)
    if not len(wide):
        return space
    last = len(data) - 1
    kind = _SPACE_LEAD[data[wide]]
    for length in (2, 3):
        first = wide[kind == length]
        if not len(first):
            continue
        # the code point of the character starting at each such byte (UTF-8
        # from Arrow is valid, so the continuation bytes are there; clipped
        # all the same, never reading past the data)
        b0 = data[first].astype(np.int64)
        b1 = data[np.minimum(first + 1, last)].astype(np.int64) & 0x3F
        if length == 2:
            point = ((b0 & 0x1F) << 6) | b1
        else:
            b2 = data[np.minimum(first + 2, last)].astype(np.int64) & 0x3F
            point = ((b0 & 0x0F) << 12) | (b1 << 6) | b2
        hit = first[_SPACE_POINT[point]]
        for k in range(length):
            space[np.minimum(hit + k, last)] = True
    return space
