"""The numbers of the instructor's guide (``docs/teaching.md``), computed from a study and filled into the text.

Every figure of the guide stands between two marks that name it::

    Two coders agree on <!-- n:paradox_agreement -->96%<!-- /n --> of interviews

(Markdown shows only ``96%``). :func:`guide_numbers` computes every named
figure from a study, formatted as the guide writes it (:data:`GUIDE_NUMBERS`
is the one table of names); :func:`fill_guide` puts them between their marks;
:func:`stale_numbers` lists the marks whose text is not what the study gives.
``leadlib classroom guide --write docs/teaching.md`` refreshes the guide after
the bundled study changes; ``--check`` fails while it is stale.

The guide's prose compares ("compare X with Y") and leaves the figures to
the marks, so that a new study cannot make a sentence false.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from .. import compare, schema, stats
from ..simulate import planted as _planted
from .coding import coding_sample

if TYPE_CHECKING:  # pragma: no cover
    from ..study import Study

__all__ = [
    "GUIDE_NUMBERS",
    "PLANTED_FACETS",
    "guide_numbers",
    "paradox_code",
    "planted_recovered",
    "fill_guide",
    "stale_numbers",
    "marked_numbers",
]

#: name -> what the figure is. The guide may use each any number of times.
GUIDE_NUMBERS: dict[str, str] = {
    "n_sites": "sites of the study",
    "n_interviews": "interviews of the study",
    "n_double_coded": "interviews the second coder coded again",
    "words_formal": "median words of a formal leader's interview",
    "words_informal": "median words of an informal leader's interview",
    "words_none": "median words of the interview of an informant who does not lead",
    "top_rr_segments": "site(s) with the most reviewing and reflecting by coded segments",
    "top_rr_per_1000_words": "site(s) with the most reviewing and reflecting per 1,000 words",
    "top_rr_interviews": "site(s) with the largest share of interviews mentioning reviewing and reflecting",
    "sites_rr_every_interview": "sites where every interview mentions reviewing and reflecting",
    "ta_formal": "taking action's share of formal leaders' process codings (coded segments)",
    "ta_informal": "taking action's share of informal leaders' process codings",
    "bk_formal": "building knowledge's share of formal leaders' process codings",
    "bk_informal": "building knowledge's share of informal leaders' process codings",
    "all_three_interviews": "share of interviews that mention all three processes",
    "resources_macro_micro": "macro leaders' share of securing resources over micro leaders' (process codings)",
    "rho_clinical_goal": "Spearman's rho, reviewing and reflecting per 1,000 words with clinical goal attainment",
    "p_clinical_goal": "permutation p, strong against other sites, clinical goal attainment (notebook 06)",
    "rho_patient_experience": "Spearman's rho with patient experience",
    "p_patient_experience": "permutation p, patient experience",
    "rho_staff_turnover": "Spearman's rho with staff turnover",
    "p_staff_turnover": "permutation p, staff turnover",
    "rho_cmat_process_improvement": "Spearman's rho with the mean CMAT rating of process improvement",
    "p_cmat_process_improvement": "permutation p, CMAT process improvement",
    "rho_cmat_performance_results": "Spearman's rho with the mean CMAT rating of performance results",
    "p_cmat_performance_results": "permutation p, CMAT performance results",
    "rho_ta_cmat_leadership": "Spearman's rho, taking action per 1,000 words with the mean CMAT leadership rating",
    "p_ta_cmat_leadership": "p of Spearman's test, taking action with CMAT leadership",
    "rho_bk_cmat_staff_focus": "Spearman's rho, building knowledge per 1,000 words with the mean CMAT staff focus",
    "p_bk_cmat_staff_focus": "p of Spearman's test, building knowledge with CMAT staff focus",
    "paradox_code": "the code with the largest gap between interview-level percent agreement and kappa (Exercise 4.2)",
    "paradox_agreement": "that code's percent agreement over the double-coded interviews",
    "paradox_kappa": "that code's Cohen's kappa over the same interviews",
    "paradox_prevalence": "share of the double-coded interviews in which the primary coding applies that code",
    "paradox_chance": "the agreement two coders with those marginals reach by chance (kappa's expected agreement)",
    "paradox_differ": "double-coded interviews on which the two coders differ about that code",
    "median_kappa": "median interview-level kappa of the other codes (a kappa is defined)",
    "coders_disagree_planted": "share of the passages the coders code differently that were written to be disputed",
    "coders_planted_share": "share of all double-coded passages that were written borderline or critical",
    "rr_disagreements": "text spans on which the coders disagree about reviewing and reflecting",
    "rr_misses": "of those, spans one coder gave a reviewing-and-reflecting code and the other no process code",
    "rr_within": "of those, spans given two different reviewing-and-reflecting sub-codes",
    "rr_swaps": "of those, spans one coder gave reviewing and reflecting and the other another process",
    "measures_acute": "median share of an acute site's interviews mentioning watching measures",
    "measures_other": "the same median for the other sites",
    "sample_second_agreement": "Exercise 5's passages: the second coder's percent agreement with the primary coder",
    "sample_second_kappa": "Exercise 5's passages: the second coder's Cohen's kappa with the primary coder",
    "planted_n_borderline": "passages written to fit two codes (planted.toml's [[passage]] of kind borderline)",
    "planted_n_critical": "passages written critical of the leaders (planted.toml's [[passage]] of kind critical)",
    "planted_not_seen": "the planted facets the bundled files do not show (planted.toml's visible = false)",
}

#: name -> (effect, facet, what it is): one mark per facet of ``planted.toml``, computed by
#: :func:`leadlib.simulate.planted.recover` from the study's files with the truth ``planted.toml`` holds.
PLANTED_FACETS: dict[str, tuple[str, str, str]] = {
    "planted_strength_bk": ("site_strengths", "BK", "building knowledge's latent strength with its share"),
    "planted_strength_ta": ("site_strengths", "TA", "taking action's latent strength with its share"),
    "planted_strength_rr": ("site_strengths", "RR", "reviewing and reflecting's latent strength with its share"),
    "planted_formal_ta": ("formal_taking_action", "formal - staff", "taking action, formal leaders minus staff"),
    "planted_informal_bk": (
        "informal_building_knowledge",
        "informal - staff",
        "building knowledge, informal leaders minus staff",
    ),
    "planted_formal_hiring": ("formal_hiring", "formal - others", "hiring and orienting, formal leaders minus others"),
    "planted_levels_resources": (
        "levels",
        "securing resources: macro - micro",
        "securing resources, macro minus micro leaders",
    ),
    "planted_levels_outside": (
        "levels",
        "learning from outside: macro - micro",
        "learning from outside, macro minus micro leaders",
    ),
    "planted_levels_patients": (
        "levels",
        "knowing the patients: micro - macro",
        "knowing the patients, micro minus macro leaders",
    ),
    "planted_between": (
        "between_levels",
        "meso and macro - micro",
        "leading between levels, meso and macro minus micro",
    ),
    "planted_between_informal": (
        "between_levels",
        "informal leaders: meso - micro",
        "leading between levels among informal leaders, meso minus micro",
    ),
    "planted_acute_measures": ("acute_measures", "acute - other", "watching measures, acute minus other sites"),
    "planted_community_patients": (
        "community_patients",
        "community - other",
        "knowing the patients, community minus other sites",
    ),
    "planted_outcomes": ("outcomes", "composite of the three measures", "reviewing and reflecting with the composite"),
    "planted_outcome_patient_experience": ("outcomes", "patient_experience", "patient experience alone"),
    "planted_outcome_staff_turnover": ("outcomes", "staff_turnover_pct", "staff turnover alone"),
    "planted_outcome_clinical_goal": ("outcomes", "clinical_goal_pct", "clinical goal attainment alone"),
    "planted_outcome_cost": ("outcomes", "cost_index (nothing planted)", "the cost index (nothing planted)"),
    "planted_cmat": ("cmat", "the four links together", "the four CMAT links together"),
    "planted_cmat_ta_leadership": ("cmat", "TA - leadership", "taking action with CMAT leadership"),
    "planted_cmat_bk_staff_focus": ("cmat", "BK - staff_focus", "building knowledge with CMAT staff focus"),
    "planted_cmat_rr_process_improvement": (
        "cmat",
        "RR - process_improvement",
        "reviewing and reflecting with CMAT process improvement",
    ),
    "planted_cmat_rr_performance_results": (
        "cmat",
        "RR - performance_results",
        "reviewing and reflecting with CMAT performance results",
    ),
    "planted_coders": (
        "coders",
        "share of disagreements on borderline or critical passages",
        "share of the coders' disagreements on borderline or critical passages",
    ),
    "planted_formal_longer": (
        "formal_longer",
        "median words, formal / staff",
        "formal leaders' interviews over staff's",
    ),
}
GUIDE_NUMBERS.update(
    {name: f"planted.toml: {what} (statistic and whether it is seen)" for name, (_, _, what) in PLANTED_FACETS.items()}
)

#: The acute settings of notebook 11 (and of ``leadlib.simulate``'s planted difference).
ACUTE_SETTINGS = ("inpatient_unit", "icu_nicu", "emergency_department")
_MARK = re.compile(r"<!-- n:(?P<name>[a-z0-9_]+) -->(?P<value>[^<\n]*)<!-- /n -->")
_PROCESSES = list(schema.PROCESSES)


def _pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.0%}"


def _r(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.2f}"


def _p(x: float) -> str:
    """A p-value: three decimals below 0.1, two above."""
    if pd.isna(x):
        return "n/a"
    return f"{x:.3f}" if x < 0.1 else f"{x:.2f}"


def _sites(values: pd.Series) -> str:
    """The IDs of the sites at the maximum: "S03", "S03 and S07", "S03, S04 and S07"."""
    top = sorted(values.index[values == values.max()].map(str))
    return top[0] if len(top) == 1 else f"{', '.join(top[:-1])} and {top[-1]}"


def _sizes(study: Study) -> dict[str, str]:
    segments = study.segments
    double = segments.loc[~segments["primary"].astype(bool), "interview_id"].nunique()
    people = study.interviews.merge(study.informants[["informant_id", "leader_type"]], on="informant_id")
    words = people.groupby(people["leader_type"].astype(str))["n_words"].median()
    return {
        "n_sites": f"{study.sites['site_id'].nunique():,}",
        "n_interviews": f"{study.interviews['interview_id'].nunique():,}",
        "n_double_coded": f"{double:,}",
        **{f"words_{kind}": f"{words.get(kind, np.nan):,.0f}" for kind in ("formal", "informal", "none")},
    }


def _counting_units(study: Study, frame: pd.DataFrame) -> dict[str, str]:
    process = "reviewing_reflecting"
    segments = compare.site_matrix(frame, of="process", unit="segments")[process]
    dense = compare.site_matrix(frame, of="process", unit="per_1000_words", interviews=study)[process]
    share = compare.site_matrix(frame, of="process", unit="interviews", normalize="group", interviews=study)[process]
    return {
        "top_rr_segments": _sites(segments),
        "top_rr_per_1000_words": _sites(dense),
        "top_rr_interviews": _sites(share),
        "sites_rr_every_interview": f"{int((share >= 1 - 1e-12).sum())}",
    }


def _leaders(study: Study, frame: pd.DataFrame) -> dict[str, str]:
    profile = compare.process_profile(frame, by="leader_type", unit="segments")
    leading = frame[frame["process"].notna()]
    mentioned = leading.groupby("interview_id")["process"].nunique()
    all_three = (mentioned.reindex(study.interviews["interview_id"]).fillna(0) >= len(_PROCESSES)).mean()
    by_level = compare.site_matrix(leading, by="leader_level", of="code_id", normalize="row")
    ratio = by_level.loc["macro", "TA.resources"] / by_level.loc["micro", "TA.resources"]
    return {
        "ta_formal": _pct(profile.loc["formal", "taking_action"]),
        "ta_informal": _pct(profile.loc["informal", "taking_action"]),
        "bk_formal": _pct(profile.loc["formal", "building_knowledge"]),
        "bk_informal": _pct(profile.loc["informal", "building_knowledge"]),
        "all_three_interviews": _pct(all_three),
        "resources_macro_micro": f"{ratio:.1f}",
    }


def _mixed_methods(study: Study, frame: pd.DataFrame) -> dict[str, str]:
    """Notebook 06's split and tests (its parameters: per 1,000 words, the median, 9,999 resamples, seed 2003)."""
    dense = compare.site_matrix(frame, of="process", unit="per_1000_words", interviews=study)
    strength = dense["reviewing_reflecting"]
    cmat = compare.rating_distribution(study.survey, by=["site_id", "characteristic"])["mean"].unstack()
    group = pd.Series(
        pd.Categorical(np.where(strength >= strength.quantile(0.5), "strong", "other"), categories=["strong", "other"]),
        index=strength.index,
    )
    variables = study.measures.pivot(index="site_id", columns="measure", values="value").join(cmat)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tested = stats.compare_variables(variables, group=group, n_resamples=9999, seed=2003)
    out = {}
    for key, column in (
        ("clinical_goal", "clinical_goal_pct"),
        ("patient_experience", "patient_experience"),
        ("staff_turnover", "staff_turnover_pct"),
        ("cmat_process_improvement", "process_improvement"),
        ("cmat_performance_results", "performance_results"),
    ):
        out[f"rho_{key}"] = _r(variables[column].corr(strength, method="spearman"))
        out[f"p_{key}"] = _p(tested.loc[column, "p"])
    for key, process, characteristic in (
        ("ta_cmat_leadership", "taking_action", "leadership"),
        ("bk_cmat_staff_focus", "building_knowledge", "staff_focus"),
    ):
        both = pd.concat([dense[process], cmat[characteristic]], axis=1, join="inner")
        rho, p = spearmanr(both.iloc[:, 0], both.iloc[:, 1])
        out[f"rho_{key}"], out[f"p_{key}"] = _r(rho), _p(p)
    return out


