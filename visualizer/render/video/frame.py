"""The frame a lecture is projected in: manim's 14.22 × 8 units (1080 px tall at 1080p), the
title-safe area inside it, and the smallest text a hall can read.

Projectors and video players may crop a frame's edges, so everything stays inside the 5 % margin
broadcasters call title-safe. A number must be at least 28 px tall at 1080p to be read from the
back row; the font sizes below are the smallest that give it (measured: manim Text at font size
20 draws digits 28.4 px tall at 1080p, MathTex at 30 draws them 29.4 px).
"""

from __future__ import annotations

import numpy as np

FRAME_WIDTH, FRAME_HEIGHT = 14.222, 8.0
PIXELS_PER_UNIT = 1080 / FRAME_HEIGHT
SAFE_X, SAFE_Y = 0.95 * FRAME_WIDTH / 2, 0.95 * FRAME_HEIGHT / 2  # half the title-safe area
SAFE_MARGIN = np.array([FRAME_WIDTH / 2 - SAFE_X + 0.05, FRAME_HEIGHT / 2 - SAFE_Y + 0.05, 0.0])
MIN_DIGIT_PX = 28
MIN_TEXT_SIZE = 21  # manim Text: digits at least MIN_DIGIT_PX at 1080p
MIN_TEX_SIZE = 31  # manim MathTex: the same


def inside_safe_area(mob, slack: float = 1e-6) -> bool:
    """Whether `mob` lies wholly inside the title-safe area."""
    left, bottom = mob.get_left()[0], mob.get_bottom()[1]
    right, top = mob.get_right()[0], mob.get_top()[1]
    return -SAFE_X - slack <= left and right <= SAFE_X + slack and -SAFE_Y - slack <= bottom and top <= SAFE_Y + slack
