"""Qualitative Comparative Analysis: calibration, truth tables, Boolean minimization.

QCA (Ragin 1987, 2008) is built for a handful of cases such as 20 sites: it
asks which *combinations* of conditions are sufficient for an outcome. This
module follows R's QCA package (Dusa) in its definitions and output, and is
checked against its printed examples on Lipset's data (crisp, multi-value and
fuzzy):

- :func:`calibrate` turns raw values into crisp (thresholds) or fuzzy
  (Ragin's direct method: full non-membership, crossover, full membership)
  set memberships;
- :func:`truth_table` assigns each case to the configuration (row) in which
  its membership exceeds 0.5 in every condition, and computes each row's
  inclusion (consistency) and PRI;
- :func:`minimize` finds prime implicants (Quine-McCluskey: the most general
  conjunctions that cover positive rows and no row excluded from the
  minimization), solves the prime implicant chart for *every* minimal
  solution (R's M1, M2...), and reports inclusion, PRI, raw and unique
  coverage per term and per solution. ``include="?"`` lets logical
  remainders act as don't-cares (parsimonious solution); directional
  expectations (``dir_exp``) give the intermediate solution from the easy
  counterfactuals (Ragin & Sonnett 2005; R QCA's implementation).

For a multi-site study, :func:`site_conditions` turns a Study into cases
(sites) with raw conditions (how much each process of leading is talked of,
formal meso-level leaders) and an outcome (performance from the site
measures); :func:`calibrate_sites` calibrates them with anchors in raw units
or as quantiles of the sites; :func:`calibration_sensitivity` re-solves with
each anchor moved; :func:`necessity` gives inclN, RoN and covN.

Terms are written as in R QCA: ``DEV*~URB*LIT`` for binary sets, with
``~`` for negation, and ``DEV[2]*IND[0]`` when any condition is multi-value
(``notation="{}"`` writes ``DEV{2}``, the notation of older QCA software).

Size: prime implicants are searched among the generalizations of the
positive rows, at most 2^k per row for k conditions (64 for 6 conditions),
and checked against the excluded configurations (at most the product of the
conditions' numbers of levels). That is what QCA inherently needs, and is
instant for 20 sites and up to about 10 conditions.
"""

from __future__ import annotations

import collections.abc as _abc
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import comb
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError, spreadsheet_row
from ._common import warn

__all__ = [
    "calibrate",
    "truth_table",
    "minimize",
    "QCASolution",
    "site_conditions",
    "calibrate_sites",
    "calibration_sensitivity",
    "necessity",
    "PROCESS_SETS",
    "CONDITION_LABELS",
]

_DC = -1  # "don't care": the condition is absent from a term
_MAX_COMBINATIONS = 2_000_000


# ---------------------------------------------------------------------------
# Calibration


def calibrate(
    values: Any,
    *,
    thresholds: float | Sequence[float] | None = None,
    full_out: float | None = None,
    crossover: float | None = None,
    full_in: float | None = None,
    increasing: bool = True,
    full_log_odds: float = 3.0,
) -> Any:
    """Calibrate raw values to set membership scores.

    Crisp (give ``thresholds``): a value's membership is the number of
    thresholds it reaches (``value >= threshold``), so one threshold gives a
    binary set (0/1) and two thresholds a three-level multi-value set
    (0/1/2). With ``increasing=False`` it counts the thresholds the value is
    below (``value < threshold``): e.g. Lipset's government stability, 1 for
    fewer than 10 cabinets.

    Fuzzy, direct method (give ``full_out``, ``crossover``, ``full_in``;
    Ragin 2008, ch. 5): the deviation from the crossover is scaled so that
    the full-membership anchor maps to log odds ``+full_log_odds`` and the
    full-non-membership anchor to ``-full_log_odds``, and membership =
    exp(log odds) / (1 + exp(log odds)). Ragin uses log odds 3 (membership
    0.953 at the anchors); R QCA's ``idm = 0.95`` corresponds to
    ``full_log_odds = log(0.95 / 0.05) = 2.944``. A decreasing set has
    ``full_in < crossover < full_out``.

    Parameters
    ----------
    values
        Raw values (list, array or Series; a Series keeps its index). Missing
        values stay missing.

    Returns
    -------
    ndarray or Series of memberships (float).
    """
    index = values.index if isinstance(values, pd.Series) else None
    name = values.name if isinstance(values, pd.Series) else None
    raw = pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce")
    original = pd.Series(np.asarray(values, dtype=object).ravel())
    bad = raw.isna() & original.notna() & ~original.map(lambda v: isinstance(v, float) and np.isnan(v))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LeadlibDataError(
            "calibration needs numeric raw values",
            row=spreadsheet_row(i),
            column=str(name) if name is not None else "values",
            value=original.iloc[i],
            hint="convert the column to numbers, or recode text categories by hand",
        )
    x = raw.to_numpy(float)
    fuzzy_args = (full_out, crossover, full_in)
    if thresholds is not None:
        if any(a is not None for a in fuzzy_args):
            raise LeadlibDataError(
                "give either thresholds= (crisp) or full_out/crossover/full_in (fuzzy), not both",
                column="thresholds",
                value=thresholds,
                hint="thresholds= for crisp sets; the three anchors for a fuzzy set",
            )
        th = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
        if th.size == 0 or np.isnan(th).any():
            raise LeadlibDataError(
                "thresholds must be one or more numbers",
                column="thresholds",
                value=thresholds,
                hint="e.g. thresholds=550, or thresholds=[550, 850]",
            )
        if increasing:
            out = (x[:, None] >= th[None, :]).sum(axis=1).astype(float)
        else:
            out = (x[:, None] < th[None, :]).sum(axis=1).astype(float)
    else:
        if any(a is None for a in fuzzy_args):
            raise LeadlibDataError(
                "fuzzy calibration needs full_out, crossover and full_in",
                column="crossover",
                value=fuzzy_args,
                hint="e.g. calibrate(x, full_out=2500, crossover=5000, full_in=20000)",
            )
        e, c, i = map(float, fuzzy_args)
        if not ((e < c < i) or (e > c > i)):
            raise LeadlibDataError(
                "the crossover must lie strictly between full non-membership and full membership",
                column="crossover",
                value={"full_out": e, "crossover": c, "full_in": i},
                hint="increasing set: full_out < crossover < full_in; decreasing: full_in < crossover < full_out",
            )
        if full_log_odds <= 0:
            raise LeadlibDataError(
                "full_log_odds must be positive",
                column="full_log_odds",
                value=full_log_odds,
                hint="Ragin's direct method uses 3.0",
            )
        dev = x - c
        towards_in = np.sign(dev) == np.sign(i - c)
        log_odds = np.where(towards_in, full_log_odds * dev / (i - c), -full_log_odds * dev / (e - c))
        out = 1.0 / (1.0 + np.exp(-log_odds))
    out[np.isnan(x)] = np.nan
    if index is not None:
        return pd.Series(out, index=index, name=name)
    return out


# ---------------------------------------------------------------------------
# Truth table


@dataclass(frozen=True)
class _Design:
    """What minimize() needs from a truth table: kept in ``tt.attrs["qca"]``.

    Plain tuples only, so that pandas can copy and compare the attrs.
    """

    outcome: str
    conditions: tuple[str, ...]
    levels: tuple[int, ...]
    fuzzy: tuple[bool, ...]
    cases: tuple[str, ...]
    data: tuple[tuple[float, ...], ...]  # case x condition memberships / levels
    y: tuple[float, ...]  # outcome membership per case
    incl_cut: tuple[float, float]
    n_cut: int
    pri_cut: float

    @property
    def multivalue(self) -> bool:
        return any(n > 2 for n in self.levels)


def _parse_names(names: str | Sequence[str]) -> list[str]:
    if isinstance(names, str):
        return [n.strip() for n in names.split(",") if n.strip()]
    return [str(n) for n in names]


def _row_number(config: Sequence[int], levels: Sequence[int]) -> int:
    number = 0
    for value, base in zip(config, levels):
        number = number * base + int(value)
    return number + 1


def _literal_membership(design: _Design, j: int, level: int) -> np.ndarray:
    column = np.array([row[j] for row in design.data], dtype=float)
    if design.fuzzy[j]:
        return column if level == 1 else 1.0 - column
    return (column == level).astype(float)


