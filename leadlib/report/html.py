"""HTML pieces shown by the report's pages and notebooks: the codebook table, quotes as block quotes."""

from __future__ import annotations

import html

import pandas as pd

from ..schema import label

__all__ = ["codebook_html", "quotes_html"]


def codebook_html(study) -> str:
    """The study's codebook as an HTML table (code, label, group, parent, definition); text escaped."""
    esc = html.escape
    book = study.codebook
    rows = [
        '<table class="lr-codebook"><thead><tr><th>Code</th><th>Label</th><th>Group</th><th>Parent</th>'
        "<th>Definition</th></tr></thead><tbody>"
    ]
    for code in book.itertuples(index=False):
        group = label(str(code.group)) if isinstance(code.group, str) else ""
        parent = code.parent if isinstance(code.parent, str) else ""
        definition = code.definition if isinstance(code.definition, str) else "(no definition)"
        rows.append(
            f'<tr id="code-{esc(str(code.code_id))}"><td><code>{esc(str(code.code_id))}</code></td>'
            f"<td>{esc(str(code.label))}</td><td>{esc(group)}</td><td>{esc(parent)}</td>"
            f"<td>{esc(definition)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def quotes_html(quotes: pd.DataFrame, *, empty: str = "No excerpt to show.") -> str:
    """Quotes (from :func:`leadlib.compare.quotes`) as HTML block quotes with their role; text escaped."""
    if quotes is None or len(quotes) == 0:
        return f'<p class="lr-note">{html.escape(empty)}</p>'
    parts = []
    for row in quotes.itertuples(index=False):
        parts.append(
            f'<blockquote class="lr-quote">{html.escape(str(row.text))}'
            f'<span class="lr-role">&mdash; {html.escape(str(row.role))}</span></blockquote>'
        )
    return "\n".join(parts)
