"""What :func:`~leadlib.simulate.write_study` does to roughen a study's raw files.

Kept apart from :mod:`leadlib.simulate.raw`, which does it, so that
:mod:`leadlib.simulate.readme`, which tells the reader, can import the list
without importing the writer.
"""

from __future__ import annotations

__all__ = ["MESS"]

#: The ways the raw files are roughened, one sentence each (listed in the study's README).
MESS = [
    "site names spelled differently in the interview log and the measures file (abbreviations, case, spaces)",
    "site IDs in the survey in lower case or with stray spaces",
    "roles written as abbreviations and synonyms (RN, Registered Nurse, Staff Nurse...)",
    'settings written as labels ("ICU / NICU", "Emergency Dept.")',
    "a code renamed between codebook versions: the first coder's export uses the old name for the sites coded first",
    "exact duplicate rows in the first coder's export and in the interview log",
    'missing values written as N/A, -, blank, or "can\'t rate"',
    "dates typed as Excel serial numbers in the site register and the interview log",
    "one transcript saved in Windows-1252 (cp1252) instead of UTF-8",
    "stray whitespace around names, roles and document names",
    "one coded interview (its transcript and codings) missing from the interview log",
]
