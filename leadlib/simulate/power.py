"""How many interviews and sites a comparison of two kinds of site needs: the simulation lab's engine.

The lab (notebook ``11-how-many-interviews``) asks how often a comparison of
acute-setting sites with the others finds the difference that
:mod:`leadlib.simulate` planted (acute units talk more of *watching
measures*), and how often it "finds" one when the planted effect is 0, as the
number of sites and of interviews per site grow.

Answering needs thousands of simulated studies. Generating each one in full
(:func:`~leadlib.simulate.simulate_study`: transcripts, excerpts, second
coder, survey) and counting it with :func:`leadlib.compare.site_matrix` costs
about half a second a study; :func:`simulate_site_values` draws the same
generative model for only what the comparison counts, for many studies at
once, in milliseconds:

1. each site's latent strengths (standard normal) and leading propensity
   (normal, SD 0.3), its setting from the same allocation as the full model;
2. the informants a full study would have at each site (a medical director
   and a nurse manager, formal at micro or meso level, an administrator at
   60% of sites, staff of whom 30% are informal leaders), one interview each;
3. each interview's number of text units (``8 + Poisson``) and, of these,
   the units in which someone is leading (binomial with the model's
   probability for the speaker's leader type and the site);
4. how many of those leading units are coded with the behaviour: binomial
   with the multinomial-logit probability of the behaviour among the 14
   process sub-codes. Drawing each unit's sub-code and counting the
   behaviour's (the full model) gives the same count distribution, since
   units are independent given the interview.

``tests/test_power.py`` checks that the light path is the full model: the
sub-code probabilities against the codes :func:`simulate_study` actually
drew, and the site-level statistic against the full path's, in distribution.

Everything generated here is SYNTHETIC: it describes the generative model of
:mod:`leadlib.simulate`, not the 2003 study.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats as _sps

from .. import compare
from ..palette import PALETTE
from .design import PROCESS_CODES, SETTING_MIX
from .model import (
    _PROCESS_BASE,
    _PROCESS_OF,
    ACUTE_SETTINGS,
    COMMUNITY_KNOWING_PATIENTS,
    COMMUNITY_SETTINGS,
    P_ADMINISTRATOR,
    P_DIRECTOR_MICRO,
    P_INFORMAL,
    P_INFORMAL_MESO,
    P_LEAD,
    P_MANAGER_MICRO,
    SITE_LEAD_SD,
    SPEAKER_LOGIT,
    UNIT_MULTIPLIER,
    Effects,
    _allocate,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..study import Study

__all__ = [
    "LAB_UNITS",
    "SiteValues",
    "sub_code_probabilities",
    "group_p_values",
    "site_values",
    "simulate_site_values",
    "simulate_interviews",
    "detection_rate",
    "power_curve",
    "plot_power_curve",
]

Unit = Literal["interviews", "segments"]

#: Counting units the lab offers (each as a share of the site's own total, so sites of different sizes compare):
#: ``"interviews"``: share of the site's interviews mentioning the behaviour; ``"segments"``: share of the
#: site's coded segments that are codings of it. (Words are not modelled by the light path.)
LAB_UNITS: tuple[str, ...] = ("interviews", "segments")

_SETTING_CLASS = {**{s: "acute" for s in ACUTE_SETTINGS}, **{s: "community" for s in COMMUNITY_SETTINGS}}


# The model's numbers come from leadlib.simulate.model: the same named constants simulate_study uses.
_TRAIT = {"building_knowledge": 0, "taking_action": 1, "reviewing_reflecting": 2}

# Speaker classes: (leader type, level). Index into the arrays below.
_CLASSES = (
    ("formal", "micro"),
    ("formal", "meso"),
    ("formal", "macro"),
    ("informal", "micro"),
    ("none", None),
    ("informal", "meso"),
)


def _class_logits(effects: Effects) -> np.ndarray:
    """Log-odds of each sub-code without the site's strengths: classes x settings (other, acute, community) x codes."""
    codes = list(PROCESS_CODES)
    n_in = {p: sum(_PROCESS_OF[c] == p for c in codes) for p in _PROCESS_BASE}
    out = np.zeros((len(_CLASSES), 3, len(codes)))
    for j, code in enumerate(codes):
        process = _PROCESS_OF[code]
        out[:, :, j] = np.log(_PROCESS_BASE[process] / n_in[process])
    for k, (ltype, level) in enumerate(_CLASSES):
        for j, code in enumerate(codes):
            process = _PROCESS_OF[code]
            if process == "taking_action" and ltype == "formal":
                out[k, :, j] += effects.formal_taking_action
            if process == "building_knowledge" and ltype == "informal":
                out[k, :, j] += effects.informal_building_knowledge
            for extra_code, condition, value in SPEAKER_LOGIT:
                if extra_code == code and condition in (ltype, level):
                    out[k, :, j] += value
    out[:, 1, codes.index("BK.measures")] += effects.acute_watching_measures
    out[:, 2, codes.index("BK.patients")] += COMMUNITY_KNOWING_PATIENTS
    return out


