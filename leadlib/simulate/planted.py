"""What is planted in a simulated study, and the statistics that recover it from the study's files.

:data:`EFFECTS` lists each effect the generative model (:mod:`leadlib.simulate.model`) plants: what it is, its
size, the statistic that recovers it, where a class meets it and the test that recovers it. :func:`recover`
computes every statistic from a study as :func:`leadlib.load_study` reads it (the primary coder's codings), with
the truth only a simulation knows (each site's latent strengths, the passages written as borderline or critical)
passed in. :func:`planted_toml` writes all of it as ``planted.toml`` beside a simulated study's files, and the
study README's "What is planted" section is written from the same table.

A facet is *visible* when its 95% interval excludes no effect (bootstrap over sites) or its p-value is below 0.05;
``claimed`` marks the facets the planted effect is judged by. Other facets are shown for the lesson: with 20 sites
some true effects do not show.

Everything here describes a SYNTHETIC study; nothing is a finding of the 2003 study.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as _sps

from ..study import Study
from .design import BETWEEN_LEVELS
from .model import (
    ACUTE_SETTINGS,
    COMMUNITY_KNOWING_PATIENTS,
    COMMUNITY_SETTINGS,
    P_BETWEEN,
    P_BORDERLINE,
    P_CRITICAL,
    P_INFORMAL_MESO,
    SPEAKER_LOGIT,
    UNIT_MULTIPLIER,
    Effects,
)

__all__ = [
    "EFFECTS",
    "Planted",
    "effects_table",
    "recover",
    "planted_toml",
    "read_passages",
    "read_truth",
    "ALPHA",
    "BOOTSTRAP",
]

#: The level below which a p-value makes a facet visible.
ALPHA = 0.05
#: Bootstrap resamples of sites for the intervals (seeded: the same study gives the same intervals).
BOOTSTRAP = 2000
_PROCESS_SHORT = {"building_knowledge": "BK", "taking_action": "TA", "reviewing_reflecting": "RR"}
_OUTCOMES = {"patient_experience": 1, "staff_turnover_pct": -1, "clinical_goal_pct": 1}
_CMAT_LINKS = (
    ("taking_action", "leadership"),
    ("building_knowledge", "staff_focus"),
    ("reviewing_reflecting", "process_improvement"),
    ("reviewing_reflecting", "performance_results"),
)


@dataclass(frozen=True)
class Planted:
    """One planted effect.

    Attributes
    ----------
    id
        Short name (the key in ``planted.toml`` and the suffix of its test).
    title
        One line a class can read.
    planted
        What the model does, with its size.
    statistic
        How :func:`recover` measures it in the study's files.
    where
        The notebook or exercise where a class meets it.
    """

    id: str
    title: str
    planted: str
    statistic: str
    where: str

    @property
    def test(self) -> str:
        """The test that recovers the effect from the bundled study."""
        return f"tests/test_planted.py::test_{self.id}"


def _speaker_logit(code: str, who: str) -> float:
    return next(v for c, w, v in SPEAKER_LOGIT if c == code and w == who)


def effects_table(e: Effects) -> tuple[Planted, ...]:
    """The planted effects of the model with effect sizes ``e`` (:data:`EFFECTS` is that of the defaults)."""
    acute = ", ".join(s.replace("_", " ") for s in ACUTE_SETTINGS)
    community = ", ".join(s.replace("_", " ") for s in COMMUNITY_SETTINGS)
    return (
        Planted(
            "site_strengths",
            "Sites differ in how their people lead, and the interviews show it",
            f"each site has three latent strengths (standard normal); each process's log-odds among a site's "
            f"leading passages moves {e.site_process_sd:g} per SD of its strength",
            "Spearman's rho, across sites, between a latent strength and the process's share of the site's "
            "leadership codings",
            "04-three-processes",
        ),
        Planted(
            "formal_taking_action",
            "Formal leaders talk more of taking action",
            f"log-odds +{e.formal_taking_action:g} for the taking-action sub-codes in formal leaders' leading passages",
            "taking action's share of formal leaders' leadership codings minus staff's (no post, not leading "
            "informally), 95% bootstrap interval over sites",
            "exercises/e3-processes-by-leader-type",
        ),
        Planted(
            "informal_building_knowledge",
            "Informal leaders talk more of building knowledge",
            f"log-odds +{e.informal_building_knowledge:g} for the building-knowledge sub-codes in informal leaders' "
            "leading passages",
            "building knowledge's share of informal leaders' leadership codings minus staff's, 95% bootstrap "
            "interval over sites",
            "exercises/e3-processes-by-leader-type",
        ),
        Planted(
            "formal_hiring",
            "Formal leaders talk more of hiring and orienting",
            f"log-odds +{_speaker_logit('TA.hiring', 'formal'):g} for hiring and orienting in formal leaders' "
            "leading passages",
            "hiring and orienting's share of formal leaders' leadership codings minus everyone else's, 95% "
            "bootstrap interval over sites",
            "04-three-processes",
        ),
        Planted(
            "levels",
            "Leaders at higher levels secure resources and learn from outside",
            f"log-odds +{_speaker_logit('TA.resources', 'macro'):g} (macro) and "
            f"+{_speaker_logit('TA.resources', 'meso'):g} (meso) for securing resources, "
            f"+{_speaker_logit('BK.outside', 'macro'):g} and +{_speaker_logit('BK.outside', 'meso'):g} for learning "
            f"from outside; micro leaders +{_speaker_logit('BK.patients', 'micro'):g} for knowing the patients and "
            f"+{_speaker_logit('BK.staff', 'micro'):g} for knowing the staff. Level is the speaker's post: "
            f"{P_INFORMAL_MESO:.0%} of informal leaders hold a post beyond the unit (meso), so level is not "
            "leader type",
            "the sub-code's share of macro leaders' leadership codings minus micro leaders', 95% bootstrap "
            "interval over sites",
            "exercises/e3-processes-by-leader-type",
        ),
        Planted(
            "between_levels",
            "Leaders whose post reaches beyond the unit lead between levels",
            f"a leading passage is leading between levels (code {BETWEEN_LEVELS}) with probability "
            f"{P_BETWEEN['micro']:.0%} for micro leaders, {P_BETWEEN['meso']:.0%} meso, {P_BETWEEN['macro']:.0%} "
            f"macro, {P_BETWEEN[None]:.0%} for staff; the same for formal and informal leaders",
            "share of leadership codings also coded leading between levels: meso and macro leaders minus micro "
            "leaders, and within informal leaders meso minus micro; 95% bootstrap intervals over sites",
            "00-the-framework",
        ),
        Planted(
            "acute_measures",
            "Acute units talk more of watching measures",
            f"log-odds +{e.acute_watching_measures:g} for watching measures in units of acute settings ({acute})",
            "watching measures' share of the leadership codings of acute sites minus other sites, 95% bootstrap "
            "interval over sites",
            "11-how-many-interviews",
        ),
        Planted(
            "community_patients",
            "Community units talk more of knowing the patients",
            f"log-odds +{COMMUNITY_KNOWING_PATIENTS:g} for knowing the patients in units of community settings "
            f"({community})",
            "knowing the patients' share of the leadership codings of community sites minus other sites, 95% "
            "bootstrap interval over sites",
            "03-behaviours-across-sites",
        ),
        Planted(
            "outcomes",
            "Reviewing and reflecting goes with results",
            f"patient experience, staff turnover (lower) and clinical goal attainment each correlate "
            f"{e.reviewing_on_outcomes:g} with the latent reviewing-and-reflecting strength; the cost index has "
            "nothing planted",
            "Spearman's rho, across sites, between reviewing and reflecting's share of the site's leadership "
            "codings and the mean z-score of the three measures (turnover reversed); each measure alone is shown "
            "too",
            "06-mixed-methods",
        ),
        Planted(
            "cmat",
            "Staff ratings (CMAT) echo the processes, moderately",
            f"a site's latent CMAT level correlates {e.strengths_on_cmat:g} with the matching strength: taking "
            "action with leadership, building knowledge with staff focus, reviewing and reflecting with process "
            "improvement and with performance results",
            "Spearman's rho, across sites, between the process's share of leadership codings and the site's mean "
            "rating; the four links together by the mean of their rhos, p from 2,000 permutations of sites",
            "06-mixed-methods",
        ),
        Planted(
            "coders",
            "Coders disagree on passages that fit two codes",
            f"{P_BORDERLINE:.0%} of the passages whose code has a borderline partner are written to fit both, and "
            f"{P_CRITICAL:.0%} of non-leaders' other passages say their leaders do not do something; the second "
            "coder takes the other reading of such a passage far more often than slipping on a clear one",
            "share of the passages the two coders code differently that are borderline or critical, against "
            "their share of all double-coded passages",
            "09-reliability",
        ),
        Planted(
            "formal_longer",
            "Formal leaders give longer interviews",
            f"an interview holds about {UNIT_MULTIPLIER['formal'] / UNIT_MULTIPLIER['none']:.2g} times as many "
            "passages for a formal leader as for staff",
            "median words of formal leaders' interviews over staff's, Mann-Whitney test",
            "02-sites-and-informants",
        ),
    )


#: The planted effects of the default :class:`~leadlib.simulate.Effects`.
EFFECTS: tuple[Planted, ...] = effects_table(Effects())


def _row(effect, facet, statistic, estimate, low=np.nan, high=np.nan, p=np.nan, *, claimed=True) -> dict:
    if np.isnan(p):
        visible = bool(low > 0 or high < 0)
    else:
        visible = bool(p < ALPHA)
    return {
        "effect": effect,
        "facet": facet,
        "statistic": statistic,
        "estimate": float(estimate),
        "low": float(low),
        "high": float(high),
        "p_value": float(p),
        "visible": visible,
        "claimed": claimed,
    }


class _Counts:
    """Leadership codings of the primary coder, counted per site, with a bootstrap over sites."""

    def __init__(self, frame: pd.DataFrame, seed: int = 0) -> None:
        primary = frame[frame["primary"]]
        self.lead = primary[primary["process"].notna()]
        self.between = primary.loc[primary["code_id"] == BETWEEN_LEVELS, ["interview_id", "start", "end"]]
        self.sites = pd.Index(sorted(frame["site_id"].unique()))
        rng = np.random.default_rng(seed)
        n = len(self.sites)
        self.weights = rng.multinomial(n, np.full(n, 1 / n), size=BOOTSTRAP).astype(float)

    def per_site(self, rows: pd.Series, hits: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Per site: leadership codings in ``rows`` and, of those, ``hits``."""
        sub = self.lead[rows]
        den = sub.groupby("site_id").size().reindex(self.sites, fill_value=0).to_numpy(float)
        num = sub[hits[rows]].groupby("site_id").size().reindex(self.sites, fill_value=0).to_numpy(float)
        return num, den

    def difference(self, a: pd.Series, b: pd.Series, hits: pd.Series) -> tuple[float, float, float]:
        """Share of ``hits`` among leadership codings in ``a`` minus in ``b``, with a 95% bootstrap interval."""
        na, da = self.per_site(a, hits)
        nb, db = self.per_site(b, hits)
        w = self.weights
        with np.errstate(invalid="ignore", divide="ignore"):  # a group with no codings (a small study): NaN
            est = na.sum() / da.sum() - nb.sum() / db.sum()
            boot = (w @ na) / (w @ da) - (w @ nb) / (w @ db)
        if np.isnan(boot).all():
            return est, np.nan, np.nan
        low, high = np.nanpercentile(boot, [2.5, 97.5])
        return est, low, high


