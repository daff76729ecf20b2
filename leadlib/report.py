"""``leadlib report``: the study report and one feedback report per site, as self-contained HTML.

>>> leadlib report --study data --out reports --jobs 2
>>> leadlib report --sites S01,S05 --no-quotes --min-n 3

What it writes, only inside ``--out``:

- ``index.html``: links to every page, says what each is, and says SYNTHETIC
  when the study is;
- the study pages: the book's study notebooks that exist
  (:data:`STUDY_NOTEBOOKS`), executed on the study, then ``codebook.html``
  (every code with its label, group, parent and definition) and
  ``checklist.html``, the reporting checklists (COREQ, SRQR) filled from the
  data;
- ``sites/<site_id>.html``: ``notebooks/site-report.ipynb`` executed for
  each site.

Cells tagged ``report-remove`` are never shown (e.g. notebook 03's league
table of sites, a lesson for the classroom; the report promises no ranks).
Cells tagged ``bundled-study`` hold words true only of the bundled synthetic
study (its SYNTHETIC notice, its results stated as text): they are shown in
a report of the bundled study and left out of any other, whose pages say
what its data say (``leadlib.notebook.setup`` prints a notice from the
study; the index and the checklist carry a banner only for synthetic data).

Small numbers are hidden through :mod:`leadlib.disclosure`: values of sites
that the site reports and the study pages both show (processes of leading
and their behaviours) hide one study-wide pattern
(:func:`leadlib.disclosure.site_pattern`), so that no page, and no two pages
together, give a hidden value away.

Each notebook is executed with injected parameters (``study_path``,
``show_quotes``, ``min_n`` and, for site reports, ``site_id``) in a cell
placed after its cell tagged ``parameters``, as papermill does. Kernel
start-up and imports cost seconds, so the notebooks are not given a kernel
each: ``--jobs`` kernels are started once and each runs notebook after
notebook, its user namespace, figures, warnings filters and display options
reset in between (imported modules stay loaded). Pages are converted with
nbconvert's HTML exporter and a template of our own
(``leadlib/_report/templates``): no code, no prompts, figures embedded as
PNG, one small style sheet inlined, and no script, font or style sheet from
any other host, so a report opens offline and tells no one it was opened.

Progress is a bar on a terminal (``[########------------] 12/29
sites/S04.html``) and plain lines otherwise. A notebook that fails, or whose
output shows a warning, stops the report with a message naming the notebook
and the cell; nothing in ``--out`` is replaced then. A finished run replaces the files of the previous run (listed
in ``.leadlib-report.json``) and nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .checklist import CODEBOOK_LINK_TEXT
from .errors import LeadlibDataError

__all__ = [
    "add_arguments",
    "run",
    "render_report",
    "plan_pages",
    "Page",
    "ReportError",
    "STUDY_NOTEBOOKS",
    "external_requests",
    "inject_parameters",
    "feedback_statements",
    "progress_bar",
    "band_phrase",
    "peer_comparison",
    "peer_table",
    "site_overview",
    "quotes_html",
    "codebook_html",
    "is_bundled",
    "BUNDLED_TAG",
]

#: Study notebooks rendered as study pages, by number, in this order (those present).
STUDY_NOTEBOOKS = ("02", "03", "04", "05", "06", "08", "09")
SITE_NOTEBOOK = "site-report.ipynb"
MANIFEST = ".leadlib-report.json"
_HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = _HERE / "_report" / "templates"
STYLE = _HERE / "_report" / "style.css"
CELL_TIMEOUT = 600  # seconds a cell may run before the report gives up on it


class ReportError(RuntimeError):
    """A page could not be rendered: which notebook, which cell, what went wrong."""

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None) -> None:
        self.notebook = notebook
        self.cell = cell
        super().__init__(message)


@dataclass
class Page:
    """One page of the report: a notebook executed with parameters, or a page built here."""

    target: str  # path relative to --out, POSIX style
    title: str
    description: str
    kind: str  # "study", "codebook", "checklist" or "site"
    notebook: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return self.target.count("/")


# ---------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leadlib report``."""
    parser.add_argument(
        "--study",
        type=Path,
        default=None,
        metavar="PATH",
        help="study folder (with study.toml); default: the bundled synthetic study",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="folder to write the reports into (default: reports/)",
    )
    parser.add_argument(
        "--sites",
        default=None,
        metavar="S01,S05",
        help="comma-separated site IDs to write site reports for (default: every site)",
    )
    parser.add_argument(
        "--no-quotes", action="store_true", help="remove every verbatim quote (for sharing outside the research team)"
    )
    parser.add_argument(
        "--min-n",
        type=int,
        default=3,
        metavar="N",
        help="hide counts and shares resting on fewer than N informants, with complementary "
        "suppression (default: 3; 0 shows everything, for the research team only)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks executed at the same time, one kernel each (default: number of CPUs, at most 4)",
    )
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder holding the study notebooks and site-report.ipynb (default: the book's notebooks/)",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``leadlib report`` with parsed arguments; return the exit status."""
    sites = None
    if args.sites is not None:
        sites = [s.strip() for s in str(args.sites).split(",") if s.strip()]
        if not sites:
            raise LeadlibDataError(
                "--sites names no site",
                column="--sites",
                value=args.sites,
                hint="give site IDs separated by commas, e.g. --sites S01,S05",
            )
    if args.min_n is not None and args.min_n < 0:
        raise LeadlibDataError(
            "--min-n must be 0 or more",
            column="--min-n",
            value=args.min_n,
            hint="use --min-n 3 (the default) to hide counts resting on fewer than 3 informants",
        )
    jobs = args.jobs if args.jobs is not None else min(os.cpu_count() or 1, 4)
    if jobs < 1:
        raise LeadlibDataError(
            "--jobs must be at least 1",
            column="--jobs",
            value=args.jobs,
            hint="use --jobs 2 on a machine with two cores",
        )
    try:
        render_report(
            args.study,
            args.out,
            sites=sites,
            show_quotes=not args.no_quotes,
            min_n=args.min_n or None,
            jobs=jobs,
            notebooks_dir=getattr(args, "notebooks", None),
        )
    except ReportError as exc:
        print(f"leadlib report: error: {exc}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------
# What to render


def _notebooks_dir() -> Path:
    from .paths import NOTEBOOKS_DIR, PACKAGE_DIR

    for candidate in (NOTEBOOKS_DIR, PACKAGE_DIR / "notebooks"):
        if (candidate / SITE_NOTEBOOK).exists() or any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    return NOTEBOOKS_DIR


def _notebook_intro(path: Path) -> tuple[str, str]:
    """Title (first heading) and question (the **Question:** line) of a notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    title, question = path.stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            stripped = line.strip()
            if title == path.stem and stripped.startswith("# "):
                title = stripped[2:].strip()
            m = re.match(r"\*\*Question:?\*\*:?\s*(.*)", stripped)
            if m and not question:
                # the question runs on to the end of its paragraph
                words = [m.group(1).strip()]
                for more in lines[i + 1 :]:
                    if not more.strip() or more.lstrip().startswith(("**", "#", "-", ">")):
                        break
                    words.append(more.strip())
                question = re.sub(r"[*`]", "", " ".join(w for w in words if w))  # plain text for the index
                question = question[:1].upper() + question[1:]
        break  # the first markdown cell holds both, by the book's conventions
    return title, question


def plan_pages(
    study,
    *,
    study_path: Path | None,
    sites: Sequence[str] | None = None,
    show_quotes: bool = True,
    min_n: int | None = 3,
    notebooks_dir: Path | None = None,
) -> list[Page]:
    """The pages of a report, study pages first, in reading order.

    Raises
    ------
    LeadlibDataError
        For a site ID of ``sites`` the study does not have.
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else _notebooks_dir()
    common = {
        "study_path": str(study_path) if study_path is not None else None,
        "show_quotes": bool(show_quotes),
        "min_n": min_n,
    }
    pages: list[Page] = []
    for number in STUDY_NOTEBOOKS:
        for path in sorted(folder.glob(f"{number}-*.ipynb")):
            title, question = _notebook_intro(path)
            pages.append(
                Page(
                    f"{path.stem}.html",
                    title,
                    question or "A chapter of the study report.",
                    "study",
                    path,
                    dict(common),
                )
            )
    pages.append(
        Page(
            "codebook.html",
            "Codebook",
            "Every code the interviews were coded to: its label, its group (process of leading or "
            "success characteristic), its parent and its definition.",
            "codebook",
        )
    )
    pages.append(
        Page(
            "checklist.html",
            "Reporting checklists (COREQ, SRQR)",
            "The 32 COREQ and 21 SRQR items, filled from the data where they can be; "
            "the rest marked for the authors to write.",
            "checklist",
        )
    )

    site_table = study.sites.set_index(study.sites["site_id"].astype(str))
    known = list(site_table.index)
    if sites is None:
        chosen = known
    else:
        unknown = [s for s in sites if s not in site_table.index]
        if unknown:
            raise LeadlibDataError(
                f"the study has no site {unknown[0]!r}",
                column="--sites",
                value=unknown[0],
                hint=f"use site IDs of the study's site register: {', '.join(known[:12])}"
                + (" ..." if len(known) > 12 else ""),
            )
        chosen = list(dict.fromkeys(sites))
    site_nb = folder / SITE_NOTEBOOK
    if chosen and not site_nb.exists():
        raise ReportError(f"the site report notebook {site_nb.name} is missing from {folder.name}/")
    from .schema import label

    for site_id in chosen:
        row = site_table.loc[site_id]
        setting = row.get("setting")
        desc = f"{row['name']}" + (f" ({label(str(setting))})" if isinstance(setting, str) else "")
        pages.append(
            Page(
                f"sites/{site_id}.html",
                f"Feedback report: {site_id}",
                desc,
                "site",
                site_nb,
                {**common, "site_id": site_id},
            )
        )
    return pages


# ---------------------------------------------------------------------------
# Notebooks: parameters, checks, HTML


def inject_parameters(nb, parameters: dict[str, Any]):
    """Put a cell assigning ``parameters`` after the cell tagged ``parameters`` (papermill's way).

    The cell is tagged ``injected-parameters``; an earlier injected cell is
    replaced. Without a ``parameters`` cell, it goes first. Returns the
    notebook (changed in place) and the position of the new cell.
    """
    import nbformat

    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    source = "# Parameters injected by leadlib report\n" + "\n".join(
        f"{name} = {value!r}" for name, value in parameters.items()
    )
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    position = 0
    for i, c in enumerate(nb.cells):
        if "parameters" in c.get("metadata", {}).get("tags", []):
            position = i + 1
            break
    nb.cells.insert(position, cell)
    return nb, position


_WARNING = re.compile(r"\b\w*Warning\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _output_problems(nb) -> list[tuple[int, str]]:
    """(cell index, problem) for outputs a report must not show: errors and warnings."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found.append((index, f"{out.get('ename')}: {out.get('evalue')}"))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = _ANSI.sub("", "".join(out.get("text", "")))
                if _WARNING.search(text):
                    lines = [ln for ln in text.splitlines() if _WARNING.search(ln)]
                    found.append((index, "warning in the output: " + lines[0].strip()[:300]))
    return found


#: Tag of the cells whose words are true of the bundled synthetic study only (its
#: synthetic notice, its results stated as text): left out of a report of any other study.
BUNDLED_TAG = "bundled-study"


def is_bundled(study, study_path: str | os.PathLike | None) -> bool:
    """Whether a study is the bundled synthetic one (its folder, or ``study_path=None``)."""
    from .paths import bundled_study_dir

    if not getattr(study, "synthetic", False):
        return False
    if study_path is None:
        return True
    try:
        return Path(study_path).resolve() == Path(bundled_study_dir()).resolve()
    except OSError:
        return False


def _drop_tagged(nb, tag: str) -> None:
    """Remove the cells carrying ``tag`` (after execution: the cell numbers of errors stay the author's)."""
    nb.cells = [c for c in nb.cells if tag not in c.get("metadata", {}).get("tags", [])]


def _drop_stderr(nb) -> None:
    """Remove the remaining stderr outputs (log lines, progress bars): a reader has no use for them."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]


# Anything that makes a browser fetch: src/srcset/data/poster/action attributes,
# <link href>, CSS url() and @import. Plain <a href> links are only followed on a
# click and are allowed (a notebook may cite a paper).
_FETCH_ATTR = re.compile(
    r"""<(?P<tag>[a-zA-Z][\w-]*)\b[^>]*?\b(?P<attr>src|srcset|data|poster|action|background|formaction)\s*=\s*["']?\s*(?P<url>(?:https?:)?//[^"'\s>]+)""",
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
    r"""<a\s+href="(?P<href>[^"#:]*?)(?P<stem>[^"/#:]+)\.ipynb(?P<frag>#[^"]*)?"(?P<rest>[^>]*)>(?P<text>.*?)</a>""",
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


class _Exporter:
    """nbconvert's HTML exporter with the report's template, created once per process."""

    def __init__(self) -> None:
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
            },
            "metadata": {"name": title},
        }
        body, _ = self.html.from_notebook_node(nb, resources=resources)
        return body


# ---------------------------------------------------------------------------
# Kernels that run many notebooks


# Run once in each kernel: remember the state a fresh kernel has, so that it can
# be restored between notebooks, and keep a loaded study in memory (a copy is
# handed out, so a notebook that changes its study changes no other's).
_KERNEL_SETUP = r"""
def _leadlib_report_setup():
    import sys, types, warnings
    import matplotlib
    import matplotlib.pyplot as plt
    import pandas as pd
    import leadlib
    from leadlib import load as _load

    state = types.ModuleType("_leadlib_report_kernel")
    state.filters = list(warnings.filters)
    state.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    original = _load.load_study
    loaded = {}

    def load_study(path=None, *, cache=True):
        key = (None if path is None else str(path), bool(cache))
        if key not in loaded:
            loaded[key] = original(path, cache=cache)
        return loaded[key].copy()

    load_study.__doc__ = original.__doc__
    leadlib.load_study = load_study

    def reset():
        # Forget the previous notebook's variables and outputs. Not
        # InteractiveShell.reset(): it also runs a full garbage collection
        # and resets history, a tenth of a second per notebook for nothing.
        ip = get_ipython()
        ns = ip.user_ns
        keep = set(ip.user_ns_hidden) | {"__name__", "__builtins__", "__builtin__", "__doc__",
                                          "__package__", "__loader__", "__spec__"}
        for name in [n for n in ns if n not in keep]:
            del ns[name]
        for name in ("_", "__", "___"):
            ns[name] = ""
        for name in ("Out", "_oh"):
            if hasattr(ns.get(name), "clear"):
                ns[name].clear()
        plt.close("all")
        matplotlib.rcParams.update(state.rc)
        warnings.filters[:] = state.filters
        mutated = getattr(warnings, "_filters_mutated", None) or getattr(warnings, "_filters_mutated_lock_held", None)
        if mutated is not None:
            mutated()  # forget which warnings were shown: each notebook sees its own
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")

    state.reset = reset
    sys.modules[state.__name__] = state


_leadlib_report_setup()
del _leadlib_report_setup
"""

_KERNEL_RESET = "__import__('sys').modules['_leadlib_report_kernel'].reset()"


class _Kernel:
    """One long-lived kernel and its client."""

    def __init__(self, km, kc) -> None:
        self.km = km
        self.kc = kc
        self.log: Path | None = None

    def log_tail(self, lines: int = 8) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace") if self.log else ""
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    @classmethod
    async def start(cls, *, cwd: Path, env: dict[str, str], preload: str, log: Path) -> _Kernel:
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name="python3")
        # The kernel's own messages (start-up notices) go to a log in the work
        # folder, not the console; they are shown if the kernel dies.
        with open(log, "wb") as stream:
            await km.start_kernel(
                cwd=str(cwd), env=env, extra_arguments=["--HistoryManager.enabled=False"], stdout=stream, stderr=stream
            )
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        kernel = cls(km, kc)
        kernel.log = log
        await kernel.run_code(_KERNEL_SETUP + "\n" + preload, what="setting up the kernel")
        return kernel

    async def run_code(self, code: str, *, what: str) -> None:
        outputs: list[str] = []

        def hook(msg: dict) -> None:
            if msg["header"]["msg_type"] == "error":
                outputs.append(_ANSI.sub("", "\n".join(msg["content"].get("traceback", []))))

        reply = await self.kc.execute_interactive(code, store_history=False, output_hook=hook, timeout=CELL_TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise ReportError(f"{what} failed:\n" + ("\n".join(outputs) or str(reply["content"])))

    async def execute(self, nb, *, cwd: Path) -> None:
        from nbclient import NotebookClient

        await self.run_code(_KERNEL_RESET, what="resetting the kernel between notebooks")
        client = NotebookClient(
            nb, km=self.km, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(cwd)}}
        )
        client.kc = self.kc
        await client.async_execute()

    async def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            await self.km.shutdown_kernel(now=True)
        except Exception:  # a kernel that already died needs no shutting down
            pass


def _cell_label(nb_source, index: int, injected_at: int | None) -> tuple[int, str]:
    """Cell number as the notebook's author sees it (1-based, without the injected cell) and its first line."""
    original = index
    if injected_at is not None and index > injected_at:
        original = index - 1
    source = nb_source.cells[index].source if index < len(nb_source.cells) else ""
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return original + 1, first[:80]


# ---------------------------------------------------------------------------
# The report


def render_report(
    study_path: str | os.PathLike | None = None,
    out: str | os.PathLike = "reports",
    *,
    sites: Sequence[str] | None = None,
    show_quotes: bool = True,
    min_n: int | None = 3,
    jobs: int = 2,
    progress: Callable[[str], None] | None = None,
    notebooks_dir: str | os.PathLike | None = None,
) -> list[Path]:
    """Execute the report notebooks and write the HTML report.

    Parameters
    ----------
    study_path
        Study folder (with ``study.toml``); ``None`` for the bundled study.
    out
        Folder the report is written into (created if needed). Nothing is
        written elsewhere, except the study loader's cache in the study
        folder.
    sites
        Site IDs to write feedback reports for; ``None`` for every site.
    show_quotes
        ``False`` removes every verbatim quote; the pages are then checked
        for quote text before anything is written.
    min_n
        Counts and shares resting on fewer informants are hidden (with
        complementary suppression); ``None`` shows everything.
    jobs
        Kernels running at the same time.
    progress
        Called with one line of plain text per finished page (``"[12/29]
        sites/S04.html"``) and a last line saying what was written. Default:
        a progress bar on a terminal (``[########------------] 12/29
        sites/S04.html``, redrawn in place), the plain lines otherwise (a log,
        a pipe, CI).
    notebooks_dir
        Where the study notebooks and ``site-report.ipynb`` are (default:
        the book's ``notebooks/`` folder).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    LeadlibDataError
        If the study cannot be loaded or a site is unknown.
    ReportError
        If a notebook fails or shows a warning, or a page would fetch from
        another host or show a quote under ``show_quotes=False``; the message
        names the notebook and the cell.
    """
    from . import __version__
    from .load import load_study

    out = Path(out).resolve()
    resolved_study = Path(study_path).resolve() if study_path is not None else None
    say = _Progress(progress)
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    stage = out / f".leadlib-staging-{os.getpid()}"
    work = out / f".leadlib-work-{os.getpid()}"
    for folder in (stage, work):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    started = time.perf_counter()

    def prepare() -> _Context:
        # Runs while the kernels start: loading fails early, with the loader's
        # clear message, on a bad study; an unknown site fails here too.
        study = load_study(resolved_study)
        pages = plan_pages(
            study,
            study_path=resolved_study,
            sites=sites,
            show_quotes=show_quotes,
            min_n=min_n,
            notebooks_dir=Path(notebooks_dir) if notebooks_dir else None,
        )
        return _Context(
            study=study,
            pages=pages,
            stage=stage,
            work=work,
            show_quotes=show_quotes,
            min_n=min_n,
            version=__version__,
            say=say,
            bundled=is_bundled(study, resolved_study),
        )

    written: list[Path] = []
    try:
        context = asyncio.run(_render_pages(prepare, work=work, jobs=max(1, int(jobs))))
        context.write_index()
        written = _publish(stage, out)
    finally:
        say.close()  # end a progress bar's line, so that an error message starts on its own
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        if created and not written and out.exists() and not any(out.iterdir()):
            out.rmdir()  # a failed first run leaves no empty folder behind
    say(
        f"wrote {len(written)} files to {out.name}/ in {time.perf_counter() - started:.1f} s; open {out.name}/index.html"
    )
    return written


def progress_bar(done: int, total: int, target: str, *, width: int = 20) -> str:
    """One line of a progress bar: ``[########------------] 12/29 sites/S04.html``."""
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total} {target}"


