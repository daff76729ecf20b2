"""Benchmark of leadlib.io.read_refi on a large generated REFI-QDA project.

Generates a project of about 100 MB of QDA-XML with 500,000 codings
(``benchmarks/_work/bench.qdpx``, git-ignored), then, in one run:

1. the floor: ``xml.etree.ElementTree.iterparse`` over the same ``project.qde``
   stream from the archive, doing nothing with the elements;
2. ``read_refi`` on the archive (streaming parse through defusedxml, offset
   conversion, the tidy tables, their validation, audit and accounting).

Each is run in a fresh subprocess so that its peak memory can be read with
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (peak resident set size, the
whole process); the memory a step adds is that peak minus the process's
resident size just before the step (after imports and, for read_refi, a
warm-up read of a small project, so that lazy imports are not counted). A
third subprocess measures allocations instead: tracemalloc's peak of the
Python heap plus the peak of Arrow's memory pool (where pandas keeps the
string columns). The tidy tables' in-memory size is
``DataFrame.memory_usage(deep=True)`` summed over the Study's tables.

Targets (issue 4): read time <= 3x the floor; added peak memory <= 2x the
tidy tables. The script prints the figures; it asserts nothing.

Usage::

    python benchmarks/bench_refi.py            # 500,000 codings, about 100 MB
    python benchmarks/bench_refi.py --codings 50000 --sources 200   # quicker
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
NS = "urn:QDA-XML:project:1.0"
WORDS = [
    "patients",
    "staff",
    "huddle",
    "measures",
    "falls",
    "review",
    "action",
    "learn",
    "team",
    "change",
    "unit",
    "nurse",
    "manager",
    "data",
    "monthly",
    "weekly",
    "results",
    "improve",
    "process",
    "leader",
    "informal",
    "formal",
    "decide",
    "listen",
    "plan",
    "test",
]


def generate(path: Path, *, codings: int, sources: int, coders: int = 3, codes: int = 60, seed: int = 1) -> dict:
    """Write a REFI-QDA project with ``codings`` codings spread over ``sources`` text sources."""
    rng = random.Random(seed)

    def guid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()

    users = [(guid(), f"coder{i + 1}") for i in range(coders)]
    code_guids = [guid() for _ in range(codes)]
    per_source = codings // sources
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("project.qde", "w", force_zip64=True) as out:

            def w(s: str) -> None:
                out.write(s.encode("utf-8"))

            w(f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="bench" origin="bench_refi.py">')
            w("<Users>" + "".join(f'<User guid="{g}" name="{n}"/>' for g, n in users) + "</Users>")
            w("<CodeBook><Codes>")
            for parent in range(0, codes, 10):  # six families of ten
                w(
                    f'<Code guid="{code_guids[parent]}" name="Family {parent // 10}" isCodable="true">'
                    f"<Description>Family {parent // 10}</Description>"
                )
                for child in range(parent + 1, min(parent + 10, codes)):
                    w(f'<Code guid="{code_guids[child]}" name="Code {child}" isCodable="true"/>')
                w("</Code>")
            w("</Codes></CodeBook><Sources>")
            total_text = 0
            pending_sources: list[tuple[str, bytes]] = []  # source texts, written after the XML
            for s in range(sources):
                text = " ".join(rng.choice(WORDS) for _ in range(900)) + "\n"
                sguid = guid()
                zf_text = text.encode("utf-8")
                total_text += len(zf_text)
                texts_pending = (f"sources/{sguid}.txt", zf_text)
                w(
                    f'<TextSource guid="{sguid}" name="Site {s % 20:02d} - interview {s:05d}" '
                    f'plainTextPath="internal://{sguid}.txt" creationDateTime="2001-03-04T10:00:00Z">'
                )
                n_here = per_source + (1 if s < codings - per_source * sources else 0)
                # selections coded twice (a primary and a second coder, as in a
                # reliability sample), the last one once if the count is odd
                while n_here > 0:
                    a = rng.randrange(0, len(text) - 200)
                    b = a + rng.randrange(20, 200)
                    pair = rng.sample(users, 2)[: min(2, n_here)]
                    w(f'<PlainTextSelection guid="{guid()}" startPosition="{a}" endPosition="{b}">')
                    for user, _name in pair:
                        w(
                            f'<Coding guid="{guid()}" creatingUser="{user}">'
                            f'<CodeRef targetGUID="{rng.choice(code_guids)}"/></Coding>'
                        )
                    w("</PlainTextSelection>")
                    n_here -= len(pair)
                w("</TextSource>")
                pending_sources.append(texts_pending)
            w("</Sources></Project>")
        for name, data in pending_sources:
            zf.writestr(name, data)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("project.qde")
    return {
        "xml_bytes": info.file_size,
        "xml_compressed": info.compress_size,
        "text_bytes": total_text,
        "codings": codings,
        "sources": sources,
        "archive_bytes": path.stat().st_size,
    }


FLOOR = r"""
import resource, sys, time, zipfile, json
import xml.etree.ElementTree as ET
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
with zipfile.ZipFile(sys.argv[1]) as zf, zf.open("project.qde") as stream:
    for _event, _elem in ET.iterparse(stream):
        pass
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rss_before_kib": before,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