def _numeric_column(
    frame: pd.DataFrame, name: str, *, value: str, what: str, hint: str, cases: list[str] | None = None
) -> np.ndarray:
    """A membership column as numbers: it must exist and hold a number for every case (named from ``cases``)."""
    if name not in frame.columns:
        raise LeadlibDataError(
            f"the data have no {what}column {name!r}",
            column=name,
            value=value,
            hint=f"columns: {', '.join(map(str, frame.columns))}",
        )
    numbers = pd.to_numeric(frame[name], errors="coerce")
    if numbers.isna().any():
        i = int(np.flatnonzero(numbers.isna().to_numpy())[0])
        raise LeadlibDataError(
            f"{what}{name} is missing or not a number" + (f" for case {cases[i]!r}" if cases is not None else ""),
            row=spreadsheet_row(i),
            column=name,
            value=frame[name].iloc[i],
            hint=hint,
        )
    return numbers.to_numpy(float)


def _outcome_membership(frame: pd.DataFrame, outcome: str) -> tuple[str, np.ndarray]:
    text = outcome.strip()
    negate = text.startswith("~")
    text = text[1:].strip() if negate else text
    match = re.fullmatch(r"(.+?)[\[{](\d+)[\]}]", text)
    level = None
    if match:
        text, level = match.group(1), int(match.group(2))
    values = _numeric_column(frame, text, value=outcome, what="outcome ", hint="every case needs a calibrated outcome")
    if level is not None:
        values = (values == level).astype(float)
    elif ((values < 0) | (values > 1)).any():
        i = int(np.flatnonzero((values < 0) | (values > 1))[0])
        raise LeadlibDataError(
            f"outcome {text} is multi-value: say which value, e.g. {text}[{int(values[i])}]",
            row=spreadsheet_row(i),
            column=text,
            value=values[i],
            hint=f'outcome="{text}[1]"',
        )
    if negate:
        values = 1.0 - values
    return ("~" if negate else "") + (f"{text}[{level}]" if level is not None else text), values


def truth_table(
    data: pd.DataFrame,
    *,
    outcome: str,
    conditions: str | Sequence[str],
    incl_cut: float | tuple[float, float] = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    case: str | None = None,
    complete: bool = False,
) -> pd.DataFrame:
    """The truth table of calibrated data: one row per configuration of conditions.

    Parameters
    ----------
    data
        One row per case (site), calibrated columns: crisp (0, 1, 2...) or
        fuzzy (between 0 and 1). Case names come from the index, or from the
        column named by ``case``.
    outcome
        Outcome column; ``"~SURV"`` for its negation, ``"SURV[1]"`` for one
        value of a multi-value outcome.
    conditions
        Condition columns, as a list or a comma-separated string.
    incl_cut
        A row with inclusion >= ``incl_cut`` is positive (OUT = 1). A pair
        ``(ic1, ic0)`` marks rows with ic0 <= inclusion < ic1 as
        contradictions (OUT = "C").
    n_cut
        Rows with fewer cases are logical remainders (OUT = "?").
    pri_cut
        A row also needs PRI >= ``pri_cut`` to be positive.
    case
        Column holding case names (default: the index).
    complete
        Also list the remainder rows (n = 0).

    Returns
    -------
    DataFrame
        Indexed by row number (``row``: 1 + the configuration read as a
        number, first condition most significant, as R QCA numbers rows),
        with one column per condition, ``OUT`` ("1", "0", "C" or "?"),
        ``n``, ``incl``, ``PRI`` and ``cases`` (comma-separated).
        ``attrs["qca"]`` holds what :func:`minimize` needs.

    Notes
    -----
    A case belongs to the row where its membership exceeds 0.5 in every
    condition (or equals the crisp value); a fuzzy membership of exactly
    0.5 belongs to no row and is an error. Inclusion of a row is
    sum(min(X, Y)) / sum(X) over *all* cases, X being the membership in the
    row's configuration; PRI = (sum min(X, Y) - sum min(X, Y, 1 - Y)) /
    (sum X - sum min(X, Y, 1 - Y)).
    """
    conds, (ic1, ic0), names = _truth_table_args(data, conditions, incl_cut, case)
    outcome_label, y = _outcome_membership(data, outcome)
    columns, levels, fuzzy = [], [], []
    for name in conds:
        column, n_levels, is_fuzzy = _condition_column(data, name, names)
        columns.append(column)
        levels.append(n_levels)
        fuzzy.append(is_fuzzy)
    matrix = np.column_stack(columns)
    design = _Design(
        outcome=outcome_label,
        conditions=tuple(conds),
        levels=tuple(levels),
        fuzzy=tuple(fuzzy),
        cases=tuple(names),
        data=tuple(tuple(float(x) for x in row) for row in matrix),
        y=tuple(float(x) for x in y),
        incl_cut=(ic1, ic0),
        n_cut=int(n_cut),
        pri_cut=float(pri_cut),
    )
    crisp_rows = np.column_stack([np.where(np.array(fuzzy), (matrix > 0.5).astype(int), matrix.astype(int))])
    configs: dict[tuple[int, ...], list[int]] = {}
    for idx, row in enumerate(crisp_rows):
        configs.setdefault(tuple(int(v) for v in row), []).append(idx)
    if complete:
        for config in itertools.product(*[range(n) for n in levels]):
            configs.setdefault(tuple(config), [])
    records = []
    for config, members in configs.items():
        x = _config_membership(design, config)
        incl, pri = _inclusion(x, y)
        records.append(
            {
                "row": _row_number(config, levels),
                **dict(zip(conds, config)),
                "OUT": _row_out(len(members), incl, pri, design),
                "n": len(members),
                "incl": incl,
                "PRI": pri,
                "cases": ",".join(names[m] for m in members),
            }
        )
    table = pd.DataFrame(records).set_index("row").sort_index()
    for name in conds:
        table[name] = table[name].astype(int)
    table.attrs["qca"] = design
    return table


def _row_out(n: int, incl: float, pri: float, design: _Design) -> str:
    """OUT of a truth-table row: "?" (remainder), "1", "0" or "C" (contradiction)."""
    ic1, ic0 = design.incl_cut
    if n < design.n_cut:
        return "?"
    if incl >= ic1 - 1e-12 and pri >= design.pri_cut - 1e-12:
        return "1"
    if incl < ic0 - 1e-12 or ic0 == ic1:
        return "0"
    return "C"


def _truth_table_args(
    data: pd.DataFrame, conditions: str | Sequence[str], incl_cut: float | tuple[float, float], case: str | None
) -> tuple[list[str], tuple[float, float], list[str]]:
    """Checked arguments of truth_table: the conditions, (ic1, ic0) and the case names."""
    if not isinstance(data, pd.DataFrame):
        raise LeadlibDataError(
            "truth_table needs a DataFrame of calibrated cases",
            column="data",
            value=type(data).__name__,
            hint="one row per case, one column per set",
        )
    conds = _parse_names(conditions)
    if not conds:
        raise LeadlibDataError(
            "no conditions given", column="conditions", value=conditions, hint='e.g. conditions="DEV, URB, LIT"'
        )
    for name in conds:
        if name not in data.columns:
            raise LeadlibDataError(
                f"the data have no condition column {name!r}",
                column=name,
                value=name,
                hint=f"columns: {', '.join(map(str, data.columns))}",
            )
    if isinstance(incl_cut, (tuple, list)):
        ic1, ic0 = float(incl_cut[0]), float(incl_cut[1])
    else:
        ic1 = ic0 = float(incl_cut)
    if not (0 <= ic0 <= ic1 <= 1):
        raise LeadlibDataError(
            "incl_cut must be in [0, 1] (and ic0 <= ic1)", column="incl_cut", value=incl_cut, hint="e.g. incl_cut=0.8"
        )
    if case is not None:
        if case not in data.columns:
            raise LeadlibDataError(
                f"the data have no case column {case!r}",
                column=case,
                value=case,
                hint="name the column with case (site) IDs, or leave case=None to use the index",
            )
        names = data[case].astype(str).tolist()
    else:
        names = [str(i) for i in data.index]
    return conds, (ic1, ic0), names


