"""Stick-figure drawings of exercise poses, one consistent style for every card.

The pose's points come from `hamrehab.pose`. The package works in two steps:

1. geometry, in skeleton units with the floor at y = 0: where each body point is, where
   each prop stands (a prop the body rests on reaches down to the floor, and the body is
   lifted when needed so the prop fits under it), and the path of the movement arrow;
2. drawing: both poses at one common scale, side by side in the box, with a label under
   each, turned into ReportLab shapes.

`figure_layout` returns the result of step 1 in the drawing's coordinates (points), so the
tests can check where props are and what touches them; `figure_drawing` returns the
`Drawing` the PDF renderer places on each exercise card. A figure is seen from the side or, with
`view: front`, from the front (see hamrehab.pose).

Modules: style (colours, widths), geometry (vector maths, primitive shapes, outlines), body
(body points as props see them), parts, furniture, carried and props (the prop builders and
the table from kind to builder: to add a prop, add a row there), cues (the press arrow and
pressure marks of a hold), callout (a small prop magnified beside a lone pose), layout (floor,
scale, cells, labels, arrow path) and drawing (ReportLab shapes).
"""
from __future__ import annotations

from ...model import Figure
from .drawing import figure_drawing
from .geometry import Outline
from .layout import CuePlacement, FigureLayout, PoseLayout, PropPlacement, compose
from .style import FONT


def figure_layout(figure: Figure, width: float, height: float, font_name: str = FONT) -> FigureLayout:
    """Where everything of the figure's drawing goes, in the drawing's points (see the package doc)."""
    return compose(figure, width, height, font_name).layout


__all__ = ["CuePlacement", "FigureLayout", "Outline", "PoseLayout", "PropPlacement", "figure_drawing", "figure_layout"]
