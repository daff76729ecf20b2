"""Write a simulated study the way a research team receives one: raw files with real-world mess.

The files are written from the study's tidy tables, then roughened in ways
field data are rough (each listed in :data:`MESS` and in the study README):
site names spelled differently across files, role abbreviations, a code
renamed between codebook versions, duplicated export rows, several missing
markers, Excel date serials, one transcript in cp1252, stray whitespace, and
one coded interview missing from the interview log. The manifest written
alongside (``study.toml``) holds the mappings that tidy them, so
``load_study`` reads the folder back into the same tables (less the
interview missing from the log, whose rows it drops with audit entries).

Output is byte-identical for the same study and seed.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LeadlibDataError
from ..load import load_study
from ..study import Study
from ._mess import MESS
from .model import SYNTHETIC_NOTE
from .planted import planted_toml, recover
from .readme import study_readme

__all__ = ["write_study", "MESS", "ROLE_SPELLINGS", "SETTING_SPELLINGS"]

ROLE_SPELLINGS = {
    "medical_director": ["Medical Director", "Med Director", "Medical director"],
    "physician": ["Physician", "MD", "Staff physician", "physician"],
    "nurse_manager": ["Nurse Manager", "Nurse Mgr", "NM", "nurse manager"],
    "nurse_practitioner": ["Nurse Practitioner", "NP"],
    "nurse": ["RN", "Registered Nurse", "Staff Nurse", "Nurse"],
    "allied_health": ["Allied Health", "Physical Therapist", "Respiratory Therapist", "Medical Assistant"],
    "pharmacist": ["Pharmacist", "PharmD"],
    "social_worker": ["Social Worker", "MSW"],
    "clerical": ["Unit Clerk", "Receptionist", "Clerical", "Secretary"],
    "administrator": ["Administrator", "VP Operations", "Practice Administrator"],
    "other": ["Other"],
}
#: spellings that need an alias (the others match the vocabulary ignoring case and spaces)
ROLE_ALIASES = {
    "Med Director": "medical_director",
    "MD": "physician",
    "Staff physician": "physician",
    "Nurse Mgr": "nurse_manager",
    "NM": "nurse_manager",
    "NP": "nurse_practitioner",
    "RN": "nurse",
    "Registered Nurse": "nurse",
    "Staff Nurse": "nurse",
    "Physical Therapist": "allied_health",
    "Respiratory Therapist": "allied_health",
    "Medical Assistant": "allied_health",
    "PharmD": "pharmacist",
    "MSW": "social_worker",
    "Unit Clerk": "clerical",
    "Receptionist": "clerical",
    "Secretary": "clerical",
    "VP Operations": "administrator",
    "Practice Administrator": "administrator",
}
SETTING_SPELLINGS = {
    "primary_care": "Primary care",
    "specialty_clinic": "Specialty clinic",
    "inpatient_unit": "Inpatient unit",
    "icu_nicu": "ICU / NICU",
    "emergency_department": "Emergency Dept.",
    "home_health": "Home health",
    "hospice": "Hospice",
    "long_term_care": "Long-term care",
    "behavioral_health": "Behavioral health",
}
SETTING_ALIASES = {"Emergency Dept.": "emergency_department"}
_ABBREVIATIONS = [
    ("Family Practice", "Fam. Practice"),
    ("Saint ", "St. "),
    ("Center", "Ctr"),
    ("Department", "Dept"),
    ("Medical", "Med."),
    ("Internal Medicine", "Int. Medicine"),
    ("Intensive Care", "ICU"),
    ("Health", "Hlth"),
]
_CMAT_COLUMNS = {
    "leadership": "Q1 Leadership",
    "organizational_support": "Q2 Organizational support",
    "staff_focus": "Q3 Staff focus",
    "education_training": "Q4 Education and training",
    "interdependence": "Q5 Interdependence",
    "patient_focus": "Q6 Patient focus",
    "community_market_focus": "Q7 Community and market focus",
    "performance_results": "Q8 Performance results",
    "process_improvement": "Q9 Process improvement",
    "information_technology": "Q10 Information and IT",
}
_FIXED_TIME = (2001, 7, 1, 0, 0, 0)
_RAW_FILES = (
    "README.txt",
    "site_register.xlsx",
    "codebook_v2.csv",
    "interview_log.csv",
    "coded_segments_coder1.csv",
    "coded_segments_coder2.csv",
    "cmat_survey.csv",
    "site_measures.csv",
)
_TRANSCRIPT_MARK = f"[{SYNTHETIC_NOTE}]".encode()[:40]
OLD_CODE_LABEL = "Watching the numbers"
RENAMED_CODE = "BK.measures"


def _csv_text(header: list[str], rows: list[list], title: str | None) -> str:
    buf = io.StringIO()
    if title:
        buf.write(title + "\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _date_text(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _serial(value) -> int:
    return (pd.Timestamp(value).to_pydatetime() - _dt.datetime(1899, 12, 30)).days


def _number_text(v, digits=None) -> str:
    if v is None or pd.isna(v):
        return ""
    v = float(v)
    if v.is_integer():
        return str(int(v))
    return f"{v:.{digits}f}" if digits is not None else repr(v)


def write_study(
    study: Study,
    out: str | Path,
    *,
    seed: int = 0,
    mess: bool = True,
    overwrite: bool = False,
    planted: bool = True,
) -> Path:
    """Write ``study`` as a study folder: ``study.toml``, ``README.md``, ``raw/``.

    Parameters
    ----------
    study
        A study from :func:`~leadlib.simulate.simulate_study`.
    out
        Folder to write into. Files are written only inside it.
    seed
        Seed for the roughening (which rows, which spellings).
    mess
        Roughen the files as field data are (default). ``False`` writes clean
        files (IDs everywhere, vocabulary values, UTF-8, no duplicates).
    overwrite
        Replace an existing study in ``out`` (only the files this function
        writes; other files in the folder are left alone).
    planted
        Load the written folder back and write ``planted.toml``: what is planted and what the files show of it
        (:mod:`leadlib.simulate.planted`), listed in the README too. ``False`` skips it (a large study loads
        for a while).
    """
    out = Path(out)
    raw = out / "raw"
    tdir = raw / "transcripts"
    _make_room(out, overwrite=overwrite)
    tdir.mkdir(parents=True, exist_ok=True)
    # The order of the writers below is the order of the draws from rng: keep it, or the bytes change.
    rng = np.random.default_rng([seed, 20030601])
    title = f"# {SYNTHETIC_NOTE}"
    variants, site_aliases = _site_name_variants(study.sites, rng, mess=mess)
    site_name = _site_namer(variants, rng, mess=mess)
    _write_register(raw / "site_register.xlsx", study.sites, rng, mess)
    _write_codebook(raw / "codebook_v2.csv", study.codebook, title)
    missing_interview = _write_interview_log(
        raw / "interview_log.csv", study, rng, mess=mess, site_name=site_name, title=title
    )
    curly = study.metadata.get("curly_interview") if mess else None
    for r in study.transcripts.itertuples():
        encoding = "cp1252" if r.interview_id == curly else "utf-8"
        (tdir / f"{r.interview_id}.txt").write_bytes(r.text.encode(encoding))
    paths = _code_paths(study.codebook)
    old_path = paths[RENAMED_CODE].rsplit("\\", 1)[0] + "\\" + OLD_CODE_LABEL
    _write_segments(raw, study, rng, mess=mess, site_name=site_name, paths=paths, old_path=old_path, title=title)
    _write_survey(raw / "cmat_survey.csv", study.survey, rng, mess=mess, title=title)
    _write_measures(raw / "site_measures.csv", study.measures, rng, mess=mess, site_name=site_name, title=title)
    (raw / "README.txt").write_text(
        f"{SYNTHETIC_NOTE}\n\nThese are the raw files of a synthetic study as a research team might receive\n"
        "them, roughened on purpose. Don't edit them: leadlib tidies them (see ../study.toml and ../README.md).\n",
        encoding="utf-8",
    )
    manifest = _manifest(
        study,
        mess=mess,
        site_aliases=site_aliases,
        old_path=old_path,
        has_survey=len(study.survey) > 0,
        has_measures=len(study.measures) > 0,
    )
    (out / "study.toml").write_text(manifest, encoding="utf-8")
    recovered = None
    if planted and {"site_traits", "passages"} <= set(study.metadata):
        recovered = recover(load_study(out), truth=study.metadata["site_traits"], passages=study.metadata["passages"])
        (out / "planted.toml").write_text(planted_toml(study, recovered), encoding="utf-8")
    (out / "README.md").write_text(
        study_readme(study, mess=mess, missing_interview=missing_interview, recovered=recovered), encoding="utf-8"
    )
    return out


def _make_room(out: Path, *, overwrite: bool) -> None:
    """Check ``out`` holds no study (unless ``overwrite``) and remove the transcripts an earlier run wrote.

    Raises
    ------
    LeadlibDataError
        When ``out`` holds files a study would replace and ``overwrite`` is
        false, or ``raw/transcripts`` holds a file this module did not write.
    """
    raw = out / "raw"
    tdir = raw / "transcripts"
    ours = [out / "study.toml", out / "README.md", out / "planted.toml", *(raw / name for name in _RAW_FILES)]
    there = [p for p in ours if p.exists()] + (sorted(tdir.iterdir()) if tdir.is_dir() else [])
    if there and not overwrite:
        raise LeadlibDataError(
            "the folder already holds files a study would replace",
            path=there[0],
            hint="choose an empty folder, or pass --overwrite to replace a study written by leadlib simulate",
        )
    if not tdir.is_dir():
        return
    # Replace only transcripts this function wrote (they say so on their first line).
    for old in sorted(tdir.iterdir()):
        with open(old, "rb") as fh:
            first = fh.read(len(_TRANSCRIPT_MARK))
        if old.suffix != ".txt" or first != _TRANSCRIPT_MARK:
            raise LeadlibDataError(
                "raw/transcripts holds a file leadlib simulate did not write",
                path=old,
                hint="move it out of the folder, or write the study somewhere else",
            )
    for old in tdir.glob("*.txt"):
        old.unlink()


def _site_name_variants(
    sites: pd.DataFrame, rng: np.random.Generator, *, mess: bool
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """How the files spell each site's name.

    Returns
    -------
    variants : dict
        Site ID -> the spellings the files use, the register's first; a
        quarter of the sites get an abbreviated (or re-spaced, lower-case)
        spelling and an upper-case (or padded) one when ``mess``.
    aliases : dict
        Abbreviated spelling -> site ID, for the manifest (spellings that
        differ only in case and spacing need none).
    """
    n_sites = len(sites)
    name_of = dict(zip(sites["site_id"], sites["name"]))
    variants: dict[str, list[str]] = {sid: [name] for sid, name in name_of.items()}
    site_aliases: dict[str, str] = {}
    if not mess:
        return variants, site_aliases
    k = max(1, n_sites // 4)
    for sid in rng.choice(sites["site_id"].to_numpy(), size=min(k, n_sites), replace=False):
        name = name_of[sid]
        abbreviated = _abbreviate(name)
        if abbreviated == name:
            abbreviated = name.replace(" ", "  ", 1).lower()  # case and spacing: tidied without an alias
        else:
            site_aliases[abbreviated] = sid
        variants[sid].append(abbreviated)
        variants[sid].append(name.upper() if rng.random() < 0.5 else f" {name} ")
    return variants, site_aliases


def _abbreviate(name: str) -> str:
    """``name`` with the first of :data:`_ABBREVIATIONS` it contains applied once (``name`` if none)."""
    for long, short in _ABBREVIATIONS:
        if long in name:
            return name.replace(long, short, 1)
    return name


def _site_namer(variants: dict[str, list[str]], rng: np.random.Generator, *, mess: bool) -> Callable[[str], str]:
    """A function giving the name a file uses for a site: one of its spellings at random, or its ID when clean."""

    def site_name(sid: str) -> str:
        options = variants[sid]
        return options[int(rng.integers(len(options)))] if mess else sid

    return site_name


def _write_codebook(path: Path, book: pd.DataFrame, title: str) -> None:
    """The codebook, version 2, with group labels instead of group IDs."""
    cb_rows = [
        [
            r.code_id,
            r.label,
            _group_label(r.group),
            "" if pd.isna(r.parent) else r.parent,
            "" if pd.isna(r.definition) else r.definition,
        ]
        for r in book.itertuples()
    ]
    path.write_text(
        _csv_text(["Code ID", "Code", "Group", "Parent ID", "Definition"], cb_rows, title), encoding="utf-8"
    )


def _write_interview_log(
    path: Path,
    study: Study,
    rng: np.random.Generator,
    *,
    mess: bool,
    site_name: Callable[[str], str],
    title: str,
) -> str | None:
    """The interview log, one row per interview with its informant; returns the interview left out of it (if any)."""
    informants = study.informants.set_index("informant_id")
    segments = study.segments
    coded = segments.loc[segments["primary"], "interview_id"].unique()
    missing_interview = None
    if mess and len(coded) > 1:
        missing_interview = str(coded[int(rng.integers(len(coded)))])
    log_rows = [
        _log_row(r, informants.loc[r.informant_id], rng, mess=mess, site_name=site_name)
        for r in study.interviews.itertuples()
        if r.interview_id != missing_interview
    ]
    if mess and log_rows:
        dup = int(rng.integers(len(log_rows)))
        log_rows.insert(dup + 1, list(log_rows[dup]))
    path.write_text(
        _csv_text(
            ["Interview", "Informant", "Unit", "Role", "Leader?", "Level", "Date", "Interviewer", "Minutes"],
            log_rows,
            title,
        ),
        encoding="utf-8",
    )
    return missing_interview


def _log_row(r, inf: pd.Series, rng: np.random.Generator, *, mess: bool, site_name: Callable[[str], str]) -> list:
    """One row of the interview log: interview ``r`` (a row of the interviews table) and its informant ``inf``."""
    role = inf["role"]
    role_text = (
        role if not mess or pd.isna(role) else ROLE_SPELLINGS[role][int(rng.integers(len(ROLE_SPELLINGS[role])))]
    )
    if mess and rng.random() < 0.05:
        role_text = f" {role_text}"
    leader = (
        {"formal": "Formal", "informal": "Informal", "none": "No"}[inf["leader_type"]] if mess else inf["leader_type"]
    )
    level = inf["leader_level"]
    level_text = level.capitalize() if mess and not pd.isna(level) else ("" if pd.isna(level) else level)
    if mess and pd.isna(level):
        level_text = ["N/A", "-", ""][int(rng.integers(3))]
    date = _date_text(r.date)
    if mess and rng.random() < 0.03:
        date = str(_serial(r.date))
    interviewer = "" if pd.isna(r.interviewer) else r.interviewer
    minutes = _number_text(r.duration_min)
    if mess and rng.random() < 0.02:
        minutes = "N/A" if pd.isna(r.duration_min) else minutes
    return [
        r.interview_id,
        r.informant_id,
        site_name(r.site_id),
        role_text,
        leader,
        level_text,
        date,
        interviewer,
        minutes,
    ]


def _write_segments(
    raw: Path,
    study: Study,
    rng: np.random.Generator,
    *,
    mess: bool,
    site_name: Callable[[str], str],
    paths: dict[str, str],
    old_path: str,
    title: str,
) -> None:
    """The two coders' exports: codes as paths, the renamed code's old path at early sites, duplicated rows."""
    sites = study.sites
    n_sites = len(sites)
    segments = study.segments
    site_of = dict(zip(study.interviews["interview_id"], study.interviews["site_id"]))
    order = {
        sid: i
        for i, sid in enumerate(
            sorted(sites["site_id"], key=lambda s: (sites.set_index("site_id").loc[s, "visit_date"], s))
        )
    }
    early = {sid for sid, i in order.items() if i < max(1, int(0.4 * n_sites))}
    for primary, filename in ((True, "coded_segments_coder1.csv"), (False, "coded_segments_coder2.csv")):
        part = segments[segments["primary"] == primary].sort_values(["interview_id", "start", "code_id"], kind="stable")
        rows = []
        for r in part.itertuples():
            sid = site_of[r.interview_id]
            code = paths[r.code_id] if mess else r.code_id
            if mess and primary and r.code_id == RENAMED_CODE and sid in early:
                code = old_path
            doc = r.interview_id
            if mess and rng.random() < 0.01:
                doc = f"{doc} "
            rows.append([site_name(sid) if mess else sid, doc, code, int(r.start), int(r.end), r.text, r.coder])
        if mess and primary and rows:
            for i in sorted(
                rng.choice(len(rows), size=min(len(rows), max(1, len(rows) // 400)), replace=False), reverse=True
            ):
                rows.insert(i + 1, list(rows[i]))
        (raw / filename).write_text(
            _csv_text(
                ["Document group", "Document name", "Code", "Begin", "End", "Segment", "Created by"], rows, title
            ),
            encoding="utf-8",
        )


def _write_survey(path: Path, survey: pd.DataFrame, rng: np.random.Generator, *, mess: bool, title: str) -> None:
    """The CMAT survey, wide (one row per respondent), unit codes roughened; nothing when there is no survey."""
    if not len(survey):
        return
    wide = survey.pivot(index=["respondent_id", "site_id"], columns="characteristic", values="rating")
    rows = []
    for (rid, sid), values in wide.iterrows():
        unit = sid
        if mess and rng.random() < 0.03:
            unit = [sid.lower(), f" {sid}", f"{sid} "][int(rng.integers(3))]
        cells = []
        for c in _CMAT_COLUMNS:
            v = values.get(c)
            if pd.isna(v):
                cells.append("can't rate" if (not mess or rng.random() < 0.8) else "")
            else:
                cells.append(str(int(v)))
        rows.append([rid, unit, *cells])
    path.write_text(_csv_text(["Respondent", "Unit code", *_CMAT_COLUMNS.values()], rows, title), encoding="utf-8")


def _write_measures(
    path: Path,
    measures: pd.DataFrame,
    rng: np.random.Generator,
    *,
    mess: bool,
    site_name: Callable[[str], str],
    title: str,
) -> None:
    """The site measures, missing values written as N/A or -; nothing when there are no measures."""
    if not len(measures):
        return
    rows = []
    for r in measures.itertuples():
        value = _number_text(r.value, 2 if r.measure == "cost_index" else 1)
        if value == "" and mess:
            value = ["N/A", "-"][int(rng.integers(2))]
        rows.append([site_name(r.site_id), r.measure, value, "higher" if r.higher_is_better else "lower"])
    path.write_text(_csv_text(["Site", "Measure", "Value", "Better when"], rows, title), encoding="utf-8")


def _group_label(group) -> str:
    return {
        "building_knowledge": "Building knowledge",
        "taking_action": "Taking action",
        "reviewing_reflecting": "Reviewing and reflecting",
        "success_characteristic": "Success characteristic",
        "other": "",
    }[group]


def _code_paths(book: pd.DataFrame) -> dict[str, str]:
    label = dict(zip(book["code_id"], book["label"]))
    parent = dict(zip(book["code_id"], book["parent"]))
    out = {}
    for code in book["code_id"]:
        parts, c = [], code
        while isinstance(c, str):
            parts.append(label[c])
            c = parent.get(c)
        out[code] = "\\".join(reversed(parts))
    return out


def _write_register(path: Path, sites: pd.DataFrame, rng, mess: bool) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append([SYNTHETIC_NOTE])
    ws.append([])
    ws.append(
        [
            "Site ID",
            "Microsystem",
            "Setting",
            "Organization",
            "Region",
            "Staff (FTE)",
            "Patients per year",
            "Site visit",
        ]
    )
    serial_rows = set(rng.choice(len(sites), size=min(3, len(sites)), replace=False).tolist()) if mess else set()
    text_rows = set(rng.choice(len(sites), size=min(2, len(sites)), replace=False).tolist()) if mess else set()
    for i, r in enumerate(sites.itertuples()):
        name = r.name
        if mess and rng.random() < 0.1:
            name = f"{name} "
        setting = SETTING_SPELLINGS[r.setting] if mess else r.setting
        fte = ("N/A" if mess else None) if pd.isna(r.staff_fte) else float(r.staff_fte)
        visit = r.visit_date.to_pydatetime()
        if i in serial_rows:
            visit = _serial(r.visit_date)
        elif i in text_rows:
            visit = r.visit_date.strftime("%Y-%m-%d")
        ws.append(
            [
                r.site_id,
                name,
                setting,
                r.organization,
                r.region,
                fte,
                None if pd.isna(r.annual_patients) else int(r.annual_patients),
                visit,
            ]
        )
        cell = ws.cell(row=ws.max_row, column=8)
        if isinstance(visit, _dt.datetime):
            cell.number_format = "yyyy-mm-dd"
    fixed = _dt.datetime(*_FIXED_TIME)
    wb.properties.creator = "leadlib.simulate"
    wb.properties.title = "SYNTHETIC site register"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_reproducible_zip(buf.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip (xlsx) with fixed timestamps, so the same content gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time; keep the element, fix its value
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2001-07-01T00:00:00Z\g<2>", content
                )
            new = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, content)
    return out.getvalue()


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _segments_section(key: str, path: str, *, primary: bool, explain: bool) -> list[str]:
    """A [tables.<key>] section for one coder's export (comments on the first one only)."""

    def note(text: str) -> str:
        return f"  # {text}" if explain else ""

    return [
        f"[tables.{key}]",
        f'path = "{path}"',
        "skip_rows = 1",
        f"primary = {'true' if primary else 'false'}"
        + ("  # the primary coding of each interview" if primary else "  # a second coder, for reliability"),
        'code_path_separator = "\\\\"' + note("codes are written as paths: Parent\\Child"),
        'on_unknown_interview = "drop"' + note("a coded interview missing from the log is left out (audited)"),
        f"[tables.{key}.columns]",
        'interview_id = "Document name"',
        'code_id = "Code"',
        'coder = "Created by"',
        'start = "Begin"',
        'end = "End"',
        'text = "Segment"',
        "",
    ]