def _site_shares(lead: pd.DataFrame, sites: pd.Index) -> pd.DataFrame:
    """Each process's share of each site's leadership codings."""
    table = pd.crosstab(lead["site_id"], lead["process"]).reindex(sites, fill_value=0)
    return table.div(table.sum(axis=1).replace(0, np.nan), axis=0)


def _spearman(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    both = pd.concat([x, y], axis=1).dropna()
    rho, p = _sps.spearmanr(both.iloc[:, 0], both.iloc[:, 1])
    return float(rho), float(p)


def _site_strengths(study: Study, c: _Counts, truth: pd.DataFrame | None) -> list[dict]:
    if truth is None:
        return []
    shares = _site_shares(c.lead, c.sites)
    traits = truth.set_index("site_id").reindex(c.sites)
    rows = []
    for process, short in _PROCESS_SHORT.items():
        rho, p = _spearman(traits[process], shares[process])
        rows.append(_row("site_strengths", short, "Spearman's rho", rho, p=p))
    return rows


def _leader_types(study: Study, c: _Counts, truth) -> list[dict]:
    lt, proc, code = c.lead["leader_type"], c.lead["process"], c.lead["code_id"]
    formal, staff, informal = lt == "formal", lt == "none", lt == "informal"
    rows = [
        _row(
            "formal_taking_action",
            "formal - staff",
            "difference in share",
            *c.difference(formal, staff, proc == "taking_action"),
        ),
        _row(
            "informal_building_knowledge",
            "informal - staff",
            "difference in share",
            *c.difference(informal, staff, proc == "building_knowledge"),
        ),
        _row(
            "formal_hiring",
            "formal - others",
            "difference in share",
            *c.difference(formal, ~formal, code == "TA.hiring"),
        ),
    ]
    return rows


def _levels(study: Study, c: _Counts, truth) -> list[dict]:
    level, code = c.lead["leader_level"], c.lead["code_id"]
    macro, micro = level == "macro", level == "micro"
    rows = [
        _row(
            "levels",
            "securing resources: macro - micro",
            "difference in share",
            *c.difference(macro, micro, code == "TA.resources"),
        ),
        _row(
            "levels",
            "learning from outside: macro - micro",
            "difference in share",
            *c.difference(macro, micro, code == "BK.outside"),
        ),
        _row(
            "levels",
            "knowing the patients: micro - macro",
            "difference in share",
            *c.difference(micro, macro, code == "BK.patients"),
            claimed=False,
        ),
    ]
    return rows


def _between_levels(study: Study, c: _Counts, truth) -> list[dict]:
    key = pd.MultiIndex.from_frame(c.lead[["interview_id", "start", "end"]])
    hits = pd.Series(key.isin(pd.MultiIndex.from_frame(c.between)), index=c.lead.index)
    level, lt = c.lead["leader_level"], c.lead["leader_type"]
    above, micro = level.isin(["meso", "macro"]), level == "micro"
    informal = lt == "informal"
    return [
        _row("between_levels", "meso and macro - micro", "difference in share", *c.difference(above, micro, hits)),
        _row(
            "between_levels",
            "informal leaders: meso - micro",
            "difference in share",
            *c.difference(informal & (level == "meso"), informal & micro, hits),
        ),
    ]


def _settings(study: Study, c: _Counts, truth) -> list[dict]:
    setting, code = c.lead["setting"].astype(str), c.lead["code_id"]
    acute, community = setting.isin(ACUTE_SETTINGS), setting.isin(COMMUNITY_SETTINGS)
    return [
        _row(
            "acute_measures",
            "acute - other",
            "difference in share",
            *c.difference(acute, ~acute, code == "BK.measures"),
        ),
        _row(
            "community_patients",
            "community - other",
            "difference in share",
            *c.difference(community, ~community, code == "BK.patients"),
        ),
    ]


def _measure_table(study: Study, sites: pd.Index) -> pd.DataFrame:
    m = study.measures.pivot_table(index="site_id", columns="measure", values="value", aggfunc="mean")
    return m.reindex(sites)


def _outcomes(study: Study, c: _Counts, truth) -> list[dict]:
    rr = _site_shares(c.lead, c.sites)["reviewing_reflecting"]
    m = _measure_table(study, c.sites)
    z = pd.DataFrame({k: sign * (m[k] - m[k].mean()) / m[k].std() for k, sign in _OUTCOMES.items()})
    rows = [_row("outcomes", "composite of the three measures", "Spearman's rho", *_rho_p(rr, z.mean(axis=1)))]
    for k in _OUTCOMES:
        rows.append(_row("outcomes", k, "Spearman's rho", *_rho_p(rr, m[k]), claimed=False))
    if "cost_index" in m:
        rows.append(
            _row(
                "outcomes",
                "cost_index (nothing planted)",
                "Spearman's rho",
                *_rho_p(rr, m["cost_index"]),
                claimed=False,
            )
        )
    return rows


def _rho_p(x: pd.Series, y: pd.Series) -> tuple[float, float, float, float]:
    rho, p = _spearman(x, y)
    return rho, np.nan, np.nan, p


def _cmat(study: Study, c: _Counts, truth) -> list[dict]:
    shares = _site_shares(c.lead, c.sites)
    survey = study.survey.dropna(subset=["rating"])
    means = survey.groupby(["site_id", "characteristic"], observed=True)["rating"].mean().unstack().reindex(c.sites)
    rows, pairs = [], []
    for process, characteristic in _CMAT_LINKS:
        x, y = shares[process], means[characteristic]
        rows.append(
            _row(
                "cmat", f"{_PROCESS_SHORT[process]} - {characteristic}", "Spearman's rho", *_rho_p(x, y), claimed=False
            )
        )
        pairs.append((x.rank().to_numpy(), y.rank().to_numpy()))
    observed = np.mean([np.corrcoef(a, b)[0, 1] for a, b in pairs])
    rng = np.random.default_rng(0)
    perms = np.empty(BOOTSTRAP)
    for i in range(BOOTSTRAP):
        order = rng.permutation(len(c.sites))
        perms[i] = np.mean([np.corrcoef(a, b[order])[0, 1] for a, b in pairs])
    p = (1 + np.sum(perms >= observed)) / (1 + BOOTSTRAP)
    rows.insert(0, _row("cmat", "the four links together", "mean Spearman's rho", observed, p=p))
    return rows


def _passage_codes(frame: pd.DataFrame, primary: bool) -> pd.Series:
    part = frame[frame["primary"] == primary]
    part = part[part["group"] != "other"]
    return part.groupby(["interview_id", "start"])["code_id"].agg(frozenset)


def _coders(study: Study, c: _Counts, passages: pd.DataFrame | None) -> list[dict]:
    if passages is None:
        return []
    frame = study.frame(coder=None)
    second = _passage_codes(frame, False)
    if second.empty:
        return []
    first = _passage_codes(frame, True).reindex(second.index)
    both = pd.DataFrame({"first": first, "second": second}).dropna()
    differ = both["first"] != both["second"]
    planted = passages[passages["critical_of"].notna() | passages["also"].notna()]
    marked = both.index.isin(pd.MultiIndex.from_frame(planted[["interview_id", "start"]]))
    base = float(marked.mean())
    est = float(marked[differ.to_numpy()].mean()) if differ.any() else np.nan
    # how likely so many of the disagreements fall on planted passages if they fell at random (binomial)
    k, n = int(marked[differ.to_numpy()].sum()), int(differ.sum())
    p = float(_sps.binomtest(k, n, base, alternative="greater").pvalue) if n else np.nan
    return [
        _row("coders", "share of disagreements on borderline or critical passages", "share", est, p=p),
        _row("coders", "share of double-coded passages that are borderline or critical", "share", base, claimed=False),
    ]


def _formal_longer(study: Study, c: _Counts, truth) -> list[dict]:
    words = study.interviews.merge(study.informants[["informant_id", "leader_type"]], on="informant_id")
    formal = words.loc[words["leader_type"] == "formal", "n_words"]
    staff = words.loc[words["leader_type"] == "none", "n_words"]
    p = float(_sps.mannwhitneyu(formal, staff, alternative="greater").pvalue)
    return [_row("formal_longer", "median words, formal / staff", "ratio", formal.median() / staff.median(), p=p)]


_RECOVERERS: tuple[Callable[..., list[dict]], ...] = (
    _site_strengths,
    _leader_types,
    _levels,
    _between_levels,
    _settings,
    _outcomes,
    _cmat,
    _formal_longer,
)


def recover(study: Study, *, truth: pd.DataFrame | None = None, passages: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every planted effect's statistics, computed from ``study`` as a class would compute them.

    Parameters
    ----------
    study
        A simulated study as :func:`leadlib.load_study` reads it (or as :func:`~leadlib.simulate.simulate_study`
        returns it): the primary coder's codings are counted.
    truth
        Each site's latent strengths (``site_id``, ``building_knowledge``, ``taking_action``,
        ``reviewing_reflecting``): ``simulate_study(...).metadata["site_traits"]``; without it the
        ``site_strengths`` effect is left out.
    passages
        The passages written as borderline or critical (``interview_id``, ``start``, ``critical_of``, ``also``):
        ``simulate_study(...).metadata["passages"]``; without it the ``coders`` effect is left out.

    Returns
    -------
    DataFrame
        One row per facet: ``effect``, ``facet``, ``statistic``, ``estimate``, ``low`` and ``high`` (95% bootstrap
        interval over sites, where there is one), ``p_value`` (where there is one), ``visible`` (the interval
        excludes 0, or p < :data:`ALPHA`), ``claimed`` (the facets the effect is judged by).
    """
    counts = _Counts(study.frame())
    rows: list[dict] = []
    for recoverer in _RECOVERERS:
        rows.extend(recoverer(study, counts, truth))
    rows.extend(_coders(study, counts, passages))
    order = {e.id: i for i, e in enumerate(EFFECTS)}
    out = pd.DataFrame(rows)
    out["_order"] = out["effect"].map(order)
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def _toml_str(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_float(value: float) -> str:
    return "nan" if value != value else f"{value:.4g}"


def planted_toml(simulated: Study, recovered: pd.DataFrame) -> str:
    """The text of ``planted.toml``: the effects, their recovered statistics, each site's latent strengths and the
    passages written as borderline or critical.

    Parameters
    ----------
    simulated
        The study as :func:`~leadlib.simulate.simulate_study` returned it (its metadata holds the truth).
    recovered
        :func:`recover` of the same study as its files load.
    """
    params = simulated.metadata.get("parameters", {})
    effects = effects_table(Effects(**params.get("effects", {})))
    lines = [
        "# What is planted in this SYNTHETIC study, and what the study's files show of it.",
        "# Written by leadlib.simulate (leadlib.simulate.planted); regenerate with the study, never edit by hand.",
        "# Nothing here is a finding of the 2003 study 'Microsystems in Health Care: Part 5'.",
        "",
        "[study]",
        f"sites = {int(params.get('n_sites', len(simulated.sites)))}",
        f"seed = {int(params.get('seed', 0))}",
        f"alpha = {ALPHA}",
        f"bootstrap = {BOOTSTRAP}",
        "",
    ]
    for e in effects:
        lines += [
            "[[effect]]",
            f"id = {_toml_str(e.id)}",
            f"title = {_toml_str(e.title)}",
            f"planted = {_toml_str(e.planted)}",
            f"statistic = {_toml_str(e.statistic)}",
            f"where = {_toml_str(e.where)}",
            f"test = {_toml_str(e.test)}",
            "",
        ]
        for r in recovered[recovered["effect"] == e.id].itertuples():
            lines += [
                "[[effect.facet]]",
                f"facet = {_toml_str(r.facet)}",
                f"statistic = {_toml_str(r.statistic)}",
                f"estimate = {_toml_float(r.estimate)}",
                f"low = {_toml_float(r.low)}",
                f"high = {_toml_float(r.high)}",
                f"p_value = {_toml_float(r.p_value)}",
                f"visible = {str(bool(r.visible)).lower()}",
                f"claimed = {str(bool(r.claimed)).lower()}",
                "",
            ]
    for r in simulated.metadata["site_traits"].itertuples():
        lines += [
            "[[site]]",
            f"site_id = {_toml_str(r.site_id)}",
            f"building_knowledge = {r.building_knowledge:.4f}",
            f"taking_action = {r.taking_action:.4f}",
            f"reviewing_reflecting = {r.reviewing_reflecting:.4f}",
            "",
        ]
    passages = simulated.metadata["passages"]
    for r in passages[passages["critical_of"].notna() | passages["also"].notna()].itertuples():
        kind = "critical" if pd.notna(r.critical_of) else "borderline"
        codes = [r.sub if pd.notna(r.sub) else r.sc, r.critical_of if kind == "critical" else r.also]
        lines += [
            "[[passage]]",
            f"interview_id = {_toml_str(r.interview_id)}",
            f"start = {int(r.start)}",
            f"end = {int(r.end)}",
            f"kind = {_toml_str(kind)}",
            f"coded = {_toml_str(codes[0])}",
            f"other = {_toml_str(codes[1])}",
            "",
        ]
    return "\n".join(lines)


def read_passages(table: dict) -> pd.DataFrame:
    """The ``[[passage]]`` entries of a parsed ``planted.toml`` as the ``passages`` :func:`recover` takes."""
    rows = table.get("passage", [])
    frame = pd.DataFrame(rows, columns=["interview_id", "start", "end", "kind", "coded", "other"])
    frame["critical_of"] = frame["other"].where(frame["kind"] == "critical")
    frame["also"] = frame["other"].where(frame["kind"] == "borderline")
    frame = frame.astype({"critical_of": object, "also": object})
    frame[["critical_of", "also"]] = frame[["critical_of", "also"]].where(frame[["critical_of", "also"]].notna(), None)
    return frame


def read_truth(table: dict) -> pd.DataFrame:
    """The ``[[site]]`` entries of a parsed ``planted.toml`` as the ``truth`` :func:`recover` takes."""
    return pd.DataFrame(
        table.get("site", []), columns=["site_id", "building_knowledge", "taking_action", "reviewing_reflecting"]
    )
