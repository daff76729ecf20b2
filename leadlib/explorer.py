"""The explorer of notebook 10: pick sites, a behaviour and a counting unit; see the comparison change.

Everything the explorer shows is computed by :func:`explore`, a plain
function of the choices, which returns an :class:`ExplorerView`: the site
matrix of the behaviour and its siblings, the focus site beside its peers
(:func:`leadlib.compare.site_vs_peers`), and a few quotes
(:func:`leadlib.compare.quotes`, with its role rule). :class:`Explorer` only
wires ipywidgets controls to it: each control's callback calls
:func:`explore` with the controls' values and redraws three output areas.
So the tests call the functions and the callbacks with values, and
``tests/test_jupyterlab.py`` clicks the controls in a real JupyterLab; a
notebook can show the same view as plain outputs (stable under nbval) next to
the live widgets.

Nothing the explorer draws goes through pyplot: each figure is a
:class:`matplotlib.figure.Figure` of its own, rendered to PNG bytes and shown
in an ``ipywidgets.Image``; tables, the summary and the quotes are HTML
widgets. With ipykernel 7, widget messages may be handled while the inline
backend re-shows pyplot's open figures; a figure pyplot does not know cannot
be drawn twice at once, nor leak into the Log Console.

Quotes are shown whole (as HTML, escaped, wrapped), and where the speaker's
role is withheld the words that would name it are redacted
(:func:`leadlib.redact.redact_quote`).

>>> from leadlib import explorer
>>> view = explorer.explore(study, site_id="S03", behaviour="BK.measures", unit="interviews")
>>> view.matrix_table()          # sites x behaviours, as the unit counts them (shares as percentages)
>>> view.figure()                # the focus site beside its peers
>>> HTML(view.quotes_html())     # the quotes, whole
>>> explorer.Explorer(study).widget   # in JupyterLab: the live version
"""

from __future__ import annotations

import functools
import html
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import compare, plots, schema
from ._deprecation import renamed_keywords
from .errors import LeadlibDataError

if TYPE_CHECKING:  # pragma: no cover
    from .study import Study

__all__ = ["UNIT_CHOICES", "behaviour_options", "unit_options", "site_options", "ExplorerView", "explore", "Explorer"]

#: Counting units the explorer offers, each with the normalisation that makes sites of different sizes
#: comparable: a share of the site's own coded segments, interviews or informants; per 1,000 words is a rate.
UNIT_CHOICES: dict[str, tuple[str, str | None]] = {
    "segments": ("segments", "group"),
    "interviews": ("interviews", "group"),
    "informants": ("informants", "group"),
    "per_1000_words": ("per_1000_words", None),
}


def unit_options() -> list[tuple[str, str]]:
    """(label, value) pairs of the counting units, for a dropdown."""
    return [(compare.unit_label(unit, normalize), key) for key, (unit, normalize) in UNIT_CHOICES.items()]


def _leading_codes(study: Study, frame: pd.DataFrame) -> pd.DataFrame:
    """Codes on a process of leading that were applied, in codebook order: code_id, label, process."""
    book = study.code_table()
    applied = set(frame.loc[frame["process"].notna(), "code_id"].astype(str))
    codes = book[book["process"].notna() & book["code_id"].astype(str).isin(applied)]
    return codes[["code_id", "label", "process"]].assign(process=codes["process"].astype(str))


