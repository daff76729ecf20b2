"""Reporting checklists for qualitative research, filled from the study's data where they can be.

Two checklists that journals ask qualitative health-services studies to
follow:

- **COREQ**, the COnsolidated criteria for REporting Qualitative research,
  32 items in three domains (Tong, Sainsbury & Craig 2007, *International
  Journal for Quality in Health Care* 19(6):349-357);
- **SRQR**, the Standards for Reporting Qualitative Research, 21 items
  (O'Brien, Harris, Beckman, Reed & Cook 2014, *Academic Medicine*
  89(9):1245-1251).

Item names below are short paraphrases of the published items, not their
text. :func:`fill_checklist` answers what the tidy tables can answer
(participants, setting, interviewers, duration, coders and their agreement,
the codebook, the data sources and their tidying, quotes) and marks the rest
"to be written by the authors": reflexivity, ethics, the interpretation, and
anything the data cannot know.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ._version import __version__
from .schema import PROCESSES, label

__all__ = [
    "Item",
    "COREQ",
    "SRQR",
    "TO_BE_WRITTEN",
    "FROM_DATA",
    "CODEBOOK_LINK_TEXT",
    "fill_checklist",
    "fill_checklists",
    "checklist_html",
]

TO_BE_WRITTEN = "to be written by the authors"
FROM_DATA = "from the data"
#: Where the codebook answer points: the study report's page listing every code
#: (``leadlib report`` writes it, and links these words to it).
CODEBOOK_LINK_TEXT = "codebook page of the study report"


@dataclass(frozen=True)
class Item:
    """One item of a reporting checklist."""

    number: str
    section: str
    topic: str
    asks: str
    fill: str | None = None  # name of the filler in _FILLERS, None if only authors can answer


def _items(section_rows: list[tuple[str, list[tuple[str, str, str | None]]]], prefix: str = "") -> tuple[Item, ...]:
    out, n = [], 0
    for section, rows in section_rows:
        for topic, asks, fill in rows:
            n += 1
            out.append(Item(f"{prefix}{n}", section, topic, asks, fill))
    return tuple(out)


#: COREQ's 32 items (Tong, Sainsbury & Craig 2007), paraphrased.
COREQ: tuple[Item, ...] = _items(
    [
        (
            "Research team and reflexivity: personal characteristics",
            [
                ("Interviewer or facilitator", "Who conducted the interviews", "interviewers"),
                ("Credentials", "The researchers' qualifications", None),
                ("Occupation", "The researchers' jobs at the time of the study", None),
                ("Gender", "The researchers' gender", None),
                ("Experience and training", "The researchers' experience or training in qualitative research", None),
            ],
        ),
        (
            "Research team and reflexivity: relationship with participants",
            [
                ("Relationship established", "Whether a relationship existed before the study", None),
                (
                    "Participant knowledge of the interviewer",
                    "What participants knew of the researcher and the study's aims",
                    None,
                ),
                (
                    "Interviewer characteristics",
                    "What was reported about the interviewer: assumptions, interests, possible bias",
                    None,
                ),
            ],
        ),
        (
            "Study design: theoretical framework",
            [
                (
                    "Methodological orientation and theory",
                    "The approach underpinning the study (e.g. content analysis, grounded theory)",
                    "framework",
                ),
            ],
        ),
        (
            "Study design: participant selection",
            [
                ("Sampling", "How participants were selected (purposive, convenience, snowball...)", None),
                ("Method of approach", "How participants were approached", None),
                ("Sample size", "How many participants took part", "sample_size"),
                ("Non-participation", "How many refused or dropped out, and why", "non_participation"),
            ],
        ),
        (
            "Study design: setting",
            [
                ("Setting of data collection", "Where the data were collected", "setting"),
                ("Presence of non-participants", "Whether anyone else was present during the interviews", None),
                ("Description of sample", "Important characteristics of the sample", "sample"),
            ],
        ),
        (
            "Study design: data collection",
            [
                ("Interview guide", "Whether questions and prompts were provided, and pilot tested", None),
                ("Repeat interviews", "Whether repeat interviews were carried out, and how many", "repeat_interviews"),
                ("Audio or visual recording", "Whether interviews were recorded", "recording"),
                ("Field notes", "Whether field notes were made", None),
                ("Duration", "How long the interviews lasted", "duration"),
                ("Data saturation", "Whether data saturation was discussed", None),
                ("Transcripts returned", "Whether participants saw their transcripts for comment or correction", None),
            ],
        ),
        (
            "Analysis and findings: data analysis",
            [
                ("Number of data coders", "How many people coded the data", "coders"),
                ("Description of the coding tree", "Whether the coding tree is described", "coding_tree"),
                ("Derivation of themes", "Whether themes were set in advance or derived from the data", "derivation"),
                ("Software", "What software managed the data", "software"),
                ("Participant checking", "Whether participants gave feedback on the findings", None),
            ],
        ),
        (
            "Analysis and findings: reporting",
            [
                ("Quotations presented", "Whether quotations illustrate the findings, each identified", "quotes"),
                ("Data and findings consistent", "Whether the data presented agree with the findings", None),
                ("Clarity of major themes", "Whether the major themes are clearly presented", None),
                ("Clarity of minor themes", "Whether diverse cases and minor themes are discussed", None),
            ],
        ),
    ]
)

#: SRQR's 21 items (O'Brien et al. 2014), paraphrased.
SRQR: tuple[Item, ...] = _items(
    [
        (
            "Title and abstract",
            [
                ("Title", "A concise description of the study's nature and topic, naming it as qualitative", None),
                ("Abstract", "A summary of the key elements of the study", None),
            ],
        ),
        (
            "Introduction",
            [
                ("Problem formulation", "The problem studied, its significance, and relevant prior work", None),
                ("Purpose or research question", "The purpose of the study and its objectives or questions", None),
            ],
        ),
        (
            "Methods",
            [
                (
                    "Qualitative approach and research paradigm",
                    "The approach (e.g. ethnography, grounded theory) and paradigm, with the reasons",
                    "framework",
                ),
                (
                    "Researcher characteristics and reflexivity",
                    "The researchers' characteristics that may influence the research, "
                    "and their relationship with participants",
                    None,
                ),
                ("Context", "Setting and site, and the contextual factors that matter", "setting"),
                (
                    "Sampling strategy",
                    "How and why participants, documents or events were selected; when sampling stopped",
                    "sample_size",
                ),
                (
                    "Ethical issues pertaining to human subjects",
                    "Ethics approval and consent, or the reason none was needed; confidentiality",
                    None,
                ),
                (
                    "Data collection methods",
                    "Types of data collected, the procedures, start and end dates",
                    "collection",
                ),
                (
                    "Data collection instruments and technologies",
                    "Interview guides, questionnaires, recording devices used",
                    "instruments",
                ),
                ("Units of study", "Number and relevant characteristics of participants, documents or events", "units"),
                (
                    "Data processing",
                    "How data were processed for analysis: transcription, entry, management, de-identification",
                    "processing",
                ),
                ("Data analysis", "How themes and inferences were identified and developed, by whom", "analysis"),
                (
                    "Techniques to enhance trustworthiness",
                    "Techniques used (e.g. member checking, audit trail, triangulation, double coding)",
                    "trustworthiness",
                ),
            ],
        ),
        (
            "Results and findings",
            [
                (
                    "Synthesis and interpretation",
                    "Main findings (interpretations, themes, models) and how they connect to prior research",
                    None,
                ),
                (
                    "Links to empirical data",
                    "Evidence (quotes, field notes, excerpts) supporting the findings",
                    "quotes",
                ),
            ],
        ),
        (
            "Discussion",
            [
                (
                    "Integration with prior work, implications, transferability, contribution",
                    "How the findings add to the field, their reach and their use",
                    None,
                ),
                ("Limitations", "Trustworthiness and limits of the findings", None),
            ],
        ),
        (
            "Other",
            [
                (
                    "Conflicts of interest",
                    "Possible influences on the conduct and conclusions, and how they were managed",
                    None,
                ),
                ("Funding", "Sources of funding and the funders' role", None),
            ],
        ),
    ],
    prefix="S",
)


# ---------------------------------------------------------------------------
# What the data can say


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _counts(series: pd.Series) -> str:

    counts = series.dropna().astype(object).value_counts(sort=False)
    if isinstance(series.dtype, pd.CategoricalDtype):
        order = [c for c in series.cat.categories if c in counts.index]
        counts = counts.reindex(order)
    else:
        counts = counts.sort_values(ascending=False)
    return ", ".join(f"{label(str(k))} {v}" for k, v in counts.items())


def _date_range(values: pd.Series) -> str | None:
    values = pd.to_datetime(values.dropna())
    if values.empty:
        return None
    first, last = values.min(), values.max()

    def day(d) -> str:
        return f"{d.day} {d:%B %Y}"

    return f"{day(first)} to {day(last)}" if first != last else day(first)


class _Facts:
    """What the tidy tables of a study can tell a checklist, computed once."""

    def __init__(self, study, show_quotes: bool = True) -> None:
        self.study = study
        self.show_quotes = show_quotes
        seg = study.segments
        self.primary = seg[seg["primary"]] if len(seg) else seg
        self._agreement = None

    def agreement(self) -> pd.DataFrame | None:
        if self._agreement is None:
            try:
                from .stats import coder_agreement

                self._agreement = coder_agreement(self.study, by="process", unit="interview")
            except Exception:  # no double coding, or a degenerate one: say so, not crash a report
                self._agreement = pd.DataFrame()
        return self._agreement if len(self._agreement) else None


def _interviewers(f: _Facts) -> str | None:
    who = f.study.interviews["interviewer"].dropna().astype(str)
    if who.empty:
        return None
    counts = who.value_counts().sort_index()
    listed = ", ".join(f"{k} ({_n(v, 'interview')})" for k, v in counts.items())
    return (
        f"{_n(len(counts), 'interviewer')} conducted the interviews: {listed}. "
        "Their names and roles in the team are to be written by the authors."
    )


def _framework(f: _Facts) -> str | None:
    groups = f.study.codebook["group"].dropna().astype(str)
    if groups.empty:
        return None

    procs = [p for p in PROCESSES if p in set(groups)]
    n_sc = int((groups == "success_characteristic").sum())
    parts = []
    if procs:
        parts.append(
            "codes are organised under the three core processes of leading of the microsystem "
            "framework (" + "; ".join(label(p).lower() for p in procs) + ")"
        )
    if n_sc:
        parts.append(f"{_n(n_sc, 'code')} for the success characteristics of clinical microsystems")
    return (
        "Framework-based (directed) coding: "
        + " and ".join(parts)
        + ". The methodological orientation itself is to be written by the authors."
    )


def _sample_size(f: _Facts) -> str | None:
    s = f.study
    if s.informants.empty:
        return None
    per_site = s.informants.groupby("site_id").size()
    text = (
        f"{_n(len(s.informants), 'informant')} at {_n(s.sites['site_id'].nunique(), 'site')} "
        f"({per_site.min()} to {per_site.max()} per site, median {per_site.median():g}); "
        f"{_n(len(s.interviews), 'interview')}."
    )
    return text + " How participants were chosen is to be written by the authors."


def _non_participation(f: _Facts) -> str | None:
    s = f.study
    without = set(s.informants["informant_id"]) - set(s.interviews["informant_id"])
    uncoded = set(s.interviews["interview_id"]) - set(f.primary["interview_id"])
    dropped = s.audit[s.audit["action"].astype(object) == "drop"] if len(s.audit) else s.audit
    text = (
        f"{_n(len(without), 'informant')} listed without an interview; "
        f"{_n(len(uncoded), 'interview')} without primary coding; "
        f"{_n(int(dropped['n'].sum()) if len(dropped) else 0, 'row')} of the source files dropped in tidying "
        "(each with its reason in the audit table)."
    )
    return text + " Refusals and their reasons are to be written by the authors."


def _setting(f: _Facts) -> str | None:
    s = f.study
    if s.sites.empty:
        return None
    text = f"{_n(len(s.sites), 'clinical microsystem')}: {_counts(s.sites['setting'])}."
    visits = _date_range(s.sites["visit_date"]) if "visit_date" in s.sites else None
    if visits:
        text += f" Site visits from {visits}."
    return text


def _sample(f: _Facts) -> str | None:
    inf = f.study.informants
    if inf.empty:
        return None
    return (
        f"Roles: {_counts(inf['role'])}. Leadership: {_counts(inf['leader_type'])}. "
        f"Level of leading (leaders only): {_counts(inf['leader_level'])}."
    )


def _repeat(f: _Facts) -> str | None:
    per = f.study.interviews.groupby("informant_id").size()
    if per.empty:
        return None
    repeated = int((per > 1).sum())
    if repeated == 0:
        return "No: one interview per informant."
    return f"Yes: {_n(repeated, 'informant')} interviewed more than once (at most {per.max()} times)."


def _recording(f: _Facts) -> str | None:
    n_tr, n_int = len(f.study.transcripts), len(f.study.interviews)
    if n_int == 0:
        return None
    return (
        f"Transcripts are held for {n_tr} of {_n(n_int, 'interview')}. "
        "How interviews were recorded is to be written by the authors."
    )


def _duration(f: _Facts) -> str | None:
    iv = f.study.interviews
    parts = []
    if "duration_min" in iv and iv["duration_min"].notna().any():
        d = iv["duration_min"].dropna()
        parts.append(
            f"median {d.median():g} minutes (range {d.min():g} to {d.max():g}; {len(d)} of {len(iv)} interviews timed)"
        )
    if "n_words" in iv and iv["n_words"].notna().any():
        w = iv["n_words"].dropna().astype(float)
        parts.append(f"transcripts of median {w.median():,.0f} words (range {w.min():,.0f} to {w.max():,.0f})")
    return ("Interviews: " + "; ".join(parts) + ".") if parts else None


def _coders(f: _Facts) -> str | None:
    seg = f.study.segments
    if seg.empty:
        return None
    primary_coders = sorted(f.primary["coder"].dropna().astype(str).unique())
    second = seg[~seg["primary"]]
    text = f"{_n(seg['coder'].nunique(), 'coder')} in all; primary coding by {', '.join(primary_coders)}."
    if len(second):
        n_double = second["interview_id"].nunique()
        share = n_double / max(len(f.study.interviews), 1)
        text += f" {_n(n_double, 'interview')} ({share:.0%}) coded independently by a second coder."
        agree = f.agreement()
        if agree is not None:
            pooled = agree.iloc[-1]
            text += (
                f" Agreement on the three processes (interview level, pooled): "
                f"{pooled['percent_agreement']:.0%}, Cohen's kappa {pooled['kappa']:.2f}, "
                f"Krippendorff's alpha {pooled['alpha']:.2f}."
            )
    else:
        text += " No interview was double-coded."
    return text


def _coding_tree(f: _Facts) -> str | None:
    book = f.study.code_table()
    if book.empty:
        return None
    top = book[book["parent"].isna()]
    return (
        f"Codebook of {_n(len(book), 'code')} ({_n(len(top), 'top-level code')}, "
        f"at most {int(book['depth'].max()) + 1} levels deep), each with a definition "
        f"({int(book['definition'].notna().sum())} of {len(book)} defined); "
        f"every code is listed with its label, group, parent and definition on the {CODEBOOK_LINK_TEXT}."
    )


def _derivation(f: _Facts) -> str | None:
    if f.study.codebook.empty:
        return None
    return (
        "The codebook was fixed before coding (the same codes for every site, from the microsystem "
        "framework). Whether further themes were derived from the data is to be written by the authors."
    )


def _software(f: _Facts) -> str | None:

    sources = f.study.accounting()
    seg_sources = sources.loc[sources["table"] == "segments", "source"].tolist() if len(sources) else []
    text = f"Data tidied, compared and reported with leadlib {__version__} (Python)."
    if seg_sources:
        text += " Coding read from " + ", ".join(seg_sources) + "."
    return text + " The QDA software used for coding is to be written by the authors."


def _quotes(f: _Facts) -> str | None:
    if not f.show_quotes:
        return (
            "This version of the report omits every quotation (leadlib report --no-quotes); the research "
            "team's version shows them. How each quotation is identified is to be written by the authors."
        )
    return (
        "Quotations illustrate each process, shown with the speaker's role (withheld where fewer than 2 "
        "informants at the site hold it), never a name. How each quotation is identified in the "
        "publication is to be written by the authors."
    )


def _collection(f: _Facts) -> str | None:
    s = f.study
    parts = [f"semi-structured interviews ({_n(len(s.interviews), 'interview')}"]
    dates = _date_range(s.interviews["date"]) if "date" in s.interviews else None
    parts[0] += f", {dates})" if dates else ")"
    if len(s.survey):
        parts.append(f"a staff survey (CMAT: {_n(s.survey['respondent_id'].nunique(), 'respondent')})")
    if len(s.measures):
        parts.append(f"site measures ({', '.join(sorted(s.measures['measure'].astype(str).unique()))})")
    return "Data collected: " + "; ".join(parts) + "."


def _instruments(f: _Facts) -> str | None:
    s = f.study
    text = "Interview transcripts"
    if len(s.survey):
        text += (
            f"; the Clinical Microsystem Assessment Tool (staff rate "
            f'{s.survey["characteristic"].nunique()} characteristics on three anchored levels or "can\'t rate")'
        )
    return text + ". The interview guide and recording devices are to be written by the authors."


def _units(f: _Facts) -> str | None:
    s = f.study
    return (
        f"{_n(len(s.sites), 'site')}, {_n(len(s.informants), 'informant')}, "
        f"{_n(len(s.interviews), 'interview')}, {_n(len(f.primary), 'coded segment')} (primary coding). "
        + (_sample(f) or "")
    )


def _processing(f: _Facts) -> str | None:
    s = f.study
    acc = s.accounting()
    text = ""
    if len(acc):
        text += (
            f"{_n(len(acc), 'source file')} read; {int(acc['rows_read'].sum()):,} rows read, "
            f"{int(acc['rows_kept'].sum()):,} kept, {int(acc['rows_dropped'].sum()):,} dropped. "
        )
    if len(s.audit):
        counts = s.audit.groupby(s.audit["action"].astype(object))["n"].sum()
        counts = counts[counts > 0].sort_values(ascending=False)
        text += (
            "Every tidying decision is in the audit table: "
            + ", ".join(f"{k} {int(v)}" for k, v in counts.items())
            + ". "
        )
    return (text + "Transcription and de-identification are to be written by the authors.").strip()


def _analysis(f: _Facts) -> str | None:
    return (
        (_coding_tree(f) or "") + " Sites are compared under explicit counting units (coded segments, "
        "interviews, informants, segments per 1,000 words); small numbers are suppressed in reports. "
        "Who developed the interpretation is to be written by the authors."
    ).strip()


def _trustworthiness(f: _Facts) -> str | None:
    text = _coders(f) or ""
    return (
        text + " An audit trail of every data decision is kept (the audit table). "
        "Other techniques (member checking, triangulation) are to be written by the authors."
    ).strip()


_FILLERS: dict[str, Callable[[_Facts], str | None]] = {
    "interviewers": _interviewers,
    "framework": _framework,
    "sample_size": _sample_size,
    "non_participation": _non_participation,
    "setting": _setting,
    "sample": _sample,
    "repeat_interviews": _repeat,
    "recording": _recording,
    "duration": _duration,
    "coders": _coders,
    "coding_tree": _coding_tree,
    "derivation": _derivation,
    "software": _software,
    "quotes": _quotes,
    "collection": _collection,
    "instruments": _instruments,
    "units": _units,
    "processing": _processing,
    "analysis": _analysis,
    "trustworthiness": _trustworthiness,
}


def fill_checklist(study, *, checklist: Literal["coreq", "srqr"] = "coreq", show_quotes: bool = True) -> pd.DataFrame:
    """A reporting checklist with every item the data can answer filled in.

    Parameters
    ----------
    study : leadlib.Study
        The study being reported.
    checklist
        ``"coreq"`` (32 items, Tong et al. 2007) or ``"srqr"`` (21 items,
        O'Brien et al. 2014).
    show_quotes
        Whether the report shows quotations (``False`` under
        ``leadlib report --no-quotes``); the quotation items say so.

    Returns
    -------
    DataFrame
        One row per item, in the checklist's order, with columns ``item``
        (number), ``section``, ``topic``, ``asks`` (what the item asks,
        paraphrased), ``status`` (:data:`FROM_DATA` or :data:`TO_BE_WRITTEN`)
        and ``answer`` (the text filled in, or "to be written by the
        authors"). ``attrs["checklist"]`` names the checklist and its source.
    """
    key = str(checklist).lower()
    if key not in ("coreq", "srqr"):
        raise ValueError(f"checklist must be 'coreq' or 'srqr', not {checklist!r}")
    return _fill(COREQ if key == "coreq" else SRQR, key, _Facts(study, show_quotes=show_quotes))


def fill_checklists(study, *, show_quotes: bool = True) -> dict[str, pd.DataFrame]:
    """Both checklists, ``{"coreq": ..., "srqr": ...}``, computing what they share once."""
    facts = _Facts(study, show_quotes=show_quotes)
    return {"coreq": _fill(COREQ, "coreq", facts), "srqr": _fill(SRQR, "srqr", facts)}


def _fill(items: tuple[Item, ...], key: str, facts: _Facts) -> pd.DataFrame:
    rows = []
    for item in items:
        answer = _FILLERS[item.fill](facts) if item.fill else None
        rows.append(
            {
                "item": item.number,
                "section": item.section,
                "topic": item.topic,
                "asks": item.asks,
                "status": FROM_DATA if answer else TO_BE_WRITTEN,
                "answer": answer or f"{TO_BE_WRITTEN[0].upper()}{TO_BE_WRITTEN[1:]}.",
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["checklist"] = (
        "COREQ: Tong, Sainsbury & Craig (2007), Int J Qual Health Care 19(6):349-357"
        if key == "coreq"
        else "SRQR: O'Brien, Harris, Beckman, Reed & Cook (2014), Acad Med 89(9):1245-1251"
    )
    return out


def checklist_html(table: pd.DataFrame, *, title: str, links: dict[str, str] | None = None) -> str:
    """The filled checklist as an HTML section (escaped text), one table row per item.

    ``links`` maps words of the answers to the pages they name (e.g.
    ``{CODEBOOK_LINK_TEXT: "codebook.html"}``): those words become links.
    """
    esc = html.escape

    def linked(text: str) -> str:
        out = esc(text)
        for words, href in (links or {}).items():
            out = out.replace(esc(words), f'<a href="{esc(href)}">{esc(words)}</a>')
        return out

    parts = [f'<section class="checklist"><h2>{esc(title)}</h2>']
    source = table.attrs.get("checklist")
    if source:
        parts.append(f'<p class="source">{esc(source)}. Item names paraphrased.</p>')
    parts.append(
        '<table class="checklist-table"><thead><tr><th>No.</th><th>Item</th>'
        "<th>Answer</th><th>Source</th></tr></thead><tbody>"
    )
    section = None
    for row in table.itertuples(index=False):
        if row.section != section:
            section = row.section
            parts.append(f'<tr class="section"><th colspan="4">{esc(section)}</th></tr>')
        css = "filled" if row.status == FROM_DATA else "to-write"
        parts.append(
            f'<tr class="{css}"><td>{esc(str(row.item))}</td>'
            f'<td><strong>{esc(row.topic)}</strong><br><span class="asks">{esc(row.asks)}</span></td>'
            f"<td>{linked(row.answer)}</td><td>{esc(row.status)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "\n".join(parts)
