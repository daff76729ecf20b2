"""Withholding what could identify an informant: the role a quote may be shown with.

A quote is attributed to a role, never to a person, and a role that fewer
than 2 informants hold at a site is withheld, since colleagues would know who
said it. :func:`quote_roles` is that rule; the quotes of
:mod:`leadlib.compare` and the reports' quotes (:mod:`leadlib.disclosure`)
both apply it, so this module sits below both and imports neither.
"""

from __future__ import annotations

import pandas as pd

from .schema import label

__all__ = ["quote_roles", "WITHHELD_ROLE"]

#: What a quote shows in place of a role that could identify its speaker.
WITHHELD_ROLE = "informant (role withheld)"  # the one definition (leadlib.compare.ROLE_WITHHELD is this)


def quote_roles(
    frame: pd.DataFrame,
    *,
    informants: pd.DataFrame | None = None,
    min_informants: int = 2,
    withheld: str | None = WITHHELD_ROLE,
) -> pd.Series:
    """The role each quote may be shown with: its speaker's role, or withheld.

    Parameters
    ----------
    frame
        Quotes: rows with ``informant_id``, ``site_id`` and ``role`` (rows of
        :meth:`leadlib.Study.frame`).
    informants
        The study's informants table: a role is counted over everyone
        interviewed at the site, quoted or not. If not given, only the
        informants present in ``frame`` are counted (fewer, so more roles are
        withheld: the safe side).
    min_informants
        A role held by fewer informants than this at the quote's site is
        withheld (2: a role only one person holds names that person).
    withheld
        What to show in place of a withheld role (``None`` for missing).

    Returns
    -------
    Series
        Same index as ``frame``: the role's display label, or ``withheld``.
        A person's name is never used: only the role vocabulary.
    """
    for col in ("informant_id", "site_id", "role"):
        if col not in frame.columns:
            raise ValueError(f"quote_roles needs a column {col!r} (rows of Study.frame())")
    people = informants if informants is not None else frame
    people = people[["informant_id", "site_id", "role"]].drop_duplicates("informant_id")
    held = people.groupby(["site_id", "role"], observed=True)["informant_id"].nunique()
    keys = pd.MultiIndex.from_arrays([frame["site_id"].astype(object), frame["role"].astype(object)])
    n = pd.Series(held.reindex(keys).to_numpy(), index=frame.index).fillna(0)
    shown = frame["role"].astype(object).map(lambda r: label(r) if isinstance(r, str) else None)
    safe = (n >= min_informants) & shown.notna()
    return shown.where(safe, withheld).astype(object)
