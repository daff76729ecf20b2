"""Pages safe by construction, files that stay in ``--out`` (issue 11, items 1 and 2).

A small simulated study (10 sites, what the book's study notebooks need) is written, then its raw files are given
markup in every field that reaches a page: the site names, the study's name,
the codebook's labels and definitions, the interviewers, the quote texts, and
two site IDs that are paths (``../../x``, and ``../../../esc``, which from the
``sites/`` folder leads outside ``--out``). Roles are a closed vocabulary: the
loader refuses markup there (tested below). The whole report (the book's study
notebooks, the codebook, the checklist and two site pages) is rendered, and
every page is parsed with lxml: no element outside an allowed list, no ``on*``
attribute, no ``javascript:`` or ``data:text/html`` URL, a Content-Security-
Policy in every page, and the markup shown as text.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import lxml.html
import openpyxl
import pytest

from leadlib.report import safety
from leadlib.report.export import safe_path

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "[x](javascript:alert(1))"
TRACKER = "http://evil.example/track.png"
SVG = '"><svg onload=alert(1)>'
SITE = "../../x"  # site S01's ID
ESCAPE = "../../../esc"  # site S02's ID: sites/../../../esc.html is outside --out

#: Elements a page may hold (written out here, not taken from the code under test).
ALLOWED = set(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "style",
        "main",
        "header",
        "footer",
        "section",
        "div",
        "span",
        "p",
        "br",
        "a",
        "img",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "h1",
        "h2",
        "h3",
        "h4",
        "b",
        "i",
    ]
)


def _edit_csv(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(lines[1:]))))
    header, body = rows[0], rows[1:]
    edit(header, body)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    path.write_text(lines[0] + buffer.getvalue(), encoding="utf-8")


def _rename_sites(column: str):
    new = {"S01": SITE, "S02": ESCAPE}

    def edit(header, body):
        i = header.index(column)
        for row in body:
            row[i] = new.get(row[i], row[i])

    return edit


def _quote_markup(raw: Path, interviews) -> None:
    """Markup typed into each interview's transcript at the end of its first coded segment, offsets moved to match."""
    markup = f" {SCRIPT} {MD_LINK} {TRACKER} {IMG}"
    files = [raw / "coded_segments_coder1.csv", raw / "coded_segments_coder2.csv"]
    for interview in interviews:
        transcript = raw / "transcripts" / f"{interview}.txt"
        before = transcript.read_text(encoding="utf-8")
        at = None

        def move(header, body, interview=interview, before=before):
            nonlocal at
            doc, begin, end, text = (header.index(c) for c in ("Document name", "Begin", "End", "Segment"))
            rows = [row for row in body if row[doc] == interview]
            if at is None:
                at = int(rows[0][end])
            after = before[:at] + markup + before[at:]
            for row in rows:
                b, e = int(row[begin]), int(row[end])
                b, e = b + len(markup) * (b > at), e + len(markup) * (e >= at)
                row[begin], row[end], row[text] = str(b), str(e), after[b:e]

        for path in files:
            _edit_csv(path, move)
        transcript.write_text(before[:at] + markup + before[at:], encoding="utf-8")


