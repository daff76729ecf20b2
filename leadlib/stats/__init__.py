"""Statistics a reviewer would trust: reliability, association, ordination, QCA.

Every function is importable from here; the submodules organise the code.
"""
