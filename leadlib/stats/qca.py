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

import itertools
import re
from dataclasses import dataclass, field
from math import comb
from typing import Any, Iterable, Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError, spreadsheet_row
from ._common import warn

__all__ = ["calibrate", "truth_table", "minimize", "QCASolution"]

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
        raise LeadlibDataError("calibration needs numeric raw values", row=spreadsheet_row(i),
                               column=str(name) if name is not None else "values", value=original.iloc[i],
                               hint="convert the column to numbers, or recode text categories by hand")
    x = raw.to_numpy(float)
    fuzzy_args = (full_out, crossover, full_in)
    if thresholds is not None:
        if any(a is not None for a in fuzzy_args):
            raise LeadlibDataError("give either thresholds= (crisp) or full_out/crossover/full_in (fuzzy), not both",
                                   column="thresholds", value=thresholds,
                                   hint="thresholds= for crisp sets; the three anchors for a fuzzy set")
        th = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
        if th.size == 0 or np.isnan(th).any():
            raise LeadlibDataError("thresholds must be one or more numbers", column="thresholds", value=thresholds,
                                   hint="e.g. thresholds=550, or thresholds=[550, 850]")
        if increasing:
            out = (x[:, None] >= th[None, :]).sum(axis=1).astype(float)
        else:
            out = (x[:, None] < th[None, :]).sum(axis=1).astype(float)
    else:
        if any(a is None for a in fuzzy_args):
            raise LeadlibDataError("fuzzy calibration needs full_out, crossover and full_in",
                                   column="crossover", value=fuzzy_args,
                                   hint="e.g. calibrate(x, full_out=2500, crossover=5000, full_in=20000)")
        e, c, i = map(float, fuzzy_args)
        if not ((e < c < i) or (e > c > i)):
            raise LeadlibDataError(
                "the crossover must lie strictly between full non-membership and full membership",
                column="crossover", value={"full_out": e, "crossover": c, "full_in": i},
                hint="increasing set: full_out < crossover < full_in; decreasing: full_in < crossover < full_out")
        if full_log_odds <= 0:
            raise LeadlibDataError("full_log_odds must be positive", column="full_log_odds", value=full_log_odds,
                                   hint="Ragin's direct method uses 3.0")
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


