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
- :func:`feedback_statements` and :func:`statements_markdown`: where the
  site's share of a behaviour is larger or smaller than at most other sites,
  with the other sites' middle half and their number, in neutral words (no
  grade: shares add up to one, and staff speak as well as leaders);
- :func:`discussion_questions` and :func:`questions_markdown`: questions for
  the unit's team about each behaviour where it differs
  (:data:`DISCUSSION_QUESTIONS`);
- :func:`candidate_measure` and :func:`action_plan`: the action page, a
  specific aim (:data:`AIM_PATTERN`) and a first Plan-Do-Study-Act cycle,
  pre-filled with the site's behaviours and one of its measures;
- :func:`format_value`: a share as a whole per cent ("63%");
- :func:`data_notice`: the one notice on synthetic data;
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
    "AIM_PATTERN",
    "BAND_PHRASES",
    "DISCUSSION_QUESTIONS",
    "MEASURE_LABELS",
    "PDSA_PROMPTS",
    "action_plan",
    "band_phrase",
    "behaviour_codes",
    "candidate_measure",
    "code_definitions",
    "code_processes",
    "data_notice",
    "discussion_questions",
    "escape_markdown",
    "feedback_statements",
    "format_value",
    "peer_comparison",
    "peer_table",
    "questions_markdown",
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

#: Kind of a statement -> its order in :func:`feedback_statements` and the words that introduce its group in
#: :func:`statements_markdown`. Neutral: a larger or a smaller share than at most other sites, never a grade.
_KINDS = {
    "stands_out_above": (0, "Where your unit's share is larger than at most other sites"),
    "stands_out_below": (1, "Where your unit's share is smaller than at most other sites"),
}
_ABOVE_KIND, _BELOW_KIND = _KINDS

_STATEMENT = (
    "{what}: a {size} share of the leading your informants described than at {count} other sites "
    "(other sites' middle half {q1} to {q3}; yours {value}).{looks}"
)

#: Questions for a unit's team about a behaviour where the unit differs from most other sites: code ID (or, for a
#: code not listed, its process) -> one or two questions. Open questions, about what happens in the unit, that a
#: team can answer whichever way its share differs.
DISCUSSION_QUESTIONS: dict[str, tuple[str, ...]] = {
    "BK.measures": (
        "Which numbers about the unit do people here look at, and who chooses them?",
        "When did a number last change what someone did on the unit?",
    ),
    "BK.outside": (
        "Where did the last idea the unit tried come from?",
        "Who goes to see how other units work, and how does what they saw reach everyone else?",
    ),
    "BK.patients": (
        "How do you hear what patients and families find hard about their care here?",
        "What did you last change because of something a patient told you?",
    ),
    "BK.processes": (
        "Which hand-off or wait did someone last follow from start to end, and what did they find?",
        "Who on the team knows how the work is actually done on nights and weekends?",
    ),
    "BK.staff": (
        "How do leaders learn what staff find heavy, and what they would change?",
        "Whose skills on the team are used least?",
    ),
    "TA.communicating": (
        "How does a decision reach the people on nights, weekends and part-time shifts?",
        "What is the last thing everyone knew about on the same day?",
    ),
    "TA.developing": (
        "Who on the team took on something new this year, and who helped them learn it?",
        "How is cross-training chosen, and by whom?",
    ),
    "TA.hiring": (
        "What does a new colleague learn in their first week, and from whom?",
        "Who takes part in choosing new people, and what do they look for?",
    ),
    "TA.redesign": (
        "Which change to the work did the unit last test on a small scale before adopting it?",
        "Who can propose a change, and what happens to a proposal?",
    ),
    "TA.resources": (
        "What did the unit last ask the larger organisation for, and how did it ask?",
        "Who speaks for the unit when money, staff or space are decided?",
    ),
    "RR.debrief": (
        "After the last hard day or near miss, did anyone sit down together to talk it through? Who started it?",
        "What changed after the last debriefing you remember?",
    ),
    "RR.next": (
        "After the last change that worked, what did the unit decide to do next, and who decided?",
        "How does a change that worked on one shift reach the others?",
    ),
    "RR.results": (
        "Who sees the unit's results, and when?",
        "What happened the last time a number moved?",
    ),
    "RR.success": (
        "If someone asked what success looks like for this unit this year, what would different people say?",
        "How would you know you had got there?",
    ),
    "building_knowledge": ("How do leaders here find out what is going on in the unit, and what do they do with it?",),
    "taking_action": ("When the unit decides to change something, who makes it happen, and how?",),
    "reviewing_reflecting": ("When does the team stop to look back at what happened, and what comes of it?",),
}
_GENERAL_QUESTION = ("What does this behaviour look like in your unit, and who does it?",)