def sub_code_probabilities(
    traits: np.ndarray, setting: str, leader_type: str, leader_level: str | None, *, effects: Effects | None = None
) -> pd.Series:
    """Probability of each of the 14 process sub-codes for one leading text unit.

    What the full model's multinomial logit gives a unit spoken by an
    informant of ``leader_type`` / ``leader_level`` at a site of ``setting``
    with latent strengths ``traits`` (building knowledge, taking action,
    reviewing and reflecting). Used by the light path and by its tests.

    Parameters
    ----------
    traits
        The site's three latent strengths.
    setting
        The site's setting (a value of :data:`leadlib.schema.SETTINGS`).
    leader_type, leader_level
        The speaker's (``"none"`` and ``None`` for staff who do not lead).
    effects
        Sizes of the planted effects (default: :class:`Effects`).

    Returns
    -------
    Series
        code_id -> probability, summing to 1, in the order of the codebook.
    """
    effects = effects or Effects()
    k = _CLASSES.index((leader_type, leader_level if leader_type != "none" else None))
    column = {"acute": 1, "community": 2}.get(_SETTING_CLASS.get(setting, "other"), 0)
    logits = _class_logits(effects)[k, column] + _trait_logits(np.asarray(traits, float)[None, :], effects)[0]
    p = np.exp(logits - logits.max())
    return pd.Series(p / p.sum(), index=list(PROCESS_CODES), name="probability")


def _trait_logits(traits: np.ndarray, effects: Effects) -> np.ndarray:
    """Log-odds added by the site's strengths: (..., 3) -> (..., codes)."""
    columns = [_TRAIT[_PROCESS_OF[c]] for c in PROCESS_CODES]
    return effects.site_process_sd * traits[..., columns]


# ---------------------------------------------------------------------------
# The light path


@dataclass(frozen=True)
class SiteValues:
    """Site-level values of one behaviour in many simulated studies.

    Attributes
    ----------
    values : ndarray
        Studies x sites: each site's value in the counting unit.
    acute : ndarray
        Sites: True for a site in an acute setting (inpatient unit, ICU /
        NICU, emergency department), the same in every study.
    behaviour, unit : str
        What was counted and how.
    interviews : ndarray
        Studies x sites: interviews at each site.
    """

    values: np.ndarray
    acute: np.ndarray
    behaviour: str
    unit: str
    interviews: np.ndarray


def _check_behaviour(behaviour: str) -> None:
    if behaviour not in PROCESS_CODES:
        raise ValueError(f"behaviour must be a process sub-code ({', '.join(PROCESS_CODES)}), not {behaviour!r}")


def _check_unit(unit: str) -> None:
    if unit not in LAB_UNITS:
        raise ValueError(f"unit must be one of {', '.join(LAB_UNITS)}, not {unit!r}")


def _settings(n_sites: int) -> np.ndarray:
    """Setting class of each site (0 other, 1 acute, 2 community): the full model's allocation.

    The full model allocates settings by largest remainders, then shuffles
    them; the counts do not depend on the draw, and the order does not matter
    to a comparison of groups, so the allocation is taken unshuffled.
    """
    settings = _allocate(SETTING_MIX, n_sites, np.random.default_rng(0))
    classes = np.array([{"acute": 1, "community": 2}.get(_SETTING_CLASS.get(s, "other"), 0) for s in settings])
    return np.sort(classes)[::-1].copy()  # acute sites first, for readable arrays


