"""The notebook executor of ``leadlib report``: a pool of long-lived kernels, each running notebook after notebook.

Kernel start-up and imports cost seconds, so the notebooks are not given a
kernel each: :func:`boot_kernels` starts ``jobs`` kernels once, and each runs
pages one after the other (:meth:`Kernel.run_notebook`), its user namespace,
figures, warnings filters and display options reset in between (imported
modules stay loaded).

The study reaches the kernels through :func:`leadlib.load.keep_loaded`, a
public switch of the loader, called once in each kernel at start-up: the
first ``leadlib.load_study(study_path)`` of a kernel loads the study (from
the loader's cache in the study folder, which the report's own process wrote
when it loaded the study before any notebook ran), every later one returns a
copy of it from memory, so that a notebook that changes its study changes no
other's. Notebooks call ``leadlib.load_study`` as they do in JupyterLab; no
library function is replaced.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from .pages import ReportError

__all__ = ["CELL_TIMEOUT", "PRELOAD", "inject_parameters", "boot_kernels", "Kernel"]

CELL_TIMEOUT = 600  # seconds a cell may run before the report gives up on it

#: What the book's notebooks import, loaded once per kernel instead of once per page.
PRELOAD = (
    "import numpy, pandas, matplotlib.pyplot, seaborn, leadlib.notebook\n"
    "for _m in ('mpltern', 'leadlib.compare', 'leadlib.plots', 'leadlib.stats', 'leadlib.disclosure',\n"
    "           'leadlib.feedback', 'leadlib.report'):\n"
    "    try:\n        __import__(_m)\n    except ImportError:\n        pass\n"
)


def inject_parameters(nb, parameters: dict[str, Any]):
    """Put a cell assigning ``parameters`` after the cell tagged ``parameters`` (papermill's way).

    The cell is tagged ``injected-parameters``; an earlier injected cell is
    replaced. Without a ``parameters`` cell, it goes first. Returns the
    notebook (changed in place) and the position of the new cell.
    """
    import nbformat  # the notebooks extra: only a report needs it

    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    source = "# Parameters injected by leadlib report\n" + "\n".join(
        f"{name} = {value!r}" for name, value in parameters.items()
    )
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    position = 0
    for i, c in enumerate(nb.cells):
        if "parameters" in c.get("metadata", {}).get("tags", []):
            position = i + 1
            break
    nb.cells.insert(position, cell)
    return nb, position


_WARNING = re.compile(r"\b\w*Warning\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _output_problems(nb) -> list[tuple[int, str]]:
    """(cell index, problem) for outputs a report must not show: errors and warnings."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found.append((index, f"{out.get('ename')}: {out.get('evalue')}"))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = _ANSI.sub("", "".join(out.get("text", "")))
                if _WARNING.search(text):
                    lines = [ln for ln in text.splitlines() if _WARNING.search(ln)]
                    found.append((index, "warning in the output: " + lines[0].strip()[:300]))
    return found


def _drop_tagged(nb, tag: str) -> None:
    """Remove the cells carrying ``tag`` (after execution: the cell numbers of errors stay the author's)."""
    nb.cells = [c for c in nb.cells if tag not in c.get("metadata", {}).get("tags", [])]


def _drop_stderr(nb) -> None:
    """Remove the remaining stderr outputs (log lines, progress bars): a reader has no use for them."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]


# Run once in each kernel: remember the state a fresh kernel has, so that it can
# be restored between notebooks, and keep the study in memory through the
# loader's public switch (leadlib.load.keep_loaded: a copy is handed out, so a
# notebook that changes its study changes no other's).
_KERNEL_SETUP = r"""
def _leadlib_report_setup():
    import sys, types, warnings
    import matplotlib
    import matplotlib.pyplot as plt
    import pandas as pd
    import leadlib.load

    leadlib.load.keep_loaded()
    state = types.ModuleType("_leadlib_report_kernel")
    state.filters = list(warnings.filters)
    state.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}

    def reset():
        # Forget the previous notebook's variables and outputs. Not
        # InteractiveShell.reset(): it also runs a full garbage collection
        # and resets history, a tenth of a second per notebook for nothing.
        ip = get_ipython()
        ns = ip.user_ns
        keep = set(ip.user_ns_hidden) | {"__name__", "__builtins__", "__builtin__", "__doc__",
                                          "__package__", "__loader__", "__spec__"}
        for name in [n for n in ns if n not in keep]:
            del ns[name]
        for name in ("_", "__", "___"):
            ns[name] = ""
        for name in ("Out", "_oh"):
            if hasattr(ns.get(name), "clear"):
                ns[name].clear()
        plt.close("all")
        matplotlib.rcParams.update(state.rc)
        warnings.filters[:] = state.filters
        mutated = getattr(warnings, "_filters_mutated", None) or getattr(warnings, "_filters_mutated_lock_held", None)
        if mutated is not None:
            mutated()  # forget which warnings were shown: each notebook sees its own
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")
        # a Styler's values are escaped in a report, whoever made the table (its labels are
        # escaped by the tables leadlib makes, and by the sanitiser every page goes through)
        pd.set_option("styler.format.escape", "html")

    state.reset = reset
    sys.modules[state.__name__] = state


