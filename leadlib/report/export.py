"""Executed notebooks to self-contained HTML: the exporter, the checks of a page, links, publishing."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

from .pages import SITE_NOTEBOOK, ReportError
from .safety import CSP, atomic_write, safe_path

__all__ = ["external_requests", "safe_path", "TEMPLATE_DIR", "STYLE", "MANIFEST"]

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE_DIR = ASSETS / "templates"
STYLE = ASSETS / "style.css"
#: The list of the files a run wrote, in ``--out``: the next run replaces those and nothing else.
MANIFEST = ".leadlib-report.json"

# Anything that makes a browser fetch: src/srcset/data/poster/action attributes,
# <link href>, CSS url() and @import. Plain <a href> links are only followed on a
# click and are allowed (a notebook may cite a paper).
_FETCH_ATTR = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*?\b"""
    r"""(?P<attr>src|srcset|data|poster|action|background|formaction)\s*=\s*["']?\s*"""
    r"""(?P<url>(?:https?:)?//[^"'\s>]+)""",
    re.IGNORECASE,
)
_LINK_TAG = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']?\s*(?P<url>(?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)(?P<url>(?:https?:)?//[^"')\s]+)""", re.IGNORECASE)


def external_requests(page: str) -> list[str]:
    """URLs on other hosts that a browser would fetch when opening ``page`` (empty list: none).

    Looks at ``src``, ``srcset`` and similar attributes of any element,
    ``<link href>``, CSS ``url()`` and ``@import``. Links (``<a href>``) are
    not requests and are not listed.
    """
    found = [m.group("url") for m in _FETCH_ATTR.finditer(page)]
    found += [m.group("url") for m in _LINK_TAG.finditer(page)]
    found += [m.group("url") for m in _CSS_URL.finditer(page)]
    return found


_IPYNB_LINK = re.compile(
    r"""<a\s+href="(?P<href>[^"#:]*?)(?P<stem>[^"/#:]+)\.ipynb(?P<frag>#[^"]*)?"(?P<rest>[^>]*)>"""
    r"""(?P<text>.*?)</a>""",
    re.DOTALL,
)


def _relink(page_html: str, *, depth: int, rendered: set[str]) -> str:
    """Links between notebooks point at their rendered pages; a link to a page not rendered becomes text."""
    up = "../" * depth

    def fix(m: re.Match) -> str:
        stem = m.group("stem")
        if f"{stem}.html" in rendered:
            return f'<a href="{up}{stem}.html{m.group("frag") or ""}"{m.group("rest")}>{m.group("text")}</a>'
        if stem == Path(SITE_NOTEBOOK).stem:
            return f'<a href="{up}index.html#sites">{m.group("text")}</a>'
        return f'<span class="lr-unlinked">{m.group("text")}</span>'

    return _IPYNB_LINK.sub(fix, page_html)


def _visible_text(page: str) -> str:
    """The text of a page as a reader sees it: no tags, scripts, styles or image data."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


class _Exporter:
    """nbconvert's HTML exporter with the report's template, created once per process."""

    def __init__(self) -> None:
        # nbconvert is of the notebooks extra: only a report needs it
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        self.html = HTMLExporter(template_name="leadlib_report", extra_template_basedirs=[str(TEMPLATE_DIR)])
        self.html.exclude_input = True
        self.html.exclude_input_prompt = True
        self.html.exclude_output_prompt = True
        self.html.embed_images = True
        # Tags that the book's notebooks use for cells meant for the analyst only.
        remover = TagRemovePreprocessor(
            enabled=True,
            remove_cell_tags={"remove-cell", "remove_cell", "report-remove"},
            remove_all_outputs_tags={"remove-output", "remove_output"},
        )
        self.html.register_preprocessor(remover, enabled=True)
        self.css = STYLE.read_text(encoding="utf-8")

    def page(self, nb, *, title: str, home: str, study_name: str, synthetic: bool, footer: str) -> str:
        resources = {
            "leadlib": {
                "title": title,
                "home": home,
                "study": study_name,
                "synthetic": synthetic,
                "css": self.css,
                "footer": footer,
                "csp": CSP,
            },
            "metadata": {"name": title},
        }
        body, _ = self.html.from_notebook_node(nb, resources=resources)
        return body


def _publish(stage: Path, out: Path) -> list[Path]:
    """Replace the previous run's files by the new ones; touch nothing else in ``out``."""
    manifest = out / MANIFEST
    previous: list[str] = []
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError, AttributeError):
            previous = []
    out = Path(out).resolve()
    old: list[Path] = []
    for rel in previous if isinstance(previous, list) else []:
        try:
            old.append(safe_path(out, str(rel)))  # never outside out, whatever the manifest says
        except ReportError:
            continue
    new = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    targets = {rel: safe_path(out, rel) for rel in new}  # checked before anything is replaced
    for target in old:
        if target.is_file() and target not in targets.values():
            target.unlink()
    for rel, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, target)  # stage is inside out: a rename, never half a file
    for folder in sorted({target.parent for target in old}, key=lambda p: len(p.parts), reverse=True):
        if folder != out and out in folder.parents and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    atomic_write(out / MANIFEST, json.dumps({"files": new}, indent=1) + "\n")
    return list(targets.values())