class _Progress:
    """Tells the user how far the report is: a bar on a terminal, plain lines elsewhere or to a callback."""

    def __init__(self, callback: Callable[[str], None] | None = None, stream=None) -> None:
        self.callback = callback
        self.stream = stream if stream is not None else sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.bar = callback is None and bool(isatty and isatty())
        self.open = 0  # length of a bar line drawn and not yet ended

    def page(self, done: int, total: int, target: str) -> None:
        if not self.bar:
            self.line(f"[{done:>{len(str(total))}}/{total}] {target}")
            return
        text = progress_bar(done, total, target)
        # redraw in place; pad over a longer previous line
        self.stream.write("\r" + text.ljust(self.open))
        self.stream.flush()
        self.open = len(text)

    def line(self, text: str) -> None:
        if self.callback is not None:
            self.callback(text)
            return
        self.close()
        print(text, file=self.stream, flush=True)

    __call__ = line

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = 0


@dataclass
class _Context:
    study: Any
    pages: list[Page]
    stage: Path
    work: Path
    show_quotes: bool
    min_n: int | None
    version: str
    say: _Progress
    bundled: bool = False
    done: int = 0
    _grams: dict | None = None

    @property
    def total(self) -> int:
        return len(self.pages) + 1  # + index.html

    @property
    def rendered(self) -> set[str]:
        return {p.target for p in self.pages if p.depth == 0}

    @property
    def footer(self) -> str:
        quotes = "quotes shown with role" if self.show_quotes else "no verbatim quotes (--no-quotes)"
        small = (
            f"counts resting on fewer than {self.min_n} informants hidden"
            if self.min_n
            else "no small-number suppression"
        )
        return f"leadlib {self.version} report of {self.study.name}: {quotes}; {small}."

    def tick(self, target: str) -> None:
        self.done += 1
        self.say.page(self.done, self.total, target)

    def check_page(self, page: Page, body: str) -> None:
        where = f"{page.notebook.name if page.notebook else page.target}"
        remote = external_requests(body)
        if remote:
            raise ReportError(
                f"{where}: the page would fetch {remote[0]} from another host; "
                "a report must open offline (remove the remote resource)",
                notebook=where,
            )
        if not self.show_quotes:
            from .disclosure import leaked_quotes, quote_ngrams

            texts = self.study.segments["text"].astype(str).tolist()
            if self._grams is None:
                self._grams = quote_ngrams(texts)
            shown = leaked_quotes(_visible_text(body), grams=self._grams)
            if shown:
                raise ReportError(
                    f"{where}: under --no-quotes the page still shows quote text (segment "
                    f"{self.study.segments['segment_id'].iloc[shown[0]]}); the notebook must honour "
                    "show_quotes = False",
                    notebook=where,
                )

    def write(self, page: Page, body: str) -> None:
        self.check_page(page, body)
        target = self.stage / page.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_relink(body, depth=page.depth, rendered=self.rendered), encoding="utf-8")
        self.tick(page.target)

    def write_built_pages(self) -> None:
        """The pages built without a notebook: the codebook and the checklists."""
        self.write_codebook()
        self.write_checklist()

    def write_codebook(self) -> None:
        page = next((p for p in self.pages if p.kind == "codebook"), None)
        if page is None:
            return
        parts = [
            f"<h1>{html.escape(page.title)}</h1>",
            "<p>The codes the interviews were coded to, in the codebook's order. The three processes of "
            "leading and their behaviours are what the study pages and the site reports compare.</p>",
            codebook_html(self.study),
        ]
        self.write(page, self._shell(page.title, "\n".join(parts), home="index.html"))

    def write_checklist(self) -> None:
        from .checklist import checklist_html, fill_checklists

        page = next(p for p in self.pages if p.kind == "checklist")
        parts = [
            f"<h1>{html.escape(page.title)}</h1>",
            "<p>Journals ask qualitative studies to report against a checklist. Items the study's data can "
            "answer are filled in below from the tidy tables; the others (reflexivity, ethics, interpretation) "
            "are marked <em>to be written by the authors</em>.</p>",
        ]
        if self.study.synthetic:
            parts.append(
                '<p class="lr-note">SYNTHETIC DATA: the answers describe the fictional study generated by '
                "leadlib.simulate, not the real 2003 study.</p>"
            )
        filled = fill_checklists(self.study, show_quotes=self.show_quotes)
        links = {CODEBOOK_LINK_TEXT: "codebook.html"} if any(p.kind == "codebook" for p in self.pages) else None
        parts.append(checklist_html(filled["coreq"], title="COREQ: 32 items", links=links))
        parts.append(checklist_html(filled["srqr"], title="SRQR: 21 items", links=links))
        self.write(page, self._shell(page.title, "\n".join(parts), home="index.html"))

    def write_index(self) -> None:
        esc = html.escape
        study = self.study
        parts = [f"<h1>{esc(study.name)}</h1>"]
        if study.synthetic:
            parts.append(
                '<p class="lr-synthetic-note"><strong>SYNTHETIC DATA.</strong> Every site, person, quote and number '
                "in these reports was generated by leadlib.simulate from the published design of "
                "<em>Microsystems in Health Care: Part 5. How Leaders Are Leading</em> (2003). The results describe "
                "this fictional study; they are not findings of the real study.</p>"
            )
        parts.append(f'<p class="lr-note">{esc(self.footer)}</p>')
        parts.append(
            '<h2 id="study">Study report</h2><p>For the research team: the comparison of sites as '
            "matrices, figures and quotes, read in this order, ending with the codebook and the reporting "
            "checklists.</p>"
            '<ol class="lr-cards">'
        )
        for page in self.pages:
            if page.kind in ("study", "codebook", "checklist"):
                parts.append(
                    f'<li><a href="{esc(page.target)}">{esc(page.title)}</a><p>{esc(page.description)}</p></li>'
                )
        parts.append("</ol>")
        site_pages = [p for p in self.pages if p.kind == "site"]
        parts.append(
            f'<h2 id="sites">Site feedback reports ({len(site_pages)})</h2>'
            "<p>For each site's leaders: their unit's profile on the three processes of leading, beside "
            "the other sites (bands, never ranks), with an action-planning page.</p>"
            '<ul class="lr-cards">'
        )
        for page in site_pages:
            parts.append(
                f'<li><a href="{esc(page.target)}">{esc(page.parameters["site_id"])}</a>'
                f"<p>{esc(page.description)}</p></li>"
            )
        parts.append("</ul>")
        page = Page("index.html", study.name, "", "index")
        self.write(page, self._shell(f"Reports: {study.name}", "\n".join(parts), home=None))

    def _shell(self, title: str, body: str, *, home: str | None) -> str:
        esc = html.escape
        banner = '<span class="lr-synthetic">SYNTHETIC DATA</span>' if self.study.synthetic else ""
        back = f'<a class="lr-home" href="{esc(home)}">&larr; All reports</a>' if home else ""
        return (
            f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{esc(title)}</title>\n<style>\n{STYLE.read_text(encoding='utf-8')}\n</style>\n</head>\n"
            f'<body class="lr-body">\n<header class="lr-bar">{back}'
            f'<span class="lr-study">{esc(self.study.name)}</span>{banner}</header>\n'
            f'<main class="lr-page">\n{body}\n</main>\n<footer class="lr-footer">{esc(self.footer)}</footer>\n'
            "</body>\n</html>\n"
        )


