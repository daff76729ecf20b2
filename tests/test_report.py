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
from leadlib.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

STUB_STUDY_NOTEBOOK = [
    ("markdown", "# 02 · Stub chapter\n\n**Question:** What does a stub show?\n\n**Audience:** tests."),
    ("parameters", "study_path = None\nshow_quotes = True\nmin_n = None"),
    ("code", "import leadlib\nfrom leadlib import compare\nfrom leadlib.disclosure import suppress\n"
             "from leadlib.notebook import setup\nstudy = leadlib.load_study(study_path)\nsetup(study)\n"
             "frame = study.frame()"),
    ("code", "suppress(compare.site_matrix(frame, of='process', unit='segments'), min_n=min_n)"),
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
    return {str(p): p.stat().st_mtime for f in folders for p in f.rglob("*")
            if ".leadlib-cache" not in p.parts}


@pytest.fixture(scope="module")
def full(study_dir, notebooks, tmp_path_factory):
    """The whole report: every site, quotes shown, min_n = 3."""
    out = tmp_path_factory.mktemp("reports") / "out"
    before = snapshot(study_dir, notebooks)
    lines: list[str] = []
    written = report.render_report(study_dir, out, jobs=2, min_n=3, notebooks_dir=notebooks, progress=lines.append)
    return {"out": out, "written": written, "lines": lines, "before": before,
            "after": snapshot(study_dir, notebooks)}


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
    expected = {"index.html", "02-stub.html", "checklist.html"} | {f"sites/{s}.html" for s in site_ids}
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
        for marker in ("jp-InputArea", "input_area", "jp-CodeMirrorEditor", "In&nbsp;[", "Traceback",
                       "application/vnd.jupyter.stderr", "Warning"):
            assert marker not in page, (name, marker)
        assert "import leadlib" not in visible(page), name


def test_self_contained_no_external_requests(full):
    for name, page in pages(full["out"]).items():
        assert report.external_requests(page) == [], name
        # every http(s) reference in the file is a plain link someone may click
        for m in re.finditer(r"https?://", page):
            start = page.rfind("<", 0, m.start())
            assert page[start:start + 3] == "<a ", (name, page[start:m.end() + 40])
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
    from leadlib.schema import label

    seen = {"shown": 0, "withheld": 0}
    for site_id in study.sites["site_id"]:
        page = (full["out"] / "sites" / f"{site_id}.html").read_text(encoding="utf-8")
        for text, role in re.findall(r'<blockquote class="lr-quote">(.*?)<span class="lr-role">(?:&mdash;|—) (.*?)</span>',
                                     page, flags=re.DOTALL):
            # the same excerpt can recur at other sites (and rarely within one): the speaker is one of
            # this site's informants who said it
            said = frame[(texts == html.unescape(text)) & (frame["site_id"] == site_id)]
            assert len(said), text[:60]
            allowed = {label(r) if held.get((site_id, r), 0) >= 2 else compare.ROLE_WITHHELD for r in said["role"]}
            shown = html.unescape(role)
            assert shown in allowed
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
            assert table.loc[behaviour, "Your site"] == "hidden"
        assert (table["Your site"] == "hidden").sum() != 1  # never a lone hidden share among shares adding to 1


@pytest.fixture(scope="module")
def rerun(full, study_dir, notebooks, tmp_path_factory, capsys_module=None):
    """Copy of the full report, with a file of the user's, re-rendered for two sites, no quotes, min_n 1000."""
    out = tmp_path_factory.mktemp("rerun") / "out"
    shutil.copytree(full["out"], out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    status = cli.main(["report", "--study", str(study_dir), "--out", str(out), "--sites", "S01,S02", "--no-quotes",
                       "--min-n", "1000", "--jobs", "2", "--notebooks", str(notebooks)])
    return {"out": out, "status": status}


def test_sites_option_and_clean_overwrite(rerun):
    out = rerun["out"]
    assert rerun["status"] == 0
    assert set(pages(out)) == {"index.html", "02-stub.html", "checklist.html", "sites/S01.html", "sites/S02.html"}
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
    assert set(table["Your site"]) <= {"hidden", "0%"}  # nothing rests on 1000 informants
    stub = (rerun["out"] / "02-stub.html").read_text(encoding="utf-8")
    assert "&lt;NA&gt;" in stub  # the stub's suppressed site table


def test_failing_notebook_names_notebook_and_cell(study_dir, tmp_path, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", folder / "site-report.ipynb")
    write_notebook(folder / "02-broken.ipynb", [
        ("markdown", "# 02 · Broken"),
        ("parameters", "study_path = None\nmin_n = None\nshow_quotes = True"),
        ("code", "x = 1"),
        ("code", "raise KeyError('no such column: behaviour')"),
    ])
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous report", encoding="utf-8")
    status = cli.main(["report", "--study", str(study_dir), "--out", str(out), "--sites", "S01",
                       "--jobs", "1", "--notebooks", str(folder)])
    err = capsys.readouterr().err
    assert status == 1
    assert "02-broken.ipynb" in err and "cell 4" in err and "KeyError" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous report"  # nothing replaced
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_warning_in_output_fails(study_dir, tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    write_notebook(folder / "02-warns.ipynb", [
        ("markdown", "# 02 · Warns"),
        ("code", "import warnings\nwarnings.warn('palette without hue is deprecated', FutureWarning)"),
    ])
    with pytest.raises(report.ReportError, match=r"02-warns\.ipynb.*cell 2.*FutureWarning"):
        report.render_report(study_dir, tmp_path / "out", sites=[], jobs=1, notebooks_dir=folder,
                             progress=lambda line: None)


def test_unknown_site_is_a_data_error(study_dir, notebooks, tmp_path, capsys):
    status = cli.main(["report", "--study", str(study_dir), "--out", str(tmp_path / "o"), "--sites", "S01,S99",
                       "--notebooks", str(notebooks)])
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
    assert found == ["https://cdn.example.org/require.js", "http://example.org/a.png", "//fonts.example.org/css",
                     "https://example.org/x.css", "https://example.org/b.png"]


def test_inject_parameters_after_the_parameters_cell():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# t"),
        nbformat.v4.new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(a)"),
    ])
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
    assert statements.loc[statements["kind"] == "strength", "behaviour"].tolist() == above
    assert statements.loc[statements["kind"] == "opportunity", "behaviour"].tolist() == below
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
    write_notebook(folder / "02-first.ipynb", [
        ("markdown", "# 02 · First"),
        ("code", "import matplotlib.pyplot as plt\nimport pandas as pd\nleak = 1\n"
                 "plt.rcParams['lines.linewidth'] = 9\npd.set_option('display.max_rows', 3)\nplt.figure()"),
    ])
    write_notebook(folder / "03-second.ipynb", [
        ("markdown", "# 03 · Second"),
        ("code", "import matplotlib.pyplot as plt\nimport pandas as pd\n"
                 "assert 'leak' not in globals(), 'a variable of the previous notebook is still defined'\n"
                 "assert plt.rcParams['lines.linewidth'] != 9, 'matplotlib settings leaked'\n"
                 "assert pd.get_option('display.max_rows') != 3, 'pandas options leaked'\n"
                 "assert plt.get_fignums() == [], 'figures of the previous notebook are open'"),
    ])
    written = report.render_report(study_dir, tmp_path / "out", sites=[], jobs=1, notebooks_dir=folder,
                                   progress=lambda line: None)
    assert {p.name for p in written} >= {"02-first.html", "03-second.html"}