def _outcome_membership(frame: pd.DataFrame, outcome: str) -> tuple[str, np.ndarray]:
    text = outcome.strip()
    negate = text.startswith("~")
    text = text[1:].strip() if negate else text
    match = re.fullmatch(r"(.+?)[\[{](\d+)[\]}]", text)
    level = None
    if match:
        text, level = match.group(1), int(match.group(2))
    if text not in frame.columns:
        raise LeadlibDataError(f"the data have no outcome column {text!r}", column=text, value=outcome,
                               hint=f"columns: {', '.join(map(str, frame.columns))}")
    y = pd.to_numeric(frame[text], errors="coerce")
    if y.isna().any():
        i = int(np.flatnonzero(y.isna().to_numpy())[0])
        raise LeadlibDataError(f"outcome {text} is missing or not a number", row=spreadsheet_row(i), column=text,
                               value=frame[text].iloc[i], hint="every case needs a calibrated outcome")
    values = y.to_numpy(float)
    if level is not None:
        values = (values == level).astype(float)
    elif ((values < 0) | (values > 1)).any():
        i = int(np.flatnonzero((values < 0) | (values > 1))[0])
        raise LeadlibDataError(f"outcome {text} is multi-value: say which value, e.g. {text}[{int(values[i])}]",
                               row=spreadsheet_row(i), column=text, value=values[i],
                               hint=f'outcome="{text}[1]"')
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
    if not isinstance(data, pd.DataFrame):
        raise LeadlibDataError("truth_table needs a DataFrame of calibrated cases", column="data",
                               value=type(data).__name__, hint="one row per case, one column per set")
    conds = _parse_names(conditions)
    if not conds:
        raise LeadlibDataError("no conditions given", column="conditions", value=conditions,
                               hint='e.g. conditions="DEV, URB, LIT"')
    for name in conds:
        if name not in data.columns:
            raise LeadlibDataError(f"the data have no condition column {name!r}", column=name, value=name,
                                   hint=f"columns: {', '.join(map(str, data.columns))}")
    if isinstance(incl_cut, (tuple, list)):
        ic1, ic0 = float(incl_cut[0]), float(incl_cut[1])
    else:
        ic1 = ic0 = float(incl_cut)
    if not (0 <= ic0 <= ic1 <= 1):
        raise LeadlibDataError("incl_cut must be in [0, 1] (and ic0 <= ic1)", column="incl_cut", value=incl_cut,
                               hint="e.g. incl_cut=0.8")
    if case is not None:
        if case not in data.columns:
            raise LeadlibDataError(f"the data have no case column {case!r}", column=case, value=case,
                                   hint="name the column with case (site) IDs, or leave case=None to use the index")
        names = data[case].astype(str).tolist()
    else:
        names = [str(i) for i in data.index]
    outcome_label, y = _outcome_membership(data, outcome)

    columns, levels, fuzzy = [], [], []
    for name in conds:
        col = pd.to_numeric(data[name], errors="coerce")
        if col.isna().any():
            i = int(np.flatnonzero(col.isna().to_numpy())[0])
            raise LeadlibDataError(f"condition {name} is missing or not a number for case {names[i]!r}",
                                   row=spreadsheet_row(i), column=name, value=data[name].iloc[i],
                                   hint="calibrate every case; QCA cannot use a case with a missing condition")
        v = col.to_numpy(float)
        is_crisp = np.allclose(v, np.round(v)) and (v >= 0).all()
        if is_crisp:
            columns.append(np.round(v))
            levels.append(max(2, int(v.max()) + 1))
            fuzzy.append(False)
            continue
        outside = (v < 0) | (v > 1)
        if outside.any():
            i = int(np.flatnonzero(outside)[0])
            raise LeadlibDataError(f"condition {name} is neither crisp (0, 1, 2...) nor fuzzy (0 to 1)",
                                   row=spreadsheet_row(i), column=name, value=v[i],
                                   hint="calibrate the raw values first (leadlib.stats.calibrate)")
        half = v == 0.5
        if half.any():
            i = int(np.flatnonzero(half)[0])
            raise LeadlibDataError(
                f"case {names[i]!r} has membership exactly 0.5 in {name}: it belongs to no truth-table row",
                row=spreadsheet_row(i), column=name, value=0.5,
                hint="move the crossover (a case at the crossover is maximally ambiguous) or recalibrate")
        columns.append(v)
        levels.append(2)
        fuzzy.append(True)
    matrix = np.column_stack(columns)
    design = _Design(
        outcome=outcome_label, conditions=tuple(conds), levels=tuple(levels), fuzzy=tuple(fuzzy),
        cases=tuple(names), data=tuple(tuple(float(x) for x in row) for row in matrix),
        y=tuple(float(x) for x in y), incl_cut=(ic1, ic0), n_cut=int(n_cut), pri_cut=float(pri_cut),
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
        n = len(members)
        if n < design.n_cut:
            out = "?"
        elif incl >= ic1 - 1e-12 and pri >= pri_cut - 1e-12:
            out = "1"
        elif incl < ic0 - 1e-12 or ic0 == ic1:
            out = "0"
        else:
            out = "C"
        records.append({"row": _row_number(config, levels), **dict(zip(conds, config)), "OUT": out, "n": n,
                        "incl": incl, "PRI": pri,
                        "cases": ",".join(names[m] for m in members)})
    table = pd.DataFrame(records).set_index("row").sort_index()
    for name in conds:
        table[name] = table[name].astype(int)
    table.attrs["qca"] = design
    return table


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


@dataclass
class QCASolution:
    """Result of :func:`minimize`.

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
                column="conditions", value=len(rest),
                hint="use fewer conditions, or raise incl_cut / n_cut so that fewer rows are positive")
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
            raise LeadlibDataError(f"directional expectation for unknown condition {name!r}", column="dir_exp",
                                   value=name, hint=f"conditions: {', '.join(design.conditions)}")
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
            raise LeadlibDataError(f"cannot read directional expectation {text!r}", column="dir_exp", value=text,
                                   hint='write e.g. "DEV" (present), "~IND" (absent) or "DEV[1,2]"')
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
        All minimal solutions with the parameters of fit.

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
        raise LeadlibDataError("minimize needs a truth table made by leadlib.stats.truth_table", column="tt",
                               value=type(tt).__name__,
                               hint="tt = truth_table(data, outcome=..., conditions=...); then minimize(tt)")
    if notation not in ("[]", "{}"):
        raise LeadlibDataError(f"unknown notation {notation!r}", column="notation", value=notation,
                               hint='use "[]" or "{}"')
    if include is None or include == "":
        included: set[str] = set()
    else:
        included = set(_parse_names(include) if isinstance(include, str) else map(str, include))
    unknown = included - {"?", "C"}
    if unknown:
        raise LeadlibDataError(f"include= takes '?' and/or 'C', not {sorted(unknown)}", column="include",
                               value=include, hint='include="?" for the parsimonious solution')
    if dir_exp is not None and "?" not in included:
        raise LeadlibDataError("an intermediate solution needs the remainders: pass include='?' with dir_exp",
                               column="include", value=include, hint='minimize(tt, include="?", dir_exp=...)')
    conds = list(design.conditions)
    missing = [c for c in conds + ["OUT"] if c not in tt.columns]
    if missing:
        raise LeadlibDataError(f"the truth table has no column {missing[0]!r}", column=missing[0],
                               hint="pass the table returned by truth_table()")
    k = len(conds)
    out = tt["OUT"].astype(str)
    configs = tt[conds].to_numpy(dtype=int)
    positive = configs[(out == "1").to_numpy()]
    excluded = configs[out.isin(["0"] + ([] if "C" in included else ["C"])).to_numpy()]
    observed = {tuple(c) for c in configs[(out != "?").to_numpy()]}
    space = np.array(list(itertools.product(*[range(n) for n in design.levels])), dtype=int).reshape(-1, k)
    remainders = np.array([c for c in space if tuple(c) not in observed], dtype=int).reshape(-1, k)

    if len(positive) == 0:
        warn(f"no truth-table row is positive for {design.outcome}: nothing to minimize "
             "(lower incl_cut, or check the calibration)")
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
        c_primes, c_covers, _ = solve(np.zeros((0, k), int) if "C" not in included
                                      else configs[(out == "C").to_numpy()])
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
            if not all(pv == _DC or pv == rv for pv, rv in zip(p, r)):
                continue
            for c in c_model:
                # c must imply p: every literal of p is in c
                if not all(pv == _DC or pv == cv for pv, cv in zip(p, c)):
                    continue
                fine = True
                for j, (cv, rv) in enumerate(zip(c, r)):
                    if cv == _DC or cv == rv:
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
            term_rows.append({"model": label, "term": s, "inclS": t_incl, "PRI": t_pri, "covS": t_cov,
                              "covU": cov - rest_cov, "essential": tuple(t) in essential_terms,
                              "cases": cases_of(t)})
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
