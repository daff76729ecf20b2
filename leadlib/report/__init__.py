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
- ``sites/<slug>.html``: ``notebooks/site-report.ipynb`` executed for
  each site (its analysis is :mod:`leadlib.feedback`). The file is named
  after the site ID when that is a safe file name (``S01``), else after a
  safe form of it and a short hash (the ID ``../../x`` gives
  ``sites/x-<8 hex digits>.html``): see :func:`~leadlib.report.safety.page_slug`.

Every write is checked to fall inside ``--out``
(:func:`~leadlib.report.safety.safe_path`) and made through a temporary
file renamed into place, so an interrupted run leaves no half page.

Pages are safe by construction: text from data is escaped where it is put
into HTML or Markdown, and every page, whatever built it, is parsed and
written again by :func:`~leadlib.report.safety.sanitize_html`, which keeps
only allowed elements, attributes and URL schemes (http, https, mailto,
relative; embedded images) and shows any other tag as text. Every page
carries a Content-Security-Policy that allows no script and no request
(:data:`~leadlib.report.safety.CSP`): the pages need none.

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
(``leadlib/report/assets/templates``): no code, no prompts, figures embedded
as PNG, one small style sheet inlined, and no script, font or style sheet
from any other host, so a report opens offline and tells no one it was
opened.

How the study reaches the kernels
---------------------------------
The report's own process loads the study once (:func:`leadlib.load_study`),
while the kernels start; that load writes the loader's cache of tidy tables
(Arrow IPC files in the user's cache directory, keyed on the content of every
input file and checksummed, see :mod:`leadlib.load`), or finds it there. Each notebook loads its study itself, with
``leadlib.load_study(study_path)``, as it does in JupyterLab. At start-up
each kernel calls :func:`leadlib.load.keep_loaded`, the loader's public
switch for long-lived processes: the kernel's first load reads the tidy
tables from that cache (the raw files are not tidied again), and every later
load of the same study in that kernel returns a copy of it from memory,
without touching the files, so a notebook that changes its study changes no
other's. No function of leadlib is replaced at run time. (With no cache
folder that can be written, each kernel tidies the study once.)

Progress is a bar on a terminal (``[########------------] 12/29
sites/S04.html``) and plain lines otherwise. A notebook that fails, or whose
output shows a warning, stops the report with a message naming the notebook
and the cell; nothing in ``--out`` is replaced then. A finished run replaces
the files of the previous run (listed in ``.leadlib-report.json``) and
nothing else.

The package's modules: :mod:`~leadlib.report.pages` (the page plan),
:mod:`~leadlib.report.executor` (the kernel pool),
:mod:`~leadlib.report.export` (HTML export, the checks of a page, links,
publishing), :mod:`~leadlib.report.build` (:func:`render_report`),
:mod:`~leadlib.report.progress`, :mod:`~leadlib.report.html` (HTML pieces
for notebooks), :mod:`~leadlib.report.safety` (the sanitiser, URLs, file
names and safe writes) and :mod:`~leadlib.report.cli` (the command-line verb). The
site feedback analysis (:func:`peer_comparison`, :func:`feedback_statements`
...) lives in :mod:`leadlib.feedback` and is re-exported here under its old
names.
"""

from __future__ import annotations

from ..feedback import _BANDS as _BANDS
from ..feedback import _linked_shares as _linked_shares
from ..feedback import band_phrase, feedback_statements, peer_comparison, peer_table, site_overview
from .build import render_report
from .cli import add_arguments, run
from .executor import _KERNEL_SETUP as _KERNEL_SETUP
from .executor import CELL_TIMEOUT as CELL_TIMEOUT
from .executor import _Kernel as _Kernel
from .executor import inject_parameters
from .export import MANIFEST as MANIFEST
from .export import STYLE as STYLE
from .export import TEMPLATE_DIR as TEMPLATE_DIR
from .export import _Exporter as _Exporter
from .export import _publish as _publish
from .export import _relink as _relink
from .export import _visible_text as _visible_text
from .export import external_requests
from .html import codebook_html, quotes_html
from .pages import BUNDLED_TAG, STUDY_NOTEBOOKS, Page, ReportError, is_bundled, plan_pages
from .pages import SITE_NOTEBOOK as SITE_NOTEBOOK
from .progress import _Progress as _Progress
from .progress import progress_bar
from .safety import CSP, page_slug, safe_path, safe_url, sanitize_html

# Names written ``X as X`` above are the old module's other names (constants, and private
# helpers the tests use), still importable from here.

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
    "CSP",
    "page_slug",
    "safe_path",
    "safe_url",
    "sanitize_html",
]
