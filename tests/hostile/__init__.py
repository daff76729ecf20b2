"""A hostile corpus: the bundled study, copied at test time, with one thing broken in each case (issue 11, item 10)."""