#: Prompts of the action page's rows: the aim, then one Plan-Do-Study-Act cycle (the Model for Improvement).
AIM_PATTERN = "By <date>, we will <change> in <process>, measured by <measure>, from <baseline> to <target>"
PDSA_PROMPTS: dict[str, str] = {
    "Plan": (
        "The change to test, on a small scale (one shift, one clinic day, one week); who will do what, where and "
        "when; what you predict will happen; what you will record to find out."
    ),
    "Do": "Carry out the test; write down what happened, problems and surprises included.",
    "Study": "Compare what you recorded with your prediction. What did you learn? What surprised you?",
    "Act": "Adopt the change, adapt it, or abandon it; plan the next cycle (who, what, when).",
}

#: Words an action page uses for the study's measures (others: :func:`leadlib.schema.label`), and the measure a
#: behaviour or process suggests first as the aim's candidate measure.
MEASURE_LABELS = {
    "clinical_goal_pct": "patients meeting the clinical goal",
    "patient_experience": "patient-experience score",
    "staff_turnover_pct": "staff turnover",
    "cost_index": "cost index",
}
_MEASURE_FOR = {
    "BK.patients": "patient_experience",
    "BK.staff": "staff_turnover_pct",
    "TA.hiring": "staff_turnover_pct",
    "TA.developing": "staff_turnover_pct",
    "building_knowledge": "patient_experience",
    "taking_action": "staff_turnover_pct",
    "reviewing_reflecting": "clinical_goal_pct",
}


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
        ``band`` missing where hidden, a boolean column ``hidden``, then
        ``peers_lower`` and ``peers_higher``: how many of the other sites
        have a smaller and a larger value than the site (missing where
        hidden).
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
    lower, higher = _peers_either_side(frame, site_id, table, options=options, linked=linked, behaviours=behaviours)
    out["peers_lower"] = pd.array(np.where(hidden, pd.NA, lower), dtype="Int64")
    out["peers_higher"] = pd.array(np.where(hidden, pd.NA, higher), dtype="Int64")
    out.attrs = attrs
    out.attrs["min_n"] = min_n
    out.attrs["linked"] = bool(linked)
    return out


def _peers_either_side(
    frame: pd.DataFrame, site_id: str, table: pd.DataFrame, *, options: dict, linked: bool, behaviours: Any
) -> tuple[np.ndarray, np.ndarray]:
    """How many other sites have a smaller, and how many a larger, value than the site, row by row of ``table``."""
    of = options["of"]
    if linked:
        matrix = compare.site_matrix(frame[frame["process"].notna()], **options)
    else:
        matrix = compare.site_matrix(frame, **options, columns=behaviours)
    matrix = matrix.reindex(columns=list(table[of]))
    mine = matrix.loc[site_id].to_numpy(dtype=float)
    peers = matrix.drop(index=site_id).to_numpy(dtype=float)
    # equal within rounding counts as neither lower nor higher
    close = np.isclose(peers, mine, rtol=0, atol=1e-12)
    return ((peers < mine) & ~close).sum(axis=0), ((peers > mine) & ~close).sum(axis=0)


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


