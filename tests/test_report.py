"""``leadlib report``: the pages it writes, what they may and may not show, and how it fails.

The reports are rendered for a small simulated study (4 sites) from a
notebooks folder holding the book's ``site-report.ipynb`` and a stub study
notebook written here, so that the tests do not depend on the study
notebooks of other chapters.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from leadlib import cli, report
from leadlib.disclosure import HIDDEN_MARK
from leadlib.paths import DATA_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

STUB_STUDY_NOTEBOOK = [
    ("markdown", "# 02 · Stub chapter\n\n**Question:** What does a stub show?\n\n**Audience:** tests."),
    ("parameters", "study_path = None\nshow_quotes = True\nmin_n = None"),
    (
        "code",
        "import leadlib\nfrom leadlib import compare\nfrom leadlib.disclosure import styled, suppress\n"
        "from leadlib.notebook import setup\nstudy = leadlib.load_study(study_path)\nsetup(study)\n"
        "frame = study.frame()",
    ),
    ("code", "styled(suppress(compare.site_matrix(frame, of='process', unit='segments'), min_n=min_n))"),
    ("code", "if show_quotes:\n    print(frame['text'].iloc[0])"),
    ("markdown", "## Next\n\n[03 · Not rendered](03-not-rendered.ipynb) and [a paper](https://doi.org/10.1016/x)."),
]


def write_notebook(path: Path, cells) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        elif kind == "parameters":
            nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]}))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory):
    import leadlib
    from leadlib.simulate import simulate_study, write_study

    folder = tmp_path_factory.mktemp("study4")
    write_study(simulate_study(n_sites=4, seed=5), folder, seed=5, overwrite=True)
    leadlib.load_study(folder)  # the loader's own cache, written before any snapshot below
    return folder


@pytest.fixture(scope="module")
def study(study_dir):
    import leadlib

    return leadlib.load_study(study_dir)


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", folder / "site-report.ipynb")
    write_notebook(folder / "02-stub.ipynb", STUB_STUDY_NOTEBOOK)
    return folder


def snapshot(*folders: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for f in folders for p in f.rglob("*") if ".leadlib-cache" not in p.parts}


@pytest.fixture(scope="module")
def full(study_dir, notebooks, tmp_path_factory):
    """The whole report: every site, quotes shown, min_n = 3."""
    out = tmp_path_factory.mktemp("reports") / "out"
    before = snapshot(study_dir, notebooks)
    lines: list[str] = []
    written = report.render_report(study_dir, out, jobs=2, min_n=3, notebooks_dir=notebooks, progress=lines.append)
    return {"out": out, "written": written, "lines": lines, "before": before, "after": snapshot(study_dir, notebooks)}


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def peer_tables(path: Path) -> pd.DataFrame:
    """The site report's table of behaviours, read back from the HTML."""
    import io

    for table in pd.read_html(io.StringIO(path.read_text(encoding="utf-8")), index_col=0):
        table.columns = [c[0] if isinstance(c, tuple) else c for c in table.columns]
        if "Watching measures" in table.index:
            return table
    raise AssertionError(f"no table of behaviours in {path}")


def visible(page: str) -> str:
    return report._visible_text(page)


def test_writes_index_study_pages_and_one_page_per_site(full, study):
    out = full["out"]
    site_ids = study.sites["site_id"].tolist()
    expected = {"index.html", "02-stub.html", "codebook.html", "checklist.html"} | {f"sites/{s}.html" for s in site_ids}
    assert set(pages(out)) == expected
    index = (out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', index))
    assert expected - {"index.html"} <= links
    assert "SYNTHETIC" in index
    assert "What does a stub show?" in index  # says what each page is
    # a progress line per page, counting up to the total
    assert full["lines"][0].startswith("[") and f"[{len(expected)}/{len(expected)}]" in "\n".join(full["lines"])


def test_files_written_only_inside_out(full, study_dir, notebooks):
    assert full["before"] == full["after"]  # the study folder and the notebooks are untouched
    out = full["out"]
    assert all(out in p.parents for p in full["written"])
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".leadlib-") and p.name != report.MANIFEST]
    assert leftovers == []  # staging and work folders are gone