def simulate_site_values(
    n_sites: int,
    informants: tuple[int, int],
    *,
    replicates: int,
    seed: int,
    behaviour: str = "BK.measures",
    unit: Unit = "interviews",
    units_per_interview: float = 28.0,
    effects: Effects | None = None,
) -> SiteValues:
    """Each site's value of a behaviour in many studies of the synthetic model, drawn fast.

    Parameters
    ----------
    n_sites
        Sites in each study.
    informants
        Smallest and largest number of informants (one interview each) per
        site, as :func:`~leadlib.simulate.simulate_study` takes it.
    replicates
        Number of studies.
    seed
        Seed of the random generator: the same arguments give the same values.
    behaviour
        A process sub-code (default ``"BK.measures"``, watching measures).
    unit
        ``"interviews"`` (share of the site's interviews mentioning the
        behaviour) or ``"segments"`` (share of the site's coded segments), as
        :func:`leadlib.compare.site_matrix` with ``normalize="group"``.
    units_per_interview, effects
        As :func:`~leadlib.simulate.simulate_study`.

    Returns
    -------
    SiteValues
        ``values`` is studies x sites.
    """
    _check_behaviour(behaviour)
    _check_unit(unit)
    draws = _draw(
        n_sites,
        informants,
        replicates=replicates,
        seed=seed,
        behaviour=behaviour,
        units_per_interview=units_per_interview,
        effects=effects,
    )
    n_inf, n_units, n_leading, count = draws["n_inf"], draws["n_units"], draws["n_leading"], draws["count"]
    if unit == "interviews":
        values = (count > 0).sum(axis=-1) / n_inf
    else:  # every unit has one success-characteristic coding, a leading unit one more
        values = count.sum(axis=-1) / (n_units + n_leading).sum(axis=-1)
    return SiteValues(
        values=values.astype(float), acute=draws["setting"] == 1, behaviour=behaviour, unit=unit, interviews=n_inf
    )


def _draw(
    n_sites: int,
    informants: tuple[int, int],
    *,
    replicates: int,
    seed: int,
    behaviour: str,
    units_per_interview: float,
    effects: Effects | None,
) -> dict[str, np.ndarray]:
    """The light path's draws: arrays studies x sites (x informant slots); slots past a site's informants are 0."""
    lo, hi = informants
    if n_sites < 2 or not (1 <= lo <= hi) or replicates < 1:
        raise ValueError("need n_sites >= 2, 1 <= smallest <= largest informants, replicates >= 1")
    effects = effects or Effects()
    rng = np.random.default_rng(seed)
    R, S, K = replicates, n_sites, hi
    setting = _settings(n_sites)

    traits = rng.standard_normal((R, S, 3))
    site_lead = rng.normal(0.0, SITE_LEAD_SD, (R, S))
    n_inf = rng.integers(lo, hi + 1, (R, S))
    present = np.arange(K)[None, None, :] < n_inf[..., None]

    # Speaker class of each informant slot: the formal leaders come first (as in the full model, which keeps
    # the first n of its list before shuffling the order of interviews), then staff.
    director_micro = rng.random((R, S)) < P_DIRECTOR_MICRO
    manager_micro = rng.random((R, S)) < P_MANAGER_MICRO
    has_admin = rng.random((R, S)) < P_ADMINISTRATOR
    informal = rng.random((R, S, K)) < P_INFORMAL
    informal_meso = rng.random((R, S, K)) < P_INFORMAL_MESO
    cls = np.where(informal, np.where(informal_meso, 5, 3), 4)  # staff
    cls[..., 0] = np.where(director_micro, 0, 1)
    if K > 1:
        cls[..., 1] = np.where(manager_micro, 0, 1)
    if K > 2:
        cls[..., 2] = np.where(has_admin, 2, cls[..., 2])
    ltype = np.array([c[0] for c in _CLASSES])[cls]

    multiplier = np.vectorize(UNIT_MULTIPLIER.get)(ltype)
    n_units = 8 + rng.poisson(np.maximum(units_per_interview * multiplier - 8, 1))
    p_lead = np.vectorize(P_LEAD.get)(ltype)
    logit = np.log(p_lead / (1 - p_lead)) + site_lead[..., None]
    n_leading = rng.binomial(n_units, 1 / (1 + np.exp(-logit)))

    # probability of the behaviour among the sub-codes, per informant slot
    logits = _class_logits(effects)[cls, setting[None, :, None]] + _trait_logits(traits, effects)[:, :, None, :]
    logits -= logits.max(axis=-1, keepdims=True)
    weights = np.exp(logits)
    q = weights[..., list(PROCESS_CODES).index(behaviour)] / weights.sum(axis=-1)
    count = rng.binomial(n_leading, q)

    n_units, n_leading, count = (np.where(present, a, 0) for a in (n_units, n_leading, count))
    return {
        "setting": setting,
        "n_inf": n_inf,
        "present": present,
        "cls": cls,
        "n_units": n_units,
        "n_leading": n_leading,
        "count": count,
    }


