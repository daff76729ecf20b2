"""The student edition as a static HTML book: for a class that reads without installing anything.

>>> leadlib classroom book --out book          # then open book/index.html

Each master exercise notebook becomes its student version (solutions and
rubrics removed, :func:`~leadlib.classroom.student_notebooks`), is run top to
bottom on the bundled study (so the worked examples show their tables and
figures; every self-check says "not answered yet"; ``--no-execute`` skips
this), and is converted to one HTML page with nbconvert; ``index.html``
lists the pages. Pages are safe as the reports' are: text is escaped, every
page goes through :func:`leadlib.report.safety.sanitize_html`, carries a
Content-Security-Policy that allows no script and no request, and asks no
other host for anything; files are written only inside ``--out``
(:func:`~leadlib.report.safety.safe_path`), each through a temporary file
renamed into place (:func:`~leadlib.report.safety.atomic_write`).
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from ..errors import LeadlibDataError
from ..report.export import external_requests
from ..report.safety import CSP_META, atomic_write, page_slug, safe_path, sanitize_html
from .versions import student_notebooks

__all__ = ["render_book", "BOOK_STYLE"]

#: The book's own style sheet (the code's colours are pygments' default style, added to it).
BOOK_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 0 auto;
       padding: 0 1rem 3rem; line-height: 1.5; color: #222; }
header.book-bar { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid #ccc; padding: .6rem 0; }
header.book-bar .book-edition { color: #555; font-size: .9em; }
pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.input_area, .highlight { background: #f6f6f6; border-radius: 4px; }
.highlight pre, .output_area pre { margin: .3rem 0; padding: .5rem; overflow-x: auto; }
.output_area pre { white-space: pre-wrap; }
.output_area { margin: .2rem 0 1rem; }
.prompt { display: none; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9em; }
th, td { border-bottom: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
img { max-width: 100%; height: auto; }
blockquote { border-left: 4px solid #ccc; margin: 1rem 0; padding: 0 1rem; color: #444; }
nav.book-pager { display: flex; justify-content: space-between; border-top: 1px solid #ccc; margin-top: 2rem;
                 padding-top: .6rem; }
a.anchor-link { display: none; }
"""

_IPYNB_HREF = re.compile(r'href="(?P<stem>[A-Za-z0-9_.-]+)\.ipynb(?P<frag>#[^"]*)?"')


def _style() -> str:
    try:
        from pygments.formatters import HtmlFormatter

        code = HtmlFormatter().get_style_defs(".highlight")
    except ImportError:  # pragma: no cover - pygments comes with nbconvert
        code = ""
    return BOOK_STYLE + code


def _title(nb, fallback: str) -> str:
    """The text of the notebook's first heading (its title)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _question(nb) -> str:
    """The first markdown cell's "**Question:** ..." paragraph, as plain text ("" if none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"\*\*Question:\*\*\s*(.+?)(?:\n\s*\n|$)", cell.source, re.DOTALL)
            return re.sub(r"\s+", " ", re.sub(r"[*`]", "", match.group(1))).strip() if match else ""
    return ""


