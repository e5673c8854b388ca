"""A data set's sample in the TikZ network pictures, as in the PNG (`sample.py`): the image as
filled squares left of the input column with its caption, and right of the outputs their class
names, the forward pass's probability bars as rectangles with their values, and the predicted and
actual marks.

TikZ measures text only when LaTeX runs, so the columns right of the outputs are placed by
estimated widths (`tikz_geometry.text_width` for numbers, a generous width per letter for names),
and `width` says how much room they take, for the colour bar to go after them.
"""

from __future__ import annotations

import numpy as np

from visualizer.texify import latex_text

from .sample import THUMB, SampleView
from .tikz_geometry import CM_PER_PT, text_width

ROW_GAP = 1.4  # network.ROW_GAP: the image is as many rows tall as in the PNG
BAR_CM = 4.2  # a bar's length at a = 1
BAR_HEIGHT_CM = 0.42
GAP = 0.2  # cm between two columns
NAME_PT, MARK_PT = 8, 7
NAME_FONT = r"\fontsize{8}{9.6}\selectfont"
MARK_FONT = r"\fontsize{7}{8.4}\selectfont"


def _letters(text: str, pt: float, bold: bool = False) -> float:
    """A generous estimate of a line of text's width in cm: Computer Modern's letters average
    about half an em, its bold ones more; an estimate too small would run a name into its bar."""
    return len(text) * (0.62 if bold else 0.56) * pt * CM_PER_PT