def write_hostile_study(folder: Path) -> Path:
    """A 10-site simulated study (clean files) with markup in every field that reaches a page."""
    from leadlib.simulate import simulate_study, write_study

    write_study(simulate_study(n_sites=10, seed=5), folder, seed=5, mess=False, overwrite=True)
    raw = folder / "raw"
    _edit_csv(raw / "cmat_survey.csv", _rename_sites("Unit code"))
    _edit_csv(raw / "site_measures.csv", _rename_sites("Site"))

    def log(header, body):
        _rename_sites("Unit")(header, body)
        i = header.index("Interviewer")
        for row in body:
            row[i] = f"{SVG} {SCRIPT}"

    _edit_csv(raw / "interview_log.csv", log)

    def codebook(header, body):
        label, definition = header.index("Code"), header.index("Definition")
        for row in body:
            row[label] = f"{row[label]} {IMG}"
            row[definition] = f"{row[definition]} {MD_LINK} {TRACKER} {SCRIPT}"

    _edit_csv(raw / "codebook_v2.csv", codebook)

    _quote_markup(raw, ("S01-I01", "S02-I01", "S03-I01"))
    for name in ("coded_segments_coder1.csv", "coded_segments_coder2.csv"):
        _edit_csv(raw / name, _rename_sites("Document group"))

    book = openpyxl.load_workbook(raw / "site_register.xlsx")
    sheet = book["Register"]
    for row in sheet.iter_rows(min_row=4):
        row[0].value = {"S01": SITE, "S02": ESCAPE}.get(row[0].value, row[0].value)
        row[1].value = f"{row[1].value} {SCRIPT} {SVG}"
    book.save(raw / "site_register.xlsx")

    manifest = (folder / "study.toml").read_text(encoding="utf-8")
    name = f"Study {SCRIPT} {MD_LINK}".replace('"', '\\"')
    manifest = re.sub(r"(?m)^name = .*$", lambda _m: f'name = "{name}"', manifest, count=1)
    (folder / "study.toml").write_text(manifest, encoding="utf-8")
    return folder


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import leadlib
    from leadlib import report

    root = tmp_path_factory.mktemp("hostile")
    study_dir = write_hostile_study(root / "study")
    study = leadlib.load_study(study_dir)
    parent = root / "parent"
    out = parent / "deeper" / "out"
    out.mkdir(parents=True)
    before = listing(root)
    report.render_report(study_dir, out, sites=[SITE, ESCAPE], jobs=2, min_n=3, progress=lambda line: None)
    after = listing(root)
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    return {"root": root, "out": out, "before": before, "after": after, "pages": pages, "study": study}


@pytest.mark.slow
def test_hostile_values_reach_the_pages(hostile):
    study = hostile["study"]
    assert SCRIPT in study.name and set(study.sites["site_id"]) >= {SITE, ESCAPE}
    assert study.codebook["label"].str.contains(IMG, regex=False).all()
    assert study.interviews["interviewer"].str.contains(SVG, regex=False).all()
    assert study.segments["text"].str.contains(MD_LINK, regex=False).any()


@pytest.mark.slow
def test_no_file_outside_out_and_site_pages_under_slugs(hostile):
    out, root = hostile["out"], hostile["root"]
    outside = {p for p in hostile["after"] - hostile["before"] if not p.startswith("parent/deeper/out/")}
    assert outside == set()  # nothing written beside --out, nor above it
    sites = sorted(p for p in hostile["pages"] if p.startswith("sites/"))
    assert len(sites) == 2
    assert all(re.fullmatch(r"sites/[A-Za-z0-9_.-]+\.html", p) for p in sites)
    for site_id in (SITE, ESCAPE):
        slug = safety.page_slug(site_id)
        assert f"sites/{slug}.html" in sites
        assert out / "sites" in (out / "sites" / f"{slug}.html").resolve().parents
    assert not (root / "parent" / "esc.html").exists() and not (out / "x.html").exists()
    index = lxml.html.fromstring(hostile["pages"]["index.html"])
    assert {a.get("href") for a in index.iter("a")} >= set(sites)  # links between pages use the slugs


def _url_scheme(url: str) -> str:
    bare = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    m = re.match(r"([a-z][a-z0-9+.-]*):", bare)
    return m.group(1) if m else ""


def _check_page(name: str, page: str) -> list[str]:
    problems = []
    doc = lxml.html.document_fromstring(page)
    policies = [
        m.get("content", "") for m in doc.iter("meta") if m.get("http-equiv", "").lower() == "content-security-policy"
    ]
    if not policies or "default-src 'none'" not in policies[0] or "script-src" in policies[0]:
        problems.append(f"{name}: no Content-Security-Policy forbidding script ({policies})")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        if el.tag not in ALLOWED:
            problems.append(f"{name}: element <{el.tag}>")
        for attr, value in el.attrib.items():
            if attr.lower().startswith("on"):
                problems.append(f"{name}: attribute {attr} on <{el.tag}>")
            if attr in ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"):
                scheme = _url_scheme(value)
                if attr == "src" and not re.match(r"data:image/(png|jpeg);base64,", value):
                    problems.append(f"{name}: <{el.tag} src={value[:40]!r}>")
                elif attr != "src" and scheme not in ("", "http", "https", "mailto"):
                    problems.append(f"{name}: <{el.tag} {attr}={value[:40]!r}>")
                if "evil.example" in value:
                    problems.append(f"{name}: a live URL from the data: {value}")
    return problems