def _visible_text(page: str) -> str:
    """The text of a page as a reader sees it: no tags, scripts, styles or image data."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


async def _render_pages(prepare: Callable[[], _Context], *, work: Path, jobs: int) -> _Context:
    """Start the kernels, prepare the report meanwhile, then run every notebook page on them."""
    import nbformat

    env = {**os.environ, "IPYTHONDIR": str(work / "ipython")}
    env.pop("MPLBACKEND", None)  # the kernel's inline backend must draw the figures
    # What the book's notebooks import, loaded once per kernel instead of once per page.
    preload = (
        "import numpy, pandas, matplotlib.pyplot, seaborn, leadlib.notebook\n"
        "for _m in ('mpltern', 'leadlib.compare', 'leadlib.plots', 'leadlib.stats', 'leadlib.disclosure',\n"
        "           'leadlib.report'):\n"
        "    try:\n        __import__(_m)\n    except ImportError:\n        pass\n"
    )
    # Kernel start-up and imports take seconds: they run in their own
    # processes while this one loads the study and plans the pages.
    booting = [
        asyncio.ensure_future(_Kernel.start(cwd=work, env=env, preload=preload, log=work / f"kernel-{i}.log"))
        for i in range(jobs)
    ]
    try:
        ctx = await asyncio.to_thread(prepare)
    except BaseException:
        for kernel in await asyncio.gather(*booting, return_exceptions=True):
            if isinstance(kernel, _Kernel):
                await kernel.shutdown()
        raise
    todo = [p for p in ctx.pages if p.notebook is not None]
    queue: asyncio.Queue[Page] = asyncio.Queue()
    for page in todo:  # study pages first: they are the longest, so the last minutes are not one kernel's
        queue.put_nowait(page)
    # The checklist page needs no kernel: build it while the kernels finish starting.
    checklist = asyncio.ensure_future(asyncio.to_thread(ctx.write_built_pages))
    kernels = await asyncio.gather(*booting, return_exceptions=True)
    started = [k for k in kernels if isinstance(k, _Kernel)]
    failures: list[BaseException] = [k for k in kernels if isinstance(k, BaseException)]
    if not todo:
        failures = []  # no notebook to run: a kernel that failed to start does not matter
    exporter = _Exporter()

    async def worker(kernel: _Kernel) -> None:
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        while not failures:
            try:
                page = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            name = f"{_notebooks_label(page.notebook)}"
            source = nbformat.read(page.notebook, as_version=4)
            nb, injected_at = inject_parameters(nbformat.read(page.notebook, as_version=4), page.parameters)
            nb.metadata["kernelspec"] = {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
            try:
                await kernel.execute(nb, cwd=ctx.work)
            except (CellExecutionError, CellTimeoutError) as exc:
                index = next(
                    (
                        i
                        for i, c in enumerate(nb.cells)
                        if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))
                    ),
                    None,
                )
                if index is None:  # a time-out leaves no error output: the last cell that ran
                    index = max((i for i, c in enumerate(nb.cells) if c.get("execution_count")), default=0)
                failures.append(_cell_error(name, page, source, nb, index, injected_at, exc))
                return
            except DeadKernelError as exc:
                tail = kernel.log_tail()
                failures.append(
                    ReportError(
                        f"{name} (for {page.target}): the kernel died ({exc})"
                        + (f"; its last words:\n{tail}" if tail else ""),
                        notebook=name,
                    )
                )
                return
            problems = _output_problems(nb)
            if problems:
                index, problem = problems[0]
                number, first = _cell_label(nb, index, injected_at)
                failures.append(
                    ReportError(
                        f"{name} (for {page.target}), cell {number} ({first!r}): {problem}; fix its cause, a report "
                        "shows no warning",
                        notebook=name,
                        cell=number,
                    )
                )
                return
            _drop_stderr(nb)
            if not ctx.bundled:
                _drop_tagged(nb, BUNDLED_TAG)
            try:
                body = exporter.page(
                    nb,
                    title=page.title,
                    home="../" * page.depth + "index.html",
                    study_name=ctx.study.name,
                    synthetic=bool(ctx.study.synthetic),
                    footer=ctx.footer,
                )
                ctx.write(page, body)
            except ReportError as exc:
                failures.append(exc)
                return

    try:
        if not failures:
            await asyncio.gather(*(worker(k) for k in started))
    finally:
        await asyncio.gather(*(k.shutdown() for k in started))
        try:
            await checklist
        except Exception as exc:  # report it like a failing page
            failures.append(exc if isinstance(exc, ReportError) else ReportError(f"checklist page: {exc}"))
    if failures:
        first = failures[0]
        if isinstance(first, ReportError):
            raise first
        raise ReportError(f"could not start a kernel: {first}")
    return ctx


def _notebooks_label(path: Path | None) -> str:
    if path is None:
        return "(page)"
    return f"{path.parent.name}/{path.name}"


def _cell_error(name: str, page: Page, source, nb, index: int, injected_at: int, exc: BaseException) -> ReportError:
    number, first = _cell_label(nb, index, injected_at)
    detail = ""
    for out in nb.cells[index].get("outputs", []) if index < len(nb.cells) else []:
        if out.get("output_type") == "error":
            detail = f"{out.get('ename')}: {out.get('evalue')}"
            tb = [_ANSI.sub("", line) for line in out.get("traceback", [])]
            tail = "\n".join(tb[-6:])
            detail += "\n" + tail if tail else ""
            break
    if not detail:
        detail = _ANSI.sub("", str(exc)).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    where = "the injected parameters cell" if index == injected_at else f"cell {number} ({first!r})"
    return ReportError(f"{name} (for {page.target}) failed in {where}: {detail}", notebook=name, cell=number)


def _publish(stage: Path, out: Path) -> list[Path]:
    """Replace the previous run's files by the new ones; touch nothing else in ``out``."""
    manifest = out / MANIFEST
    previous: list[str] = []
    if manifest.exists():
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError):
            previous = []
    for rel in previous:
        target = (out / rel).resolve()
        if out in target.parents and target.is_file():  # never outside out, whatever the manifest says
            target.unlink()
    new = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    for rel in new:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, target)
    for folder in sorted({(out / rel).parent for rel in previous}, key=lambda p: len(p.parts), reverse=True):
        if folder != out and out in folder.parents and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    manifest.write_text(json.dumps({"files": new}, indent=1) + "\n", encoding="utf-8")
    return [out / rel for rel in new]