READ = r"""
import resource, sys, time, json
import pandas as pd, pyarrow as pa, pyarrow.compute
from leadlib.io import read_refi
from leadlib.io import _safe
limits = _safe.Limits(max_ratio=1000)
# warm up on a small project: lazy imports and caches are not the reader's memory
read_refi(sys.argv[2], site_from=r"pattern:^(Site \d+)", limits=limits)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
study = read_refi(sys.argv[1], site_from=r"pattern:^(Site \d+)", limits=limits)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tables = {name: int(frame.memory_usage(deep=True).sum()) for name, frame in study.tables()}
print(json.dumps({"seconds": seconds, "rss_before_kib": before, "peak_kib": peak, "tables_bytes": tables,
                  "segments": len(study.segments), "interviews": len(study.interviews)}))
"""

# Allocations rather than resident memory: the Python heap's peak
# (tracemalloc) plus the peak of Arrow's memory pool, where the tables'
# string columns live. Their sum bounds the reader's own peak from above
# (the two peaks need not coincide); it leaves out allocator caching, which
# the RSS figure includes.
ALLOCATED = r"""
import sys, json, tracemalloc
import pandas as pd, pyarrow as pa, pyarrow.compute
from leadlib.io import read_refi
from leadlib.io import _safe
limits = _safe.Limits(max_ratio=1000)
read_refi(sys.argv[2], site_from=r"pattern:^(Site \d+)", limits=limits)
pool = pa.default_memory_pool()
arrow_before = pool.bytes_allocated()
tracemalloc.start()
study = read_refi(sys.argv[1], site_from=r"pattern:^(Site \d+)", limits=limits)
python_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"python_peak": python_peak, "arrow_peak": pool.max_memory() - arrow_before}))
"""


def run(code: str, path: Path, small: Path | None = None) -> dict:
    args = [sys.executable, "-c", code, str(path)] + ([str(small)] if small else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codings", type=int, default=500_000)
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing generated project of the same size")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the floor and of read_refi, alternating")
    args = parser.parse_args(argv)
    path = WORK / f"bench_{args.codings}_{args.sources}.qdpx"
    if not (args.keep and path.exists()):
        t = time.perf_counter()
        meta = generate(path, codings=args.codings, sources=args.sources)
        print(
            f"generated {path.name}: {meta['xml_bytes'] / 1e6:.1f} MB of XML ({meta['codings']:,} codings, "
            f"{meta['sources']:,} sources, {meta['text_bytes'] / 1e6:.1f} MB of text), "
            f"archive {meta['archive_bytes'] / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s"
        )
    small = WORK / "bench_small.qdpx"
    generate(small, codings=200, sources=4)
    # the machine may be shared: floor and read alternate, and each keeps its
    # fastest run; memory keeps the largest peak seen (the conservative side)
    floors, reads = [], []
    for _ in range(args.repeats):
        floors.append(run(FLOOR, path))
        reads.append(run(READ, path, small))
    floor = min(floors, key=lambda r: r["seconds"])
    read = min(reads, key=lambda r: r["seconds"])
    read["peak_kib"], read["rss_before_kib"] = max(
        ((r["peak_kib"], r["rss_before_kib"]) for r in reads), key=lambda p: p[0] - p[1]
    )
    allocated = run(ALLOCATED, path, small)
    ratio = read["seconds"] / floor["seconds"]
    tables = sum(read["tables_bytes"].values())
    added = (read["peak_kib"] - read["rss_before_kib"]) * 1024
    floor_times = ", ".join(f"{r['seconds']:.2f}" for r in floors)
    read_times = ", ".join(f"{r['seconds']:.2f}" for r in reads)
    print(f"floor (ElementTree.iterparse, nothing done): {floor['seconds']:.2f} s (fastest of {floor_times})")
    print(
        f"read_refi: {read['seconds']:.2f} s (fastest of {read_times}) for {read['segments']:,} segments in "
        f"{read['interviews']:,} interviews -> {ratio:.2f}x the floor (target <= 3x)"
    )
    print(
        f"tidy tables in memory: {tables / 1e6:.1f} MB "
        + ", ".join(f"{k} {v / 1e6:.1f}" for k, v in read["tables_bytes"].items() if v > 1e5)
    )
    print(
        f"peak RSS added by read_refi (getrusage ru_maxrss in a fresh process, after a warm-up read, minus the "
        f"RSS before): {added / 1e6:.1f} MB -> {added / tables:.2f}x the tidy tables (target <= 2x)"
    )
    both = allocated["python_peak"] + allocated["arrow_peak"]
    print(
        f"peak allocations (tracemalloc Python heap {allocated['python_peak'] / 1e6:.1f} MB + Arrow pool "
        f"{allocated['arrow_peak'] / 1e6:.1f} MB, a separate run): {both / 1e6:.1f} MB -> "
        f"{both / tables:.2f}x the tidy tables"
    )
    print(
        f"(floor process: peak RSS added {(floor['peak_kib'] - floor['rss_before_kib']) * 1024 / 1e6:.1f} MB, "
        "ElementTree keeps the whole tree)"
    )


if __name__ == "__main__":
    main()