_leadlib_report_setup()
del _leadlib_report_setup
"""

_KERNEL_RESET = "__import__('sys').modules['_leadlib_report_kernel'].reset()"

_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class Kernel:
    """One long-lived kernel and its client."""

    def __init__(self, km, kc) -> None:
        self.km = km
        self.kc = kc
        self.log: Path | None = None

    def log_tail(self, lines: int = 8) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace") if self.log else ""
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    @classmethod
    async def start(cls, *, cwd: Path, env: dict[str, str], preload: str, log: Path) -> Kernel:
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name="python3")
        # The kernel's own messages (start-up notices) go to a log in the work
        # folder, not the console; they are shown if the kernel dies.
        with open(log, "wb") as stream:
            await km.start_kernel(
                cwd=str(cwd), env=env, extra_arguments=["--HistoryManager.enabled=False"], stdout=stream, stderr=stream
            )
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        kernel = cls(km, kc)
        kernel.log = log
        await kernel.run_code(_KERNEL_SETUP + "\n" + preload, what="setting up the kernel")
        return kernel

    async def run_code(self, code: str, *, what: str) -> None:
        outputs: list[str] = []

        def hook(msg: dict) -> None:
            if msg["header"]["msg_type"] == "error":
                outputs.append(_ANSI.sub("", "\n".join(msg["content"].get("traceback", []))))

        reply = await self.kc.execute_interactive(code, store_history=False, output_hook=hook, timeout=CELL_TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise ReportError(f"{what} failed:\n" + ("\n".join(outputs) or str(reply["content"])))

    async def execute(self, nb, *, cwd: Path) -> None:
        from nbclient import NotebookClient

        await self.run_code(_KERNEL_RESET, what="resetting the kernel between notebooks")
        client = NotebookClient(
            nb, km=self.km, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(cwd)}}
        )
        client.kc = self.kc
        await client.async_execute()

    async def run_notebook(self, path: Path, parameters: dict[str, Any], *, target: str, cwd: Path):
        """Execute the notebook at ``path`` with ``parameters`` injected; return it, executed.

        Raises
        ------
        ReportError
            If a cell fails or times out, the kernel dies, or an output shows
            an error or a warning; the message names the notebook (and the
            page ``target`` it is run for) and the cell, numbered as its
            author sees it.
        """
        import nbformat
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

        name = _notebooks_label(path)
        source = nbformat.read(path, as_version=4)
        nb, injected_at = inject_parameters(nbformat.read(path, as_version=4), parameters)
        nb.metadata["kernelspec"] = dict(_KERNELSPEC)
        try:
            await self.execute(nb, cwd=cwd)
        except (CellExecutionError, CellTimeoutError) as exc:
            raise _cell_error(name, target, source, nb, _failed_cell(nb), injected_at, exc) from None
        except DeadKernelError as exc:
            tail = self.log_tail()
            raise ReportError(
                f"{name} (for {target}): the kernel died ({exc})" + (f"; its last words:\n{tail}" if tail else ""),
                notebook=name,
            ) from None
        problems = _output_problems(nb)
        if problems:
            index, problem = problems[0]
            number, first = _cell_label(nb, index, injected_at)
            raise ReportError(
                f"{name} (for {target}), cell {number} ({first!r}): {problem}; fix its cause, a report "
                "shows no warning",
                notebook=name,
                cell=number,
            )
        return nb

    async def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            await self.km.shutdown_kernel(now=True)
        except Exception:  # a kernel that already died needs no shutting down
            pass


_Kernel = Kernel  # the name of leadlib.report 0.1


def boot_kernels(work: Path, env: dict[str, str], jobs: int) -> list[asyncio.Future]:
    """Start ``jobs`` kernels in the work folder, each set up and with :data:`PRELOAD` imported.

    They start in their own processes: the caller may do other work meanwhile
    and then gather the futures (each a :class:`Kernel`, or the exception that
    stopped it).
    """
    return [
        asyncio.ensure_future(Kernel.start(cwd=work, env=env, preload=PRELOAD, log=work / f"kernel-{i}.log"))
        for i in range(jobs)
    ]


async def discard_kernels(booting: list[asyncio.Future]) -> None:
    """Shut down the kernels of :func:`boot_kernels` that started (when the report stops before using them)."""
    for kernel in await asyncio.gather(*booting, return_exceptions=True):
        if isinstance(kernel, Kernel):
            await kernel.shutdown()


def _failed_cell(nb) -> int:
    """Index of the cell with an error output; after a time-out (no error output), the last cell that ran."""
    index = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))
        ),
        None,
    )
    if index is None:
        index = max((i for i, c in enumerate(nb.cells) if c.get("execution_count")), default=0)
    return index


def _cell_label(nb_source, index: int, injected_at: int | None) -> tuple[int, str]:
    """Cell number as the notebook's author sees it (1-based, without the injected cell) and its first line."""
    original = index
    if injected_at is not None and index > injected_at:
        original = index - 1
    source = nb_source.cells[index].source if index < len(nb_source.cells) else ""
    first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return original + 1, first[:80]


def _notebooks_label(path: Path | None) -> str:
    if path is None:
        return "(page)"
    return f"{path.parent.name}/{path.name}"


def _cell_error(name: str, target: str, source, nb, index: int, injected_at: int, exc: BaseException) -> ReportError:
    number, first = _cell_label(nb, index, injected_at)
    detail = ""
    for out in nb.cells[index].get("outputs", []) if index < len(nb.cells) else []:
        if out.get("output_type") == "error":
            detail = f"{out.get('ename')}: {out.get('evalue')}"
            tb = [_ANSI.sub("", line) for line in out.get("traceback", [])]
            tail = "\n".join(tb[-6:])
            detail += "\n" + tail if tail else ""
            break
    if not detail:
        detail = _ANSI.sub("", str(exc)).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    where = "the injected parameters cell" if index == injected_at else f"cell {number} ({first!r})"
    return ReportError(f"{name} (for {target}) failed in {where}: {detail}", notebook=name, cell=number)