def paradox_code(table: pd.DataFrame) -> str | None:
    """The code of an interview-level agreement table with the largest gap between percent agreement and kappa.

    Parameters
    ----------
    table : DataFrame
        :func:`leadlib.stats.coder_agreement` at ``unit="interview"``, indexed by ``code_id`` (the pooled
        ``(all)`` row left out).

    Returns
    -------
    str or None
        The code (the first in the table's order where gaps tie within 0.001); None when no code has a kappa.
    """
    gap = (table["percent_agreement"] - table["kappa"]).dropna()
    if gap.empty:
        return None
    return str(gap.index[gap >= gap.max() - 1e-3][0])


def _reliability(study: Study) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = stats.coder_agreement(study, unit="interview").set_index("code_id").drop(index="(all)", errors="ignore")
        confusion = stats.coder_confusion(study, process=_PROCESSES)
    code = paradox_code(table)
    labels = dict(zip(study.codebook["code_id"].astype(str), study.codebook["label"].astype(str)))
    out = dict.fromkeys(
        (
            "paradox_agreement",
            "paradox_kappa",
            "paradox_prevalence",
            "paradox_chance",
            "paradox_differ",
            "median_kappa",
        ),
        "n/a",
    )
    out["paradox_code"] = "(none)"
    if code is not None:
        row = table.loc[code]
        n = float(row["n_units"])
        p_first, p_second = row["n_first"] / n, row["n_second"] / n
        chance = p_first * p_second + (1 - p_first) * (1 - p_second)
        out = {
            "paradox_code": labels.get(code, code).lower(),
            "paradox_agreement": _pct(row["percent_agreement"]),
            "paradox_kappa": _r(row["kappa"]),
            "paradox_prevalence": _pct(p_first),
            "paradox_chance": _pct(chance),
            "paradox_differ": f"{round((1 - row['percent_agreement']) * n)}",
            "median_kappa": _r(table["kappa"].drop(index=code).median()),
        }
    rr = [c for c in confusion.index if c.startswith("RR.")]
    other = [c for c in confusion.index if c != "(none)" and c not in rr]
    inner = confusion.loc[rr, rr].to_numpy()
    within = int(inner.sum() - np.trace(inner))
    misses = int(confusion.loc[rr, "(none)"].sum() + confusion.loc["(none)", rr].sum())
    swaps = int(confusion.loc[rr, other].to_numpy().sum() + confusion.loc[other, rr].to_numpy().sum())
    out.update(
        rr_disagreements=f"{within + misses + swaps}", rr_misses=f"{misses}", rr_within=f"{within}", rr_swaps=f"{swaps}"
    )
    return out