def _execute(nb, *, timeout: int) -> None:
    """Run a student notebook top to bottom, in a scratch folder (nothing is written next to the book)."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="leadlib-book-") as scratch:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": scratch}}).execute()
    nb.metadata.pop("widgets", None)


def _page(title: str, body: str, *, pager: str, css: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'{CSP_META}\n<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
        '<header class="book-bar"><a href="index.html">&larr; Contents</a>'
        '<span class="book-edition">leadlib exercises, student edition</span></header>\n'
        f"<main>\n{body}\n</main>\n{pager}\n</body>\n</html>\n"
    )


def _relink(body: str, stems: dict[str, str]) -> str:
    """Links to another exercise notebook point at its page; a link to a notebook not in the book is dropped."""

    def fix(match: re.Match) -> str:
        stem = match.group("stem")
        if stem in stems:
            return f'href="{stems[stem]}.html{match.group("frag") or ""}"'
        return 'href="index.html"'

    return _IPYNB_HREF.sub(fix, body)


def render_book(
    out: str | Path,
    *,
    masters: str | Path | None = None,
    execute: bool = True,
    timeout: int = 600,
) -> list[Path]:
    """Write the student edition of the exercises as HTML pages and an index into ``out``.

    Parameters
    ----------
    out
        Folder to write into (created if missing). Only ``index.html`` and
        one ``<exercise>.html`` per master are written; nothing else is
        touched.
    masters
        Folder of the master notebooks (default ``notebooks/exercises``).
    execute
        Run each student notebook before converting it, so that the worked
        examples show their outputs (needs a ``python3`` kernel and the
        study the notebooks load). False: the pages show the code only.
    timeout
        Seconds a cell may run.

    Returns
    -------
    list of Path
        The pages written, the index first.

    Raises
    ------
    LeadlibDataError
        No masters or a master that cannot be split; a page that would ask
        another host for something.
    """
    try:
        from nbconvert import HTMLExporter
    except ImportError as exc:  # a runtime-only install has no notebook tools
        raise LeadlibDataError(
            "rendering notebooks needs nbconvert, which is not installed",
            hint='install the notebook tools: pip install "leadlib[notebooks]" (or run make setup)',
        ) from exc
    notebooks = student_notebooks(masters)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="basic")
    exporter.embed_images = True
    css = _style()
    stems = {Path(name).stem: page_slug(Path(name).stem) for name, _ in notebooks}
    pages: list[tuple[str, str, str, str]] = []  # (slug, title, question, body)
    for name, nb in notebooks:
        if execute:
            _execute(nb, timeout=timeout)
        body, _ = exporter.from_notebook_node(nb)
        stem = Path(name).stem
        pages.append((stems[stem], _title(nb, stem), _question(nb), _relink(body, stems)))
    written = [_write(out, "index.html", _index(pages, css))]
    for i, (slug, title, _, body) in enumerate(pages):
        previous = (
            f'<a href="{pages[i - 1][0]}.html">&larr; {html.escape(pages[i - 1][1])}</a>' if i else "<span></span>"
        )
        following = (
            f'<a href="{pages[i + 1][0]}.html">{html.escape(pages[i + 1][1])} &rarr;</a>' if i + 1 < len(pages) else ""
        )
        pager = f'<nav class="book-pager">{previous}{following}</nav>'
        written.append(_write(out, f"{slug}.html", _page(title, body, pager=pager, css=css)))
    return written


def _index(pages: list[tuple[str, str, str, str]], css: str) -> str:
    items = "\n".join(
        f'<li><a href="{slug}.html">{html.escape(title)}</a>'
        + (f"<br><small>{html.escape(question)}</small>" if question else "")
        + "</li>"
        for slug, title, question, _ in pages
    )
    body = (
        "<h1>Exercises: how leaders lead in clinical microsystems</h1>\n"
        "<p>The student edition of leadlib's exercises, to read in a browser: the worked examples with their "
        "outputs, the exercises and their questions, without solutions. To do the code exercises, open the "
        "same notebooks in JupyterLab (your instructor will say where); the written exercises need only "
        "paper.</p>\n"
        "<p><strong>The data are synthetic.</strong> The study the exercises use was generated by leadlib from "
        "the published design of <em>Microsystems in Health Care: Part 5. How Leaders Are Leading</em> (2003); "
        "nothing in it is a finding of the real study.</p>\n"
        f"<ol>\n{items}\n</ol>"
    )
    return _page("Exercises: student edition", body, pager="", css=css)


def _write(out: Path, name: str, page: str) -> Path:
    page = sanitize_html(page)
    fetched = external_requests(page)
    if fetched:
        raise LeadlibDataError(
            f"the page {name} would ask another host for {fetched[0]}",
            hint="remove the image or style sheet that points at another host from the master notebook",
        )
    path = atomic_write(safe_path(out, name), page)
    path.chmod(0o644)  # a temporary file is private (0600); a page is to be shared (a web server, a shared drive)
    return path
