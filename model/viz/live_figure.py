"""A matplotlib figure drawn once and then updated cheaply every day (Agg blitting).

Redrawing a multi-panel chart from scratch (axes, ticks, event markers, legends) costs a tenth
of a second or more per frame, most of it on parts that never change. A `LiveFigure` draws those
parts once into a cached background, and each frame only restores the background, draws the
artists marked as moving (data lines, markers, labels that change) and encodes the PNG. When
a static part does change (an axis grows to fit the data, a platform leaves the market), the
update says so and the background is drawn again.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

PNG_COMPRESS_LEVEL = 1     # a bigger file, sent over loopback, encodes several times faster


class LiveFigure:
    """`fig` with moving artists updated by `update()` each frame.

    Args:
        fig: the figure, static parts already drawn on it.
        moving: artists redrawn every frame (set animated, so the background omits them).
        update: called before each frame; updates the moving artists (and, when needed, the
            static ones) and returns True when the static background must be redrawn.
    """

    def __init__(self, fig: Figure, moving: list, update: Callable[[], bool]) -> None:
        self.fig, self.moving, self.update = fig, moving, update
        self.canvas = FigureCanvasAgg(fig)
        for artist in moving:
            artist.set_animated(True)
        self._background = None
        self._lock = threading.Lock()

    def png(self) -> bytes:
        with self._lock:
            if self.update() or self._background is None:
                self.canvas.draw()
                self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            else:
                self.canvas.restore_region(self._background)
            for artist in self.moving:
                artist.axes.draw_artist(artist) if artist.axes else self.fig.draw_artist(artist)
            rgba = np.asarray(self.canvas.buffer_rgba())
            out = io.BytesIO()
            Image.fromarray(rgba).save(out, format="png", compress_level=PNG_COMPRESS_LEVEL)
            return out.getvalue()


def grown_limit(values: np.ndarray, current: float, headroom: float = 1.25,
                cap: float = 1.05) -> float | None:
    """A new upper y-limit when `values` reach above 95% of `current`, else None."""
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.max() <= 0.95 * current or current >= cap:
        return None
    return min(cap, max(finite.max() * headroom, current * 1.5))
