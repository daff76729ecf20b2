"""Student and instructor versions of the master exercise notebooks."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LeadlibDataError
from ..paths import NOTEBOOKS_DIR

__all__ = [
    "SOLUTION_TAG",
    "EXERCISE_TAG",
    "RUBRIC_TAG",
    "MASTER_SKIP_TAGS",
    "student_version",
    "instructor_version",
    "validate_master",
    "read_masters",
    "student_notebooks",
    "build",
]

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
#: A cell for the instructor only (the marking rubric of a written exercise): dropped from the student version,
#: needs no stub after it.
RUBRIC_TAG = "rubric"
#: Tags a code stub carries in the master so that nbclient (``skip-execution``) and nbval (``nbval-skip``)
#: skip it there; the student version drops them.
MASTER_SKIP_TAGS = ("skip-execution", "nbval-skip")

# The line an earlier edition's stub ended with; the student version leaves it out, so "Run All" does not stop.
_STUB_RAISE_LINE = re.compile(r"^[ \t]*raise\s+NotImplementedError\(\s*[\"']Exercise\s[^\n]*\n?", re.MULTILINE)
_PLACEHOLDER = re.compile(r"(?<![.\w])\.\.\.(?![.\w])")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def validate_master(nb, *, path: Path | str | None = None) -> None:
    """Check that a master notebook can be split into student and instructor versions.

    Raises
    ------
    LeadlibDataError
        Naming the notebook, the cell (counted from 1, as it appears from the
        top in JupyterLab) and what to change.
    """
    cells = nb.cells
    n_exercises = 0
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        where = f"cell {i + 1} ({cell.cell_type})"
        if RUBRIC_TAG in tags and ({SOLUTION_TAG, EXERCISE_TAG} & set(tags) or cell.cell_type != "markdown"):
            raise LeadlibDataError(
                f"{where} is tagged {RUBRIC_TAG!r} but is not a markdown cell of its own",
                path=path,
                column="tags",
                value=tags,
                hint="a rubric is a markdown cell tagged only 'rubric', placed after the written exercise's "
                "stub (the cell tagged 'exercise')",
            )
        if SOLUTION_TAG in tags and EXERCISE_TAG in tags:
            raise LeadlibDataError(
                f"{where} is tagged both {SOLUTION_TAG!r} and {EXERCISE_TAG!r}",
                path=path,
                column="tags",
                value=tags,
                hint="a solution and its stub are two cells: the solution first, then the stub",
            )
        if SOLUTION_TAG in tags:
            j = i + 1
            while j < len(cells) and SOLUTION_TAG in _tags(cells[j]):
                j += 1
            if j >= len(cells) or EXERCISE_TAG not in _tags(cells[j]):
                raise LeadlibDataError(
                    f"{where} is tagged {SOLUTION_TAG!r} but the next cell after the solution is not tagged "
                    f"{EXERCISE_TAG!r}",
                    path=path,
                    column="tags",
                    value=tags,
                    hint="add a stub cell tagged 'exercise' right after the solution: students see the stub "
                    "in place of the solution",
                )
        if EXERCISE_TAG in tags:
            n_exercises += 1
            if cell.cell_type == "code":
                missing = [t for t in MASTER_SKIP_TAGS if t not in tags]
                if missing:
                    raise LeadlibDataError(
                        f"{where}, an exercise stub, lacks the tag(s) {', '.join(missing)}",
                        path=path,
                        column="tags",
                        value=tags,
                        hint="tag every code stub 'skip-execution' and 'nbval-skip' as well, so that the master "
                        "(whose solution already ran) skips it; the student version drops those tags",
                    )
                if not _PLACEHOLDER.search(_STUB_RAISE_LINE.sub("", cell.source)):
                    raise LeadlibDataError(
                        f"{where}, an exercise stub, has no placeholder ... for the answer",
                        path=path,
                        column="source",
                        value=cell.source[:80],
                        hint="set the answer to ... in the stub (answer = ..., or a dict of ...), so that its "
                        "self-check says 'not answered yet' until the student replaces it",
                    )
    if n_exercises == 0:
        raise LeadlibDataError(
            "the notebook has no cell tagged 'exercise'",
            path=path,
            column="tags",
            hint="an exercise notebook has stub cells tagged 'exercise' (after their solutions, tagged 'solution')",
        )


def student_version(nb):
    """The student's notebook: solutions and rubrics removed, outputs and execution counts cleared, checks kept.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A master (see :func:`validate_master`).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``nb`` is not changed. Cell metadata keeps only the
        tags (without the master's skip tags), so no trace of a solution
        run (outputs, timings, widget state) remains. A stub's
        ``raise NotImplementedError("Exercise ...")`` line (earlier
        editions' masters) is left out, so the notebook runs top to bottom.
    """
    import nbformat

    out = nbformat.v4.new_notebook()
    out.metadata = nbformat.from_dict({k: nb.metadata[k] for k in ("kernelspec", "language_info") if k in nb.metadata})
    for cell in nb.cells:
        tags = _tags(cell)
        if SOLUTION_TAG in tags or RUBRIC_TAG in tags:
            continue
        kept = [t for t in tags if not (EXERCISE_TAG in tags and t in MASTER_SKIP_TAGS)]
        if cell.cell_type == "code":
            source = _STUB_RAISE_LINE.sub("", cell.source).rstrip("\n") if EXERCISE_TAG in tags else cell.source
            new = nbformat.v4.new_code_cell(source)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source)
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        if "id" in cell:
            new["id"] = cell["id"]
        if kept:
            new.metadata["tags"] = kept
        out.cells.append(new)
    return out


def instructor_version(nb):
    """The instructor's notebook: the master with its solutions, rubrics and outputs, widget state dropped."""
    import copy

    out = copy.deepcopy(nb)
    out.metadata.pop("widgets", None)
    return out


def _masters_dir() -> Path:
    return NOTEBOOKS_DIR / "exercises"


def _nbformat():
    try:
        import nbformat
    except ImportError as exc:  # a runtime-only install has no notebook tools
        raise LeadlibDataError(
            "writing notebooks needs nbformat, which is not installed",
            hint='install the notebook tools: pip install "leadlib[notebooks]" (or run make setup)',
        ) from exc
    return nbformat


def read_masters(masters: str | Path | None = None) -> tuple[Path, list[tuple[str, object]]]:
    """The master notebooks of a folder, each checked by :func:`validate_master`.

    Parameters
    ----------
    masters
        Folder of the masters (default ``notebooks/exercises`` of the
        leadlib checkout).

    Returns
    -------
    tuple
        The folder, and ``(file name, notebook)`` pairs in file-name order.

    Raises
    ------
    LeadlibDataError
        No masters (for the default folder: leadlib installed without its
        notebooks), an unreadable notebook, or a master that cannot be split.
    """
    nbformat = _nbformat()
    default = masters is None
    masters = _masters_dir() if default else Path(masters)
    paths = sorted(masters.glob("*.ipynb"))
    if not paths:
        hint = "pass the folder holding the master notebooks (*.ipynb) with --masters"
        if default and not masters.exists():
            hint = (
                "this leadlib was installed without its notebooks (a broken or old install): reinstall it, or "
                'install from a checkout of the repository, pip install -e ".[notebooks]" (docs/teaching.md, '
                "section 2), or pass the masters' folder with --masters"
            )
        raise LeadlibDataError("no exercise notebooks found", path=masters, hint=hint)
    notebooks = []
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several kinds; a user's master must give a clear message
            raise LeadlibDataError(
                f"not a readable notebook ({type(exc).__name__}: {exc})",
                path=path,
                hint="open it in JupyterLab and save it again, or remove it from the folder",
            ) from exc
        validate_master(nb, path=path)
        notebooks.append((path.name, nb))
    return masters, notebooks


def student_notebooks(masters: str | Path | None = None) -> list[tuple[str, object]]:
    """The student versions of the masters, in memory: ``(file name, notebook)`` pairs, linked as :func:`build`'s."""
    folder, notebooks = read_masters(masters)
    return [(name, _relink(student_version(nb), folder)) for name, nb in notebooks]


def build(out: str | Path, *, masters: str | Path | None = None) -> dict[str, list[Path]]:
    """Write ``out/student/`` and ``out/instructor/`` from the master exercise notebooks.

    Parameters
    ----------
    out
        Folder to write into (created if missing). Only ``out/student/*.ipynb``
        and ``out/instructor/*.ipynb`` of the masters' names are written;
        nothing else is touched.
    masters
        Folder of the master notebooks (default ``notebooks/exercises``).

    Returns
    -------
    dict
        ``{"student": [paths], "instructor": [paths]}``, same file names on
        both sides.

    Raises
    ------
    LeadlibDataError
        No masters, a master that cannot be split (:func:`validate_master`),
        or ``out`` inside the masters' folder.
    """
    nbformat = _nbformat()
    folder, notebooks = read_masters(masters)
    out = Path(out)
    resolved_out, resolved_masters = out.resolve(), folder.resolve()
    if resolved_out == resolved_masters or resolved_masters in resolved_out.parents:
        raise LeadlibDataError(
            "the output folder is inside the masters' folder",
            path=out,
            hint="write the classroom folders elsewhere, e.g. --out classroom",
        )
    written: dict[str, list[Path]] = {"student": [], "instructor": []}
    for side, convert in (("student", student_version), ("instructor", instructor_version)):
        target_folder = out / side
        target_folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks:
            target = target_folder / name
            nbformat.write(_relink(convert(nb), folder), target)
            written[side].append(target)
    return written


# A markdown link or image: [text](target) / ![alt](target), the target without spaces.
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
# Targets that do not point into the file system: web, mail, anchors within the notebook (a scheme has two
# letters or more, so a Windows drive such as C:/ is a file; file: URLs are files too).
_NOT_A_FILE = re.compile(r"^(?:(?!file:)[a-zA-Z][a-zA-Z0-9+.-]+:|#)", re.IGNORECASE)


def _relink(nb, masters: Path):
    """Make the written notebook independent of where the repository is.

    A written folder is handed out (copied, zipped, uploaded), so a link may only point at a file written next
    to it. Links between exercises (``e2-counting-units.ipynb``) stay, since both versions hold every exercise.
    A link out of the masters' folder, to the book (``../03-behaviours-across-sites.ipynb``), or by an absolute
    path, would break once the folder moves, and would show the machine's paths: it becomes plain text that names
    the notebook, e.g. "03 · Behaviours across sites (notebook ``03-behaviours-across-sites.ipynb`` of the
    leadlib book)".
    """
    written = {p.name for p in masters.glob("*.ipynb")}

    def fix(match: re.Match) -> str:
        bang, text, target = match.groups()
        if _NOT_A_FILE.match(target):
            return match.group(0)
        path_part = target.split("#", 1)[0]
        if "/" not in path_part and "\\" not in path_part and path_part in written:
            return match.group(0)  # another exercise: written next to this one
        name = Path(path_part.replace("\\", "/")).name
        book = (masters / path_part).resolve().parent == _masters_dir().resolve().parent
        where = f"notebook `{name}` of the leadlib book" if book and name.endswith(".ipynb") else f"`{name}`"
        if bang:  # an image cannot be shown from outside the folder: keep its description
            return f"[image: {text or name}]"
        return f"{text} ({where})" if text else where

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _LINK.sub(fix, cell.source)
    return nb
