"""Benchmark: reading workbooks with leadlib's reader, openpyxl's read-only sheet and python-calamine.

Run: ``.venv/bin/python benchmarks/bench_workbook.py`` (``make bench`` runs every benchmark).

Three workbooks: the bundled study's register (``data/raw/site_register.xlsx``),
a padded one (20 rows, and a space typed in cell XFD1048576) and a 10,000-row
sheet. Each reader is timed (best of 3) and printed as a ratio to a floor
measured in the same run: decompressing every member of the file with
:mod:`zipfile`. openpyxl's read-only sheet walks the padded file's declared
range (1,048,576 rows of 16,384 columns): it is timed over its first 2,000
rows and the whole walk extrapolated. python-calamine is timed only if it is
installed (it is not a dependency: see :mod:`leadlib.io.workbook`).
No absolute time is asserted.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from itertools import islice
from pathlib import Path

import openpyxl

from leadlib.io.tables import read_xlsx
from leadlib.paths import bundled_study_dir

ROOT = bundled_study_dir()


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def build(folder: Path) -> dict[str, tuple[Path, str | None, int]]:
    padded = folder / "padded.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "N"])
    for i in range(20):
        ws.append([f"S{i:02d}", i])
    ws["XFD1048576"] = " "
    wb.save(padded)
    big = folder / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "N"])
    for i in range(10_000):
        ws.append([f"R{i:05d}", i])
    wb.save(big)
    return {
        "register": (ROOT / "raw" / "site_register.xlsx", "Register", 2),
        "padded": (padded, None, 0),
        "10,000 rows": (big, None, 0),
    }


def floor(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            zf.read(name)


def old_openpyxl(path: Path, sheet: str | None, limit: int | None = None) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    n = sum(1 for _ in islice(ws.iter_rows(values_only=True), limit))
    wb.close()
    return n


CALAMINE = """
import sys, time, python_calamine
path, sheet = sys.argv[1], sys.argv[2] or None
best = None
for _ in range(3):
    t0 = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(path)
    rows = (wb.get_sheet_by_name(sheet) if sheet else wb.get_sheet_by_index(0)).to_python()
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print(best, len(rows))
"""


def calamine(path: Path, sheet: str | None) -> tuple[float, str]:
    """python-calamine in a subprocess (it aborts the whole process when it runs out of memory)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", CALAMINE, str(path), sheet or ""], capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        return float("nan"), f"process died (exit {done.returncode}): {done.stderr.splitlines()[0][:60]}"
    seconds, rows = done.stdout.split()
    return float(seconds), f"{int(rows):,} rows"


def main() -> None:
    try:
        import python_calamine  # noqa: F401

        have_calamine = True
    except ImportError:
        have_calamine = False
    with tempfile.TemporaryDirectory() as tmp:
        books = build(Path(tmp))
        print(f"{'workbook':<14}{'floor s':>10}{'leadlib':>10}{'openpyxl':>12}{'calamine':>10}   (ratios to the floor)")
        for label, (path, sheet, skip) in books.items():
            base = best(lambda p=path: floor(p))
            header = openpyxl.load_workbook(path, read_only=True)
            ws = header[sheet] if sheet else header.worksheets[0]
            columns = [c for c in next(islice(ws.iter_rows(values_only=True), skip, None)) if c]
            header.close()
            ours = best(lambda p=path, s=sheet, k=skip, c=columns: read_xlsx(p, c, sheet=s, skip_rows=k))
            if label == "padded":
                part = best(lambda p=path: old_openpyxl(p, None, 2_000), repeat=1)
                theirs = part * 1_048_576 / 2_000
                mark = "~"
            else:
                theirs = best(lambda p=path, s=sheet: old_openpyxl(p, s))
                mark = ""
            cal, note = calamine(path, sheet) if have_calamine else (float("nan"), "not installed")
            print(
                f"{label:<14}{base:>10.4f}{ours / base:>10.1f}{mark:>3}{theirs / base:>9.1f}{cal / base:>10.1f}"
                f"   (leadlib {ours:.3f} s; calamine: {note})"
            )


if __name__ == "__main__":
    main()