def test_no_code_cells_no_prompts_no_errors(full):
    for name, page in pages(full["out"]).items():
        for marker in (
            "jp-InputArea",
            "input_area",
            "jp-CodeMirrorEditor",
            "In&nbsp;[",
            "Traceback",
            "application/vnd.jupyter.stderr",
            "Warning",
        ):
            assert marker not in page, (name, marker)
        assert "import leadlib" not in visible(page), name


def test_self_contained_no_external_requests(full):
    for name, page in pages(full["out"]).items():
        assert report.external_requests(page) == [], name
        # every http(s) reference in the file is a plain link someone may click
        for m in re.finditer(r"https?://", page):
            start = page.rfind("<", 0, m.start())
            assert page[start : start + 3] == "<a ", (name, page[start : m.end() + 40])
        for src in re.findall(r'<img[^>]*\bsrc="([^"]{0,30})', page):
            assert src.startswith("data:image/png;base64,"), name
        assert "<script" not in page.lower(), name
        assert "<style" in page  # the CSS is inline
    site_page = (full["out"] / "sites" / "S01.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<img ", site_page)) >= 2  # the two figures, embedded


def test_notebook_links_point_at_pages(full):
    page = (full["out"] / "02-stub.html").read_text(encoding="utf-8")
    assert "03-not-rendered" not in page  # not rendered: the link became text
    assert "Not rendered" in page
    assert 'href="https://doi.org/10.1016/x"' in page  # a deliberate plain link is kept
    site = (full["out"] / "sites" / "S01.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in site


def test_quotes_carry_a_role_only_when_two_informants_hold_it(full, study):
    from leadlib import compare

    frame = study.frame()
    informants = study.informants
    held = informants.groupby([informants["site_id"].astype(str), informants["role"].astype(object)]).size()
    texts = frame["text"].astype(str)
    from leadlib.redact import redact_names, redact_quote
    from leadlib.schema import label

    # every quote has its given names redacted; where a role is withheld, also the words naming it
    named = pd.Series([redact_names(t) for t in texts], index=frame.index)
    redacted = pd.Series(
        [redact_quote(t, role=r, given_names=True) for t, r in zip(texts, frame["role"].astype(object))],
        index=frame.index,
    )

    seen = {"shown": 0, "withheld": 0}
    for site_id in study.sites["site_id"]:
        page = (full["out"] / "sites" / f"{site_id}.html").read_text(encoding="utf-8")
        for text, role in re.findall(
            r'<blockquote class="lr-quote">(.*?)<span class="lr-role">(?:&mdash;|—) (.*?)</span>', page, flags=re.DOTALL
        ):
            # the same excerpt can recur at other sites (and rarely within one): the speaker is one of
            # this site's informants who said it
            quote = html.unescape(text)
            shown = html.unescape(role)
            said = frame[((named == quote) | (redacted == quote)) & (frame["site_id"] == site_id)]
            assert len(said), text[:60]
            allowed = {label(r) if held.get((site_id, r), 0) >= 2 else compare.ROLE_WITHHELD for r in said["role"]}
            assert shown in allowed
            if shown == compare.ROLE_WITHHELD:  # the quote's own words do not give the role back
                assert quote in set(redacted[said.index])
            seen["withheld" if "withheld" in shown else "shown"] += 1
            for informant in said["informant_id"]:
                assert informant not in page  # no one's ID next to their words
    assert seen["shown"] > 0 and seen["withheld"] > 0  # both branches were exercised


def test_small_numbers_hidden_in_site_pages(full, study):
    # In the site report's tables, a site value resting on fewer than 3 informants reads "hidden".
    from leadlib import compare

    frame = study.frame()
    codes = study.code_table().query("process.notna() and depth == 2")["code_id"].tolist()
    for site_id in study.sites["site_id"]:
        raw = compare.site_vs_peers(frame, site_id, of="code_id", behaviours=codes)
        small = raw.loc[(raw["site_support"] > 0) & (raw["site_support"] < 3), "label"].tolist()
        table = peer_tables(full["out"] / "sites" / f"{site_id}.html")
        for behaviour in small:
            assert table.loc[behaviour, "Your site"] == HIDDEN_MARK
        assert (table["Your site"] == HIDDEN_MARK).sum() != 1  # never a lone hidden share among shares adding to 1
        if small:  # the marker is explained under the table
            assert f"{HIDDEN_MARK} hidden: resting on fewer than 3 informants" in visible(
                (full["out"] / "sites" / f"{site_id}.html").read_text(encoding="utf-8")
            )


@pytest.fixture(scope="module")
def rerun(full, study_dir, notebooks, tmp_path_factory, capsys_module=None):
    """Copy of the full report, with a file of the user's, re-rendered for two sites, no quotes, min_n 1000."""
    out = tmp_path_factory.mktemp("rerun") / "out"
    shutil.copytree(full["out"], out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    status = cli.main(
        [
            "report",
            "--study",
            str(study_dir),
            "--out",
            str(out),
            "--sites",
            "S01,S02",
            "--no-quotes",
            "--min-n",
            "1000",
            "--jobs",
            "2",
            "--notebooks",
            str(notebooks),
        ]
    )
    return {"out": out, "status": status}


def test_sites_option_and_clean_overwrite(rerun):
    out = rerun["out"]
    assert rerun["status"] == 0
    assert set(pages(out)) == {
        "index.html",
        "02-stub.html",
        "codebook.html",
        "checklist.html",
        "sites/S01.html",
        "sites/S02.html",
    }
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # not the report's: kept
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "sites/S03.html" not in index and "sites/S02.html" in index


def test_no_quotes_leaves_no_segment_text(rerun, study):
    texts = study.segments["text"].astype(str).tolist()
    for name, page in pages(rerun["out"]).items():
        seen = " ".join(visible(page).split())
        for text in texts:
            assert " ".join(text.split())[:60] not in seen, (name, text[:60])
    site = (rerun["out"] / "sites" / "S01.html").read_text(encoding="utf-8")
    assert 'class="lr-quote"' not in site and "leaves out every verbatim quote" in site


def test_min_n_hides_every_small_value(rerun):
    table = peer_tables(rerun["out"] / "sites" / "S01.html")
    assert set(table["Your site"]) <= {HIDDEN_MARK, "0%"}  # nothing rests on 1000 informants
    stub = (rerun["out"] / "02-stub.html").read_text(encoding="utf-8")
    # the stub's suppressed site table, shown as the study pages show one: a marker and a footnote
    assert f">{HIDDEN_MARK}<" in stub and "&lt;NA&gt;" not in stub
    assert "hidden: resting on fewer than 1000 informants" in visible(stub)


def test_failing_notebook_names_notebook_and_cell(study_dir, tmp_path, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", folder / "site-report.ipynb")
    write_notebook(
        folder / "02-broken.ipynb",
        [
            ("markdown", "# 02 · Broken"),
            ("parameters", "study_path = None\nmin_n = None\nshow_quotes = True"),
            ("code", "x = 1"),
            ("code", "raise KeyError('no such column: behaviour')"),
        ],
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous report", encoding="utf-8")
    status = cli.main(
        [
            "report",
            "--study",
            str(study_dir),
            "--out",
            str(out),
            "--sites",
            "S01",
            "--jobs",
            "1",
            "--notebooks",
            str(folder),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "02-broken.ipynb" in err and "cell 4" in err and "KeyError" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"  # nothing replaced
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_warning_in_output_fails(study_dir, tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    write_notebook(
        folder / "02-warns.ipynb",
        [
            ("markdown", "# 02 · Warns"),
            ("code", "import warnings\nwarnings.warn('palette without hue is deprecated', FutureWarning)"),
        ],
    )
    with pytest.raises(report.ReportError, match=r"02-warns\.ipynb.*cell 2.*FutureWarning"):
        report.render_report(
            study_dir, tmp_path / "out", sites=[], jobs=1, notebooks_dir=folder, progress=lambda line: None
        )


def test_unknown_site_is_a_data_error(study_dir, notebooks, tmp_path, capsys):
    status = cli.main(
        [
            "report",
            "--study",
            str(study_dir),
            "--out",
            str(tmp_path / "o"),
            "--sites",
            "S01,S99",
            "--notebooks",
            str(notebooks),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1 and "S99" in err and "--sites" in err and "S01" in err


# ---------------------------------------------------------------------------
# Pieces


def test_external_requests():
    page = """<a href="https://doi.org/10.1/x">paper</a>
    <script src="https://cdn.example.org/require.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/css">
    <img src='http://example.org/a.png'>
    <style>@import "https://example.org/x.css"; body { background: url(https://example.org/b.png) }</style>
    <img src="data:image/png;base64,AAAA">"""
    found = report.external_requests(page)
    assert found == [
        "https://cdn.example.org/require.js",
        "http://example.org/a.png",
        "//fonts.example.org/css",
        "https://example.org/x.css",
        "https://example.org/b.png",
    ]


def test_inject_parameters_after_the_parameters_cell():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# t"),
            nbformat.v4.new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(a)"),
        ]
    )
    nb, at = report.inject_parameters(nb, {"a": 2, "site_id": "S01"})
    assert at == 2 and nb.cells[2].source.endswith("a = 2\nsite_id = 'S01'")
    nb, at = report.inject_parameters(nb, {"a": 3})
    assert len(nb.cells) == 4 and "a = 3" in nb.cells[2].source  # replaced, not added twice


def test_feedback_statements_name_behaviours_not_ranks(study):
    from leadlib import compare

    frame = study.frame()
    codes = study.code_table().query("process.notna() and depth == 2")["code_id"].tolist()
    comparison = report.peer_comparison(frame, "S01", of="code_id", behaviours=codes, min_n=None)
    statements = report.feedback_statements(comparison)
    above = comparison.loc[comparison["band"] == compare.BANDS[2], "code_id"].tolist()
    below = comparison.loc[comparison["band"] == compare.BANDS[0], "code_id"].tolist()
    assert statements.loc[statements["kind"] == "stands_out_above", "behaviour"].tolist() == above
    assert statements.loc[statements["kind"] == "stands_out_below", "behaviour"].tolist() == below
    assert not statements["statement"].str.contains(r"\brank|\b\d+(?:st|nd|rd|th)\b", regex=True).any()


def test_peer_comparison_hides_small_site_values(study):
    from leadlib import compare

    frame = study.frame()
    raw = compare.site_vs_peers(frame, "S02", of="code_id")
    masked = report.peer_comparison(frame, "S02", of="code_id", min_n=3)
    small = (raw["site_support"] > 0) & (raw["site_support"] < 3)
    assert masked.loc[small, "site_value"].isna().all() and masked.loc[small, "band"].isna().all()
    shown = ~masked["hidden"]
    pd.testing.assert_series_equal(masked.loc[shown, "site_value"], raw.loc[shown, "site_value"])
    assert masked["hidden"].sum() != 1


def test_kernels_are_reset_between_notebooks(study_dir, tmp_path):
    # One kernel runs both notebooks: the second must not see the first's variables or settings.
    folder = tmp_path / "nbs"
    folder.mkdir()
    write_notebook(
        folder / "02-first.ipynb",
        [
            ("markdown", "# 02 · First"),
            (
                "code",
                "import matplotlib.pyplot as plt\nimport pandas as pd\nleak = 1\n"
                "plt.rcParams['lines.linewidth'] = 9\npd.set_option('display.max_rows', 3)\nplt.figure()",
            ),
        ],
    )
    write_notebook(
        folder / "03-second.ipynb",
        [
            ("markdown", "# 03 · Second"),
            (
                "code",
                "import matplotlib.pyplot as plt\nimport pandas as pd\n"
                "assert 'leak' not in globals(), 'a variable of the previous notebook is still defined'\n"
                "assert plt.rcParams['lines.linewidth'] != 9, 'matplotlib settings leaked'\n"
                "assert pd.get_option('display.max_rows') != 3, 'pandas options leaked'\n"
                "assert plt.get_fignums() == [], 'figures of the previous notebook are open'",
            ),
        ],
    )
    written = report.render_report(
        study_dir, tmp_path / "out", sites=[], jobs=1, notebooks_dir=folder, progress=lambda line: None
    )
    assert {p.name for p in written} >= {"02-first.html", "03-second.html"}


# ---------------------------------------------------------------------------
# The reviewer's attack: what the site pages of the bundled study show, combined


@pytest.fixture(scope="module")
def bundled_site_pages(tmp_path_factory):
    """Every site's feedback report of the bundled study, as leadlib report writes them (min_n = 3)."""
    folder = tmp_path_factory.mktemp("site-notebook")
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", folder / "site-report.ipynb")
    out = tmp_path_factory.mktemp("bundled-report") / "out"
    report.render_report(None, out, jobs=2, min_n=3, notebooks_dir=folder, progress=lambda line: None)
    return out


def page_numbers(path: Path, study) -> tuple[int, dict[str, str]]:
    """What a site page prints: its number of passages about leading, and each process's and behaviour's share."""
    import io

    from leadlib.schema import PROCESSES, label

    text = visible(path.read_text(encoding="utf-8"))
    n = int(re.search(r"(\d+) passages about leading coded", text).group(1))
    # the processes' rows carry their labels, which their root codes share: the process wins
    by_label = dict(zip(study.codebook["label"], study.codebook["code_id"])) | {label(p): p for p in PROCESSES}
    shown = {}
    for table in pd.read_html(io.StringIO(path.read_text(encoding="utf-8")), index_col=0, keep_default_na=False):
        table.columns = [c[0] if isinstance(c, tuple) else c for c in table.columns]
        if "Your site" in table.columns:
            shown.update({by_label[name]: value for name, value in table["Your site"].items()})
    return n, shown


def test_no_hidden_value_of_the_bundled_site_pages_can_be_worked_out(bundled, bundled_site_pages):
    # For every site: the page's process shares, behaviour shares and number of passages about leading. A
    # reader knows that a process's share is the sum of its behaviours' (the page says so), that the processes
    # add up to all passages, and that a hidden share is not 0 (zeros are shown). The shown shares are taken
    # exactly (not as the rounded per cents printed), the strongest form of the attack. No hidden share may be
    # worked out, on one page or on all of them together with the study's total of each process and behaviour.
    from test_disclosure import attack

    from leadlib import compare

    frame = bundled.frame()
    leading = frame[frame["process"].notna()]
    process_of = dict(zip(leading["code_id"].astype(object), leading["process"].astype(object)))
    codes = sorted(process_of)
    counts = pd.concat(
        [compare.site_matrix(leading, of="process"), compare.site_matrix(leading, of="code_id", columns=codes)], axis=1
    )
    everything, hidden_everywhere, relations_everywhere = {}, {}, []
    n_hidden = 0
    for site_id in bundled.sites["site_id"]:
        n, shown = page_numbers(bundled_site_pages / "sites" / f"{site_id}.html", bundled)
        assert n == int(counts.loc[site_id, list(set(process_of.values()))].sum())
        values = pd.Series({cell: float(counts.loc[site_id, cell]) for cell in shown})
        hidden = pd.Series({cell: shown[cell] == HIDDEN_MARK for cell in shown})
        for cell in values.index[~hidden]:  # the page prints these values, rounded
            assert shown[cell] == f"{values[cell] / n:.0%}", (site_id, cell)
        processes = sorted({process_of[c] for c in shown if c in process_of})
        relations = [(p, [c for c in shown if process_of.get(c) == p]) for p in processes]
        relations.append((None, processes))
        assert attack(values, hidden, relations) == set(), site_id
        n_hidden += int(hidden.sum())
        everything.update({(site_id, c): v for c, v in values.items()})
        hidden_everywhere.update({(site_id, c): h for c, h in hidden.items()})
        relations_everywhere += [
            (None if t is None else (site_id, t), [(site_id, m) for m in members]) for t, members in relations
        ]
    assert n_hidden > 0  # the attack had something to attack: 8 shares at S05, S10, S12, S14 were recoverable before
    values, hidden = pd.Series(everything), pd.Series(hidden_everywhere)
    sites = list(bundled.sites["site_id"])
    for cell in counts.columns:  # the study's total of each process and behaviour (the study pages print them)
        relations_everywhere.append((None, [(s, cell) for s in sites]))
    assert attack(values, hidden, relations_everywhere) == set()


def test_peer_comparison_hides_across_linked_tables(bundled):
    # The reviewer's calls: the process table and the behaviour table of one site, computed apart, hide the
    # same pattern (the study-wide one), so that subtracting one from the other gives nothing away.
    frame = bundled.frame()
    sub = bundled.code_table().query("process.notna() and depth == 2")
    for site_id in ("S05", "S10", "S12", "S14"):
        processes = report.peer_comparison(frame, site_id, of="process", min_n=3).set_index("process")
        behaviours = report.peer_comparison(
            frame, site_id, of="code_id", behaviours=sub["code_id"].tolist(), min_n=3
        ).set_index("code_id")
        assert processes.attrs["linked"] and behaviours.attrs["linked"]
        for process, codes in sub.groupby("process", observed=True)["code_id"]:
            hidden = behaviours.loc[list(codes), "hidden"]
            assert hidden.sum() != 1 or processes.loc[process, "hidden"], (site_id, process)
            # shares of the same passages: a shown process is the sum of its behaviours
            if not hidden.any():
                assert processes.loc[process, "site_value"] == pytest.approx(
                    behaviours.loc[list(codes), "site_value"].sum()
                )


# ---------------------------------------------------------------------------
# A report of a study that is not the bundled synthetic one


@pytest.fixture(scope="module")
def own_study_report(tmp_path_factory):
    """The book's study pages and two site reports, rendered for a copy of data/ that says synthetic = false."""
    folder = tmp_path_factory.mktemp("own-study")
    shutil.copytree(DATA_DIR / "raw", folder / "raw")
    manifest = (DATA_DIR / "study.toml").read_text(encoding="utf-8")
    manifest = re.sub(r"(?m)^#.*SYNTHETIC.*$", "", manifest)
    manifest = re.sub(r"(?m)^name = .*$", 'name = "Leadership in two hospitals"', manifest, count=1)
    manifest = re.sub(r"(?m)^synthetic = true$", "synthetic = false", manifest, count=1)
    manifest = re.sub(
        r"(?m)^description = .*$", 'description = "Interviews with leaders and staff."', manifest, count=1
    )
    assert "synthetic = false" in manifest
    (folder / "study.toml").write_text(manifest, encoding="utf-8")
    out = tmp_path_factory.mktemp("own-report") / "out"
    status = cli.main(["report", "--study", str(folder), "--out", str(out), "--sites", "S01,S02", "--jobs", "2"])
    assert status == 0
    return out


def test_own_study_report_says_nothing_of_the_bundled_study(own_study_report):
    found = pages(own_study_report)
    assert {f"{n}.html" for n in ("02-sites-and-informants", "03-behaviours-across-sites", "08-qca")} <= set(found)
    for name, page in found.items():
        text = " ".join(visible(page).split())
        for words in re.finditer(r"(?i)\b(synthetic|bundled|planted|simulated study|generator)\b", text):
            raise AssertionError(f"{name}: {text[max(0, words.start() - 80) : words.end() + 80]!r}")
        # no sentence pointing at something the report left out
        assert not re.search(r"(?i)as shown above|shown above|see above|the league table", text), name


def test_report_shows_no_league_table(own_study_report):
    page = visible((own_study_report / "03-behaviours-across-sites.html").read_text(encoding="utf-8"))
    assert "Which site leads" not in page and " leads on " not in page
    assert "rank correlation" in page  # the lesson on counting units stays, without naming a leader
    source = (NOTEBOOKS_DIR / "03-behaviours-across-sites.ipynb").read_text(encoding="utf-8")
    assert "Which site leads?" in source  # JupyterLab readers keep the league table of the lesson


def test_hidden_values_on_study_pages_are_marked(own_study_report):
    for name, page in pages(own_study_report).items():
        assert "&lt;NA&gt;" not in page, name
    sites_page = (own_study_report / "02-sites-and-informants.html").read_text(encoding="utf-8")
    assert f">{HIDDEN_MARK}<" in sites_page  # formal and informal leaders of small numbers, per site
    assert f"{HIDDEN_MARK} hidden: resting on fewer than 3 informants" in visible(sites_page)


def test_codebook_page_and_the_checklist_link_to_it(full, study):
    out = full["out"]
    page = (out / "codebook.html").read_text(encoding="utf-8")
    text = visible(page)
    for code in study.codebook.itertuples():
        assert f'id="code-{code.code_id}"' in page and html.escape(code.label) in page
        if isinstance(code.definition, str):
            assert " ".join(code.definition.split()) in " ".join(text.split())
    checklist = (out / "checklist.html").read_text(encoding="utf-8")
    assert '<a href="codebook.html">' in checklist
    assert 'href="codebook.html"' in (out / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Progress


class _Terminal:
    """A stream that says it is a terminal."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_plain_lines_elsewhere():
    assert report.progress_bar(12, 29, "sites/S04.html") == "[########------------] 12/29 sites/S04.html"
    assert report.progress_bar(29, 29, "index.html").startswith("[" + "#" * 20 + "]")
    terminal = _Terminal()
    bar = report._Progress(stream=terminal)
    bar.page(1, 3, "02-sites.html")
    bar.page(2, 3, "x.html")
    bar.line("wrote 3 files")
    assert terminal.text == (
        "\r[######--------------] 1/3 02-sites.html\r[#############-------] 2/3 x.html       \nwrote 3 files\n"
    )
    import io

    log = io.StringIO()
    plain = report._Progress(stream=log)
    plain.page(1, 12, "a.html")
    plain.close()
    assert log.getvalue() == "[ 1/12] a.html\n"


def test_failure_after_a_progress_bar_starts_on_its_own_line(study_dir, tmp_path, monkeypatch, capsys):
    import sys

    folder = tmp_path / "nbs"
    folder.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", folder / "site-report.ipynb")
    write_notebook(folder / "02-fine.ipynb", [("markdown", "# 02 · Fine"), ("code", "x = 1")])
    write_notebook(
        folder / "03-broken.ipynb",
        [("markdown", "# 03 · Broken"), ("code", "x = 1"), ("code", "raise KeyError('no such column')")],
    )
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    status = cli.main(
        [
            "report",
            "--study",
            str(study_dir),
            "--out",
            str(tmp_path / "out"),
            "--sites",
            "S01",
            "--jobs",
            "1",
            "--notebooks",
            str(folder),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1 and "03-broken.ipynb" in err and "cell 3" in err and "KeyError" in err
    assert "\r[" in terminal.text and terminal.text.endswith("\n")  # the bar was drawn, then its line ended
