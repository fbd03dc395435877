"""Pausing Python's cycle collector around work that allocates a great deal and makes no cycles.

A full collection walks every object of the process while holding the interpreter lock. Scoring a
batch builds tens of thousands of findings, fractions and tuples that reference counting frees by
itself; left on, the collector would run several full collections in the middle of that work — a
fifth of a batch's time. Paused, the objects that stay are examined once, by the next ordinary
collection after the work. (The desktop goes further: ``app.gui.collector``.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector off for the ``with`` block, then restored as it was. Nested pauses are safe (only
    the outer one, which found it on, turns it back on); the switch is the process's, so a pause in
    one thread also pauses the others until it ends. In the desktop the collector is already off
    (``app.gui.collector``) and a pause leaves it so."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
