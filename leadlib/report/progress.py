"""How far a report is: a progress bar on a terminal, plain lines in a log, a pipe or a callback."""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["progress_bar"]


def progress_bar(done: int, total: int, target: str, *, width: int = 20) -> str:
    """One line of a progress bar: ``[########------------] 12/29 sites/S04.html``."""
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total} {target}"


class _Progress:
    """Tells the user how far the report is: a bar on a terminal, plain lines elsewhere or to a callback."""

    def __init__(self, callback: Callable[[str], None] | None = None, stream=None) -> None:
        self.callback = callback
        self.stream = stream if stream is not None else sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.bar = callback is None and bool(isatty and isatty())
        self.open = 0  # length of a bar line drawn and not yet ended

    def page(self, done: int, total: int, target: str) -> None:
        if not self.bar:
            self.line(f"[{done:>{len(str(total))}}/{total}] {target}")
            return
        text = progress_bar(done, total, target)
        # redraw in place; pad over a longer previous line
        self.stream.write("\r" + text.ljust(self.open))
        self.stream.flush()
        self.open = len(text)

    def line(self, text: str) -> None:
        if self.callback is not None:
            self.callback(text)
            return
        self.close()
        print(text, file=self.stream, flush=True)

    __call__ = line

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = 0
