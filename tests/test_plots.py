"""Tests of leadlib.plots: what each figure shows (values, geometry, labels), on hand-built tables."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from test_compare import INTERVIEWS, tiny_frame  # noqa: E402

from leadlib import compare, plots, schema  # noqa: E402
from leadlib.stats import cluster_sites  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def profile_table() -> pd.DataFrame:
    p = pd.DataFrame(
        {
            "building_knowledge": [0.2, 1.0, 0.5, np.nan],
            "taking_action": [0.3, 0.0, 0.5, np.nan],
            "reviewing_reflecting": [0.5, 0.0, 0.0, np.nan],
        },
        index=pd.Index(["S1", "S2", "S3", "S4"], name="site_id"),
    )
    p.attrs = {
        "unit": "segments",
        "normalize": "row",
        "by": "site_id",
        "of": "process",
        "unit_label": "share of the site's coded segments on the processes of leading",
    }
    return p


# ---------------------------------------------------------------------------
# heatmap


def test_heatmap_shows_the_matrix_values_and_labels_its_unit():
    m = compare.site_matrix(tiny_frame(), unit="interviews")
    ax = plots.heatmap(m)
    shown = np.asarray(ax.collections[0].get_array()).reshape(m.shape)
    np.testing.assert_array_equal(shown, m.to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Knowing the patients", "Hiring & <orienting>", "Culture"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    colorbar = ax.collections[0].colorbar
    assert colorbar.ax.get_ylabel() == "interviews mentioning it"
    assert "interviews mentioning it" in ax.get_title(loc="left")
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(v) for v in m.to_numpy().ravel())


def test_heatmap_formats_shares_as_percent():
    m = compare.site_matrix(tiny_frame(), normalize="row")
    ax = plots.heatmap(m)
    assert ax.texts[0].get_text() == "57%"  # A, X: 4 of 7
    assert "share of the site's total" in ax.collections[0].colorbar.ax.get_ylabel().replace("\n", " ")


# ---------------------------------------------------------------------------
# clustered heatmap


def test_clustered_heatmap_orders_rows_as_cluster_sites():
    m = pd.DataFrame(
        [[0.0, 1.0], [10.0, 0.0], [0.2, 1.1], [9.5, 0.3], [5.0, 5.0]],
        index=pd.Index(["a", "b", "c", "d", "e"], name="site_id"),
        columns=["X", "Y"],
    )
    m.attrs = {"unit_label": "coded segments per 1,000 words", "of": "code_id", "by": "site_id"}
    grid = plots.clustered_heatmap(m)
    expected = cluster_sites(m).order
    assert [m.index[i] for i in grid.dendrogram_row.reordered_ind] == expected
    # Similar sites sit next to each other.
    order = expected
    assert abs(order.index("a") - order.index("c")) == 1 and abs(order.index("b") - order.index("d")) == 1
    shown = np.asarray(grid.ax_heatmap.collections[0].get_array()).reshape(m.shape)
    cols = [m.columns[j] for j in grid.dendrogram_col.reordered_ind]
    np.testing.assert_array_equal(shown, m.loc[expected, cols].to_numpy())
    assert "coded segments per 1,000" in grid.ax_cbar.get_xlabel()
    assert "cophenetic correlation" in grid.figure._suptitle.get_text()


# ---------------------------------------------------------------------------
# ternary


def test_ternary_places_each_profile_by_barycentric_coordinates():
    p = profile_table()
    ax = plots.ternary(p)
    points = ax.collections[0]
    # Barycentric coordinates (t, l, r) on the triangle with vertices top (0.5, 1), left (0, 0), right (1, 0):
    # (x, y) = t * (0.5, 1) + l * (0, 0) + r * (1, 0) = (r + t / 2, t), worked out by hand.
    axes_xy = ax.transAxes.inverted().transform(points.get_offset_transform().transform(points.get_offsets()))
    t, r = p["building_knowledge"].dropna(), p["reviewing_reflecting"].dropna()
    np.testing.assert_allclose(axes_xy, np.column_stack([r + t / 2, t]), atol=1e-9)
    assert len(axes_xy) == 3  # S4 has no profile
    assert ax.get_tlabel() == "Building knowledge" and ax.get_llabel() == "Taking action"
    assert ax.get_rlabel() == "Reviewing and reflecting"
    assert "share of the site's coded segments" in ax.get_title()
    assert sorted(t.get_text().strip() for t in ax.texts) == ["S1", "S2", "S3"]


def test_ternary_hue_groups_in_category_order():
    p = profile_table()
    setting = pd.Series(
        pd.Categorical(["hospice", "primary_care", "hospice", "hospice"], categories=schema.SETTINGS, ordered=True),
        index=p.index,
    )
    ax = plots.ternary(p, hue=setting, annotate=False)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Primary care", "Hospice"]
    assert len(ax.collections[0].get_offsets()) == 1 and len(ax.collections[1].get_offsets()) == 2


def test_ternary_needs_a_ternary_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="ternary Axes"):
        plots.ternary(profile_table(), ax=ax)


# ---------------------------------------------------------------------------
# stacked bars and small multiples


def test_stacked_bars_geometry():
    p = profile_table().iloc[:3]
    ax = plots.stacked_bars(p)
    bars = ax.patches
    assert len(bars) == 9
    # Bars come column by column; the second column starts where the first ends.
    widths = np.array([b.get_width() for b in bars]).reshape(3, 3)
    lefts = np.array([b.get_x() for b in bars]).reshape(3, 3)
    np.testing.assert_allclose(widths.T, p.to_numpy())
    np.testing.assert_allclose(lefts[1], p["building_knowledge"])
    assert mcolors.to_hex(bars[0].get_facecolor()) == "#0072b2"  # building knowledge's colour
    assert [t.get_text() for t in ax.get_yticklabels()] == ["S1", "S2", "S3"]
    assert ax.get_xlabel() == p.attrs["unit_label"]


def test_small_multiples_one_panel_per_group_in_category_order():
    p = profile_table()
    setting = pd.Series(
        pd.Categorical(["hospice", "primary_care", "hospice", "icu_nicu"], categories=schema.SETTINGS, ordered=True),
        index=p.index,
    )
    fig = plots.small_multiples(p, group=setting, col_wrap=2)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in panels] == [
        "Primary care (n = 1)",
        "ICU / NICU (n = 1)",
        "Hospice (n = 2)",
    ]
    assert [len(ax.patches) for ax in panels] == [3, 3, 6]
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible()
    assert p.attrs["unit_label"] in fig._suptitle.get_text()


# ---------------------------------------------------------------------------
# site vs peers


def test_site_vs_peers_plot_draws_the_site_and_the_peers():
    frame = pd.DataFrame(
        {
            "site_id": ["S0"] * 5 + ["S1"] + ["S2"] * 2 + ["S3"] * 3 + ["S4"] * 4 + ["S0", "S1"],
            "code_id": ["X"] * 15 + ["Y", "Y"],
        }
    )
    frame["informant_id"] = frame["site_id"]
    comparison = compare.site_vs_peers(frame, "S0", normalize=None)
    ax = plots.site_vs_peers(comparison)
    dots = ax.collections[-1]
    np.testing.assert_allclose(dots.get_offsets()[:, 0], comparison["site_value"])
    # X: 5 above peers 1-4 (blue); Y: 1 among peers 1, 0, 0, 0 -> above q3 = 0.25.
    assert [mcolors.to_hex(c) for c in dots.get_facecolors()] == ["#0072b2", "#0072b2"]
    ranges = ax.collections[0].get_segments()
    assert [(s[0][0], s[1][0]) for s in ranges] == [(1.0, 4.0), (0.0, 1.0)]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["X", "Y"]
    assert ax.get_xlabel() == "coded segments"
    assert "n = 4" in " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "rank" not in ax.get_title(loc="left").lower()


# ---------------------------------------------------------------------------
# CMAT


def test_cmat_bars_diverge_around_the_middle_answer():
    survey = pd.DataFrame(
        {
            "respondent_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "site_id": ["S1"] * 5 + ["S2"],
            "characteristic": pd.Categorical(["leadership"] * 6, categories=schema.CMAT_CHARACTERISTICS, ordered=True),
            "rating": pd.array([1, 2, 2, 3, None, 3], dtype="Int64"),
        }
    )
    ax = plots.cmat_bars(survey, site_id="S1")
    low, middle, high = ax.patches
    # low 1/4, middle 2/4, high 1/4 of those who rated; the middle is centred on 0.
    assert (low.get_x(), low.get_width()) == (-0.5, 0.25)
    assert (middle.get_x(), middle.get_width()) == (-0.25, 0.5)
    assert (high.get_x(), high.get_width()) == (0.25, 0.25)
    assert [t.get_text() for t in ax.texts] == ["can't rate 20%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Leadership"]
    assert "staff ratings" in ax.get_xlabel() and "S1 (5 staff)" in ax.get_title(loc="left")
    assert mcolors.to_hex(low.get_facecolor()) == plots.RATING_COLORS["low"].lower()


def test_cmat_bars_unknown_site():
    survey = pd.DataFrame({"respondent_id": ["r"], "site_id": ["S1"], "characteristic": ["leadership"], "rating": [2]})
    with pytest.raises(ValueError, match="no survey answers"):
        plots.cmat_bars(survey, site_id="S9")


def test_plots_on_a_simulated_study_label_every_unit(small_study):
    frame = small_study.frame()
    for unit in compare.UNITS:
        m = compare.site_matrix(frame, of="process", unit=unit, interviews=small_study)
        ax = plots.heatmap(m)
        assert compare.unit_label(unit) in ax.collections[0].colorbar.ax.get_ylabel().replace("\n", " ")
        plt.close(ax.figure)


def test_interviews_scope_is_usable_by_plots():
    m = compare.site_matrix(tiny_frame(), unit="per_1000_words", interviews=INTERVIEWS)
    ax = plots.heatmap(m)
    assert ax.texts[0].get_text() == "2.0"  # A, X: 4 codings in 2,000 words


def test_heatmap_of_a_suppressed_count_table_leaves_hidden_cells_blank():
    m = compare.site_matrix(tiny_frame())
    shown = m.astype("Int64").mask(m.attrs["support"] < 2)  # as disclosure.suppress leaves it
    shown.attrs = m.attrs
    ax = plots.heatmap(shown)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == int(shown.notna().to_numpy().sum())  # one annotation per shown cell
    assert "4" in texts and "nan" not in " ".join(texts)


def test_heatmap_of_a_transposed_table_keeps_code_labels_and_axis_names():
    m = compare.site_matrix(tiny_frame(), by="setting", normalize="row")
    ax = plots.heatmap(m.T, cbar_label="share of the setting's codings")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Knowing the patients", "Hiring & <orienting>", "Culture"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Primary care", "Inpatient unit", "Hospice"]
    assert ax.get_xlabel() == "Setting" and ax.get_ylabel() == "Code"
    assert ax.collections[0].colorbar.ax.get_ylabel() == "share of the setting's codings"


def test_cmat_bars_on_shared_axes_keep_the_cmat_order_on_both():
    survey = pd.DataFrame(
        {
            "respondent_id": ["r1", "r1", "r2", "r2"],
            "site_id": ["S1", "S1", "S2", "S2"],
            "characteristic": pd.Categorical(
                ["leadership", "staff_focus"] * 2, categories=schema.CMAT_CHARACTERISTICS, ordered=True
            ),
            "rating": [1, 3, 2, 2],
        }
    )
    _, (left, right) = plt.subplots(1, 2, sharey=True)
    plots.cmat_bars(survey, site_id="S1", ax=left)
    plots.cmat_bars(survey, site_id="S2", ax=right)
    for ax in (left, right):
        lowest, highest = ax.get_ylim()
        assert lowest > highest  # first characteristic (row 0) at the top
    assert [t.get_text() for t in left.get_yticklabels()] == ["Leadership", "Staff focus"]


def test_small_multiples_groups_is_renamed_group():
    p = profile_table()
    setting = pd.Series(["hospice", "primary_care", "hospice", "icu_nicu"], index=p.index)
    new = plots.small_multiples(p, group=setting)
    with pytest.warns(DeprecationWarning, match=r"small_multiples\(\): the keyword groups= is renamed group="):
        old = plots.small_multiples(p, groups=setting)
    titles = [[ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] for fig in (old, new)]
    assert titles[0] == titles[1] and len(titles[0]) == 3


def test_ternary_labels_near_coincident_points_once():
    p = pd.DataFrame(
        {
            "building_knowledge": [0.40, 0.41, 0.20, 0.60],
            "taking_action": [0.40, 0.39, 0.50, 0.20],
            "reviewing_reflecting": [0.20, 0.20, 0.30, 0.20],
        },
        index=pd.Index(["S1", "S2", "S3", "S4"], name="site_id"),
    )
    ax = plots.ternary(p)
    # S1 and S2 lie 0.01 apart: one label names both, at S1's point; the others keep their own
    assert sorted(t.get_text().strip() for t in ax.texts) == ["S1, S2", "S3", "S4"]