def _settings(study: Study, frame: pd.DataFrame) -> dict[str, str]:
    """Notebook 11's comparison: share of a site's interviews mentioning watching measures, acute against others."""
    share = compare.site_matrix(frame, unit="interviews", normalize="group", interviews=study, columns=["BK.measures"])
    setting = study.sites.set_index("site_id")["setting"].astype(str).reindex(share.index)
    medians = share["BK.measures"].groupby(setting.isin(ACUTE_SETTINGS).to_numpy()).median()
    return {"measures_acute": _pct(medians.get(True, np.nan)), "measures_other": _pct(medians.get(False, np.nan))}


def _coding_exercise(study: Study) -> dict[str, str]:
    sample = coding_sample(study)  # the defaults of Exercise 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agreement = stats.percent_agreement(sample["primary"], sample["second"])
        kappa = stats.cohen_kappa(sample["primary"], sample["second"])
    return {"sample_second_agreement": _pct(float(agreement)), "sample_second_kappa": _r(float(kappa))}


def planted_recovered(study: Study) -> pd.DataFrame | None:
    """What the study's files show of each planted effect, or None for a study without a ``planted.toml``.

    Parameters
    ----------
    study : leadlib.Study
        A simulated study loaded from a folder that holds its ``planted.toml`` (the bundled study does).

    Returns
    -------
    DataFrame or None
        :func:`leadlib.simulate.planted.recover` of ``study``, with the truth (each site's latent strengths, the
        borderline and critical passages) read from ``planted.toml``; ``attrs["passages"]`` holds those passages.
    """
    path = None if study.path is None else Path(study.path) / "planted.toml"
    if path is None or not path.is_file():
        return None
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    passages = _planted.read_passages(table)
    recovered = _planted.recover(study, truth=_planted.read_truth(table), passages=passages)
    recovered.attrs["passages"] = passages
    return recovered