class SamplePicture:
    """The TikZ of `view` for a picture of `kind`; `outputs` are the output neurons shown, as
    (node, class index, a); `number` and `computed` write given and computed numbers."""

    def __init__(self, view: SampleView, kind: str, outputs: list, number, computed):
        self.view, self.kind, self.outputs = view, kind, outputs
        self.number, self.computed = number, computed
        names = view.names
        self.name_width = max((_letters(names[j], NAME_PT, j == view.actual) for _, j, _ in outputs), default=0.0)
        self.values = {j: computed(a) for _, j, a in outputs}
        value_width = max((text_width(v) for v in self.values.values()), default=0.0)
        self.bars = kind == "forward" and bool(names)
        self.marks = {j: self._mark(j) for _, j, _ in outputs if view.mark(j)}
        mark_width = max((_letters(m, MARK_PT, True) for m in self.marks.values()), default=0.0)
        self.width = 0.0
        if names:
            self.width = 0.25 + self.name_width + GAP
            self.width += (BAR_CM + 0.1 + value_width + GAP if self.bars else 0.0) + mark_width

    def _mark(self, j: int) -> str:
        mark = self.view.mark(j)
        return mark + (" (y = 1)" if "actual" in mark and self.kind == "forward" else "")

    def tikz(self, geo) -> list[str]:
        """The lines of TikZ, at the positions of `geo` (tikz_geometry.Geometry)."""
        out = self._image(geo) if self.view.image is not None else []
        if not self.view.names:
            return out
        radius = geo.diameter / 2
        x = max(geo.pos[node][0] for node, _, _ in self.outputs) + radius + 0.25
        bar_x = x + self.name_width + GAP
        mark_x = bar_x
        if self.bars:
            value_width = max(text_width(v) for v in self.values.values())
            mark_x = bar_x + BAR_CM + 0.1 + value_width + GAP
        for node, j, a in self.outputs:
            y = geo.pos[node][1]
            bold = r"\bfseries " if j == self.view.actual else ""  # the actual class's name in bold
            out.append(
                f"\\node[anchor=west, inner sep=0pt, font={NAME_FONT}{bold}] at ({x:.3f},{y:.3f}) "
                f"{{{latex_text(self.view.names[j])}}};"
            )
            if self.bars:
                out += self._bar(bar_x, y, j, a)
            if j in self.marks:
                out.append(
                    f"\\node[anchor=west, inner sep=0pt, font={MARK_FONT}\\bfseries] at ({mark_x:.3f},{y:.3f}) "
                    f"{{$\\leftarrow$ {latex_text(self.marks[j])}}};"
                )
        if self.bars:  # the bars' scale, over the first
            top = max(geo.pos[node][1] for node, _, _ in self.outputs) + BAR_HEIGHT_CM / 2 + 0.05
            for at, anchor, text in ((0, "south west", "0"), (0.5, "south", "output $a$ as a probability"), (1, "south east", "1")):  # fmt: skip
                out.append(
                    f"\\node[anchor={anchor}, inner sep=1pt, font={MARK_FONT}, text=black!70] "
                    f"at ({bar_x + at * BAR_CM:.3f},{top:.3f}) {{{text}}};"
                )
        return out

    def _bar(self, x: float, y: float, j: int, a: float) -> list[str]:
        """Output j's bar, a · BAR_CM long on a track as long as 1, and its value after the track."""
        y0, length = y - BAR_HEIGHT_CM / 2, BAR_CM * min(max(a, 0.0), 1.0)
        fill = "bpForward" if j == self.view.predicted else "black!45"  # the network's answer in blue
        lines = [f"\\fill[black!8] ({x:.3f},{y0:.3f}) rectangle ++({BAR_CM:.3f},{BAR_HEIGHT_CM:.3f});"]
        if length > 0:
            lines.append(f"\\fill[{fill}] ({x:.3f},{y0:.3f}) rectangle ++({length:.4f},{BAR_HEIGHT_CM:.3f});")
        lines.append(
            f"\\node[anchor=west, inner sep=0pt, font={MARK_FONT}] at ({x + BAR_CM + 0.1:.3f},{y:.3f}) "
            f"{{${self.values[j]}$}};"
        )
        return lines

    def _image(self, geo) -> list[str]:
        """The raw pixels as squares on black, each as light as imshow's grey map makes it (from the
        darkest pixel to the lightest), left of the input column, and its caption under it."""
        image = self.view.image
        rows, cols = image.shape
        height = THUMB / ROW_GAP * geo.row_gap
        cell = height / rows
        x1 = min(x for x, _ in geo.pos.values()) - geo.diameter / 2 - 0.4
        x0, y0 = x1 - cell * cols, -height / 2
        low, high = float(image.min()), float(image.max())
        ink = (image - low) / (high - low) if high > low else np.zeros_like(image)
        out = [f"\\fill[black] ({x0:.3f},{y0:.3f}) rectangle ({x1:.3f},{y0 + height:.3f});"]
        for r in range(rows):
            for c in range(cols):
                if ink[r, c] > 0:  # a hair larger than the cell, so that no seam shows between squares
                    x, y = x0 + c * cell, y0 + (rows - 1 - r) * cell
                    out.append(
                        f"\\fill[white!{round(ink[r, c] * 100)}!black] ({x:.3f},{y:.3f}) rectangle ++({cell + 0.005:.3f},{cell + 0.005:.3f});"
                    )
        out.append(f"\\draw[black!70, line width=0.4pt] ({x0:.3f},{y0:.3f}) rectangle ({x1:.3f},{y0 + height:.3f});")
        data, pixels = latex_text(self.view.data), rows * cols
        lines = [  # each line sets its own type: a line of a node starts afresh
            f"{{\\fontsize{{9}}{{10.8}}\\selectfont {latex_text(self.view.caption)}}}\\\\[2pt]",
            f"{{{MARK_FONT}\\color{{black!70}}{data}, ${rows} \\times {cols}$ pixels,}}\\\\",
            f"{{{MARK_FONT}\\color{{black!70}}row by row $\\to x_1 \\dots x_{{{pixels}}}$}}",
        ]
        out.append(
            f"\\node[anchor=north, align=center, inner sep=2pt] at ({(x0 + x1) / 2:.3f},{y0 - 0.1:.3f}) "
            f"{{{''.join(lines)}}};"
        )
        return out