def behaviour_options(study: Study, *, frame: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs of the behaviours: each process of leading, then its applied sub-codes.

    Parameters
    ----------
    study
        The study.
    frame
        Its analysis frame (default ``study.frame()``).
    """
    frame = study.frame() if frame is None else frame
    codes = _leading_codes(study, frame)
    options = []
    for process in schema.PROCESSES:
        options.append((f"{schema.label(process)} (all its codes)", process))
        for row in codes[codes["process"] == process].itertuples():
            options.append((f"    {row.label}", str(row.code_id)))
    return options


def site_options(study: Study) -> list[tuple[str, str]]:
    """(label, value) pairs of the sites: ID, name and setting."""
    out = []
    for row in study.sites.itertuples():
        setting = schema.label(row.setting) if isinstance(row.setting, str) else "setting unknown"
        out.append((f"{row.site_id} · {row.name} ({setting})", str(row.site_id)))
    return out


@dataclass(frozen=True)
class ExplorerView:
    """What the explorer shows for one set of choices.

    Attributes
    ----------
    sites : tuple of str
        The sites compared.
    site : str
        The focus site (its peers are the other sites).
    behaviour : str
        A process of leading or one of its codes.
    unit : str
        A key of :data:`UNIT_CHOICES`.
    of : str
        ``"process"`` when the behaviour is a process, else ``"code_id"``.
    process : str
        The process of leading the behaviour is (or belongs to).
    columns : tuple of str
        The behaviour and its siblings (the three processes, or the codes of
        the behaviour's process): the matrix's columns.
    matrix : DataFrame
        Sites x ``columns`` (:func:`leadlib.compare.site_matrix`).
    peers : DataFrame or None
        :func:`leadlib.compare.site_vs_peers` for the focus site; None with
        fewer than two sites.
    quotes : DataFrame
        Quotes of the focus site coded with the behaviour
        (:func:`leadlib.compare.quotes`; roles withheld by its role rule, and
        the words of a quote whose role is withheld that would name it
        redacted by :func:`leadlib.redact.redact_quote`).
    labels : dict
        Display label of each column and of the behaviour.
    site_names : dict
        site_id -> name.
    """

    sites: tuple[str, ...]
    site: str
    behaviour: str
    unit: str
    of: str
    process: str
    columns: tuple[str, ...]
    matrix: pd.DataFrame
    peers: pd.DataFrame | None
    quotes: pd.DataFrame
    labels: dict
    site_names: dict

    @property
    def unit_label(self) -> str:
        """How the values were counted, in words."""
        return str(self.matrix.attrs["unit_label"])

    def format(self, value: float) -> str:
        """A value as every part of the explorer shows it: a share as a whole percentage, a rate with 2 decimals."""
        return _fmt(value, self.unit)

    def standing(self) -> str | None:
        """Where the focus site stands among its peers, in words that fit their number; None without peers.

        With four peers or more, the band of :func:`leadlib.compare.site_vs_peers`
        ("above the peers' 75th percentile"); with fewer, quartiles mean
        little, so the site is placed against the peers' values themselves
        ("above its one peer", "within the range of its 3 peers").
        """
        if self.peers is None:
            return None
        row = self.peers[self.peers[self.of] == self.behaviour].iloc[0]
        n = int(row["n_peers"])
        if n >= 4:
            return str(row["band"])
        value, low, high = float(row["site_value"]), float(row["peer_min"]), float(row["peer_max"])
        if n == 1:
            peer = next(s for s in self.sites if s != self.site)
            where = "above" if value > high else ("below" if value < low else "equal to")
            return f"{where} its one peer, {peer} ({self.format(high)})"
        if value > high:
            return f"above all {n} peers (highest {self.format(high)})"
        if value < low:
            return f"below all {n} peers (lowest {self.format(low)})"
        return f"within the range of its {n} peers ({self.format(low)} to {self.format(high)})"

    def summary(self) -> str:
        """What is shown, one statement a line."""
        lines = [
            f"Behaviour: {self.labels[self.behaviour]}"
            + ("" if self.of == "process" else f" ({schema.label(self.process)})"),
            f"Counted as: {self.unit_label}",
            f"Sites: {len(self.sites)}; focus site: {self.site} · {self.site_names.get(self.site, '')}",
        ]
        if self.peers is None:
            lines.append("Pick at least two sites to see the focus site beside its peers.")
        else:
            row = self.peers[self.peers[self.of] == self.behaviour].iloc[0]
            support = int(row["site_support"])
            median = "" if int(row["n_peers"]) < 2 else f"; peers' median {self.format(row['peer_median'])}"
            lines.append(
                f"{self.site}: {self.format(row['site_value'])} ({self.standing()}{median}), "
                f"resting on {support} informant{'' if support == 1 else 's'}"
            )
        return "\n".join(lines)

    def summary_html(self) -> str:
        """:meth:`summary` as HTML: escaped, one paragraph a line, wrapped between words."""
        lines = "".join(
            f"<p style='margin:0 0 0.3em 0'>{html.escape(line)}</p>" for line in self.summary().splitlines()
        )
        return f"<div class='leadlib-summary' style='white-space:normal;overflow-wrap:normal'>{lines}</div>"

    def matrix_table(self) -> pd.DataFrame:
        """The matrix as shown: display labels, the focus site first, values as text.

        A share is a whole percentage (``"89%"``, as :meth:`summary` says it),
        a rate per 1,000 words has 2 decimals; ``matrix`` keeps the numbers.
        """
        table = self.matrix.copy()
        table.attrs = {}
        order = [self.site] + [s for s in table.index if s != self.site]
        table = table.loc[order]
        table.columns = [self.labels[c] + (" *" if c == self.behaviour else "") for c in table.columns]
        table.index = pd.Index([f"{s} · {self.site_names.get(s, '')}" for s in table.index], name="site")
        return table.apply(lambda column: column.map(lambda v: "" if pd.isna(v) else self.format(v)))

    def matrix_html(self) -> str:
        """:meth:`matrix_table` as an HTML table (escaped), values right-aligned, the focus site's row in bold."""
        table = self.matrix_table()
        head = "".join(f"<th style='text-align:right;padding:2px 8px'>{html.escape(str(c))}</th>" for c in table)
        rows = []
        for i, (name, values) in enumerate(table.iterrows()):
            weight = "font-weight:bold;" if i == 0 else ""
            cells = "".join(f"<td style='text-align:right;padding:2px 8px'>{html.escape(v)}</td>" for v in values)
            rows.append(
                f"<tr style='{weight}'><th style='text-align:left;padding:2px 8px'>{html.escape(name)}</th>{cells}</tr>"
            )
        return (
            "<table class='leadlib-matrix' style='border-collapse:collapse'>"
            f"<thead><tr><th style='text-align:left;padding:2px 8px'>site</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def quotes_html(self) -> str:
        """The quotes, whole, as HTML block quotes with their code and role: escaped, wrapped, never cut."""
        if self.quotes.empty:
            return f"<p>No coding of {html.escape(self.labels[self.behaviour])} at {html.escape(self.site)}.</p>"
        blocks = [
            "<blockquote class='leadlib-quote' style='margin:0 0 0.8em 0;padding:0.2em 0.8em;"
            "border-left:3px solid #999;white-space:normal;overflow-wrap:break-word;max-width:60em'>"
            f"<p style='margin:0.2em 0'>{html.escape(str(row.text))}</p>"
            f"<footer style='color:#555;font-size:0.9em'>&mdash; {html.escape(str(row.role))}, "
            f"<em>{html.escape(str(row.code_label))}</em></footer></blockquote>"
            for row in self.quotes.itertuples(index=False)
        ]
        return f"<div class='leadlib-quotes'>{''.join(blocks)}</div>"

    def figure(self, *, ax=None) -> Figure:
        """The focus site beside its peers (:func:`leadlib.plots.site_vs_peers`), the behaviour marked.

        Parameters
        ----------
        ax
            Axes to draw into. Default: a new :class:`~matplotlib.figure.Figure`
            that pyplot does not track (no ``plt.show()``, no ``plt.close()``:
            display it, save it with ``savefig`` or call :meth:`png`).
        """
        if ax is None:
            fig = Figure(figsize=(7.5, max(2.5, 0.32 * len(self.columns) + 1.5)), dpi=96, layout="constrained")
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        if self.peers is None:
            ax.text(
                0.5,
                0.5,
                "Pick at least two sites to compare the focus site with its peers.",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
            return fig
        n_peers = len(self.sites) - 1
        plots.site_vs_peers(
            self.peers,
            ax=ax,
            labels={c: self.labels[c] + (" *" if c == self.behaviour else "") for c in self.columns},
            title=f"{self.site} beside its {n_peers} peer{'' if n_peers == 1 else 's'}",
        )
        return fig

    def png(self) -> bytes:
        """:meth:`figure` as PNG bytes, drawn on a figure of its own (no global state)."""
        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        return buffer.getvalue()


def _fmt(value: float, unit: str) -> str:
    if UNIT_CHOICES[unit][1] == "group":
        return f"{value:.0%}"
    return f"{value:.2f}"


@renamed_keywords(site="site_id")
def explore(
    study: Study,
    *,
    sites: Sequence[str] | None = None,
    site_id: str | None = None,
    behaviour: str = "BK.measures",
    unit: str = "interviews",
    n_quotes: int = 3,
    seed: int = 0,
    frame: pd.DataFrame | None = None,
) -> ExplorerView:
    """Compute what the explorer shows for these choices.

    Parameters
    ----------
    study
        The study (its interviews are the scope of every count).
    sites
        Sites to compare (default: all).
    site_id
        The focus site, one of ``sites`` (default: the first); ``site=`` is
        its old name.
    behaviour
        A process of leading (``"reviewing_reflecting"``) or a code on one
        (``"RR.debrief"``): see :func:`behaviour_options`.
    unit
        A key of :data:`UNIT_CHOICES`: ``"segments"``, ``"interviews"``,
        ``"informants"`` (each as a share of the site's own total) or
        ``"per_1000_words"``.
    n_quotes, seed
        How many quotes to draw, and the seed of the draw.
    frame
        The study's analysis frame, if already built (``study.frame()``).

    Returns
    -------
    ExplorerView

    Raises
    ------
    LeadlibDataError
        An unknown site, behaviour or unit, with the values to choose from.
    """
    frame = study.frame() if frame is None else frame
    known_sites = [str(s) for s in study.sites["site_id"]]
    sites = list(known_sites if sites is None else [str(s) for s in sites])
    unknown = [s for s in sites if s not in known_sites]
    if unknown or not sites:
        raise LeadlibDataError(
            f"site {unknown[0]!r} is not in the study" if unknown else "no site chosen",
            column="sites",
            value=unknown[0] if unknown else None,
            hint=f"choose among {', '.join(known_sites[:10])}" + (" ..." if len(known_sites) > 10 else ""),
        )
    site = sites[0] if site_id is None else str(site_id)
    if site not in sites:
        raise LeadlibDataError(
            f"the focus site {site!r} is not among the sites chosen",
            column="site_id",
            value=site,
            hint="pick the focus site among the sites compared, or add it to them",
        )
    if unit not in UNIT_CHOICES:
        raise LeadlibDataError(
            f"unknown counting unit {unit!r}", column="unit", value=unit, hint=f"use one of {', '.join(UNIT_CHOICES)}"
        )
    codes = _leading_codes(study, frame)
    labels = {p: schema.label(p) for p in schema.PROCESSES}
    labels.update(dict(zip(codes["code_id"].astype(str), codes["label"].astype(str))))
    if behaviour in schema.PROCESSES:
        of, columns, process = "process", list(schema.PROCESSES), behaviour
    elif behaviour in set(codes["code_id"].astype(str)):
        process = str(codes.loc[codes["code_id"] == behaviour, "process"].iloc[0])
        of, columns = "code_id", codes.loc[codes["process"] == process, "code_id"].astype(str).tolist()
    else:
        raise LeadlibDataError(
            f"{behaviour!r} is not a process of leading or a code applied on one",
            column="behaviour",
            value=behaviour,
            hint="use a value of leadlib.explorer.behaviour_options(study)",
        )

    in_sites = frame[frame["site_id"].astype(str).isin(sites)]
    scope = compare.interview_table(study)
    scope = scope[scope["site_id"].astype(str).isin(sites)]
    count_unit, normalize = UNIT_CHOICES[unit]
    matrix = compare.site_matrix(
        in_sites, of=of, unit=count_unit, normalize=normalize, interviews=scope, columns=columns, groups=sites
    )
    peers = None
    if len(sites) >= 2:
        peers = compare.site_vs_peers(
            in_sites, site, of=of, unit=count_unit, normalize=normalize, interviews=scope, behaviours=columns
        )
    quotes = compare.quotes(in_sites, where={"site_id": site, of: behaviour}, n=n_quotes, seed=seed, informants=study)
    names = dict(zip(study.sites["site_id"].astype(str), study.sites["name"].astype(str)))
    return ExplorerView(
        sites=tuple(sites),
        site=site,
        behaviour=behaviour,
        unit=unit,
        of=of,
        process=process,
        columns=tuple(columns),
        matrix=matrix,
        peers=peers,
        quotes=quotes,
        labels=labels,
        site_names=names,
    )


#: Widths that keep every label whole and the columns still: the longest site label of the bundled study
#: ("S19 · Highland Park Adolescent Mental Health (Behavioral health)") fits in a control of CONTROL_WIDTH.
LABEL_WIDTH = "110px"
CONTROL_WIDTH = "640px"
SUMMARY_WIDTH = "360px"
MAX_QUOTES = 20


@functools.cache
def _box_class():
    """An ``ipywidgets.VBox`` whose plain-text form is a sentence (shown before the cell runs, or without widgets)."""
    import ipywidgets as widgets

    class ExplorerBox(widgets.VBox):
        placeholder = "The explorer"

        def __repr__(self) -> str:
            return self.placeholder

    return ExplorerBox


class Explorer:
    """The live explorer: ipywidgets controls wired to :func:`explore`.

    Parameters
    ----------
    study
        The study.
    sites, site_id, behaviour, unit, n_quotes, seed
        The starting choices (as :func:`explore`; ``site=`` is the old name of ``site_id=``).

    Attributes
    ----------
    controls : dict
        ``"sites"`` (SelectMultiple), ``"site"``, ``"behaviour"`` and
        ``"unit"`` (Dropdowns), ``"n_quotes"`` (IntSlider: how many quotes)
        and ``"draw"`` (Button: draw other quotes, by advancing the seed).
        Setting a control's ``value`` (or calling ``controls["draw"].click()``)
        runs its callback, as a click in JupyterLab does.
    outputs : dict
        What is shown: ``"summary"``, ``"matrix"`` and ``"quotes"`` (HTML
        widgets) and ``"peers"`` (an Image widget holding the figure's PNG).
    view : ExplorerView
        What is shown now.
    seed : int
        The seed of the quotes shown now; "Draw others" adds one.
    widget : ipywidgets.VBox
        Display this in a notebook. Its plain-text form (what a notebook shows
        before it runs, or where widgets cannot show) is a sentence saying so.
    """

    @renamed_keywords(site="site_id")
    def __init__(
        self,
        study: Study,
        *,
        sites: Sequence[str] | None = None,
        site_id: str | None = None,
        behaviour: str = "BK.measures",
        unit: str = "interviews",
        n_quotes: int = 3,
        seed: int = 0,
    ) -> None:
        import ipywidgets as widgets

        self.study = study
        self.frame = study.frame()
        self.n_quotes, self.seed = n_quotes, seed
        self._lock = threading.RLock()  # one recomputation at a time, whichever thread a widget message comes on
        self._shown_figure: tuple | None = None
        # validates the starting choices before any widget exists
        self.view = explore(
            study,
            sites=sites,
            site_id=site_id,
            behaviour=behaviour,
            unit=unit,
            n_quotes=n_quotes,
            seed=seed,
            frame=self.frame,
        )
        all_sites = site_options(study)
        chosen = list(self.view.sites)
        style = {"description_width": LABEL_WIDTH}

        def layout():
            return widgets.Layout(width=CONTROL_WIDTH)

        self.controls = {
            "sites": widgets.SelectMultiple(
                options=all_sites,
                value=chosen,
                rows=min(10, len(all_sites)),
                description="Sites",
                style=style,
                layout=layout(),
            ),
            "site": widgets.Dropdown(
                options=self._focus_options(chosen),
                value=self.view.site,
                description="Focus site",
                style=style,
                layout=layout(),
            ),
            "behaviour": widgets.Dropdown(
                options=behaviour_options(study, frame=self.frame),
                value=self.view.behaviour,
                description="Behaviour",
                style=style,
                layout=layout(),
            ),
            "unit": widgets.Dropdown(
                options=unit_options(), value=self.view.unit, description="Count", style=style, layout=layout()
            ),
            "n_quotes": widgets.IntSlider(
                value=max(1, min(MAX_QUOTES, n_quotes)),
                min=1,
                max=MAX_QUOTES,
                description="Quotes",
                style=style,
                layout=widgets.Layout(width="420px"),
            ),
            "draw": widgets.Button(
                description="Draw others",
                tooltip="show other quotes (the next seed of the draw)",
                layout=widgets.Layout(width="140px"),
            ),
        }
        self.outputs = {
            "summary": widgets.HTML(layout=widgets.Layout(width=SUMMARY_WIDTH)),
            "matrix": widgets.HTML(layout=widgets.Layout(width="100%", overflow="auto")),
            "peers": widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto")),
            "quotes": widgets.HTML(layout=widgets.Layout(width="100%")),
        }
        self.controls["sites"].observe(self.on_sites_change, names="value")
        for name in ("site", "behaviour", "unit"):
            self.controls[name].observe(self.on_change, names="value")
        self.controls["n_quotes"].observe(self.on_quotes_change, names="value")
        self.controls["draw"].on_click(self.on_draw)
        self._updating = False
        self.render()
        tabs = widgets.Tab(children=[self.outputs["matrix"], self.outputs["peers"], self.outputs["quotes"]])
        for i, title in enumerate(("Matrix", "Site vs peers", "Quotes")):
            tabs.set_title(i, title)
        left = widgets.VBox(
            [
                self.controls["sites"],
                self.controls["site"],
                self.controls["behaviour"],
                self.controls["unit"],
                widgets.HBox([self.controls["n_quotes"], self.controls["draw"]]),
            ],
            layout=widgets.Layout(width=CONTROL_WIDTH, flex="0 0 auto"),
        )
        right = widgets.VBox(
            [self.outputs["summary"]], layout=widgets.Layout(width=SUMMARY_WIDTH, flex="0 0 auto", margin="0 0 0 16px")
        )
        box = _box_class()(
            [widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap")), tabs],
        )
        box.placeholder = (
            f"Explorer of {len(self.view.sites)} sites (focus {self.view.site}): "
            "run this notebook in JupyterLab to use it."
        )
        box.add_class("leadlib-explorer")  # for a page's styles and the browser test's selectors
        self.widget = box

    def _focus_options(self, sites: Sequence[str]) -> list[tuple[str, str]]:
        names = dict((value, label) for label, value in site_options(self.study))
        return [(names.get(s, s), s) for s in sites]

    # -- callbacks -------------------------------------------------------------------------

    def on_sites_change(self, change: dict | None = None) -> ExplorerView | None:
        """Callback of the sites control: keep the focus site if still chosen, then recompute."""
        sites = list(self.controls["sites"].value)
        if not sites:
            self._message("Pick at least one site.")
            return None
        with self._lock:
            focus = self.controls["site"].value if self.controls["site"].value in sites else sites[0]
            self._updating = True  # changing the focus control's options must not recompute twice
            try:
                self.controls["site"].options = self._focus_options(sites)
                self.controls["site"].value = focus
            finally:
                self._updating = False
            return self.update()

    def on_change(self, change: dict | None = None) -> ExplorerView | None:
        """Callback of the focus site, behaviour and unit controls: recompute."""
        if self._updating:
            return None
        return self.update()

    def on_quotes_change(self, change: dict | None = None) -> ExplorerView | None:
        """Callback of the number of quotes: draw that many (same seed: the first ones stay)."""
        self.n_quotes = int(self.controls["n_quotes"].value)
        return self.update()

    def on_draw(self, button=None) -> ExplorerView | None:
        """Callback of "Draw others": the next seed, so other quotes (the same for the same seed)."""
        self.seed += 1
        return self.update()

    def update(self) -> ExplorerView | None:
        """Recompute the view from the controls' values and redraw; a choice that cannot be shown is said."""
        with self._lock:
            try:
                self.view = explore(
                    self.study,
                    sites=list(self.controls["sites"].value),
                    site_id=self.controls["site"].value,
                    behaviour=self.controls["behaviour"].value,
                    unit=self.controls["unit"].value,
                    n_quotes=self.n_quotes,
                    seed=self.seed,
                    frame=self.frame,
                )
            except LeadlibDataError as exc:  # shown beside the controls, not as a traceback in the Log Console
                self._message(str(exc))
                return None
            self.render()
            return self.view

    # -- drawing ---------------------------------------------------------------------------

    def _message(self, text: str) -> None:
        self.outputs[
            "summary"
        ].value = f"<div class='leadlib-summary' style='white-space:pre-wrap'>{html.escape(text)}</div>"

    def render(self) -> None:
        """Show the current view: summary, matrix and quotes as HTML, the figure as PNG bytes.

        The figure is redrawn only when what it shows changed (not for another
        draw of quotes).
        """
        with self._lock:
            view = self.view
            self.outputs["summary"].value = view.summary_html()
            self.outputs["matrix"].value = view.matrix_html()
            key = (view.sites, view.site, view.behaviour, view.unit)
            if key != self._shown_figure:
                self.outputs["peers"].value = view.png()
                self._shown_figure = key
            self.outputs["quotes"].value = view.quotes_html()
