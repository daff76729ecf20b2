"""Statistics a reviewer would trust: reliability, association, ordination, QCA.

Every function is importable from here; the submodules organise the code:

- :mod:`leadlib.stats.reliability`: percent agreement, Cohen's kappa (simple
  and weighted, with its asymptotic confidence interval), Fleiss' kappa,
  Krippendorff's alpha, coder agreement per code on a :class:`~leadlib.Study`
  and the confusion table of two coders over competing codes;
- :mod:`leadlib.stats.association`: chi-square and Cramer's V, Fisher's exact
  test with the conditional odds ratio, Kruskal-Wallis, permutation tests,
  Benjamini-Hochberg, and group comparisons of sites;
- :mod:`leadlib.stats.correlation`: Spearman's rho for named pairs of columns of two tables of sites, with
  permutation p-values for each pair and for all together;
- :mod:`leadlib.stats.ordination`: correspondence analysis and hierarchical
  clustering of sites;
- :mod:`leadlib.stats.qca`: calibration, truth tables and Boolean
  minimization (crisp, multi-value and fuzzy QCA), necessity, and sites as
  cases: conditions from a Study, calibration of several sets at once, and
  the sensitivity of a solution to its anchors.

Each function is tested against a published worked example with a known
answer; the tests cite their sources.

Every statistic returns a result of one family, :class:`StatResult` (the
statistic under its usual name, ``p_value``, ``ci``, ``method``,
``to_frame()``), which keeps the access of what it used to return: a float
(:class:`FloatResult`; with ``ci=True`` also the tuple ``(kappa, low,
high)``) or a read-only dict (:class:`MappingResult`). Tables of many
results stay DataFrames. See ``docs/api.md``.
"""

from ._common import LeadlibStatsWarning
from ._result import FloatResult, MappingResult, StatResult
from .association import (
    ChiSquareResult,
    FisherResult,
    KruskalResult,
    PermutationResult,
    association,
    benjamini_hochberg,
    compare_groups,
    compare_variables,
    fisher_exact,
    kruskal,
    permutation_test,
)
from .correlation import rank_correlations
from .ordination import CorrespondenceAnalysis, SiteClusters, cluster_sites, correspondence_analysis
from .qca import (
    QCASolution,
    calibrate,
    calibrate_sites,
    calibration_sensitivity,
    minimize,
    necessity,
    site_conditions,
    truth_table,
)
from .reliability import (
    AgreementResult,
    AlphaResult,
    KappaResult,
    agreement_with_labels,
    code_exchanges,
    coder_agreement,
    coder_confusion,
    cohen_kappa,
    cohen_kappa_table,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)

__all__ = [
    "LeadlibStatsWarning",
    # results
    "StatResult",
    "FloatResult",
    "MappingResult",
    "AgreementResult",
    "KappaResult",
    "AlphaResult",
    "ChiSquareResult",
    "FisherResult",
    "KruskalResult",
    "PermutationResult",
    # reliability
    "percent_agreement",
    "cohen_kappa",
    "cohen_kappa_table",
    "fleiss_kappa",
    "krippendorff_alpha",
    "coder_agreement",
    "coder_confusion",
    "agreement_with_labels",
    "code_exchanges",
    # association
    "association",
    "fisher_exact",
    "kruskal",
    "permutation_test",
    "rank_correlations",
    "benjamini_hochberg",
    "compare_groups",
    "compare_variables",
    # ordination
    "correspondence_analysis",
    "CorrespondenceAnalysis",
    "cluster_sites",
    "SiteClusters",
    # qca
    "calibrate",
    "truth_table",
    "minimize",
    "QCASolution",
    "site_conditions",
    "calibrate_sites",
    "calibration_sensitivity",
    "necessity",
]
