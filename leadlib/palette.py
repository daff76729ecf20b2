"""The colours of every figure: one place, below every module that draws."""

from __future__ import annotations

__all__ = ["PALETTE", "PROCESS_COLORS"]

#: Colour-blind-safe palette (Okabe & Ito 2008), in the order figures use it.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: The three processes of leading always get the same colours.
PROCESS_COLORS = {"building_knowledge": "#0072B2", "taking_action": "#E69F00", "reviewing_reflecting": "#009E73"}