def _condition_column(data: pd.DataFrame, name: str, names: list[str]) -> tuple[np.ndarray, int, bool]:
    """A condition's memberships (crisp levels rounded), its number of levels and whether it is fuzzy."""
    v = _numeric_column(
        data,
        name,
        value=name,
        what="condition ",
        hint="calibrate every case; QCA cannot use a case with a missing condition",
        cases=names,
    )
    is_crisp = np.allclose(v, np.round(v)) and (v >= 0).all()
    if is_crisp:
        return np.round(v), max(2, int(v.max()) + 1), False
    outside = (v < 0) | (v > 1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise LeadlibDataError(
            f"condition {name} is neither crisp (0, 1, 2...) nor fuzzy (0 to 1)",
            row=spreadsheet_row(i),
            column=name,
            value=v[i],
            hint="calibrate the raw values first (leadlib.stats.calibrate)",
        )
    half = v == 0.5
    if half.any():
        i = int(np.flatnonzero(half)[0])
        raise LeadlibDataError(
            f"case {names[i]!r} has membership exactly 0.5 in {name}: it belongs to no truth-table row",
            row=spreadsheet_row(i),
            column=name,
            value=0.5,
            hint="move the crossover (a case at the crossover is maximally ambiguous) or recalibrate",
        )
    return v, 2, True


def _config_membership(design: _Design, config: Sequence[int]) -> np.ndarray:
    x = np.ones(len(design.cases))
    for j, level in enumerate(config):
        if level == _DC:
            continue
        x = np.minimum(x, _literal_membership(design, j, int(level)))
    return x


def _inclusion(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    xy = np.minimum(x, y)
    sx = x.sum()
    if sx == 0:
        return float("nan"), float("nan")
    xyny = np.minimum(xy, 1 - y)
    denom = sx - xyny.sum()
    pri = (xy.sum() - xyny.sum()) / denom if denom > 0 else float("nan")
    return float(xy.sum() / sx), float(pri)


# ---------------------------------------------------------------------------
# Minimization


@dataclass(eq=False, repr=False)
class QCASolution(_abc.Sequence):
    """Result of :func:`minimize`: the terms of the (first) solution, with its fit tables.

    It is the solution's list of terms, as issue 5 promises: ``len``,
    indexing, iteration, ``in`` and equality with a list of strings
    (``minimize(tt, include="?") == ["DEV*STB"]``) act on the terms of the
    first minimal solution (M1, :attr:`solution`). The parameters of fit per
    term (``inclS``, ``PRI``, ``covS``, ``covU``) are in :attr:`terms` and
    per solution (``inclS``, ``PRI``, ``covS``) in :attr:`fit`; every
    minimal solution, when there are several, in :attr:`solutions`. With no
    solution (no positive row) it is an empty sequence.

    Attributes
    ----------
    outcome : str
    conditions : tuple of str
    kind : str
        ``"conservative"``, ``"parsimonious"`` or ``"intermediate"``.
    solutions : list of list of str
        Every minimal solution (R's M1, M2, ...), each a list of terms.
    terms : DataFrame
        One row per model x term: ``model``, ``term``, ``inclS``, ``PRI``,
        ``covS``, ``covU`` (unique coverage within that model),
        ``essential``, ``cases`` (cases of the positive rows the term
        covers, rows separated by "; ").
    fit : DataFrame
        One row per model: ``model``, ``solution``, ``inclS``, ``PRI``, ``covS``.
    prime_implicants : list of str
        All prime implicants of the chart.
    essential : list of str
        Prime implicants in every solution.
    simplifying_assumptions : dict
        Model -> DataFrame of the remainder rows its terms cover (rows the
        solution assumes would show the outcome).
    easy_counterfactuals : DataFrame or None
        Intermediate solution: the remainders used as easy counterfactuals.
    """

    outcome: str
    conditions: tuple[str, ...]
    kind: str
    solutions: list[list[str]]
    terms: pd.DataFrame
    fit: pd.DataFrame
    prime_implicants: list[str]
    essential: list[str]
    simplifying_assumptions: dict[str, pd.DataFrame] = field(default_factory=dict)
    easy_counterfactuals: pd.DataFrame | None = None

    @property
    def solution(self) -> list[str]:
        """Terms of the first minimal solution (M1)."""
        return self.solutions[0] if self.solutions else []

    @property
    def expression(self) -> str:
        """M1 as a string, e.g. ``"DEV*STB"``."""
        return " + ".join(self.solution)

    # The sequence protocol (Sequence adds iteration, ``in``, reversed, index, count): M1's terms.
    def __len__(self) -> int:
        return len(self.solution)

    def __getitem__(self, index):
        return self.solution[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, QCASolution):
            return (
                (self.outcome, self.conditions, self.kind, self.solutions)
                == (other.outcome, other.conditions, other.kind, other.solutions)
                and self.terms.equals(other.terms)
                and self.fit.equals(other.fit)
            )
        if isinstance(other, (list, tuple)):
            return self.solution == list(other)
        return NotImplemented

    __hash__ = None  # mutable, and equal to a list: not hashable

    def __repr__(self) -> str:
        more = f", {len(self.solutions)} minimal solutions" if len(self.solutions) > 1 else ""
        return f"QCASolution({self.solution!r}, outcome={self.outcome!r}, kind={self.kind!r}{more})"

    def __str__(self) -> str:
        lines = [f"M{i + 1}: {' + '.join(terms)} -> {self.outcome}" for i, terms in enumerate(self.solutions)]
        return "\n".join(lines) if lines else f"(no solution) -> {self.outcome}"


def _term_string(term: Sequence[int], design: _Design, notation: str) -> str:
    parts = []
    open_, close = ("[", "]") if notation == "[]" else ("{", "}")
    for name, level in zip(design.conditions, term):
        if level == _DC:
            continue
        if design.multivalue:
            parts.append(f"{name}{open_}{int(level)}{close}")
        else:
            parts.append(name if level == 1 else f"~{name}")
    return "*".join(parts) if parts else "1"


def _term_key(term: Sequence[int]) -> tuple:
    # R QCA's order of prime implicants: fewer literals first, then by the
    # conditions' values in condition order, absent conditions last.
    return (sum(v != _DC for v in term), tuple(v if v != _DC else 10**9 for v in term))


def _covers(terms: np.ndarray, configs: np.ndarray) -> np.ndarray:
    """terms (t x k, _DC = don't care) x configs (c x k) -> boolean t x c."""
    if len(terms) == 0 or len(configs) == 0:
        return np.zeros((len(terms), len(configs)), bool)
    t = terms[:, None, :]
    return ((t == _DC) | (t == configs[None, :, :])).all(axis=2)


def _prime_implicants(positive: np.ndarray, off: np.ndarray, k: int) -> np.ndarray:
    """All prime implicants: most general terms covering >= 1 positive config and no off config."""
    candidates = set()
    for config in positive:
        for mask in itertools.product((False, True), repeat=k):
            candidates.add(tuple(_DC if m else int(v) for v, m in zip(config, mask)))
    terms = np.array(sorted(candidates), dtype=int).reshape(-1, k)
    valid = ~_covers(terms, off).any(axis=1) if len(off) else np.ones(len(terms), bool)
    valid_set = {tuple(t) for t in terms[valid]}
    primes = []
    for term in terms[valid]:
        prime = True
        for j in range(k):
            if term[j] != _DC:
                general = term.copy()
                general[j] = _DC
                if tuple(general) in valid_set:
                    prime = False
                    break
        if prime:
            primes.append(tuple(int(v) for v in term))
    primes.sort(key=_term_key)
    return np.array(primes, dtype=int).reshape(-1, k)


def _solve_chart(chart: np.ndarray) -> tuple[list[tuple[int, ...]], list[int]]:
    """All minimal covers of the PI chart (PIs x positive configs).

    Returns the covers (tuples of PI indices, in PI order) and the essential
    PIs. Like R QCA's default, every cover with the minimal number of PIs is
    returned, and no row dominance is applied.
    """
    n_pi, n_cols = chart.shape
    essential = sorted({int(np.flatnonzero(chart[:, j])[0]) for j in range(n_cols) if chart[:, j].sum() == 1})
    covered = chart[essential].any(axis=0) if essential else np.zeros(n_cols, bool)
    rest = [i for i in range(n_pi) if i not in essential and chart[i, ~covered].any()]
    if covered.all():
        return [tuple(essential)], essential
    for size in range(1, len(rest) + 1):
        if comb(len(rest), size) > _MAX_COMBINATIONS:
            raise LeadlibDataError(
                f"the prime implicant chart is too large to solve exhaustively ({len(rest)} candidate terms)",
                column="conditions",
                value=len(rest),
                hint="use fewer conditions, or raise incl_cut / n_cut so that fewer rows are positive",
            )
        found = []
        for combo in itertools.combinations(rest, size):
            if (covered | chart[list(combo)].any(axis=0)).all():
                found.append(tuple(sorted(essential + list(combo))))
        if found:
            return found, essential
    return [], essential  # pragma: no cover - every positive config has at least one PI


def _parse_dir_exp(dir_exp: Any, design: _Design) -> dict[int, set[int]]:
    """Directional expectations -> condition index -> expected levels."""
    if dir_exp is None:
        return {}
    expect: dict[int, set[int]] = {}
    index = {name: j for j, name in enumerate(design.conditions)}

    def add(name: str, levels: Iterable[int]):
        if name not in index:
            raise LeadlibDataError(
                f"directional expectation for unknown condition {name!r}",
                column="dir_exp",
                value=name,
                hint=f"conditions: {', '.join(design.conditions)}",
            )
        expect.setdefault(index[name], set()).update(int(v) for v in levels)

    if isinstance(dir_exp, Mapping):
        for name, value in dir_exp.items():
            if value is None or (isinstance(value, str) and value.strip() in ("-", "")):
                continue
            add(str(name), np.atleast_1d(value).tolist())
        return expect
    items = _parse_names(dir_exp) if isinstance(dir_exp, str) else [str(v) for v in dir_exp]
    for item in items:
        text = item.strip()
        if not text or text == "-":
            continue
        match = re.fullmatch(r"(~?)\s*([^\[\]{}~]+?)\s*(?:[\[{]([\d\s,]+)[\]}])?", text)
        if not match:
            raise LeadlibDataError(
                f"cannot read directional expectation {text!r}",
                column="dir_exp",
                value=text,
                hint='write e.g. "DEV" (present), "~IND" (absent) or "DEV[1,2]"',
            )
        neg, name, lv = match.groups()
        if lv:
            add(name, [int(v) for v in lv.split(",") if v.strip()])
        else:
            add(name, [0 if neg else 1])
    return expect


def minimize(
    tt: pd.DataFrame,
    *,
    include: str | Sequence[str] | None = None,
    dir_exp: Any = None,
    notation: Literal["[]", "{}"] = "[]",
) -> QCASolution:
    """Boolean minimization of a truth table (Quine-McCluskey with a PI chart).

    Parameters
    ----------
    tt
        A truth table from :func:`truth_table` (its rows may be filtered or
        their ``OUT`` edited: rows with OUT "1" are explained, rows with OUT
        "0" or "C" are excluded, and configurations not in ``tt`` with an
        observed OUT are logical remainders).
    include
        ``None``: conservative (complex) solution, remainders are excluded.
        ``"?"``: parsimonious solution, remainders may be used as
        don't-cares (the simplifying assumptions are reported).
        ``"C"`` (also ``"?, C"``) lets contradictions be don't-cares too.
    dir_exp
        Directional expectations for the intermediate solution (requires
        ``include="?"``): a list or comma-separated string of literals, e.g.
        ``"DEV, URB, ~IND"`` (DEV and URB expected to contribute when
        present, IND when absent; unnamed conditions have no expectation),
        or a mapping ``{"DEV": 1, "IND": 0}``; multi-value: ``"DEV[1,2]"``.
    notation
        Multi-value terms as ``DEV[2]`` (R QCA 3.x) or ``DEV{2}`` (older
        QCA software, Tosmana).

    Returns
    -------
    QCASolution
        The solution as a list of terms like ``"DEV*~URB*LIT"`` (the first
        minimal solution, M1: ``list(result)``, ``result[0]``,
        ``result == ["DEV*STB"]``), with ``inclS``, ``PRI``, ``covS`` and
        ``covU`` per term in ``result.terms`` and for the solution in
        ``result.fit``; every minimal solution in ``result.solutions``.

    Notes
    -----
    Intermediate solution: for each pair of a conservative (C) and a
    parsimonious (P) model, a remainder is an *easy counterfactual* if a P
    term covers it and it differs from a C term that implies that P term
    only on conditions where the C term's value runs against the
    expectation and the remainder's value is the expected one. The positive
    rows are then minimized with the easy counterfactuals as don't-cares.
    With several C or P models the models are labelled ``C1P1-M1``...
    """
    design = tt.attrs.get("qca") if isinstance(tt, pd.DataFrame) else None
    if not isinstance(design, _Design):
        raise LeadlibDataError(
            "minimize needs a truth table made by leadlib.stats.truth_table",
            column="tt",
            value=type(tt).__name__,
            hint="tt = truth_table(data, outcome=..., conditions=...); then minimize(tt)",
        )
    if notation not in ("[]", "{}"):
        raise LeadlibDataError(
            f"unknown notation {notation!r}", column="notation", value=notation, hint='use "[]" or "{}"'
        )
    if include is None or include == "":
        included: set[str] = set()
    else:
        included = set(_parse_names(include) if isinstance(include, str) else map(str, include))
    unknown = included - {"?", "C"}
    if unknown:
        raise LeadlibDataError(
            f"include= takes '?' and/or 'C', not {sorted(unknown)}",
            column="include",
            value=include,
            hint='include="?" for the parsimonious solution',
        )
    if dir_exp is not None and "?" not in included:
        raise LeadlibDataError(
            "an intermediate solution needs the remainders: pass include='?' with dir_exp",
            column="include",
            value=include,
            hint='minimize(tt, include="?", dir_exp=...)',
        )
    conds = list(design.conditions)
    missing = [c for c in conds + ["OUT"] if c not in tt.columns]
    if missing:
        raise LeadlibDataError(
            f"the truth table has no column {missing[0]!r}",
            column=missing[0],
            hint="pass the table returned by truth_table()",
        )
    k = len(conds)
    out = tt["OUT"].astype(str)
    configs = tt[conds].to_numpy(dtype=int)
    positive = configs[(out == "1").to_numpy()]
    observed = {tuple(c) for c in configs[(out != "?").to_numpy()]}
    space = np.array(list(itertools.product(*[range(n) for n in design.levels])), dtype=int).reshape(-1, k)
    remainders = np.array([c for c in space if tuple(c) not in observed], dtype=int).reshape(-1, k)

    if len(positive) == 0:
        warn(
            f"no truth-table row is positive for {design.outcome}: nothing to minimize "
            "(lower incl_cut, or check the calibration)"
        )
        empty_terms = pd.DataFrame(columns=["model", "term", "inclS", "PRI", "covS", "covU", "essential", "cases"])
        empty_fit = pd.DataFrame(columns=["model", "solution", "inclS", "PRI", "covS"])
        return QCASolution(design.outcome, tuple(conds), "conservative", [], empty_terms, empty_fit, [], [])

    def solve(dont_care: np.ndarray) -> tuple[np.ndarray, list[tuple[int, ...]], list[int]]:
        allowed = {tuple(c) for c in positive} | {tuple(c) for c in dont_care}
        off = np.array([c for c in space if tuple(c) not in allowed], dtype=int).reshape(-1, k)
        primes = _prime_implicants(positive, off, k)
        chart = _covers(primes, positive)
        useful = chart.any(axis=1)
        primes, chart = primes[useful], chart[useful]
        covers, essential = _solve_chart(chart)
        return primes, covers, essential

    kind = "parsimonious" if "?" in included else "conservative"
    dont_care = remainders if "?" in included else np.zeros((0, k), int)
    if "C" in included:
        contradictions = configs[(out == "C").to_numpy()]
        dont_care = np.vstack([dont_care, contradictions])
    primes, covers, essential = solve(dont_care)
    models = [("M" + str(i + 1), [primes[j] for j in cover]) for i, cover in enumerate(covers)]
    easy = None
    if dir_exp is not None:
        kind = "intermediate"
        expect = _parse_dir_exp(dir_exp, design)
        c_primes, c_covers, _ = solve(
            np.zeros((0, k), int) if "C" not in included else configs[(out == "C").to_numpy()]
        )
        c_models = [[c_primes[j] for j in cover] for cover in c_covers]
        p_models = [[primes[j] for j in cover] for cover in covers]
        models, easy_rows, all_primes, all_essential = [], {}, [], []
        multiple = len(c_models) * len(p_models) > 1
        for ci, c_model in enumerate(c_models):
            for pi, p_model in enumerate(p_models):
                ec = _easy_counterfactuals(c_model, p_model, remainders, expect)
                for r in ec:
                    easy_rows[tuple(r)] = True
                i_primes, i_covers, i_essential = solve(ec)
                all_primes.extend(i_primes.tolist())
                all_essential.extend(i_primes[j].tolist() for j in i_essential)
                for m, cover in enumerate(i_covers):
                    label = f"C{ci + 1}P{pi + 1}-M{m + 1}" if multiple else f"M{m + 1}"
                    models.append((label, [i_primes[j] for j in cover]))
        primes = np.array(sorted({tuple(p) for p in all_primes}, key=_term_key), dtype=int).reshape(-1, k)
        essential_terms = {tuple(e) for e in all_essential}
        essential = [i for i, p in enumerate(primes) if tuple(p) in essential_terms]
        easy = _config_frame(np.array(list(easy_rows), dtype=int).reshape(-1, k), design)
    return _assemble(design, tt, kind, models, primes, essential, remainders, positive, notation, easy)


def _easy_counterfactuals(c_model, p_model, remainders: np.ndarray, expect: dict[int, set[int]]) -> np.ndarray:
    easy = []
    for r in remainders:
        ok = False
        for p in p_model:
            if not all(pv in (_DC, rv) for pv, rv in zip(p, r)):
                continue
            for c in c_model:
                # c must imply p: every literal of p is in c
                if not all(pv in (_DC, cv) for pv, cv in zip(p, c)):
                    continue
                fine = True
                for j, (cv, rv) in enumerate(zip(c, r)):
                    if cv in (_DC, rv):
                        continue
                    levels = expect.get(j)
                    if not levels or cv in levels or rv not in levels:
                        fine = False
                        break
                if fine:
                    ok = True
                    break
            if ok:
                break
        if ok:
            easy.append(r)
    return np.array(easy, dtype=int).reshape(-1, remainders.shape[1] if remainders.ndim == 2 else 0)


def _config_frame(configs: np.ndarray, design: _Design) -> pd.DataFrame:
    frame = pd.DataFrame(configs, columns=list(design.conditions))
    frame.index = [_row_number(c, design.levels) for c in configs]
    frame.index.name = "row"
    return frame.sort_index()


def _assemble(design, tt, kind, models, primes, essential, remainders, positive, notation, easy) -> QCASolution:
    y = np.array(design.y)
    ysum = y.sum()
    out = tt["OUT"].astype(str)
    positive_rows = tt[out == "1"]
    conds = list(design.conditions)

    def membership(term):
        return _config_membership(design, term)

    def cases_of(term):
        covered = _covers(np.array([term]), positive_rows[conds].to_numpy(dtype=int))[0]
        chunks = [c for c in positive_rows["cases"][covered].astype(str) if c]
        return "; ".join(chunks)

    essential_terms = {tuple(primes[i]) for i in essential}
    term_rows, fit_rows, solutions, assumptions = [], [], [], {}
    for label, terms in models:
        terms = sorted(terms, key=lambda t: (tuple(t) not in essential_terms, _term_key(t)))
        strings = [_term_string(t, design, notation) for t in terms]
        solutions.append(strings)
        xs = [membership(t) for t in terms]
        model_x = np.max(xs, axis=0) if xs else np.zeros_like(y)
        incl, pri = _inclusion(model_x, y)
        cov = float(np.minimum(model_x, y).sum() / ysum) if ysum > 0 else float("nan")
        fit_rows.append({"model": label, "solution": " + ".join(strings), "inclS": incl, "PRI": pri, "covS": cov})
        for t, s, x in zip(terms, strings, xs):
            others = [xx for tt_, xx in zip(terms, xs) if tt_ is not t]
            rest = np.max(others, axis=0) if others else np.zeros_like(y)
            t_incl, t_pri = _inclusion(x, y)
            t_cov = float(np.minimum(x, y).sum() / ysum) if ysum > 0 else float("nan")
            rest_cov = float(np.minimum(rest, y).sum() / ysum) if ysum > 0 else float("nan")
            term_rows.append(
                {
                    "model": label,
                    "term": s,
                    "inclS": t_incl,
                    "PRI": t_pri,
                    "covS": t_cov,
                    "covU": cov - rest_cov,
                    "essential": tuple(t) in essential_terms,
                    "cases": cases_of(t),
                }
            )
        if len(remainders) and kind != "conservative":
            used = _covers(np.array(terms), remainders).any(axis=0)
            assumptions[label] = _config_frame(remainders[used], design)
    return QCASolution(
        outcome=design.outcome,
        conditions=tuple(conds),
        kind=kind,
        solutions=solutions,
        terms=pd.DataFrame(term_rows, columns=["model", "term", "inclS", "PRI", "covS", "covU", "essential", "cases"]),
        fit=pd.DataFrame(fit_rows, columns=["model", "solution", "inclS", "PRI", "covS"]),
        prime_implicants=[_term_string(p, design, notation) for p in primes],
        essential=[_term_string(primes[i], design, notation) for i in essential],
        simplifying_assumptions=assumptions,
        easy_counterfactuals=easy,
    )


# ---------------------------------------------------------------------------
# Sites as cases: conditions from a Study, calibration, robustness

#: Short set names of the three processes of leading, as QCA terms show them.
PROCESS_SETS = {"building_knowledge": "BK", "taking_action": "TA", "reviewing_reflecting": "RR"}

#: What each column of :func:`site_conditions` holds, for tables and captions.
CONDITION_LABELS = {
    "BK": "building knowledge",
    "TA": "taking action",
    "RR": "reviewing and reflecting",
    "MESO": "formal leaders at meso level interviewed",
    "PERF": "performance (mean standardised measure, higher is better)",
}


def site_conditions(
    study,
    *,
    unit: Literal["per_1000_words", "share"] = "per_1000_words",
    measures: Sequence[str] | None = None,
    sites: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Raw site-level conditions and outcome for a QCA of leading and performance.

    One row per site (the cases), in the order of ``study.sites``:

    ``BK``, ``TA``, ``RR``
        How much the site's informants talk of each process of leading, in
        the primary coding, counted by :func:`leadlib.compare.site_matrix`
        with ``of="process"``: ``unit="per_1000_words"`` (default) is
        codings per 1,000 words of all the site's interviews, so a site can
        be high on all three; ``unit="share"`` is the process's share of the
        site's process codings (the three sum to 1, so being high on one
        means being lower on the others).
    ``MESO``
        Number of formal leaders at meso level interviewed at the site.
    ``PERF``
        The site's performance: the mean, over ``measures``, of each
        measure's z-score across the sites (sample standard deviation),
        signed by ``higher_is_better`` so that higher is always better. A
        measure a site lacks is left out of its mean
        (``attrs["n_measures"]`` says how many went in).

    Parameters
    ----------
    study : leadlib.Study
    unit
        ``"per_1000_words"`` or ``"share"``, as above.
    measures
        Names in ``study.measures["measure"]``; default all.
    sites
        Site IDs to use as cases (default every site).

    Returns
    -------
    DataFrame
        Indexed by ``site_id``; raw values, to be calibrated (e.g. with
        :func:`calibrate_sites`). ``attrs``: ``unit``, ``unit_label`` (how
        ``BK``/``TA``/``RR`` are counted, for axis labels), ``measures``,
        ``labels`` (column -> description), ``z_scores`` (sites x measures,
        signed), ``n_measures``, and ``support``: distinct informants behind
        each value, what :func:`leadlib.disclosure.suppress` reads. For
        ``BK``/``TA``/``RR`` that is the informants who talk of the process;
        ``MESO`` and ``PERF`` describe the site rather than what anyone
        said, so their support is the site's number of informants.
    """
    from .. import compare

    if unit not in ("per_1000_words", "share"):
        raise LeadlibDataError(
            f"unknown unit {unit!r} for site conditions",
            column="unit",
            value=unit,
            hint='use "per_1000_words" or "share"',
        )
    for table in ("sites", "informants", "interviews", "segments", "measures"):
        if not isinstance(getattr(study, table, None), pd.DataFrame):
            raise LeadlibDataError(
                "site_conditions needs a leadlib.Study",
                column="study",
                value=type(study).__name__,
                hint="pass the Study, e.g. leadlib.load_study()",
            )
    all_sites = list(study.sites["site_id"].astype(str))
    if sites is None:
        cases = all_sites
    else:
        cases = [str(s) for s in sites]
        for i, s in enumerate(cases):
            if s not in all_sites:
                raise LeadlibDataError(
                    f"site {s!r} is not in the study",
                    column="sites",
                    row=spreadsheet_row(i),
                    value=s,
                    hint=f"sites: {', '.join(all_sites[:20])}",
                )
    frame = study.frame()
    frame = frame[frame["site_id"].astype(str).isin(cases)]
    scope = compare.interview_table(study)
    scope = scope[scope["site_id"].astype(str).isin(cases)]
    if unit == "per_1000_words":
        amount = compare.site_matrix(frame, of="process", unit="per_1000_words", interviews=scope, groups=cases)
    else:
        amount = compare.site_matrix(frame, of="process", unit="segments", normalize="row", groups=cases)
    support = amount.attrs["support"]
    processes = [p for p in PROCESS_SETS if p in amount.columns]
    out = pd.DataFrame(
        {PROCESS_SETS[p]: amount[p].astype(float).to_numpy() for p in processes}, index=pd.Index(cases, name="site_id")
    )

    informants = study.informants[study.informants["site_id"].astype(str).isin(cases)]
    meso = informants[
        (informants["leader_type"].astype(object) == "formal") & (informants["leader_level"].astype(object) == "meso")
    ]
    out["MESO"] = meso.groupby(meso["site_id"].astype(str)).size().reindex(cases, fill_value=0).astype(float).to_numpy()

    z, n_measures = _performance(study.measures, measures, cases)
    out["PERF"] = z.mean(axis=1, skipna=True).to_numpy()

    size = informants.groupby(informants["site_id"].astype(str)).size().reindex(cases, fill_value=0)
    support_out = pd.DataFrame(index=out.index)
    for p in processes:
        support_out[PROCESS_SETS[p]] = support[p].reindex(cases, fill_value=0).to_numpy()
    support_out["MESO"] = size.to_numpy()
    support_out["PERF"] = size.to_numpy()
    out.attrs = {
        "unit": unit,
        "unit_label": amount.attrs["unit_label"],
        "measures": list(z.columns),
        "labels": {c: CONDITION_LABELS[c] for c in out.columns},
        "z_scores": z,
        "n_measures": n_measures,
        "support": support_out.astype("int64"),
    }
    return out


def _performance(
    table: pd.DataFrame, measures: Sequence[str] | None, cases: list[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """Signed z-scores of the chosen measures per site, and how many each site has."""
    if table.empty:
        raise LeadlibDataError(
            "the study has no site measures, so performance cannot be scored",
            column="measure",
            hint="add a measures table (site_id, measure, value, higher_is_better) to the study",
        )
    known = list(dict.fromkeys(table["measure"].astype(str)))
    chosen = known if measures is None else [str(m) for m in measures]
    for i, m in enumerate(chosen):
        if m not in known:
            raise LeadlibDataError(
                f"measure {m!r} is not in the study",
                column="measures",
                row=spreadsheet_row(i),
                value=m,
                hint=f"measures: {', '.join(known)}",
            )
    rows = table[table["measure"].astype(str).isin(chosen) & table["site_id"].astype(str).isin(cases)]
    wide = (
        rows.assign(site_id=rows["site_id"].astype(str), measure=rows["measure"].astype(str))
        .pivot_table(index="site_id", columns="measure", values="value", aggfunc="mean")
        .reindex(index=cases, columns=chosen)
        .astype(float)
    )
    better = (
        table.assign(measure=table["measure"].astype(str))
        .drop_duplicates("measure")
        .set_index("measure")["higher_is_better"]
    )
    z = pd.DataFrame(index=pd.Index(cases, name="site_id"))
    for m in chosen:
        values = wide[m]
        sd = values.std(ddof=1)
        if not np.isfinite(sd) or sd == 0:
            raise LeadlibDataError(
                f"measure {m!r} does not vary across the sites, so it cannot be standardised",
                column="measures",
                value=m,
                hint="leave it out of measures=",
            )
        sign = 1.0 if bool(better.get(m, True)) else -1.0
        z[m] = sign * (values - values.mean()) / sd
    n_measures = z.notna().sum(axis=1)
    none = n_measures[n_measures == 0]
    if len(none):
        raise LeadlibDataError(
            f"site {none.index[0]!r} has no value for any of the measures, so it has no performance score",
            column="value",
            value=none.index[0],
            hint="leave the site out (sites=) or add one of its measures",
        )
    return z, n_measures


def _anchor_kind(spec: Any, column: str) -> str:
    if isinstance(spec, Mapping):
        if "thresholds" in spec:
            return "crisp"
        if {"full_out", "crossover", "full_in"} <= set(spec):
            return "fuzzy"
    elif np.ndim(spec) == 0 or len(spec) == 1:
        return "crisp"
    elif len(spec) == 3:
        return "fuzzy"
    raise LeadlibDataError(
        f"cannot read the anchors of {column}",
        column=column,
        value=spec,
        hint="one number (crisp threshold), three numbers (full_out, crossover, full_in: fuzzy), or a "
        "mapping of calibrate()'s arguments, e.g. {'thresholds': 10, 'increasing': False}",
    )


def _anchor_args(spec: Any, column: str) -> dict:
    """Keyword arguments of calibrate() for one column's anchors (as given, not yet converted)."""
    kind = _anchor_kind(spec, column)
    if isinstance(spec, Mapping):
        return dict(spec)
    if kind == "crisp":
        return {"thresholds": float(np.ravel(spec)[0])}
    full_out, crossover, full_in = (float(v) for v in spec)
    return {"full_out": full_out, "crossover": crossover, "full_in": full_in}


def _resolve(args: dict, values: pd.Series, how: str, column: str) -> dict:
    """Anchors in raw units: quantiles (how == "quantile") become values of the column."""
    if how == "value":
        return dict(args)
    if how != "quantile":
        raise LeadlibDataError(
            f"unknown kind of anchor {how!r} for {column}",
            column=column,
            value=how,
            hint='use "value" (raw units) or "quantile" (0 to 1)',
        )
    data = values.dropna().to_numpy(float)
    out = dict(args)
    for key in ("thresholds", "full_out", "crossover", "full_in"):
        if key not in args:
            continue
        q = np.atleast_1d(np.asarray(args[key], dtype=float))
        if ((q < 0) | (q > 1)).any():
            raise LeadlibDataError(
                f"a quantile anchor of {column} is outside 0 to 1",
                column=column,
                value=args[key],
                hint='with by="quantile", anchors are shares of the sites, e.g. (0.2, 0.5, 0.8)',
            )
        # linear interpolation between order statistics: Hyndman & Fan (1996) definition 7, R's default
        raw = np.quantile(data, q, method="linear")
        out[key] = raw.tolist() if key == "thresholds" and np.ndim(args[key]) else float(raw[0])
    return out


def calibrate_sites(
    raw: pd.DataFrame,
    *,
    anchors: Mapping[str, Any],
    by: Literal["value", "quantile"] | Mapping[str, str] = "value",
    full_log_odds: float = 3.0,
) -> pd.DataFrame:
    """Calibrate several raw site-level columns to set memberships at once.

    Parameters
    ----------
    raw
        One row per case (e.g. :func:`site_conditions`).
    anchors
        Column -> its anchors: one number, a crisp threshold (membership 1
        at or above it); three numbers, ``(full_out, crossover, full_in)`` of
        Ragin's direct method (decreasing when ``full_out > full_in``); or a
        mapping of :func:`calibrate`'s keyword arguments (e.g.
        ``{"thresholds": [550, 850]}`` for a multi-value set,
        ``{"thresholds": 10, "increasing": False}``). Only these columns are
        calibrated and returned, in this order.
    by
        ``"value"``: anchors are in the column's raw units; ``"quantile"``:
        anchors are quantiles (0 to 1) of the cases' values, turned into
        values by linear interpolation (Hyndman & Fan 1996, definition 7,
        R's default): a relative calibration, for when no external standard
        says what "high" is. A mapping column -> ``"value"``/``"quantile"``
        sets it per column (default ``"value"``).
    full_log_odds
        Log odds at the fuzzy anchors (Ragin: 3).

    Returns
    -------
    DataFrame
        Memberships (fuzzy in 0-1, crisp 0/1/2...), same index as ``raw``.
        ``attrs["anchors"]``: one row per column with ``kind`` (crisp /
        fuzzy), ``by``, the anchors as given and in raw units
        (``full_out``, ``crossover``, ``full_in`` or ``thresholds``);
        ``attrs["support"]`` carried over from ``raw`` for these columns.

    Raises
    ------
    LeadlibDataError
        Unknown column, unreadable anchors, anchors that collapse (e.g. two
        quantiles landing on the same value), or a case exactly at a fuzzy
        crossover (membership 0.5 belongs to no truth-table row).
    """
    if not isinstance(raw, pd.DataFrame):
        raise LeadlibDataError(
            "calibrate_sites needs a DataFrame of raw values, one row per case",
            column="raw",
            value=type(raw).__name__,
            hint="e.g. raw = site_conditions(study)",
        )
    if not anchors:
        raise LeadlibDataError(
            "no anchors given", column="anchors", value=anchors, hint='e.g. anchors={"RR": (0.2, 0.5, 0.8)}'
        )
    out = pd.DataFrame(index=raw.index)
    records = []
    for column, spec in anchors.items():
        if column not in raw.columns:
            raise LeadlibDataError(
                f"the raw data have no column {column!r} to calibrate",
                column=str(column),
                value=column,
                hint=f"columns: {', '.join(map(str, raw.columns))}",
            )
        how = by.get(column, "value") if isinstance(by, Mapping) else by
        given = _anchor_args(spec, str(column))
        args = _resolve(given, raw[column], how, str(column))
        kind = _anchor_kind(spec, str(column))
        if kind == "fuzzy":
            e, c, i = args["full_out"], args["crossover"], args["full_in"]
            if not ((e < c < i) or (e > c > i)):
                raise LeadlibDataError(
                    f"the anchors of {column} do not lie strictly on one side of the crossover once in raw units",
                    column=str(column),
                    value={"full_out": e, "crossover": c, "full_in": i},
                    hint="spread the anchors further apart (with quantiles, tied values can make two anchors equal)",
                )
            members = calibrate(raw[column], **{"full_log_odds": full_log_odds, **args})
            at_half = np.isclose(members.to_numpy(float), 0.5, rtol=0, atol=1e-12)
            if at_half.any():
                k = int(np.flatnonzero(at_half)[0])
                raise LeadlibDataError(
                    f"case {raw.index[k]!r} sits exactly at the crossover of {column} ({c:g}): membership 0.5 is "
                    "neither in nor out of the set",
                    row=spreadsheet_row(k),
                    column=str(column),
                    value=raw[column].iloc[k],
                    hint="move the crossover a little (a case at the crossover is "
                    "maximally ambiguous: decide on which side it belongs)",
                )
        else:
            members = calibrate(raw[column], **args)
        out[column] = np.asarray(members, dtype=float)
        record = {
            "column": column,
            "kind": kind,
            "by": how,
            "given": given.get("thresholds")
            if kind == "crisp"
            else (given["full_out"], given["crossover"], given["full_in"]),
        }
        for key in ("full_out", "crossover", "full_in", "thresholds"):
            record[key] = args.get(key, np.nan)
        records.append(record)
    support = raw.attrs.get("support")
    out.attrs = {"anchors": pd.DataFrame(records).set_index("column")}
    if isinstance(support, pd.DataFrame) and set(out.columns) <= set(support.columns):
        out.attrs["support"] = support[list(out.columns)].copy()
    return out


def _shifted(spec: Any, column: str, shift: float) -> Any:
    """The anchors with the crossover (fuzzy) or the threshold(s) (crisp) moved by ``shift``."""
    args = _anchor_args(spec, column)
    if "crossover" in args:
        args["crossover"] = float(args["crossover"]) + shift
    else:
        th = np.asarray(args["thresholds"], dtype=float) + shift
        args["thresholds"] = th.tolist() if th.ndim else float(th)
    return args


def _solve(calibrated: pd.DataFrame, outcome: str, conditions: Sequence[str], settings: dict) -> dict:
    tt = truth_table(
        calibrated,
        outcome=outcome,
        conditions=conditions,
        incl_cut=settings["incl_cut"],
        n_cut=settings["n_cut"],
        pri_cut=settings["pri_cut"],
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sol = minimize(tt, include=settings["include"], dir_exp=settings["dir_exp"])
    row = {
        "n_positive_rows": int((tt["OUT"] == "1").sum()),
        "n_models": len(sol.solutions),
        "solution": " | ".join(" + ".join(m) for m in sol.solutions) if sol.solutions else "(none)",
        "inclS": float(sol.fit["inclS"].iloc[0]) if len(sol.fit) else np.nan,
        "PRI": float(sol.fit["PRI"].iloc[0]) if len(sol.fit) else np.nan,
        "covS": float(sol.fit["covS"].iloc[0]) if len(sol.fit) else np.nan,
        "_models": frozenset(frozenset(m) for m in sol.solutions),
    }
    # literals shared by every term of every model: what all the sufficient paths have in common
    literals = [term.split("*") for model in sol.solutions for term in model]
    common = set.intersection(*map(set, literals)) if literals else set()
    row["in_every_term"] = "*".join(lit for lit in literals[0] if lit in common) if literals else ""
    return row


def calibration_sensitivity(
    raw: pd.DataFrame,
    *,
    anchors: Mapping[str, Any],
    outcome: str,
    conditions: str | Sequence[str],
    by: Literal["value", "quantile"] | Mapping[str, str] = "value",
    shifts: Sequence[float] | Mapping[str, Sequence[float]] = (-0.1, 0.1),
    incl_cuts: Sequence[float] = (),
    incl_cut: float = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    include: str | None = None,
    dir_exp: Any = None,
) -> pd.DataFrame:
    """How the QCA solution changes when a calibration anchor or the inclusion cut moves.

    The baseline calibrates ``raw`` with ``anchors`` (:func:`calibrate_sites`),
    builds the truth table and minimizes it. Then, one at a time, each
    column's crossover (fuzzy) or threshold (crisp) is moved by each shift,
    and the inclusion cut takes each value of ``incl_cuts``; every variant is
    solved again. A solution that survives reasonable moves is a finding
    about the cases; one that flips is a finding about the anchors.

    Parameters
    ----------
    raw, anchors, by
        As in :func:`calibrate_sites`. A condition or outcome without
        anchors is taken from ``raw`` as already calibrated.
    outcome, conditions, incl_cut, n_cut, pri_cut
        As in :func:`truth_table`.
    shifts
        Moves of the crossover / threshold, in the units of the column's
        anchors (quantile points with ``by="quantile"``, raw units with
        ``"value"``); a sequence for every calibrated column, or a mapping
        column -> sequence (columns not named are not moved).
    incl_cuts
        Other inclusion cuts to try with the baseline calibration.
    include, dir_exp
        As in :func:`minimize` (conservative by default).

    Returns
    -------
    DataFrame
        One row per variant, the baseline first: ``varied`` (column,
        ``"incl_cut"`` or ``"(baseline)"``), ``setting`` (what was moved, in
        words), ``anchor`` (the moved anchor in raw units), ``n_positive_rows``,
        ``n_models``, ``solution`` (all minimal models, separated by " | "),
        ``in_every_term`` (literals shared by every term of every model,
        e.g. ``"RR"``: what all the sufficient paths have in common),
        ``inclS``, ``PRI``, ``covS`` (of the first model),
        ``same_as_baseline`` and ``note`` (why a variant was skipped).
    """
    conds = _parse_names(conditions)
    settings = {"incl_cut": incl_cut, "n_cut": n_cut, "pri_cut": pri_cut, "include": include, "dir_exp": dir_exp}
    outcome_column = re.sub(r"[\[{].*$", "", outcome.strip().lstrip("~").strip())
    # columns used but not anchored are taken as already calibrated
    passed = [c for c in conds + [outcome_column] if c not in anchors and c in raw.columns]

    def calibrated_with(these: Mapping[str, Any]) -> pd.DataFrame:
        out = calibrate_sites(raw, anchors=these, by=by)
        for c in passed:
            out[c] = raw[c].to_numpy()
        return out

    base_cal = calibrated_with(anchors)
    base = _solve(base_cal, outcome, conds, settings)
    rows = [{"varied": "(baseline)", "setting": "anchors as given", "anchor": np.nan, **base, "note": ""}]
    if isinstance(shifts, Mapping):
        plan = [(c, list(v)) for c, v in shifts.items()]
        for c, _ in plan:
            if c not in anchors:
                raise LeadlibDataError(
                    f"a shift is given for {c!r}, which has no anchors",
                    column="shifts",
                    value=c,
                    hint=f"anchored columns: {', '.join(map(str, anchors))}",
                )
    else:
        plan = [(c, list(shifts)) for c in anchors]
    for column, moves in plan:
        how = by.get(column, "value") if isinstance(by, Mapping) else by
        given = _anchor_args(anchors[column], str(column))
        for shift in moves:
            moved = _shifted(anchors[column], str(column), float(shift))
            key = "crossover" if "crossover" in moved else "thresholds"
            before, after = given[key], moved[key]
            unit = " (quantile)" if how == "quantile" else ""
            row = {"varied": column, "setting": f"{key} {_fmt(before)} -> {_fmt(after)}{unit}", "anchor": np.nan}
            try:
                resolved = _resolve(moved, raw[column], how, str(column))
                row["anchor"] = resolved[key] if np.ndim(resolved[key]) == 0 else np.nan
                calibrated = calibrated_with({**anchors, column: moved})
                row.update(_solve(calibrated, outcome, conds, settings), note="")
            except LeadlibDataError as exc:
                row.update(
                    n_positive_rows=np.nan,
                    n_models=np.nan,
                    solution="",
                    in_every_term="",
                    inclS=np.nan,
                    PRI=np.nan,
                    covS=np.nan,
                    _models=None,
                    note="skipped: " + exc.problem,
                )
            rows.append(row)
    for cut in incl_cuts:
        variant = {**settings, "incl_cut": float(cut)}
        rows.append(
            {
                "varied": "incl_cut",
                "setting": f"incl_cut {_fmt(incl_cut)} -> {_fmt(cut)}",
                "anchor": np.nan,
                **_solve(base_cal, outcome, conds, variant),
                "note": "",
            }
        )
    out = pd.DataFrame(rows)
    out["same_as_baseline"] = [m is not None and m == base["_models"] for m in out["_models"]]
    out = out.drop(columns="_models")
    columns = [
        "varied",
        "setting",
        "anchor",
        "n_positive_rows",
        "n_models",
        "solution",
        "in_every_term",
        "inclS",
        "PRI",
        "covS",
        "same_as_baseline",
        "note",
    ]
    return out[columns]


def _fmt(value: Any) -> str:
    if np.ndim(value):
        return "[" + ", ".join(_fmt(v) for v in np.ravel(value)) + "]"
    return f"{float(value):g}"


# ---------------------------------------------------------------------------
# Necessity


def _literal(data: pd.DataFrame, text: str) -> np.ndarray:
    """Membership of each case in one literal: ``X``, ``~X``, ``X[2]`` (or ``X{2}``)."""
    match = re.fullmatch(r"\s*(~?)\s*([^\[\]{}~*+]+?)\s*(?:[\[{]\s*(\d+)\s*[\]}])?\s*", text)
    if not match:
        raise LeadlibDataError(
            f"cannot read the literal {text!r}",
            column="conditions",
            value=text,
            hint='write e.g. "RR", "~TA" or "DEV[2]"; "*" joins literals, "+" joins terms',
        )
    negate, name, level = match.group(1) == "~", match.group(2), match.group(3)
    v = _numeric_column(data, name, value=text, what="", hint="calibrate every case first")
    if level is not None:
        member = (v == int(level)).astype(float)
    elif ((v < 0) | (v > 1)).any():
        i = int(np.flatnonzero((v < 0) | (v > 1))[0])
        raise LeadlibDataError(
            f"{name} is multi-value: say which value, e.g. {name}[{int(v[i])}]",
            row=spreadsheet_row(i),
            column=name,
            value=v[i],
            hint=f'write "{name}[1]"',
        )
    else:
        member = v
    return 1.0 - member if negate else member


def _expression(data: pd.DataFrame, expression: str) -> np.ndarray:
    """Membership in a sum of products: ``A*~B + C`` (min within a term, max across terms)."""
    terms = [t for t in expression.split("+")]
    if any(not t.strip() for t in terms):
        raise LeadlibDataError(
            f"cannot read the expression {expression!r}",
            column="conditions",
            value=expression,
            hint='write e.g. "RR", "TA*RR" or "RR + ~BK*TA"',
        )
    values = [np.min([_literal(data, lit) for lit in term.split("*")], axis=0) for term in terms]
    return np.max(values, axis=0)


def necessity(
    data: pd.DataFrame,
    *,
    outcome: str,
    conditions: str | Sequence[str],
    negations: bool = False,
) -> pd.DataFrame:
    """Is a condition (or an expression) necessary for the outcome? Parameters of fit.

    A condition X is necessary for Y when Y is a subset of X: every case's
    membership in Y is at most its membership in X.

    Parameters
    ----------
    data
        Calibrated cases (as for :func:`truth_table`).
    outcome
        Outcome column; ``"~PERF"`` for its negation, ``"SURV[1]"`` for one
        value of a multi-value outcome.
    conditions
        Conditions or expressions to test, as a list or a comma-separated
        string: ``"RR"``, ``"~TA"``, ``"DEV[1]"``, ``"LIT*STB"`` (AND),
        ``"DEV[1] + IND[1]"`` (OR).
    negations
        Also test the negation of each plain condition (``~X``).

    Returns
    -------
    DataFrame
        Indexed by the expression, with ``inclN`` = sum min(X, Y) / sum Y
        (consistency of necessity), ``RoN`` = sum (1 - X) / sum (1 -
        min(X, Y)) (relevance of necessity: near 0 when X is so common that
        it is trivially a superset of anything; Schneider & Wagemann 2012)
        and ``covN`` = sum min(X, Y) / sum X (coverage), as R QCA's ``pof``
        and ``superSubset`` report them.
    """
    if not isinstance(data, pd.DataFrame):
        raise LeadlibDataError(
            "necessity needs a DataFrame of calibrated cases",
            column="data",
            value=type(data).__name__,
            hint="one row per case, one column per set",
        )
    _, y = _outcome_membership(data, outcome)
    items = _parse_names(conditions) if isinstance(conditions, str) else [str(c) for c in conditions]
    if negations:
        items = items + ["~" + c for c in items if re.fullmatch(r"[^\[\]{}~*+]+", c.strip())]
    rows = []
    for item in items:
        x = _expression(data, item)
        xy = np.minimum(x, y)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows.append(
                {
                    "condition": " + ".join(t.strip() for t in item.split("+")),
                    "inclN": xy.sum() / y.sum() if y.sum() > 0 else np.nan,
                    "RoN": (1 - x).sum() / (1 - xy).sum() if (1 - xy).sum() > 0 else np.nan,
                    "covN": xy.sum() / x.sum() if x.sum() > 0 else np.nan,
                }
            )
    out = pd.DataFrame(rows).set_index("condition")
    out.attrs["outcome"] = outcome
    return out