# ---------------------------------------------------------------------------
# Site feedback reports: the notebook displays, these functions compute and phrase

_BANDS = {
    "below": "below the other sites' 25th percentile",
    "middle": "in the middle half of the other sites",
    "above": "above the other sites' 75th percentile",
}


def band_phrase(band: Any) -> str:
    """Plain words for a band of :func:`leadlib.compare.site_vs_peers` ("" for a hidden value)."""
    if band is None or (isinstance(band, float) and pd.isna(band)):
        return ""
    key = str(band).lower()
    for name, phrase in _BANDS.items():
        if key.startswith(name):
            return phrase
    return str(band)


def peer_comparison(frame: pd.DataFrame, site_id: str, *, min_n: int | None, **kwargs: Any) -> pd.DataFrame:
    """:func:`leadlib.compare.site_vs_peers` with the site's small numbers suppressed.

    The site's value of a behaviour resting on fewer than ``min_n`` of its
    informants is hidden, with its band (a band narrows the value down), and
    so are enough others that none can be worked out from what a report
    shows. The peers' summaries are over other, unnamed sites and are kept.

    For the site report's two linked tables, the three processes and their
    behaviours as shares of the site's passages about leading (``of`` =
    ``"process"`` or ``"code_id"`` with behaviours of the processes, counted
    in coded segments, ``normalize="row"``), a process's share is the sum of
    its behaviours' shares, and the report prints the number of passages:
    hiding one behaviour and showing the others and the process would give
    it away. These tables hide the study-wide
    :func:`leadlib.disclosure.site_pattern`, chosen for all those sums at
    once and the same on every page; their behaviour shares are then shares
    of all the site's passages about leading, like the processes'. Other
    tables are protected on their own (:func:`leadlib.disclosure.suppress`:
    the values add up to 1).

    Parameters
    ----------
    frame
        The study's analysis frame (:meth:`leadlib.Study.frame`), every site.
    site_id
        The site of the report.
    min_n
        Threshold in informants; ``None`` hides nothing.
    **kwargs
        Passed to :func:`leadlib.compare.site_vs_peers` (``of``, ``unit``,
        ``behaviours``...).

    Returns
    -------
    DataFrame
        As :func:`leadlib.compare.site_vs_peers`, with ``site_value`` and
        ``band`` missing where hidden, and a boolean column ``hidden``.
        ``attrs["min_n"]`` is the threshold, ``attrs["linked"]`` says whether
        the study-wide pattern was used.
    """
    from . import compare
    from .disclosure import site_pattern, suppress

    of = kwargs.get("of", "code_id")
    behaviours = kwargs.get("behaviours")
    linked = _linked_shares(
        frame,
        of=of,
        unit=kwargs.get("unit", "segments"),
        normalize=kwargs.get("normalize", "row"),
        behaviours=behaviours,
    )
    if linked:
        # Shares of every passage about leading (not of the behaviours listed), so that
        # a process's share is exactly the sum of its behaviours' on the page.
        leading = frame[frame["process"].notna()]
        everything = compare.site_vs_peers(leading, site_id, **{**kwargs, "behaviours": None})
        keep = (
            list(behaviours)
            if behaviours is not None
            else [k for k in everything[of] if k in set(leading[of].astype(object))]
        )
        table = everything.set_index(of).reindex(keep).reset_index()
        table.attrs = dict(everything.attrs)
    else:
        table = compare.site_vs_peers(frame, site_id, **kwargs)
    attrs = dict(table.attrs)
    if min_n is None:
        hidden = np.zeros(len(table), dtype=bool)
    elif linked:
        pattern = site_pattern(frame, min_n=min_n)
        row = pattern.loc[site_id] if site_id in pattern.index else pd.Series(dtype=bool)
        hidden = np.array([bool(row.get(k, False)) for k in table[of]], dtype=bool)
    else:
        values = table[["site_value"]]
        masked = suppress(
            values, min_n=min_n, support=table[["site_support"]].rename(columns={"site_support": "site_value"})
        )
        hidden = masked.attrs["suppressed"]["site_value"].to_numpy()
    out = table.copy()
    out["site_value"] = table["site_value"].where(~hidden)
    out["band"] = table["band"].where(~hidden)
    out["hidden"] = hidden
    out.attrs = attrs
    out.attrs["min_n"] = min_n
    out.attrs["linked"] = bool(linked)
    return out


