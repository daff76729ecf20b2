"""Pages safe by construction, files that stay in ``--out``: the sanitiser every page goes through, URLs, paths.

Every string of a report that comes from data (a site's name, the study's
name, a code's label or definition, an interviewer, a quote) is escaped
where it is put into HTML (:func:`html.escape`, or ``escape="html"`` for a
pandas ``Styler``; :func:`leadlib.feedback.escape_markdown` where it goes
into Markdown). Then every page, whatever built it, goes through
:func:`sanitize_html` before it is written: the page is parsed, and written
again from what was parsed, keeping only

- elements of :data:`ALLOWED_TAGS` (no script, iframe, object, embed, form,
  svg, math, base or link), with attributes of :data:`ALLOWED_ATTRIBUTES`
  (never an ``on*`` handler);
- links (``<a href>``) whose scheme is in :data:`ALLOWED_SCHEMES` (http,
  https, mailto) or that are relative, and images (``<img src>``) that are
  embedded PNG, JPEG, GIF or WebP (``data:image/...``);
- ``<meta>`` elements giving the character set, the viewport or the
  Content-Security-Policy.

A tag that breaks one of these rules is not dropped silently: it is shown as
text (``<script>`` reads as ``<script>`` on the page), as is the content of
an element that is not allowed. Every text and every attribute value is
escaped again on the way out, so what a browser parses is what was checked.

Every page carries :data:`CSP`, a Content-Security-Policy that allows no
script, no request to any host, embedded images and inline styles only: the
pages need no script (no MathJax, widget or require.js).

Output files are named after :func:`page_slug` of a site ID (which may hold
any printable character, a file name may not); :func:`safe_path` refuses a
path that leads outside the folder it is relative to; :func:`atomic_write`
writes a file under a temporary name in the same folder, then renames it,
so that an interrupted report never leaves half a page.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

__all__ = [
    "ReportError",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_SCHEMES",
    "ALLOWED_TAGS",
    "CSP",
    "CSP_META",
    "atomic_write",
    "page_slug",
    "safe_path",
    "safe_url",
    "sanitize_html",
    "unique_slugs",
]


class ReportError(RuntimeError):
    """A page could not be rendered or written: which notebook, which cell, what went wrong."""

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None) -> None:
        self.notebook = notebook
        self.cell = cell
        super().__init__(message)


#: The Content-Security-Policy of every page: no script, no request to any host; embedded images, inline styles.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

#: Elements a page may hold.
ALLOWED_TAGS = frozenset(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "style",
        "main",
        "header",
        "footer",
        "section",
        "article",
        "nav",
        "aside",
        "div",
        "span",
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "img",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "small",
        "sub",
        "sup",
        "mark",
        "del",
        "ins",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "dfn",
        "time",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "colgroup",
        "col",
        "figure",
        "figcaption",
        "details",
        "summary",
    ]
)
_VOID = frozenset({"br", "hr", "img", "meta", "col"})
#: Attributes allowed on any element (plus ``data-*``); ``href`` on ``a`` and ``src`` on ``img`` are checked.
ALLOWED_ATTRIBUTES = frozenset(
    [
        "class",
        "id",
        "style",
        "title",
        "lang",
        "dir",
        "alt",
        "colspan",
        "rowspan",
        "span",
        "valign",
        "align",
        "border",
        "width",
        "height",
        "scope",
        "headers",
        "type",
        "scoped",
        "start",
        "reversed",
        "open",
        "datetime",
        "cellpadding",
        "cellspacing",
    ]
)
_URL_ATTRIBUTES = {"a": "href", "img": "src"}
#: URL schemes a link may have (besides a relative link).
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp)(?:;base64)?,", re.IGNORECASE)
_DATA_ATTRIBUTE = re.compile(r"data-[a-z0-9-]+")
_BAD_STYLE = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
# Browsers drop ASCII tab and newline anywhere in a URL, and leading/trailing C0 controls and spaces.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str, *, image: bool = False) -> bool:
    """Whether a URL may stand in a page: a link (http, https, mailto or relative) or an embedded image.

    Parameters
    ----------
    url
        The attribute's value, as a browser reads it (entities resolved).
    image
        The URL is an ``<img src>``: only an embedded PNG, JPEG, GIF or WebP
        (``data:image/...``) is allowed, since a page fetches nothing.

    Returns
    -------
    bool
        ``True`` for ``https://doi.org/...``, ``mailto:a@b.org``,
        ``../index.html#sites``, ``#section``; ``False`` for
        ``javascript:...``, ``data:text/html,...``, ``vbscript:...`` and any
        other scheme, however spelled (``JaVa\\tScRiPt:``).
    """
    bare = _URL_IGNORED.sub("", str(url))
    if image:
        return bool(_IMAGE.match(bare))
    scheme = _SCHEME.match(bare.lower())
    if scheme is None:
        # relative: no scheme before the first '/', '?' or '#'
        head = re.split(r"[/?#]", bare, maxsplit=1)[0]
        return ":" not in head
    return scheme.group(1) in ALLOWED_SCHEMES


def _allowed_meta(attrs: dict[str, str]) -> bool:
    names = set(attrs)
    if names == {"charset"}:
        return True
    if names == {"name", "content"}:
        return attrs["name"].lower() == "viewport"
    if names == {"http-equiv", "content"}:
        return attrs["http-equiv"].lower() == "content-security-policy"
    return False


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == _URL_ATTRIBUTES.get(tag):
        return safe_url(value, image=tag == "img")
    if name == "style":
        return not _BAD_STYLE.search(value)
    return name in ALLOWED_ATTRIBUTES or bool(_DATA_ATTRIBUTE.fullmatch(name))


class _Sanitizer(HTMLParser):
    """Re-writes a page from its parse, keeping what the allow-lists allow and showing the rest as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.in_style = False  # inside an allowed <style>: its CSS is written as it is
        self.neutralised: list[str] = []

    def _allowed(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag not in ALLOWED_TAGS:
            return False
        values = {name: value or "" for name, value in attrs}
        if len(values) != len(attrs):
            return False  # a repeated attribute: which one a browser keeps is not ours to guess
        if tag == "meta":
            return _allowed_meta(values)
        return all(_allowed_attribute(tag, name, value) for name, value in values.items())

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if not self._allowed(tag, attrs):
            self.neutralised.append(tag)
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>", quote=False))
            return
        text = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs)
        self.out.append(f"<{tag}{text}>")
        if tag == "style" and not closed:
            self.in_style = True

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)
        if tag in ALLOWED_TAGS and tag not in _VOID and self.out[-1].startswith("<"):
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in ALLOWED_TAGS:
            if tag not in _VOID:
                self.out.append(f"</{tag}>")
        else:
            self.out.append(html.escape(f"</{tag}>", quote=False))

    def handle_data(self, data):
        # CSS needs no '<': escaped, no '</style' can end the style sheet where a browser would
        self.out.append(data.replace("<", "\\3c ") if self.in_style else html.escape(data, quote=False))

    def handle_decl(self, decl):
        if decl.strip().lower() == "doctype html":
            self.out.append("<!DOCTYPE html>")

    def handle_comment(self, data):
        pass  # comments (and conditional comments) are left out

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def sanitize_html(page: str) -> str:
    """A page written again from its parse, with only allowed elements, attributes and URLs live.

    Parameters
    ----------
    page
        An HTML page (or part of one).

    Returns
    -------
    str
        The page, every text and attribute value escaped again. A tag whose
        element, attribute or URL is not allowed (see the module's rules),
        and the content of a ``<script>``, is shown as text; comments are
        left out. A page that needed no change reads the same in a browser.
    """
    parser = _Sanitizer()
    parser.feed(page)
    parser.close()
    if parser.in_style:
        parser.out.append("</style>")
    return "".join(parser.out)


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
_MAX_SLUG = 64