def _manifest(
    study: Study, *, mess: bool, site_aliases: dict, old_path: str, has_survey: bool, has_measures: bool
) -> str:
    lines = [
        "# leadlib study manifest: what each source file is and how to tidy it.",
        "# Format: README.md of leadlib, section 'Bringing your own study'.",
        f"# {SYNTHETIC_NOTE}",
        "",
        "[study]",
        f"name = {_toml_str(study.name)}",
        "synthetic = true",
        f"description = {_toml_str(SYNTHETIC_NOTE)}",
        "# values read as missing in every table",
        'missing = ["", "N/A", "n/a", "NA", "-"]',
        "",
        "[tables.sites]",
        'path = "raw/site_register.xlsx"',
        'sheet = "Register"',
        "skip_rows = 2  # a title line and a blank line above the header",
        "[tables.sites.columns]",
        'site_id = "Site ID"',
        'name = "Microsystem"',
        'setting = "Setting"',
        'organization = "Organization"',
        'region = "Region"',
        'staff_fte = "Staff (FTE)"',
        'annual_patients = "Patients per year"',
        'visit_date = "Site visit"',
        "",
        "# The interview log feeds two tables: the people interviewed, and the interviews.",
        "[tables.informants]",
        'path = "raw/interview_log.csv"',
        "skip_rows = 1",
        "[tables.informants.columns]",
        'informant_id = "Informant"',
        'site_id = "Unit"  # site names here; tidying replaces them by the register\'s site IDs',
        'role = "Role"',
        'leader_type = "Leader?"',
        'leader_level = "Level"',
        "",
        "[tables.interviews]",
        'path = "raw/interview_log.csv"',
        "skip_rows = 1",
        "[tables.interviews.columns]",
        'interview_id = "Interview"',
        'informant_id = "Informant"',
        'site_id = "Unit"',
        'date = "Date"',
        'interviewer = "Interviewer"',
        'duration_min = "Minutes"',
        "",
        "[tables.transcripts]",
        'path = "raw/transcripts/*.txt"  # one file per interview, named after the interview ID',
        'format = "txt"',
        'on_unknown_interview = "drop"  # a transcript whose interview is not in the log is left out (audited)',
        "",
        "[tables.codebook]",
        'path = "raw/codebook_v2.csv"',
        "skip_rows = 1",
        "[tables.codebook.columns]",
        'code_id = "Code ID"',
        'label = "Code"',
        'group = "Group"',
        'parent = "Parent ID"',
        'definition = "Definition"',
        "",
        *_segments_section("segments", "raw/coded_segments_coder1.csv", primary=True, explain=True),
        *_segments_section("segments_coder2", "raw/coded_segments_coder2.csv", primary=False, explain=False),
    ]
    if has_survey:
        lines += [
            "[tables.survey]",
            'path = "raw/cmat_survey.csv"',
            "skip_rows = 1",
            'layout = "wide"  # one row per respondent, one column per characteristic',
            'missing = ["can\'t rate"]',
            "[tables.survey.columns]",
            'respondent_id = "Respondent"',
            'site_id = "Unit code"',
            "[tables.survey.wide]",
            'names_to = "characteristic"',
            'values_to = "rating"',
            "[tables.survey.wide.columns]",
            *[f"{k} = {_toml_str(v)}" for k, v in _CMAT_COLUMNS.items()],
            "",
        ]
    if has_measures:
        lines += [
            "[tables.measures]",
            'path = "raw/site_measures.csv"',
            "skip_rows = 1",
            "[tables.measures.columns]",
            'site_id = "Site"',
            'measure = "Measure"',
            'value = "Value"',
            'higher_is_better = "Better when"',
            "[tables.measures.values.higher_is_better]",
            "higher = true",
            "lower = false",
            "",
        ]
    lines += [
        "# Spellings in the files -> IDs and vocabulary values. Case, spacing and punctuation",
        "# differences need no alias: tidying matches them (and writes each match to the audit).",
        "[aliases.sites]",
    ]
    lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(site_aliases.items())]
    lines += ["", "[aliases.roles]"]
    lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(ROLE_ALIASES.items())]
    lines += ["", "[aliases.settings]"]
    lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(SETTING_ALIASES.items())]
    lines += [
        "",
        "[aliases.leader_types]",
        '"No" = "none"',
        "",
        "[aliases.codes]",
        "# codebook v2 renamed 'Watching the numbers' to 'Watching measures'; the first coder's",
        "# export still has the old name for the sites coded first",
        f"{_toml_str(old_path)} = {_toml_str(RENAMED_CODE)}",
        "",
    ]
    return "\n".join(lines)