def _linked_shares(frame: pd.DataFrame, *, of: str, unit: str, normalize: Any, behaviours: Any) -> bool:
    """Whether a comparison is one of the linked shares of processes and their behaviours."""
    if of not in ("process", "code_id") or unit != "segments" or normalize != "row" or "process" not in frame:
        return False
    if of == "process":
        return True
    leading_codes = set(frame.loc[frame["process"].notna(), "code_id"].astype(object))
    if behaviours is None:
        return bool(frame["process"].notna().all())
    # a behaviour never coded anywhere is 0 everywhere and changes no sum
    coded = set(frame["code_id"].astype(object))
    return all(b in leading_codes or b not in coded for b in behaviours)


def peer_table(comparison: pd.DataFrame):
    """A :func:`peer_comparison` as a table for reading: shares in per cent, bands in words, no rank.

    A hidden value shows :data:`leadlib.disclosure.HIDDEN_MARK` (an en dash),
    explained in the table's caption.

    Returns
    -------
    pandas.io.formats.style.Styler
        The table (``.data``: one row per behaviour, indexed by its label).
    """
    from .disclosure import CAPTION_BELOW, HIDDEN_MARK, hidden_note

    share = comparison.attrs.get("normalize") is not None

    def fmt(v: float) -> str:
        if pd.isna(v):
            return HIDDEN_MARK
        return f"{v:.0%}" if share else f"{v:.2f}"

    hidden = (
        comparison["hidden"].to_numpy(dtype=bool)
        if "hidden" in comparison
        else comparison["site_value"].isna().to_numpy()
    )
    out = pd.DataFrame(
        {
            "Behaviour": comparison["label"].astype(str),
            "Your site": [fmt(v) for v in comparison["site_value"]],
            "Where it falls": [
                HIDDEN_MARK if h else (band_phrase(b) or "not shown")
                for h, b in zip(hidden, comparison["band"].astype(object))
            ],
            "Other sites' median": [fmt(v) for v in comparison["peer_median"]],
            "Other sites' middle half": [
                f"{fmt(a)} to {fmt(b)}" for a, b in zip(comparison["peer_q1"], comparison["peer_q3"])
            ],
            "Other sites' range": [
                f"{fmt(a)} to {fmt(b)}" for a, b in zip(comparison["peer_min"], comparison["peer_max"])
            ],
        }
    ).set_index("Behaviour")
    style = out.style
    if hidden.any():
        style = style.set_caption(hidden_note(min_n=comparison.attrs.get("min_n"))).set_table_styles(CAPTION_BELOW)
    return style