def page_slug(site_id: str) -> str:
    """A file name stem for an ID that may hold any printable character.

    The ID itself when it is a safe file name on every system (letters,
    digits, ``_``, ``-`` and inner ``.``; not a reserved Windows device name
    such as ``CON``; at most 64 characters), else a safe form of it followed
    by ``-`` and the first 8 hex digits of the ID's SHA-256, so that two IDs
    that differ only in unsafe characters get different names
    (``../../x`` -> ``x-1a2b3c4d``).

    Parameters
    ----------
    site_id
        The ID (converted with ``str``).

    Returns
    -------
    str
        The slug: no ``/``, ``\\``, ``..``, space or control character.
    """
    text = str(site_id)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE_NAME.sub("_", ascii_text).strip("._-")[: _MAX_SLUG - 9].rstrip("._-")
    reserved = slug.split(".", 1)[0].lower() in _RESERVED
    if slug and slug == text and not reserved:
        return slug
    if reserved:
        slug = f"_{slug}"  # in con.txt-1a2b3c4d.html, "con" is still the device CON on Windows
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug or 'id'}-{digest}"


def unique_slugs(ids: Iterable[str]) -> dict[str, str]:
    """ID -> :func:`page_slug`, unique even where file names ignore case (``S1`` and ``s1``).

    An ID whose slug (case folded) is already taken gets its hashed form,
    with more hex digits until it is free.
    """
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for site_id in ids:
        text = str(site_id)
        if text in slugs:
            continue
        slug = page_slug(text)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        width = 8
        while slug.casefold() in taken:
            base = _UNSAFE_NAME.sub("_", text).strip("._-")[:40] or "id"
            slug = f"{base}-{digest[:width]}"
            width += 4
        taken.add(slug.casefold())
        slugs[text] = slug
    return slugs


def safe_path(folder: str | os.PathLike, relative: str | os.PathLike) -> Path:
    """``folder / relative``, resolved, after checking that it stays inside ``folder``.

    Parameters
    ----------
    folder
        The folder every write goes into (``--out``, or the report's staging
        folder inside it).
    relative
        A relative POSIX path (``sites/S01.html``).

    Returns
    -------
    Path
        The resolved path (links followed).

    Raises
    ------
    ReportError
        If ``relative`` is absolute, holds ``..``, a backslash or a NUL, or
        resolves (through a link) outside ``folder``.
    """
    base = Path(folder).resolve()
    rel = str(relative)
    parts = PurePosixPath(rel).parts
    if not rel or "\\" in rel or "\x00" in rel or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise ReportError(f"refusing to write {rel!r}: a report writes only inside {base}")
    target = (base / Path(*parts)).resolve()
    if target == base or base not in target.parents:
        raise ReportError(f"refusing to write {rel!r}: it leads to {target}, outside {base}")
    return target


def atomic_write(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder, then rename it.

    A reader (or an interrupted run) sees the old file or the new one, never
    half of one. Returns the path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
