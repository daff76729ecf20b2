"""The report: load the study, run the pages on the kernel pool, write them, then publish into ``--out``."""

from __future__ import annotations

import asyncio
import html
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..checklist import CODEBOOK_LINK_TEXT, checklist_html, fill_checklists
from ..disclosure import leaked_quotes, quote_ngrams
from ..load import load_study
from .executor import Kernel, _drop_stderr, _drop_tagged, boot_kernels, discard_kernels
from .export import STYLE, _Exporter, _publish, _relink, _visible_text, external_requests
from .html import codebook_html
from .pages import BUNDLED_TAG, Page, ReportError, is_bundled, plan_pages
from .progress import _Progress
from .safety import CSP_META, atomic_write, safe_path, sanitize_html

__all__ = ["render_report"]


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
        # clear message, on a bad study; an unknown site fails here too. The
        # load writes the loader's cache, from which each kernel reads the study.
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
        f"wrote {len(written)} files to {out.name}/ in {time.perf_counter() - started:.1f} s; "
        f"open {out.name}/index.html"
    )
    return written


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
        """Sanitise a page (:func:`~leadlib.report.safety.sanitize_html`), check it, write it inside the stage."""
        target = safe_path(self.stage, page.target)
        body = sanitize_html(_relink(body, depth=page.depth, rendered=self.rendered))
        self.check_page(page, body)
        atomic_write(target, body)
        self.tick(page.target)

    def write_notebook_page(self, page: Page, nb, exporter: _Exporter) -> None:
        """An executed notebook as its page: stderr and, for a study not the bundled one, its tagged cells left out."""
        _drop_stderr(nb)
        if not self.bundled:
            _drop_tagged(nb, BUNDLED_TAG)
        body = exporter.page(
            nb,
            title=page.title,
            home="../" * page.depth + "index.html",
            study_name=self.study.name,
            synthetic=bool(self.study.synthetic),
            footer=self.footer,
        )
        self.write(page, body)

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
            f"{CSP_META}\n"
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{esc(title)}</title>\n<style>\n{STYLE.read_text(encoding='utf-8')}\n</style>\n</head>\n"
            f'<body class="lr-body">\n<header class="lr-bar">{back}'
            f'<span class="lr-study">{esc(self.study.name)}</span>{banner}</header>\n'
            f'<main class="lr-page">\n{body}\n</main>\n<footer class="lr-footer">{esc(self.footer)}</footer>\n'
            "</body>\n</html>\n"
        )


def _kernel_env(work: Path) -> dict[str, str]:
    env = {**os.environ, "IPYTHONDIR": str(work / "ipython")}
    env.pop("MPLBACKEND", None)  # the kernel's inline backend must draw the figures
    return env


async def _render_pages(prepare: Callable[[], _Context], *, work: Path, jobs: int) -> _Context:
    """Start the kernels, prepare the report meanwhile, then run every notebook page on them."""
    # Kernel start-up and imports take seconds: they run in their own
    # processes while this one loads the study and plans the pages.
    booting = boot_kernels(work, _kernel_env(work), jobs)
    try:
        ctx = await asyncio.to_thread(prepare)
    except BaseException:
        await discard_kernels(booting)
        raise
    todo = [p for p in ctx.pages if p.notebook is not None]
    queue: asyncio.Queue[Page] = asyncio.Queue()
    for page in todo:  # study pages first: they are the longest, so the last minutes are not one kernel's
        queue.put_nowait(page)
    # The checklist page needs no kernel: build it while the kernels finish starting.
    checklist = asyncio.ensure_future(asyncio.to_thread(ctx.write_built_pages))
    kernels = await asyncio.gather(*booting, return_exceptions=True)
    started = [k for k in kernels if isinstance(k, Kernel)]
    failures: list[BaseException] = [k for k in kernels if isinstance(k, BaseException)]
    if not todo:
        failures = []  # no notebook to run: a kernel that failed to start does not matter
    exporter = _Exporter()
    try:
        if not failures:
            await asyncio.gather(*(_worker(k, queue, ctx, exporter, failures) for k in started))
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


async def _worker(
    kernel: Kernel, queue: asyncio.Queue[Page], ctx: _Context, exporter: _Exporter, failures: list[BaseException]
) -> None:
    """Run pages of the queue on one kernel until it is empty or a page (of any kernel) failed."""
    while not failures:
        try:
            page = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        try:
            nb = await kernel.run_notebook(page.notebook, page.parameters, target=page.target, cwd=ctx.work)
            ctx.write_notebook_page(page, nb, exporter)
        except ReportError as exc:
            failures.append(exc)
            return