def feedback_statements(comparison: pd.DataFrame, *, definitions: dict[str, str] | None = None) -> pd.DataFrame:
    """Strengths and opportunities, phrased as behaviours the site's leaders control.

    Parameters
    ----------
    comparison
        :func:`peer_comparison` (or :func:`leadlib.compare.site_vs_peers`):
        one row per behaviour with ``label`` and ``band``.
    definitions
        Behaviour -> what it looks like (the codebook's definitions), added
        to each statement so that it names something a leader can do.

    Returns
    -------
    DataFrame
        Columns ``kind`` ("strength" or "opportunity"), ``behaviour``,
        ``label`` and ``statement``, strengths first. A behaviour above the
        other sites' 75th percentile is a strength to keep, one below their
        25th an opportunity; the middle half and hidden values are not
        listed. No rank is given.
    """
    of = comparison.attrs.get("of", comparison.columns[0])
    rows = []
    for _, row in comparison.iterrows():
        key = row[of] if of in comparison.columns else row.name
        what = str(row.get("label", key))
        where = band_phrase(row["band"])
        looks = (definitions or {}).get(key)
        looks = f" What it looks like: {looks.rstrip('.')}." if looks else ""
        if where == _BANDS["above"]:
            rows.append(
                {
                    "kind": "strength",
                    "behaviour": key,
                    "label": what,
                    "statement": f"{what}: a larger part of the leading your informants described than at three quarters of the "
                    f"other sites.{looks} Keep it going, and write down how you do it so that new "
                    "leaders can learn it.",
                }
            )
        elif where == _BANDS["below"]:
            rows.append(
                {
                    "kind": "opportunity",
                    "behaviour": key,
                    "label": what,
                    "statement": f"{what}: a smaller part of the leading your informants described than at three quarters of the "
                    f"other sites.{looks} One thing to try: choose a routine (a huddle, a meeting, a "
                    "monthly review) in which a named leader does this on purpose, and look back after "
                    "a month at what changed.",
                }
            )
    out = pd.DataFrame(rows, columns=["kind", "behaviour", "label", "statement"])
    return out.sort_values("kind", key=lambda k: k.map({"strength": 0, "opportunity": 1}), kind="stable").reset_index(
        drop=True
    )


