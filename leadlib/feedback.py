"""The site feedback report's analysis: a site's profile beside its peers, in words a site's leaders can use.

``notebooks/site-report.ipynb`` (rendered once per site by ``leadlib
report``) only calls these functions and displays what they return:

- :func:`site_overview`: who and what the site's data are (informants,
  interviews, passages about leading, number of peer sites);
- :func:`behaviour_codes` and :func:`code_definitions`: the behaviours of
  leading the report compares, and what each looks like;
- :func:`peer_comparison`: :func:`leadlib.compare.site_vs_peers` with the
  site's small numbers hidden (:mod:`leadlib.disclosure`), and
  :func:`peer_table`, the same for reading (per cents, bands in words, no
  rank);
- :func:`band_phrase`: a band of the peers' distribution in plain words;
- :func:`feedback_statements` and :func:`statements_markdown`: strengths and
  opportunities, phrased as behaviours the site's leaders control;
- :func:`site_quotes`: the seeded excerpts shown for each process;
- :func:`site_summary` and :func:`report_settings`: the sentences that open
  and close a report.

Text from data (a site's name, a code's label or definition, the study's
name) is escaped wherever it goes: :func:`escape_markdown` in the Markdown
these functions return (so that ``<script>``, ``[x](javascript:...)`` or a
bare URL in a register reads as text, never as markup or a link), and
``escape="html"`` in :func:`peer_table`.

``leadlib.report`` keeps its old names for these functions
(``leadlib.report.peer_comparison`` and so on) as aliases.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import compare, schema
from ._deprecation import renamed_keywords
from .compare import BANDS
from .disclosure import CAPTION_BELOW, HIDDEN_MARK, hidden_note, site_pattern, suppress
from .errors import LeadlibDataError

__all__ = [
    "BAND_PHRASES",
    "band_phrase",
    "behaviour_codes",
    "code_definitions",
    "escape_markdown",
    "feedback_statements",
    "peer_comparison",
    "peer_table",
    "report_settings",
    "site_overview",
    "site_quotes",
    "site_summary",
    "statements_markdown",
]

_BELOW, _MIDDLE, _ABOVE = BANDS
#: Band of :func:`leadlib.compare.site_vs_peers` (one of :data:`leadlib.compare.BANDS`, where the bands are
#: defined) -> the plain words a site report uses for it.
BAND_PHRASES = {
    _BELOW: "below the other sites' 25th percentile",
    _MIDDLE: "in the middle half of the other sites",
    _ABOVE: "above the other sites' 75th percentile",
}
_BANDS = BAND_PHRASES  # the name leadlib.report used

#: Kind of a statement -> its order in :func:`feedback_statements` and its word in :func:`statements_markdown`.
_KINDS = {"strength": (0, "Strength"), "opportunity": (1, "Opportunity")}

_STRENGTH = (
    "{what}: a larger part of the leading your informants described than at three quarters of the "
    "other sites.{looks} Keep it going, and write down how you do it so that new "
    "leaders can learn it."
)
_OPPORTUNITY = (
    "{what}: a smaller part of the leading your informants described than at three quarters of the "
    "other sites.{looks} One thing to try: choose a routine (a huddle, a meeting, a "
    "monthly review) in which a named leader does this on purpose, and look back after "
    "a month at what changed."
)


# Characters that make markup anywhere in a line: emphasis, code, links and images, HTML and entities,
# tables, maths; then a bare URL's "://" and "www." (auto-links); then what starts a block at the start.
_MARKDOWN_INLINE = re.compile(r"([\\`*_~\[\]!<>&|$@])")
_AUTOLINK = re.compile(r"(?i)(:)(?=//)|(?<=www)(\.)")
_BLOCK_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def escape_markdown(text: Any) -> str:
    """Text from data made inert in Markdown: it reads as itself, never as markup, HTML or a link.

    The characters that make markup in a line (``\\ ` * _ ~ [ ] ! < > & | $
    @``), the ``:`` of ``://`` and the ``.`` of ``www.`` get a backslash
    (CommonMark lets any ASCII punctuation be escaped, and renders it as
    itself), so no emphasis, ``[...](...)`` link, ``<tag>``, entity, table,
    maths or auto-linked URL can form; line breaks become spaces, and a
    heading, list or quote mark at the start is escaped, so no block can
    start.

    Parameters
    ----------
    text
        Any value (converted with ``str``).

    Returns
    -------
    str
        Markdown that renders as the text: ``escape_markdown("<b>x</b>")``
        is ``\\<b\\>x\\</b\\>``; text without those characters is unchanged.
    """
    line = _LINE_BREAKS.sub(" ", str(text))
    line = _MARKDOWN_INLINE.sub(r"\\\1", line)
    line = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), line)
    return _BLOCK_START.sub(_escape_block_start, line, count=1)


def _escape_block_start(m: re.Match) -> str:
    space, mark = m.group(1), m.group(2)
    return f"{space}{mark}\\" if mark.isdigit() else f"{space}\\{mark}"  # "1\." or "\#"


def band_phrase(band: Any) -> str:
    """Plain words for a band of :func:`leadlib.compare.site_vs_peers` ("" for a hidden value).

    Parameters
    ----------
    band
        A value of the ``band`` column (one of :data:`leadlib.compare.BANDS`),
        or a missing value.

    Returns
    -------
    str
        The phrase of :data:`BAND_PHRASES` for the band (or, for a band
        written otherwise, for the band of the same first word); the band
        itself if it names none; ``""`` for a missing value.
    """
    if band is None or (isinstance(band, float) and pd.isna(band)):
        return ""
    if band in BAND_PHRASES:
        return BAND_PHRASES[band]
    first = str(band).lower().split(" ", 1)[0]
    for name, phrase in BAND_PHRASES.items():
        if name.split(" ", 1)[0] == first:
            return phrase
    return str(band)


def behaviour_codes(study) -> list[str]:
    """The behaviours of leading a site report compares: the codes one level under a process, in codebook order.

    Parameters
    ----------
    study
        A :class:`leadlib.Study`.

    Returns
    -------
    list of str
        Code IDs whose ``process`` is set and whose ``depth`` is 2 in
        :meth:`leadlib.Study.code_table`.
    """
    return study.code_table().query("process.notna() and depth == 2")["code_id"].tolist()


def code_definitions(study) -> dict[str, Any]:
    """Code ID -> its definition in the codebook (what the behaviour looks like), for :func:`feedback_statements`."""
    return dict(zip(study.codebook["code_id"], study.codebook["definition"]))


@renamed_keywords(site="by")
def peer_comparison(
    frame: pd.DataFrame,
    site_id: str,
    *,
    min_n: int | None,
    of: str = "code_id",
    unit: compare.Unit = "segments",
    normalize: compare.Normalize = "row",
    interviews=None,
    behaviours: Sequence | None = None,
    by: str = "site_id",
) -> pd.DataFrame:
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
    by, of, unit, normalize, interviews, behaviours
        As :func:`leadlib.compare.site_vs_peers`, with the same defaults
        (``by`` was ``site=``, still accepted with a :class:`DeprecationWarning`).

    Returns
    -------
    DataFrame
        As :func:`leadlib.compare.site_vs_peers`, with ``site_value`` and
        ``band`` missing where hidden, and a boolean column ``hidden``.
        ``attrs["min_n"]`` is the threshold, ``attrs["linked"]`` says whether
        the study-wide pattern was used.
    """
    options = {"by": by, "of": of, "unit": unit, "normalize": normalize, "interviews": interviews}
    linked = _linked_shares(frame, of=of, unit=unit, normalize=normalize, behaviours=behaviours)
    if linked:
        # Shares of every passage about leading (not of the behaviours listed), so that
        # a process's share is exactly the sum of its behaviours' on the page.
        leading = frame[frame["process"].notna()]
        everything = compare.site_vs_peers(leading, site_id, **options, behaviours=None)
        keep = (
            list(behaviours)
            if behaviours is not None
            else [k for k in everything[of] if k in set(leading[of].astype(object))]
        )
        table = everything.set_index(of).reindex(keep).reset_index()
        table.attrs = dict(everything.attrs)
    else:
        table = compare.site_vs_peers(frame, site_id, **options, behaviours=behaviours)
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

    Parameters
    ----------
    comparison
        A :func:`peer_comparison` (or :func:`leadlib.compare.site_vs_peers`).

    Returns
    -------
    pandas.io.formats.style.Styler
        The table (``.data``: one row per behaviour, indexed by its label).
    """
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
    # labels come from the codebook: escaped, as every value (a Styler escapes nothing unless told)
    style = (
        out.style.format(escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .format_index_names(escape="html", axis=0)
    )
    if hidden.any():
        note = html.escape(hidden_note(min_n=comparison.attrs.get("min_n")), quote=False)
        style = style.set_caption(note).set_table_styles(CAPTION_BELOW)
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
        if where == BAND_PHRASES[_ABOVE]:
            kind, text = "strength", _STRENGTH
        elif where == BAND_PHRASES[_BELOW]:
            kind, text = "opportunity", _OPPORTUNITY
        else:
            continue
        rows.append({"kind": kind, "behaviour": key, "label": what, "statement": text.format(what=what, looks=looks)})
    out = pd.DataFrame(rows, columns=["kind", "behaviour", "label", "statement"])
    order = {kind: position for kind, (position, _) in _KINDS.items()}
    return out.sort_values("kind", key=lambda k: k.map(order), kind="stable").reset_index(drop=True)


def statements_markdown(statements: pd.DataFrame) -> str:
    """:func:`feedback_statements` as a Markdown list (``- **Strength.** ...``), or a sentence saying there is none.

    Each statement holds a code's label and definition: it is escaped (:func:`escape_markdown`).
    """
    lines = [
        f"- **{_KINDS[kind][1]}.** {escape_markdown(text)}"
        for kind, text in zip(statements["kind"], statements["statement"])
    ]
    return "\n".join(lines) if lines else "No behaviour falls outside the middle half of the other sites."


def site_quotes(
    frame: pd.DataFrame, site_id: str, *, n: int | None, seed: int, informants=None
) -> dict[str, pd.DataFrame]:
    """The excerpts a site report shows: for each process of leading, a seeded draw of the site's passages.

    Parameters
    ----------
    frame
        The study's analysis frame.
    site_id
        The site of the report.
    n, seed, informants
        As :func:`leadlib.compare.quotes` (``informants``: the study, for its
        rule on roles held by a single informant).

    Returns
    -------
    dict
        Label of each process (:data:`leadlib.schema.PROCESSES`, in order) ->
        :func:`leadlib.compare.quotes`.
    """
    return {
        schema.label(process): compare.quotes(
            frame, where={"site_id": site_id, "process": process}, n=n, seed=seed, informants=informants
        )
        for process in schema.PROCESSES
    }


def site_overview(study, site_id: str, *, frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """What a site report says about its site and its data: name, setting, informants, peers.

    Parameters
    ----------
    study
        A :class:`leadlib.Study`.
    site_id
        The site of the report.
    frame
        The study's analysis frame, if already built (saves building it again).

    Returns
    -------
    dict
        ``site_id``, ``name``, ``setting`` (its label, or "not recorded"),
        ``informants``, ``leaders`` (formal or informal), ``interviews``,
        ``segments``, ``leading_segments`` (with a process), ``peers`` (the
        other sites) and ``synthetic``.

    Raises
    ------
    LeadlibDataError
        For a site the study does not have.
    """
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
        "setting": schema.label(str(setting)) if isinstance(setting, str) else "not recorded",
        "informants": int(len(informants)),
        "leaders": int(informants["leader_type"].isin(["formal", "informal"]).sum()),
        "interviews": int(len(interviews)),
        "segments": int(len(mine)),
        "leading_segments": int(mine["process"].notna().sum()),
        "peers": int(study.sites["site_id"].nunique() - 1),
        "synthetic": bool(study.synthetic),
    }


def site_summary(site: dict[str, Any]) -> str:
    """The report's opening sentence (Markdown) about a :func:`site_overview`: who was heard, how much, beside whom.

    The site's name, ID and setting are escaped (:func:`escape_markdown`).
    """
    name, site_id, setting = (escape_markdown(site[k]) for k in ("name", "site_id", "setting"))
    return (
        f"**{name}** ({site_id}, {setting}): {site['informants']} people interviewed, "
        f"{site['leaders']} of them formal or informal leaders; {site['leading_segments']} passages about leading "
        f"coded in {site['interviews']} interviews. Compared with the other {site['peers']} sites of the study."
    )


def report_settings(site: dict[str, Any], *, min_n: int | None, show_quotes: bool, study_name: str) -> str:
    """The report's closing line (Markdown): the site, the threshold, quotes shown or not, the data.

    The site ID and the study's name are escaped (:func:`escape_markdown`).
    """
    return (
        f"This report: site {escape_markdown(site['site_id'])}; threshold {min_n if min_n else 'none'} informants; "
        f"quotes {'shown' if show_quotes else 'left out'}; {site['peers']} other sites; "
        f"data: {'SYNTHETIC, ' if site['synthetic'] else ''}{escape_markdown(study_name)}."
    )
