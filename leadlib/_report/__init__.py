"""Templates and style sheet of the HTML reports (used by :mod:`leadlib.report`)."""