def _facet_text(row: pd.Series) -> str:
    """A facet as §7 writes it: the statistic, its interval or p, and whether the files show it."""
    est, low, high, p = (float(row[k]) for k in ("estimate", "low", "high", "p_value"))
    if row["statistic"] == "difference in share":
        text = f"{est * 100:+.1f} points (95% interval {low * 100:+.1f} to {high * 100:+.1f})"
    elif row["statistic"] == "share":
        text = _pct(est)
    else:
        kind = "rho " if "rho" in str(row["statistic"]) else ""
        text = f"{kind}{est:.2f}" + (" times" if row["statistic"] == "ratio" else "")
    if not np.isnan(p):
        text += f", p {'below 0.001' if p < 0.001 else _p(p)}"
    return f"{text}: {'seen' if bool(row['visible']) else 'not seen'}"


def _planted_numbers(study: Study) -> dict[str, str]:
    names = [*PLANTED_FACETS, "planted_n_borderline", "planted_n_critical", "planted_not_seen"]
    names += ["coders_disagree_planted", "coders_planted_share"]
    recovered = planted_recovered(study)
    if recovered is None:
        return dict.fromkeys(names, "n/a")
    facets = recovered.set_index(["effect", "facet"])
    out = {name: _facet_text(facets.loc[(effect, facet)]) for name, (effect, facet, _) in PLANTED_FACETS.items()}
    passages = recovered.attrs["passages"]
    out["planted_n_borderline"] = f"{int((passages['kind'] == 'borderline').sum()):,}"
    out["planted_n_critical"] = f"{int((passages['kind'] == 'critical').sum()):,}"
    unseen = [
        what
        for name, (effect, facet, what) in PLANTED_FACETS.items()
        if not bool(facets.loc[(effect, facet), "visible"]) and "nothing planted" not in facet
    ]
    out["planted_not_seen"] = (
        "none" if not unseen else unseen[0] if len(unseen) == 1 else f"{', '.join(unseen[:-1])} and {unseen[-1]}"
    )
    coders = facets.loc["coders"]["estimate"]
    out["coders_disagree_planted"] = _pct(coders.iloc[0])
    out["coders_planted_share"] = _pct(coders.iloc[1])
    return out


