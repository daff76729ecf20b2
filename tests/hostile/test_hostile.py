"""The hostile corpus (issue 11, item 10): copies of the bundled study with one thing broken, loaded in subprocesses.

Each case (``cases.py``) is built and loaded by a worker subprocess
(``runner.py``) under a time limit (``signal.alarm`` in the worker, and a
wall-clock limit here that kills a worker that stops answering) and an
address-space cap (``RLIMIT_AS``), so that a hang or a memory blow-up fails
its case instead of taking pytest down. Two workers share the cases. Each
case must end as a correct load (with an audit entry for what was broken, or
the value kept exactly) or as a :class:`~leadlib.errors.LeadlibDataError`
naming the file and, for a cell, its row and column; another exception, a
timeout or a crash fails it.

Markup cases also check that :func:`leadlib.report.safety.sanitize_html`
of a page built with the value (put in raw, unescaped: the worst a page
builder could do) holds no live markup: no element outside the allowed list,
no ``on*`` attribute, no ``javascript:`` URL.
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .cases import CASES, CASES_BY_NAME, MARK

pytestmark = pytest.mark.slow

RUNNER = Path(__file__).with_name("runner.py")
WORKERS = 2
MAX_BYTES = 3 << 30  # address-space cap of a worker: 3 GiB
GRACE = 15.0  # seconds past a case's own limit before its worker is killed


class _Worker:
    """One runner subprocess, fed case names on stdin, answering one JSON line per case."""

    def __init__(self, workdir: Path, log: Path) -> None:
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(RUNNER), str(workdir), str(MAX_BYTES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=str(workdir),
        )
        self.buffer = b""

    def ask(self, name: str, seconds: float) -> dict | None:
        """The case's outcome, or None if the worker died or stopped answering (it is then killed)."""
        try:
            self.proc.stdin.write(name.encode() + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        deadline = time.monotonic() + seconds
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.proc.kill()
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:  # the worker died
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def run_corpus(names: list[str], workdir: Path, workers: int = WORKERS) -> dict[str, dict]:
    """Every case's outcome, the cases shared by ``workers`` worker subprocesses."""
    todo: queue.Queue[str] = queue.Queue()
    # the slowest builds first, so that the two lanes end together
    for name in sorted(names, key=lambda n: -CASES_BY_NAME[n].seconds):
        todo.put(name)
    results: dict[str, dict] = {}

    def lane(number: int) -> None:
        log = workdir / f"worker-{number}.log"
        worker = None
        while True:
            try:
                name = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None:
                worker = _Worker(workdir, log)
            started = time.monotonic()
            result = worker.ask(name, CASES_BY_NAME[name].seconds + GRACE)
            if result is None:
                code = worker.proc.wait()
                worker.stop()
                worker = None
                tail = log.read_bytes()[-2000:].decode("utf-8", "replace")
                result = {
                    "name": name,
                    "outcome": "hang" if code == -9 else "crash",
                    "returncode": code,
                    "seconds": time.monotonic() - started,
                    "stderr": tail,
                }
            results[name] = result
        if worker is not None:
            worker.stop()

    threads = [threading.Thread(target=lane, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile")
    started = time.monotonic()
    results = run_corpus([c.name for c in CASES], workdir)
    results["__wall__"] = {"seconds": time.monotonic() - started}
    return results


# ------------------------------------------------------------------ checks


class _LiveMarkup(HTMLParser):
    """Collects what would be live in a browser: tags, ``on*`` attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.live: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}>")
            if value and value.replace(" ", "").lower().startswith(("javascript:", "vbscript:", "data:text")):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in {"script", "iframe", "object", "embed", "svg", "math", "base", "form", "link"}:
            self.live.append(f"<{tag}>")

    handle_startendtag = handle_starttag


def assert_no_live_markup(value: str) -> None:
    """A page built with ``value`` put in raw, then sanitised, holds no live markup, and shows the value's text."""
    from leadlib.report.safety import ALLOWED_TAGS, sanitize_html

    page = (
        "<!DOCTYPE html><html><head><title>" + value + "</title></head><body>"
        f"<h1>{value}</h1><p>{value}</p><table><tr><td>{value}</td></tr></table>"
        f'<a href="{value}">{value}</a></body></html>'
    )
    clean = sanitize_html(page)
    parser = _LiveMarkup()
    parser.feed(clean)
    parser.close()
    assert not parser.live, parser.live
    assert parser.tags <= ALLOWED_TAGS, parser.tags - ALLOWED_TAGS
    assert MARK in clean  # the text is shown, not dropped


def _entry_matches(entry: dict, wanted: dict) -> bool:
    for key, value in wanted.items():
        got = entry.get(key)
        if key == "reason":
            if value.lower() not in (got or "").lower():
                return False
        elif got != value:
            return False
    return True


def check_load(spec, result: dict) -> None:
    if spec.audit is not None:
        assert any(_entry_matches(e, spec.audit) for e in result["audit"]), (
            f"no audit entry with {spec.audit}; entries of that table: "
            f"{[e for e in result['audit'] if e['table'] == spec.audit.get('table')][:20]}"
        )
    if spec.probe is not None:
        assert result["probe"] == [spec.value], result["probe"]
        assert_no_live_markup(spec.value)
    if "site_id" in spec.extra:
        check_site_id_page(spec.extra["site_id"], result)
    if spec.check is not None:
        spec.check(result)


def check_site_id_page(site_id: str, result: dict) -> None:
    """An ID with '/' or '..' kept as data: its page's file name stays inside --out."""
    from leadlib.report.safety import page_slug, safe_path

    assert site_id in result["site_ids"], result["site_ids"]
    slug = page_slug(site_id)
    assert "/" not in slug and "\\" not in slug and slug not in {"", ".", ".."}, slug
    out = Path("/tmp/hostile-out")
    assert safe_path(out, slug + ".html").parent == out


def check_refusal(spec, result: dict) -> None:
    error = result["error"]
    assert error["type"] == "LeadlibDataError"
    if spec.file is not None:
        assert error["path"] is not None, error
        assert Path(error["path"]).as_posix().endswith(spec.file), (error["path"], spec.file)
    else:
        assert error["path"] is not None, error
    for key in ("row", "column"):
        wanted = getattr(spec, key)
        if wanted is True:
            assert error[key] is not None, f"the error names no {key}: {error['message']}"
        elif wanted is not None:
            assert error[key] == wanted, (key, error[key], wanted, error["message"])
    if spec.problem is not None:
        assert spec.problem.lower() in error["message"].lower(), (spec.problem, error["message"])
    if spec.check is not None and spec.expect == "refuse":
        spec.check(result)


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_case(name, outcomes):
    spec = CASES_BY_NAME[name]
    result = outcomes[name]
    outcome = result["outcome"]
    assert outcome in ("load", "refused"), (
        f"{outcome}: {result.get('error')}\n{result.get('traceback') or result.get('stderr') or ''}"
    )
    if spec.expect == "load":
        assert outcome == "load", result["error"]["message"]
        check_load(spec, result)
    elif spec.expect == "refuse":
        assert outcome == "refused", "loaded, but should be refused"
        check_refusal(spec, result)
    elif outcome == "load":
        check_load(spec, result)
    else:
        check_refusal(spec, result)


def test_corpus_covers_the_issue(outcomes):
    """At least 80 cases, over every category of the issue; prints the corpus's figures."""
    categories = {c.category for c in CASES}
    assert len(CASES) >= 80
    assert categories >= {"markup", "paths", "blowup", "cache", "silent", "tracebacks", "encodings", "structure"}
    timed = [(r["seconds"] or 0.0, n) for n, r in outcomes.items() if n != "__wall__"]
    loads = sum(r["outcome"] == "load" for n, r in outcomes.items() if n != "__wall__")
    refused = sum(r["outcome"] == "refused" for n, r in outcomes.items() if n != "__wall__")
    slowest = max(timed)
    ten = outcomes["blowup_ten_mb_study"]
    print(
        f"\nhostile corpus: {len(CASES)} cases, {loads} loaded, {refused} refused, "
        f"{len(CASES) - loads - refused} other; slowest load {slowest[1]} {slowest[0]:.2f} s; "
        f"wall {outcomes['__wall__']['seconds']:.1f} s; "
        f"10 MB study {ten['outcome']} in {ten['seconds']:.2f} s"
    )