def simulate_interviews(
    n_sites: int,
    informants: tuple[int, int],
    *,
    replicates: int,
    seed: int,
    behaviour: str = "BK.measures",
    units_per_interview: float = 28.0,
    effects: Effects | None = None,
) -> pd.DataFrame:
    """The light path's interviews, one row each: what :func:`simulate_site_values` sums per site.

    Parameters are those of :func:`simulate_site_values` (the same seed gives the same draws).

    Returns
    -------
    DataFrame
        ``replicate``, ``site`` (position), ``acute``, ``leader_type``, ``leader_level``, ``n_units`` (text
        units: success-characteristic codings), ``n_leading`` (units coded with a process of leading) and
        ``n_behaviour`` (of those, coded with ``behaviour``).
    """
    _check_behaviour(behaviour)
    draws = _draw(
        n_sites,
        informants,
        replicates=replicates,
        seed=seed,
        behaviour=behaviour,
        units_per_interview=units_per_interview,
        effects=effects,
    )
    present = draws["present"]
    r, s, _ = np.nonzero(present)
    cls = draws["cls"][present]
    return pd.DataFrame(
        {
            "replicate": r,
            "site": s,
            "acute": draws["setting"][s] == 1,
            "leader_type": [_CLASSES[c][0] for c in cls],
            "leader_level": [_CLASSES[c][1] for c in cls],
            "n_units": draws["n_units"][present],
            "n_leading": draws["n_leading"][present],
            "n_behaviour": draws["count"][present],
        }
    )


def site_values(study: Study, *, behaviour: str = "BK.measures", unit: Unit = "interviews") -> pd.DataFrame:
    """Each site's value of a behaviour in a whole study, counted by :func:`leadlib.compare.site_matrix`.

    The full path's statistic, which :func:`simulate_site_values` draws
    directly: share of the site's interviews mentioning the behaviour
    (``unit="interviews"``) or of its coded segments (``"segments"``), from
    the primary coding.

    Parameters
    ----------
    study
        A loaded or simulated :class:`~leadlib.Study`.
    behaviour
        A code of the codebook.
    unit
        ``"interviews"`` or ``"segments"``.

    Returns
    -------
    DataFrame
        One row per site: ``site_id``, ``setting``, ``acute`` (bool),
        ``value``. ``attrs["unit_label"]`` says how it was counted.
    """
    _check_unit(unit)
    frame = study.frame()
    matrix = compare.site_matrix(frame, unit=unit, normalize="group", interviews=study, columns=[behaviour])
    sites = study.sites.set_index("site_id")["setting"].astype(object)
    out = pd.DataFrame(
        {
            "site_id": list(matrix.index),
            "setting": sites.reindex(matrix.index).to_numpy(),
            "value": matrix[behaviour].to_numpy(dtype=float),
        }
    )
    out.insert(2, "acute", out["setting"].isin(ACUTE_SETTINGS))
    out.attrs["unit_label"] = matrix.attrs["unit_label"]
    return out


# ---------------------------------------------------------------------------
# Tests and rates