def site_overview(study, site_id: str, *, frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """What a site report says about its site and its data: name, setting, informants, peers.

    ``frame`` is the study's analysis frame, if already built (saves building it again).
    """
    from .schema import label

    sites = study.sites.set_index(study.sites["site_id"].astype(str))
    if site_id not in sites.index:
        raise LeadlibDataError(
            f"the study has no site {site_id!r}",
            column="site_id",
            value=site_id,
            hint="set site_id in the parameters cell to a site of the study's register",
        )
    row = sites.loc[site_id]
    informants = study.informants[study.informants["site_id"].astype(str) == site_id]
    interviews = study.interviews[study.interviews["site_id"].astype(str) == site_id]
    frame = study.frame() if frame is None else frame
    mine = frame[frame["site_id"].astype(str) == site_id]
    setting = row.get("setting")
    return {
        "site_id": site_id,
        "name": str(row["name"]),
        "setting": label(str(setting)) if isinstance(setting, str) else "not recorded",
        "informants": int(len(informants)),
        "leaders": int(informants["leader_type"].isin(["formal", "informal"]).sum()),
        "interviews": int(len(interviews)),
        "segments": int(len(mine)),
        "leading_segments": int(mine["process"].notna().sum()),
        "peers": int(study.sites["site_id"].nunique() - 1),
        "synthetic": bool(study.synthetic),
    }


def codebook_html(study) -> str:
    """The study's codebook as an HTML table (code, label, group, parent, definition); text escaped."""
    from .schema import label

    esc = html.escape
    book = study.codebook
    rows = [
        '<table class="lr-codebook"><thead><tr><th>Code</th><th>Label</th><th>Group</th><th>Parent</th>'
        "<th>Definition</th></tr></thead><tbody>"
    ]
    for code in book.itertuples(index=False):
        group = label(str(code.group)) if isinstance(code.group, str) else ""
        parent = code.parent if isinstance(code.parent, str) else ""
        definition = code.definition if isinstance(code.definition, str) else "(no definition)"
        rows.append(
            f'<tr id="code-{esc(str(code.code_id))}"><td><code>{esc(str(code.code_id))}</code></td>'
            f"<td>{esc(str(code.label))}</td><td>{esc(group)}</td><td>{esc(parent)}</td>"
            f"<td>{esc(definition)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def quotes_html(quotes: pd.DataFrame, *, empty: str = "No excerpt to show.") -> str:
    """Quotes (from :func:`leadlib.compare.quotes`) as HTML block quotes with their role; text escaped."""
    if quotes is None or len(quotes) == 0:
        return f'<p class="lr-note">{html.escape(empty)}</p>'
    parts = []
    for row in quotes.itertuples(index=False):
        parts.append(
            f'<blockquote class="lr-quote">{html.escape(str(row.text))}'
            f'<span class="lr-role">&mdash; {html.escape(str(row.role))}</span></blockquote>'
        )
    return "\n".join(parts)
