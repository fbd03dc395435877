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
    """The collector off for the ``with`` block, then restored as it was (nesting and other threads
    that pause it too are safe: only the one that found it on turns it back on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
