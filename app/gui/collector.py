"""Python's cycle collector, run by the UI thread between events — never in the middle of a load.

Left automatic, a collection starts in whichever thread happens to allocate when a counter trips.
Two faults followed, both measured on a 1,000-unit workspace:

* a full collection walks the whole heap holding the interpreter lock — 60 to 90 ms in which the
  UI thread could not run a line of Python, the longest stalls of every page switch, started by the
  loader's thread in the middle of reading a period;
* a collection on the loader's thread that frees a cycle holding a Qt object (a closed dialog, a
  window's wrapper) deletes that object from the wrong thread: a crash, seen in the tests as soon as
  collections were made rarer on that thread.

So the automatic collector is off in the desktop process and this timer does its work, on the UI
thread, with Python's own thresholds (young objects often, the whole heap rarely). The program's
own objects (modules, classes, the window) are frozen once at start: a full collection then walks
only the data read since. Reference counting, which frees almost everything, is unchanged.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

#: how often the UI thread looks at the collector's counters (a look costs microseconds)
INTERVAL_MS = 500

_running: set[UiThreadCollector] = set()
_frozen = False


class UiThreadCollector(QObject):
    """Collects cyclic garbage from the UI thread's event loop, generation by generation, while its
    window is open (``stop`` when it closes, after the loader's thread has ended)."""

    def __init__(self, parent: QObject) -> None:
        global _frozen
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        if not _frozen:
            gc.collect()
            gc.freeze()  # what exists now lives as long as the program: out of every later walk
            _frozen = True
        gc.disable()
        _running.add(self)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        """What the automatic collector would have done by now, done here."""
        young, middle, old = gc.get_count()
        if young <= self.thresholds[0]:
            return
        # the oldest generation due, collected once (a generation's collection takes the younger ones)
        due_middle = middle >= self.thresholds[1]
        gc.collect(2 if due_middle and old >= self.thresholds[2] else 1 if due_middle else 0)

    def stop(self) -> None:
        """The window closed and no thread of its own runs any more: the automatic collector comes
        back once no open window keeps it off."""
        self.timer.stop()
        _running.discard(self)
        if not _running:
            gc.enable()
