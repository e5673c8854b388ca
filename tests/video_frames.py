"""Reading a rendered video frame by frame, as a viewer sees it: how long each still picture
stays, and how long the screen is blank."""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHANGE = 8  # grey levels: a frame that differs from the one before by more has moved
BLANK = 240  # a frame whose darkest pixel is lighter than this is an empty white page


def still_and_blank_runs(video: Path) -> tuple[list[float], list[float]]:
    """Seconds of each run of unchanging frames, and of each run of blank frames."""
    import av

    stills, blanks = [], []
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        previous, still, blank = None, 0, 0
        for frame in container.decode(stream):
            grey = frame.to_ndarray(format="gray")[::2, ::2].astype(np.int16)
            if previous is not None and np.abs(grey - previous).max() > CHANGE:
                stills.append(still / fps)
                still = 0
            still += 1
            if grey.min() > BLANK:
                blank += 1
            elif blank:
                blanks.append(blank / fps)
                blank = 0
            previous = grey
        stills.append(still / fps)
        if blank:
            blanks.append(blank / fps)
    return stills, blanks
