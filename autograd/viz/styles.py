"""Colours: what kind of thing a node is, how healthy its numbers are, how long an op took; and the legend.

Health, checked in this order: a NaN or inf in the value or the gradient is red; a gradient whose
L2 norm is below ``vanishing`` is purple; above ``exploding``, orange.

    >>> import numpy as np
    >>> from autograd.viz.summary import summarize
    >>> Health().of(None, summarize(np.array([np.nan])))
    'nonfinite'
    >>> Health(vanishing=1e-3).of(None, summarize(np.array([1e-5])))
    'vanishing'
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.viz.summary import Summary

#: Header fill of each kind of node.
KIND_COLOURS = {
    "param": "#a8d1ff",
    "input": "#e6e6e6",
    "op": "#fff2b3",
    "output": "#9fdf9f",
    "module": "#dccdf0",
    "more": "#ffffff",
}
KIND_NAMES = {
    "param": "parameter",
    "input": "input (leaf or data)",
    "op": "op (its output below it)",
    "output": "output",
    "module": "module (collapsed)",
}
HEALTH_COLOURS = {"nonfinite": "#ff5c5c", "vanishing": "#b99cff", "exploding": "#ffa64d"}
EDGE_COLOUR = "#555555"
GRAD_EDGE_COLOUR = "#2f6fb3"
CLUSTER_COLOUR = "#8c8c8c"
_TIME_LIGHT = (0xF7, 0xF7, 0xF7)
_TIME_DARK = (0x52, 0x52, 0x52)


@dataclass(frozen=True)
class Health:
    """Gradient-norm thresholds: below ``vanishing`` or above ``exploding`` is flagged."""

    vanishing: float = 1e-7
    exploding: float = 1e3

    def __post_init__(self) -> None:
        if not 0 <= self.vanishing < self.exploding:
            raise ValueError(
                f"draw_graph: need 0 <= vanishing < exploding, got vanishing={self.vanishing}, "
                f"exploding={self.exploding}"
            )

    def of(self, value: Summary | None, grad: Summary | None) -> str | None:
        """``"nonfinite"``, ``"vanishing"``, ``"exploding"`` or None (healthy, or nothing known)."""
        if (value is not None and not value.finite) or (grad is not None and not grad.finite):
            return "nonfinite"
        if grad is None or grad.size == 0:
            return None
        if grad.norm < self.vanishing:
            return "vanishing"
        if grad.norm > self.exploding:
            return "exploding"
        return None

    def descriptions(self) -> dict[str, str]:
        return {
            "nonfinite": "NaN or inf",
            "vanishing": f"‖grad‖ < {self.vanishing:g}",
            "exploding": f"‖grad‖ > {self.exploding:g}",
        }


def worst(healths: list[str | None]) -> str | None:
    """The most alarming of several health marks."""
    for mark in HEALTH_COLOURS:
        if mark in healths:
            return mark
    return None


def time_colour(fraction: float) -> tuple[str, str]:
    """Fill and font colour for an op that took ``fraction`` of the slowest op's time (0 light, 1 dark)."""
    f = min(max(fraction, 0.0), 1.0)
    rgb = [round(a + (b - a) * f) for a, b in zip(_TIME_LIGHT, _TIME_DARK)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("#ffffff" if f > 0.55 else "#000000")