def guide_numbers(study: Study) -> dict[str, str]:
    """Every figure of the instructor's guide, computed from ``study`` and formatted as the guide writes it.

    Parameters
    ----------
    study : leadlib.Study
        The bundled study, for ``docs/teaching.md``.

    Returns
    -------
    dict
        name -> text, in the order of :data:`GUIDE_NUMBERS` (percentages as
        ``47%``, correlations with two decimals, p-values with three below
        0.1 and two above, counts with thousands separators, site IDs joined
        with "and" where sites tie).
    """
    frame = study.frame()
    found: dict[str, str] = {}
    found.update(_sizes(study))
    found.update(_counting_units(study, frame))
    found.update(_leaders(study, frame))
    found.update(_mixed_methods(study, frame))
    found.update(_reliability(study))
    found.update(_settings(study, frame))
    found.update(_coding_exercise(study))
    found.update(_planted_numbers(study))
    if set(found) != set(GUIDE_NUMBERS):  # pragma: no cover - a programming error
        raise RuntimeError(f"guide numbers out of step with GUIDE_NUMBERS: {sorted(set(found) ^ set(GUIDE_NUMBERS))}")
    return {name: found[name] for name in GUIDE_NUMBERS}


def marked_numbers(text: str) -> list[tuple[str, str]]:
    """The marks of a guide, in order: (name, the text between the marks)."""
    return [(m.group("name"), m.group("value")) for m in _MARK.finditer(text)]