def peer_table(comparison: pd.DataFrame, *, heading: str = "Behaviour"):
    """A :func:`peer_comparison` as a table for reading: shares in per cent, bands in words, no rank.

    A hidden value shows :data:`leadlib.disclosure.HIDDEN_MARK` (an en dash),
    explained in the table's caption.

    Parameters
    ----------
    comparison
        A :func:`peer_comparison` (or :func:`leadlib.compare.site_vs_peers`).
    heading
        The header of the first column, the rows' labels ("Behaviour", or
        "Process" for a table of the processes).

    Returns
    -------
    pandas.io.formats.style.Styler
        The table (``.data``: one row per behaviour, indexed by its label).
        Rendered with one header row: ``heading`` heads the labels' column,
        with no row of its own.
    """
    share = comparison.attrs.get("normalize") is not None

    def fmt(v: float) -> str:
        return format_value(v, share=share)

    hidden = (
        comparison["hidden"].to_numpy(dtype=bool)
        if "hidden" in comparison
        else comparison["site_value"].isna().to_numpy()
    )
    n_peers = _n_peers(comparison, comparison.iloc[0]) if len(comparison) else "the"
    out = pd.DataFrame(
        {
            "Your site": [fmt(v) for v in comparison["site_value"]],
            "Where it falls": [
                HIDDEN_MARK if h else (band_phrase(b) or "not shown")
                for h, b in zip(hidden, comparison["band"].astype(object))
            ],
            f"Median of the {n_peers} other sites": [fmt(v) for v in comparison["peer_median"]],
            "Their middle half": [
                f"{fmt(a)} to {fmt(b)}" for a, b in zip(comparison["peer_q1"], comparison["peer_q3"])
            ],
            "Their range": [f"{fmt(a)} to {fmt(b)}" for a, b in zip(comparison["peer_min"], comparison["peer_max"])],
        },
        index=pd.Index(comparison["label"].astype(str).to_numpy()),
    )
    # the heading names the columns' axis: shown in the header row's corner, with no row of index names under it
    out.columns.name = heading
    # labels come from the codebook: escaped, as every value (a Styler escapes nothing unless told)
    style = (
        out.style.format(escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
        .format_index_names(escape="html", axis=1)
    )
    if hidden.any():
        note = html.escape(hidden_note(min_n=comparison.attrs.get("min_n")), quote=False)
        style = style.set_caption(note).set_table_styles(CAPTION_BELOW)
    return style


def feedback_statements(comparison: pd.DataFrame, *, definitions: dict[str, str] | None = None) -> pd.DataFrame:
    """Where the site's share of a behaviour stands out from most other sites, in neutral words, with the peers.

    A share is not a grade: the shares of a site add up to one (a site high
    on one behaviour is lower on others), and what informants say about
    leading, leaders or not, is not a measure of how well it is done. So a
    statement says which way the site differs, from how many of the other
    sites, and where their middle half lies; nothing else.

    Parameters
    ----------
    comparison
        :func:`peer_comparison` (or :func:`leadlib.compare.site_vs_peers`):
        one row per behaviour with ``label``, ``band``, ``site_value``,
        ``peer_q1``, ``peer_q3`` and ``n_peers``; with ``peers_lower`` and
        ``peers_higher`` (as :func:`peer_comparison` gives) a statement says
        how many other sites have a smaller (larger) share, otherwise "three
        quarters or more".
    definitions
        Behaviour -> what it looks like (the codebook's definitions), added
        to each statement so that it names something leaders do.

    Returns
    -------
    DataFrame
        Columns ``kind`` ("stands_out_above": a larger share than at three
        quarters or more of the other sites, above their 75th percentile;
        "stands_out_below": a smaller share, below their 25th), ``behaviour``,
        ``label`` and ``statement``, larger shares first. The middle half and
        hidden values are not listed. No rank, no grade.
    """
    of = comparison.attrs.get("of", comparison.columns[0])
    share = comparison.attrs.get("normalize", "row") is not None
    rows = []
    for _, row in comparison.iterrows():
        key = row[of] if of in comparison.columns else row.name
        where = band_phrase(row["band"])
        if where == BAND_PHRASES[_ABOVE]:
            kind, size, count = _ABOVE_KIND, "larger", row.get("peers_lower")
        elif where == BAND_PHRASES[_BELOW]:
            kind, size, count = _BELOW_KIND, "smaller", row.get("peers_higher")
        else:
            continue
        looks = (definitions or {}).get(key)
        text = _STATEMENT.format(
            what=str(row.get("label", key)),
            size=size,
            count=_count_phrase(count, _n_peers(comparison, row)),
            q1=format_value(row["peer_q1"], share=share),
            q3=format_value(row["peer_q3"], share=share),
            value=format_value(row["site_value"], share=share),
            looks=f" What it looks like: {looks.rstrip('.')}." if isinstance(looks, str) and looks else "",
        )
        rows.append({"kind": kind, "behaviour": key, "label": str(row.get("label", key)), "statement": text})
    out = pd.DataFrame(rows, columns=["kind", "behaviour", "label", "statement"])
    order = {kind: position for kind, (position, _) in _KINDS.items()}
    return out.sort_values("kind", key=lambda k: k.map(order), kind="stable").reset_index(drop=True)


def _count_phrase(count: Any, n: Any) -> str:
    """ "15 of the 19", "all 19", or "three quarters or more of the 19" when the count is not known."""
    if count is None or pd.isna(count):
        return f"three quarters or more of the {n}"
    return f"all {n}" if n != "the" and int(count) == n else f"{int(count)} of the {n}"


def _n_peers(comparison: pd.DataFrame, row: pd.Series) -> Any:
    n = row.get("n_peers", comparison.attrs.get("n_peers"))
    return "the" if n is None or pd.isna(n) else int(n)


def format_value(value: Any, *, share: bool = True) -> str:
    """A value as a report prints it: a share as a whole per cent ("63%"), never 0.631579; a missing value as –.

    Parameters
    ----------
    value
        A number (a share between 0 and 1 when ``share``), or a missing value.
    share
        Whether the value is a share (printed as a per cent) or another
        number (printed with two decimals).

    Returns
    -------
    str
        ``"63%"`` for 0.631579; :data:`leadlib.disclosure.HIDDEN_MARK` for a
        missing value.
    """
    if value is None or pd.isna(value):
        return HIDDEN_MARK
    return f"{float(value):.0%}" if share else f"{float(value):.2f}"


def statements_markdown(statements: pd.DataFrame) -> str:
    """:func:`feedback_statements` as Markdown: a list for each direction, or a sentence saying there is none.

    Each statement holds a code's label and definition: it is escaped (:func:`escape_markdown`).
    """
    blocks = []
    for kind, (_, heading) in _KINDS.items():
        mine = statements.loc[statements["kind"] == kind, "statement"]
        if len(mine):
            blocks.append(f"**{heading}:**\n\n" + "\n".join(f"- {escape_markdown(text)}" for text in mine))
    return "\n\n".join(blocks) if blocks else "No behaviour falls outside the middle half of the other sites."


def code_processes(study) -> dict[str, str]:
    """Code ID -> its process (for :func:`discussion_questions`), for every code under a process."""
    table = study.code_table()
    table = table[table["process"].notna()]
    return dict(zip(table["code_id"].astype(str), table["process"].astype(str)))


def discussion_questions(
    statements: pd.DataFrame,
    *,
    processes: dict[str, str] | None = None,
    questions: dict[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One or two questions for the unit's team about each behaviour where the unit differs from most other sites.

    Parameters
    ----------
    statements
        :func:`feedback_statements` (``behaviour`` and ``label``).
    processes
        Code ID -> its process (:func:`code_processes`), for a behaviour the
        question table does not list.
    questions
        Code ID or process -> questions (default
        :data:`DISCUSSION_QUESTIONS`).

    Returns
    -------
    DataFrame
        Columns ``behaviour``, ``label`` and ``question``: one row per
        question, behaviours in the order of ``statements``. A behaviour's
        questions are those of its code, else of its process, else a general
        question.
    """
    table = DISCUSSION_QUESTIONS if questions is None else questions
    rows = []
    for behaviour, label in zip(statements["behaviour"], statements["label"]):
        process = (processes or {}).get(behaviour)
        asked = table.get(behaviour) or (table.get(process) if process else None) or _GENERAL_QUESTION
        rows += [{"behaviour": behaviour, "label": str(label), "question": q} for q in list(asked)[:2]]
    return pd.DataFrame(rows, columns=["behaviour", "label", "question"])


def questions_markdown(questions: pd.DataFrame) -> str:
    """:func:`discussion_questions` as Markdown: each behaviour's label, then its questions (escaped)."""
    lines = []
    for label, asked in questions.groupby("label", sort=False)["question"]:
        lines.append(f"- **{escape_markdown(label)}.** " + " ".join(escape_markdown(q) for q in asked))
    return "\n".join(lines) if lines else "No behaviour falls outside the middle half of the other sites."


def candidate_measure(
    measures: pd.DataFrame, site_id: str, *, behaviours: Sequence[str] = (), processes: dict[str, str] | None = None
) -> dict[str, str] | None:
    """A measure the site already records, to propose as the measure of its aim, with its value as the baseline.

    Parameters
    ----------
    measures
        The study's ``measures`` table (``site_id``, ``measure``, ``value``).
    site_id
        The site of the report.
    behaviours
        The behaviours where the site differs (:func:`feedback_statements`),
        in order: the first one whose code or process suggests a measure the
        site has (the table ``_MEASURE_FOR``) picks it.
    processes
        Code ID -> process (:func:`code_processes`).

    Returns
    -------
    dict or None
        ``measure`` (its ID), ``label`` (in words) and ``baseline`` (the
        site's value: a per cent for a measure whose name ends ``_pct``);
        ``None`` if the site has no measure.
    """
    mine = measures[(measures["site_id"].astype(str) == site_id) & measures["value"].notna()]
    if mine.empty:
        return None
    values = dict(zip(mine["measure"].astype(str), mine["value"]))
    wanted = [_MEASURE_FOR.get(b) or _MEASURE_FOR.get((processes or {}).get(b, "")) for b in behaviours]
    order = [m for m in wanted if m in values] + [m for m in MEASURE_LABELS if m in values] + sorted(values)
    measure = order[0]
    value = float(values[measure])
    baseline = f"{value:.0f}%" if measure.endswith("_pct") else f"{value:g}"
    label = MEASURE_LABELS.get(measure) or schema.label(measure)
    return {"measure": measure, "label": label, "baseline": baseline}


def action_plan(statements: pd.DataFrame, *, measure: dict[str, str] | None = None) -> str:
    """The action page's template: a specific aim, then a first Plan-Do-Study-Act cycle, as a Markdown table.

    The aim follows :data:`AIM_PATTERN`; where the site differs from most
    other sites, its behaviours are offered for ``<process>``, and
    ``measure`` (:func:`candidate_measure`) fills ``<measure>`` and
    ``<baseline>``. The rest is left for the team to fill in. Every cell is
    escaped (:func:`escape_markdown`): a label with ``|`` or ``<`` cannot
    break the table or make markup.

    Parameters
    ----------
    statements
        :func:`feedback_statements` (its ``label`` column).
    measure
        ``label`` and ``baseline`` of the candidate measure, or ``None``.

    Returns
    -------
    str
        A Markdown table with the rows Aim, Plan, Do, Study and Act (columns
        step, prompt, the team's notes), the aim row pre-filled.
    """
    labels = list(dict.fromkeys(statements["label"].astype(str)))
    choices = ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else "".join(labels)
    process = "<process: " + (choices or "a behaviour of leading your team chooses") + ">"
    filled = {
        "<process>": process,
        "<measure>": measure["label"] if measure else "<measure>",
        "<baseline>": measure["baseline"] if measure else "<baseline>",
    }
    aim = AIM_PATTERN
    for blank, value in filled.items():
        aim = aim.replace(blank, value)
    rows = [("Aim", AIM_PATTERN + ".", aim + ".")] + [(step, prompt, "") for step, prompt in PDSA_PROMPTS.items()]
    lines = ["| Step | What to write | Your team's notes |", "|---|---|---|"]
    lines += [
        f"| **{escape_markdown(step)}** | {escape_markdown(prompt)} | {escape_markdown(notes)} |"
        for step, prompt, notes in rows
    ]
    return "\n".join(lines)


def data_notice(site: dict[str, Any]) -> str:
    """The report's one notice on synthetic data (Markdown), or "" for real data."""
    if not site.get("synthetic"):
        return ""
    return (
        "**Synthetic data.** The interviews, units and numbers in this report were generated by a computer to "
        "demonstrate the method. It describes no real unit and no finding of a real study."
    )


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
    """The report's closing line (Markdown): the site, the threshold, quotes shown or not, the data's name.

    Synthetic data are said once, at the top (:func:`data_notice`), not again here.

    The site ID and the study's name are escaped (:func:`escape_markdown`).
    """
    return (
        f"This report: site {escape_markdown(site['site_id'])}; threshold {min_n if min_n else 'none'} informants; "
        f"quotes {'shown' if show_quotes else 'left out'}; {site['peers']} other sites; "
        f"data: {escape_markdown(study_name)}."
    )