@pytest.mark.slow
def test_every_page_parses_to_allowed_elements_attributes_and_urls(hostile):
    pages = hostile["pages"]
    assert {"index.html", "codebook.html", "checklist.html", "05-quotes.html"} <= set(pages)
    problems = [p for name, page in sorted(pages.items()) for p in _check_page(name, page)]
    assert problems == []


def _text(page: str) -> str:
    return lxml.html.document_fromstring(page).text_content()


@pytest.mark.slow
def test_markup_from_data_reads_as_text(hostile):
    pages = hostile["pages"]
    slug = safety.page_slug(SITE)
    site_page = _text(pages[f"sites/{slug}.html"])
    assert SCRIPT in site_page and SVG in site_page  # the site's name, in the opening sentence
    assert MD_LINK in site_page and TRACKER in site_page  # a quote, with its Markdown and URL as text
    assert f"Study {SCRIPT} {MD_LINK}" in site_page  # the study's name, in the header and the closing line
    assert IMG in _text(pages["codebook.html"]) and MD_LINK in _text(pages["codebook.html"])
    assert SVG in _text(pages["checklist.html"])  # the interviewers
    quotes = _text(pages["05-quotes.html"])
    assert SCRIPT in quotes and IMG in quotes  # site names in the meta-matrix, codes' labels in headings
    assert f"Study {SCRIPT}" in _text(pages["index.html"])


def test_roles_are_a_closed_vocabulary(tmp_path):
    import leadlib
    from leadlib.errors import LeadlibDataError

    folder = write_hostile_study(tmp_path / "study")

    def role(header, body):
        body[0][header.index("Role")] = f"Chief {IMG}"

    _edit_csv(folder / "raw" / "interview_log.csv", role)
    with pytest.raises(LeadlibDataError, match="not a known role"):
        leadlib.load_study(folder, cache=False)


def test_quotes_html_escapes_text_and_role():
    import pandas as pd

    from leadlib.report import quotes_html

    page = quotes_html(pd.DataFrame({"text": [f"{SCRIPT} {IMG}"], "role": [SVG]}))
    assert _check_page("quotes", f'<meta http-equiv="Content-Security-Policy" content="{safety.CSP}">' + page) == []
    assert SCRIPT in _text(page) and SVG in _text(page)


# ---------------------------------------------------------------------------
# The sanitiser every page goes through


HOSTILE_SNIPPETS = [
    SCRIPT,
    IMG,
    SVG,
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVa&#09;ScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="http://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="http://evil.example"><input name=a><button formaction="javascript:1">b</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="http://evil.example/">',
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    '<div style="background:url(http://evil.example/t.png)">x</div>',
    '<p onclick="alert(1)" ONMOUSEOVER="alert(1)">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>p{}</style foo><script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<img src="http://evil.example/track.png">',
    "<svg><script>alert(1)</script></svg>",
    '<a href="#x" href="javascript:alert(1)">dup</a>',
]


@pytest.mark.parametrize("snippet", HOSTILE_SNIPPETS)
def test_sanitiser_leaves_nothing_live(snippet):
    page = safety.sanitize_html(f"<!DOCTYPE html><html><head>{safety.CSP_META}</head><body>{snippet}</body></html>")
    assert _check_page("snippet", page) == []


def test_sanitiser_shows_refused_markup_as_text_and_keeps_a_page():
    page = safety.sanitize_html(f"<p>Site {SCRIPT} &amp; {IMG}</p>")
    assert _text(page) == f"Site {SCRIPT} & {IMG}"
    kept = (
        '<h2 id="a">T</h2><p class="lr-note">a &lt; b<br></p><a href="../index.html#sites">back</a>'
        '<a href="https://doi.org/10.1/x">paper</a><img alt="f" src="data:image/png;base64,iVBORw0KGgo=">'
        '<table><tr><th rowspan="2" style="text-align:left">x</th><td>&ndash;</td></tr></table>'
        "<style>#T_1 caption { caption-side: bottom; } a > b {}</style>"
    )
    again = safety.sanitize_html(kept)
    assert again == safety.sanitize_html(again)  # a sanitised page is a fixed point
    doc = lxml.html.fragment_fromstring(again, create_parent="div")
    assert [a.get("href") for a in doc.iter("a")] == ["../index.html#sites", "https://doi.org/10.1/x"]
    assert doc.find(".//img").get("src").startswith("data:image/png;base64,")
    assert doc.find(".//th").get("rowspan") == "2" and "a > b" in doc.find(".//style").text
    assert _text(again) == _text(kept)