def fill_guide(text: str, numbers: Mapping[str, str]) -> str:
    """The guide with the text between each pair of marks replaced by its number.

    Parameters
    ----------
    text
        The guide (Markdown), with marks ``<!-- n:NAME -->...<!-- /n -->``.
    numbers
        name -> text (:func:`guide_numbers`).

    Returns
    -------
    str
        The same text, only the marked figures changed.

    Raises
    ------
    ValueError
        A mark names a number ``numbers`` does not hold, or a value holds a
        ``<`` or a line break (it would break the marks).
    """
    unknown = sorted({name for name, _ in marked_numbers(text)} - set(numbers))
    if unknown:
        raise ValueError(f"the guide marks numbers that are not computed: {', '.join(unknown)}")
    bad = sorted(name for name, value in numbers.items() if "<" in str(value) or "\n" in str(value))
    if bad:
        raise ValueError(f"numbers that cannot stand between marks (a '<' or a line break): {', '.join(bad)}")
    return _MARK.sub(lambda m: f"<!-- n:{m.group('name')} -->{numbers[m.group('name')]}<!-- /n -->", text)


def stale_numbers(text: str, numbers: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """The marks whose text differs from the computed number: (name, in the text, computed)."""
    fill_guide(text, numbers)  # unknown names raise here
    return [(name, shown, str(numbers[name])) for name, shown in marked_numbers(text) if shown != str(numbers[name])]
