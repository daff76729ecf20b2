"""The page plan of a report: which notebooks are executed, with which parameters, in which order."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LeadlibDataError
from ..paths import NOTEBOOKS_DIR, PACKAGE_DIR, bundled_study_dir
from ..schema import label
from .safety import ReportError, unique_slugs

__all__ = ["STUDY_NOTEBOOKS", "SITE_NOTEBOOK", "BUNDLED_TAG", "ReportError", "Page", "plan_pages", "is_bundled"]

#: Study notebooks rendered as study pages, by number, in this order (those present).
STUDY_NOTEBOOKS = ("02", "03", "04", "05", "06", "08", "09")
SITE_NOTEBOOK = "site-report.ipynb"

#: Tag of the cells whose words are true of the bundled synthetic study only (its
#: synthetic notice, its results stated as text): left out of a report of any other study.
BUNDLED_TAG = "bundled-study"


@dataclass
class Page:
    """One page of the report: a notebook executed with parameters, or a page built here."""

    target: str  # path relative to --out, POSIX style
    title: str
    description: str
    kind: str  # "study", "codebook", "checklist" or "site"
    notebook: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return self.target.count("/")


def _notebooks_dir() -> Path:
    for candidate in (NOTEBOOKS_DIR, PACKAGE_DIR / "notebooks"):
        if (candidate / SITE_NOTEBOOK).exists() or any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    return NOTEBOOKS_DIR


def _notebook_intro(path: Path) -> tuple[str, str]:
    """Title (first heading) and question (the **Question:** line) of a notebook."""
    import nbformat  # the notebooks extra: only a report needs it

    nb = nbformat.read(path, as_version=4)
    title, question = path.stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            stripped = line.strip()
            if title == path.stem and stripped.startswith("# "):
                title = stripped[2:].strip()
            m = re.match(r"\*\*Question:?\*\*:?\s*(.*)", stripped)
            if m and not question:
                question = _question(m.group(1), lines[i + 1 :])
        break  # the first markdown cell holds both, by the book's conventions
    return title, question


def _question(first: str, rest: list[str]) -> str:
    """The question of a notebook as plain text: its line and the rest of its paragraph."""
    words = [first.strip()]
    for more in rest:
        if not more.strip() or more.lstrip().startswith(("**", "#", "-", ">")):
            break
        words.append(more.strip())
    question = re.sub(r"[*`]", "", " ".join(w for w in words if w))  # plain text for the index
    return question[:1].upper() + question[1:]


def _chosen_sites(site_table, sites: Sequence[str] | None) -> list[str]:
    known = list(site_table.index)
    if sites is None:
        return known
    unknown = [s for s in sites if s not in site_table.index]
    if unknown:
        raise LeadlibDataError(
            f"the study has no site {unknown[0]!r}",
            column="--sites",
            value=unknown[0],
            hint=f"use site IDs of the study's site register: {', '.join(known[:12])}"
            + (" ..." if len(known) > 12 else ""),
        )
    return list(dict.fromkeys(sites))


def plan_pages(
    study,
    *,
    study_path: Path | None,
    sites: Sequence[str] | None = None,
    show_quotes: bool = True,
    min_n: int | None = 3,
    notebooks_dir: Path | None = None,
) -> list[Page]:
    """The pages of a report, study pages first, in reading order.

    Parameters
    ----------
    study
        The study the report is of.
    study_path
        Its folder, handed to every notebook as ``study_path`` (``None``: the
        bundled study).
    sites
        Site IDs to write feedback reports for; ``None`` for every site.
    show_quotes, min_n
        Handed to every notebook.
    notebooks_dir
        Where the study notebooks and ``site-report.ipynb`` are (default:
        the book's ``notebooks/`` folder).

    Returns
    -------
    list of Page
        The study notebooks of :data:`STUDY_NOTEBOOKS` that exist, the
        codebook, the checklists, then one site report per site.

    Raises
    ------
    LeadlibDataError
        For a site ID of ``sites`` the study does not have.
    ReportError
        If site reports are asked for and ``site-report.ipynb`` is missing.
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else _notebooks_dir()
    common = {
        "study_path": str(study_path) if study_path is not None else None,
        "show_quotes": bool(show_quotes),
        "min_n": min_n,
    }
    pages: list[Page] = []
    for number in STUDY_NOTEBOOKS:
        for path in sorted(folder.glob(f"{number}-*.ipynb")):
            title, question = _notebook_intro(path)
            pages.append(
                Page(
                    f"{path.stem}.html",
                    title,
                    question or "A chapter of the study report.",
                    "study",
                    path,
                    dict(common),
                )
            )
    pages.append(
        Page(
            "codebook.html",
            "Codebook",
            "Every code the interviews were coded to: its label, its group (process of leading or "
            "success characteristic), its parent and its definition.",
            "codebook",
        )
    )
    pages.append(
        Page(
            "checklist.html",
            "Reporting checklists (COREQ, SRQR)",
            "The 32 COREQ and 21 SRQR items, filled from the data where they can be; "
            "the rest marked for the authors to write.",
            "checklist",
        )
    )

    site_table = study.sites.set_index(study.sites["site_id"].astype(str))
    chosen = _chosen_sites(site_table, sites)
    # File names from the IDs of every site (not only those chosen), so that a site's page keeps its name.
    slugs = unique_slugs(site_table.index)
    site_nb = folder / SITE_NOTEBOOK
    if chosen and not site_nb.exists():
        raise ReportError(f"the site report notebook {site_nb.name} is missing from {folder.name}/")
    for site_id in chosen:
        row = site_table.loc[site_id]
        setting = row.get("setting")
        desc = f"{row['name']}" + (f" ({label(str(setting))})" if isinstance(setting, str) else "")
        pages.append(
            Page(
                f"sites/{slugs[site_id]}.html",
                f"Feedback report: {site_id}",
                desc,
                "site",
                site_nb,
                {**common, "site_id": site_id},
            )
        )
    return pages


def is_bundled(study, study_path: str | os.PathLike | None) -> bool:
    """Whether a study is the bundled synthetic one (its folder, or ``study_path=None``)."""
    if not getattr(study, "synthetic", False):
        return False
    if study_path is None:
        return True
    try:
        return Path(study_path).resolve() == Path(bundled_study_dir()).resolve()
    except OSError:
        return False
