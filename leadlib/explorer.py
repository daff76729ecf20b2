"""The explorer of notebook 10: pick sites, a behaviour and a counting unit; see the comparison change.

Everything the explorer shows is computed by :func:`explore`, a plain
function of the choices, which returns an :class:`ExplorerView`: the site
matrix of the behaviour and its siblings, the focus site beside its peers
(:func:`leadlib.compare.site_vs_peers`), and a few quotes
(:func:`leadlib.compare.quotes`, with its role rule). :class:`Explorer` only
wires ipywidgets controls to it: each control's callback calls
:func:`explore` with the controls' values and redraws three output areas.
So the tests call the functions and the callbacks with values, no browser
needed, and a notebook can show the same view as plain outputs (stable under
nbval) next to the live widgets.

>>> from leadlib import explorer
>>> view = explorer.explore(study, site_id="S03", behaviour="BK.measures", unit="interviews")
>>> view.matrix_table()          # sites x behaviours, as the unit counts them
>>> view.figure()                # the focus site beside its peers
>>> explorer.Explorer(study).widget   # in JupyterLab: the live version
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from . import compare, plots, schema
from ._deprecation import renamed_keywords
from .errors import LeadlibDataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

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
        (:func:`leadlib.compare.quotes`; roles withheld by its role rule).
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

    def summary(self) -> str:
        """One paragraph saying what is shown."""
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
            lines.append(
                f"{self.site}: {_fmt(row['site_value'], self.unit)} (peers' median "
                f"{_fmt(row['peer_median'], self.unit)}; {row['band']}), "
                f"resting on {int(row['site_support'])} informant(s)"
            )
        return "\n".join(lines)

    def matrix_table(self) -> pd.DataFrame:
        """The matrix with display labels and rounded values; the focus site first."""
        table = self.matrix.copy()
        table.attrs = {}
        order = [self.site] + [s for s in table.index if s != self.site]
        table = table.loc[order]
        table.columns = [self.labels[c] + (" *" if c == self.behaviour else "") for c in table.columns]
        table.index = pd.Index([f"{s} · {self.site_names.get(s, '')}" for s in table.index], name="site")
        return table.round(3 if UNIT_CHOICES[self.unit][1] == "group" else 2)

    def figure(self, *, ax=None) -> Figure:
        """The focus site beside its peers (:func:`leadlib.plots.site_vs_peers`), the behaviour marked."""
        import matplotlib.pyplot as plt

        if ax is None:
            fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.32 * len(self.columns) + 1.5)))
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
        plots.site_vs_peers(
            self.peers,
            ax=ax,
            labels={c: self.labels[c] + (" *" if c == self.behaviour else "") for c in self.columns},
            title=f"{self.site} beside its {len(self.sites) - 1} peers",
        )
        return fig


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
        ``"unit"`` (Dropdowns). Setting a control's ``value`` runs its
        callback, as a click in JupyterLab does.
    outputs : dict
        ``"summary"``, ``"matrix"``, ``"peers"``, ``"quotes"``: the Output areas.
    view : ExplorerView
        What is shown now.
    widget : ipywidgets.VBox
        Display this in a notebook.
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
        self.controls = {
            "sites": widgets.SelectMultiple(
                options=all_sites,
                value=chosen,
                rows=min(10, len(all_sites)),
                description="Sites",
                layout=widgets.Layout(width="420px"),
            ),
            "site": widgets.Dropdown(
                options=self._focus_options(chosen),
                value=self.view.site,
                description="Focus site",
                layout=widgets.Layout(width="420px"),
            ),
            "behaviour": widgets.Dropdown(
                options=behaviour_options(study, frame=self.frame),
                value=self.view.behaviour,
                description="Behaviour",
                layout=widgets.Layout(width="420px"),
            ),
            "unit": widgets.Dropdown(
                options=unit_options(), value=self.view.unit, description="Count", layout=widgets.Layout(width="420px")
            ),
        }
        self.outputs = {name: widgets.Output() for name in ("summary", "matrix", "peers", "quotes")}
        self.controls["sites"].observe(self.on_sites_change, names="value")
        for name in ("site", "behaviour", "unit"):
            self.controls[name].observe(self.on_change, names="value")
        self._updating = False
        self.render()
        tabs = widgets.Tab(children=[self.outputs["matrix"], self.outputs["peers"], self.outputs["quotes"]])
        for i, title in enumerate(("Matrix", "Site vs peers", "Quotes")):
            tabs.set_title(i, title)
        left = widgets.VBox([self.controls["sites"]])
        right = widgets.VBox(
            [self.controls["site"], self.controls["behaviour"], self.controls["unit"], self.outputs["summary"]]
        )
        self.widget = widgets.VBox([widgets.HBox([left, right]), tabs])

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

    def update(self) -> ExplorerView:
        """Recompute the view from the controls' values and redraw."""
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
        self.render()
        return self.view

    # -- drawing ---------------------------------------------------------------------------

    def _message(self, text: str) -> None:
        out = self.outputs["summary"]
        out.clear_output()
        with out:
            print(text)

    def render(self) -> None:
        """Draw the current view into the output areas."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        view = self.view
        for out in self.outputs.values():
            out.clear_output(wait=True)
        with self.outputs["summary"]:
            print(view.summary())
        with self.outputs["matrix"]:
            display(view.matrix_table())
        with self.outputs["peers"]:
            fig = view.figure()
            display(fig)
            plt.close(fig)  # shown once, as the image above; no second copy when the cell ends
        with self.outputs["quotes"]:
            if view.quotes.empty:
                print(f"No coding of {view.labels[view.behaviour]} at {view.site}.")
            else:
                display(view.quotes[["code_label", "role", "text"]])