@pytest.mark.parametrize(
    ("url", "image", "allowed"),
    [
        ("https://doi.org/10.1016/x", False, True),
        ("http://example.org", False, True),
        ("mailto:a@b.org", False, True),
        ("../index.html#sites", False, True),
        ("#section", False, True),
        ("sites/S01.html", False, True),
        ("javascript:alert(1)", False, False),
        ("JAVASCRIPT:alert(1)", False, False),
        ("java\tscript:alert(1)", False, False),
        ("\x01javascript:alert(1)", False, False),
        ("data:text/html,<b>", False, False),
        ("file:///etc/passwd", False, False),
        ("data:image/png;base64,AAAA", True, True),
        ("data:image/svg+xml,<svg>", True, False),
        ("x", True, False),
        ("https://evil.example/t.png", True, False),
    ],
)
def test_safe_url(url, image, allowed):
    assert safety.safe_url(url, image=image) is allowed


# ---------------------------------------------------------------------------
# File names and writes


@pytest.mark.parametrize(
    "site_id", ["../../x", "a/b", "a\\b", "CON", "con.txt", "lpt1", "two words", "Zürich", "..", ".", "", "x" * 300]
)
def test_page_slug_is_a_safe_file_name(site_id):
    slug = safety.page_slug(site_id)
    assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", slug) and len(slug) <= 64
    assert slug.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "lpt1", "com1"}
    assert slug != site_id  # each of these had to change, and says so with a hash


def test_page_slug_keeps_safe_ids_and_is_unique():
    assert safety.page_slug("S01") == "S01" and safety.page_slug("site-7.b") == "site-7.b"
    ids = ["a/b", "a_b", "a b", "A_B", "S1", "s1", "../../x", "x"]
    slugs = safety.unique_slugs(ids)
    assert len({s.casefold() for s in slugs.values()}) == len(ids)  # unique even where case is ignored
    assert slugs["a_b"] == "a_b" and slugs["x"] == "x" and slugs["S1"] == "S1"


def test_safe_path_refuses_paths_outside_the_folder(tmp_path):
    from leadlib.report import ReportError

    out = tmp_path / "out"
    out.mkdir()
    assert safe_path(out, "sites/S01.html") == (out / "sites" / "S01.html").resolve()
    for bad in ("../x.html", "sites/../../x.html", "/etc/passwd", "a\\..\\..\\x", "", "."):
        with pytest.raises(ReportError, match="refusing to write"):
            safe_path(out, bad)
    (tmp_path / "elsewhere").mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(ReportError, match="outside"):
        safe_path(out, "link/page.html")  # a link inside out that leads outside it


def test_atomic_write_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    safety.atomic_write(target, "old page")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        safety.atomic_write(target, "new page " * 1000)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # no temporary file left
    safety.atomic_write(target, "new page")
    assert target.read_text(encoding="utf-8") == "new page"


def test_publish_ignores_a_manifest_that_points_outside(tmp_path):
    from leadlib.report import MANIFEST, _publish

    out, stage = tmp_path / "out", tmp_path / "out" / ".stage"
    (stage / "sites").mkdir(parents=True)
    (stage / "sites" / "S01.html").write_text("page", encoding="utf-8")
    victim = tmp_path / "victim.html"
    victim.write_text("keep me", encoding="utf-8")
    (out / "sites").mkdir()
    (out / MANIFEST).write_text('{"files": ["../victim.html", "/etc/hostname", "sites/old.html"]}', encoding="utf-8")
    (out / "sites" / "old.html").write_text("old", encoding="utf-8")
    written = _publish(stage, out)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert [p.relative_to(out.resolve()).as_posix() for p in written] == ["sites/S01.html"]
    assert not (out / "sites" / "old.html").exists()


def test_styled_escapes_values_labels_and_their_names():
    import pandas as pd

    from leadlib.disclosure import styled, suppress

    table = pd.DataFrame(
        {f"<b>{SCRIPT}</b>": [1, 5], "other": [4, 6]},
        index=pd.Index([IMG, "S02"], name=SVG),
    )
    table.columns.name = MD_LINK
    page = styled(suppress(table, min_n=3, support=table)).to_html()
    assert _check_page("styled", f"{safety.CSP_META}{page}") == []
    assert "<script>" not in page and "<img" not in page and "<svg" not in page
    text = _text(page)
    assert SCRIPT in text and IMG in text and SVG in text and MD_LINK in text