def _abs_mean_rank_difference(x, y, axis=-1):
    return np.abs(np.mean(x, axis=axis) - np.mean(y, axis=axis))


def group_p_values(values: np.ndarray, acute: np.ndarray, *, n_resamples: int = 999, seed: int = 0) -> np.ndarray:
    """Permutation p-value of acute versus other sites, for each study (row) at once.

    The test of :func:`leadlib.stats.compare_groups`: a permutation test of
    the Kruskal-Wallis H statistic, exact when ``n_resamples`` covers every
    regrouping. With two groups H is an increasing function of the absolute
    difference of the groups' mean ranks, so that difference is permuted
    instead (the same p-value), vectorised over studies.

    Parameters
    ----------
    values
        Studies x sites.
    acute
        Sites: True for the first group.
    n_resamples, seed
        Random regroupings (when there are more distinct ones), and their seed.

    Returns
    -------
    ndarray
        One p-value per study; NaN where every site has the same value.

    Raises
    ------
    ValueError
        A group with fewer than two sites (as :func:`leadlib.stats.compare_groups`
        leaves such a group out, nothing would be left to compare).
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    acute = np.asarray(acute, dtype=bool)
    if min(acute.sum(), (~acute).sum()) < 2:
        # compare_groups leaves a group of one site out (one site cannot stand for a kind of site), which
        # leaves nothing to compare here; say so rather than let scipy fail on a one-site sample.
        raise ValueError(
            f"both groups need at least 2 sites (acute: {int(acute.sum())}, other: "
            f"{int((~acute).sum())}); simulate more sites"
        )
    ranks = _sps.rankdata(values, axis=1)
    result = _sps.permutation_test(
        (ranks[:, acute], ranks[:, ~acute]),
        _abs_mean_rank_difference,
        permutation_type="independent",
        vectorized=True,
        axis=1,
        n_resamples=n_resamples,
        alternative="greater",
        rng=np.random.default_rng(seed),
    )
    p = np.asarray(result.pvalue, dtype=float)
    tied = np.all(values == values[:, :1], axis=1)
    p[tied] = np.nan
    return p


def detection_rate(
    n_sites: int,
    interviews_per_site: int,
    *,
    effect: float,
    replicates: int = 200,
    alpha: float = 0.05,
    seed: int = 0,
    behaviour: str = "BK.measures",
    unit: Unit = "interviews",
    n_resamples: int = 999,
    effects: Effects | None = None,
) -> dict:
    """How often a study of this size finds acute sites different from the others.

    Parameters
    ----------
    n_sites, interviews_per_site
        Size of each simulated study (every site has this many interviews).
    effect
        Planted log-odds of watching measures in acute settings
        (:attr:`Effects.acute_watching_measures`; the bundled study has 0.9).
        0 gives the false-positive rate.
    replicates
        Simulated studies.
    alpha
        A study "detects" a difference when its p-value is at most ``alpha``.
    seed, behaviour, unit, n_resamples
        As :func:`simulate_site_values` and :func:`group_p_values`.
    effects
        The other effect sizes (default: the bundled study's).

    Returns
    -------
    dict
        ``n_sites``, ``n_acute``, ``interviews_per_site``, ``effect``,
        ``replicates``, ``detected`` (share of studies with p <= alpha; a
        study whose sites all tie counts as not detecting), ``ci_low`` /
        ``ci_high`` (95% Wilson interval of that share: the simulation's own
        uncertainty).
    """
    base = effects or Effects()
    sim = simulate_site_values(
        n_sites,
        (interviews_per_site, interviews_per_site),
        replicates=replicates,
        seed=seed,
        behaviour=behaviour,
        unit=unit,
        effects=replace(base, acute_watching_measures=float(effect)),
    )
    p = group_p_values(sim.values, sim.acute, n_resamples=n_resamples, seed=seed + 1)
    hits = int(np.sum(p <= alpha))  # NaN (all tied) compares False: no detection
    interval = _sps.binomtest(hits, replicates).proportion_ci(confidence_level=0.95, method="wilson")
    return {
        "n_sites": n_sites,
        "n_acute": int(sim.acute.sum()),
        "interviews_per_site": interviews_per_site,
        "effect": float(effect),
        "replicates": replicates,
        "detected": hits / replicates,
        "ci_low": float(interval.low),
        "ci_high": float(interval.high),
    }


def power_curve(
    *,
    sites: Sequence[int] = (10, 20, 40),
    interviews_per_site: Sequence[int] = (4, 8, 12, 16),
    effects: Sequence[float] = (0.9, 0.0),
    replicates: int = 200,
    alpha: float = 0.05,
    seed: int = 2003,
    behaviour: str = "BK.measures",
    unit: Unit = "interviews",
    n_resamples: int = 999,
) -> pd.DataFrame:
    """Detection rates over a grid of study sizes and planted effects: the lab's table.

    Parameters
    ----------
    sites, interviews_per_site
        Study sizes to try.
    effects
        Planted effects to try (0 = no real difference: the rate is the
        false-positive rate, which should stay near ``alpha``).
    replicates, alpha, seed, behaviour, unit, n_resamples
        As :func:`detection_rate`. Each grid cell gets its own seed derived
        from ``seed``, so a cell's rate does not depend on the rest of the grid.

    Returns
    -------
    DataFrame
        One row per (effect, sites, interviews per site): the columns of
        :func:`detection_rate`. ``attrs``: ``alpha``, ``behaviour``, ``unit``,
        ``replicates``.
    """
    rows = []
    for effect in effects:
        for n in sites:
            for k in interviews_per_site:
                cell_seed = int(np.random.SeedSequence([seed, n, k, int(round(effect * 1000))]).generate_state(1)[0])
                rows.append(
                    detection_rate(
                        n,
                        k,
                        effect=effect,
                        replicates=replicates,
                        alpha=alpha,
                        seed=cell_seed,
                        behaviour=behaviour,
                        unit=unit,
                        n_resamples=n_resamples,
                    )
                )
    out = pd.DataFrame(rows)
    out.attrs = {"alpha": alpha, "behaviour": behaviour, "unit": unit, "replicates": replicates}
    return out


def plot_power_curve(table: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Detection rate against interviews per site, one line per number of sites.

    Parameters
    ----------
    table
        :func:`power_curve` (or its rows for one effect).
    ax
        Axes to draw into.
    title
        Title (default names the effects shown).

    Returns
    -------
    Axes
        Lines with the simulation's 95% intervals as bands, the planted
        effect(s) as line styles, and ``alpha`` as a dotted line.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.5))
    effects = list(dict.fromkeys(table["effect"]))
    styles = ["-", "--", ":", "-."]
    for i, n in enumerate(sorted(table["n_sites"].unique())):
        for j, effect in enumerate(effects):
            rows = table[(table["n_sites"] == n) & (table["effect"] == effect)].sort_values("interviews_per_site")
            color = PALETTE[i % len(PALETTE)]
            ax.plot(
                rows["interviews_per_site"],
                rows["detected"],
                styles[j % len(styles)],
                marker="o",
                color=color,
                label=f"{n} sites ({int(rows['n_acute'].iloc[0])} acute), effect {effect:g}",
            )
            ax.fill_between(
                rows["interviews_per_site"], rows["ci_low"], rows["ci_high"], color=color, alpha=0.15, linewidth=0
            )
    alpha = table.attrs.get("alpha")
    if alpha is not None:
        ax.axhline(alpha, color="#555555", linestyle=":", linewidth=1)
        ax.annotate(
            f"alpha = {alpha:g}",
            (ax.get_xlim()[0], alpha),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize="small",
            color="#555555",
        )
    ax.set_ylim(0, 1)
    ax.set_xticks(sorted(table["interviews_per_site"].unique()))
    unit = table.attrs.get("unit", "interviews")
    what = (
        "share of the site's interviews mentioning it" if unit == "interviews" else "share of the site's coded segments"
    )
    ax.set_xlabel(f"interviews per site (a site's value: {what})")
    ax.set_ylabel(f"studies finding a difference\n(of {table['replicates'].iloc[0]} simulated)")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small")
    ax.set_title(title or "How often acute sites are found to differ", loc="left")
    return ax
