"""The desktop application (DESIGN §8): the only package that imports Qt.

One concept per module: ``launch`` (start-up), ``settings`` (what the program remembers),
``logs`` (the rotating log file), ``errors`` (the one error dialog), ``worker`` (the one helper
for background work), ``models`` (Qt table models over core objects), ``mainwindow`` and
``pages/`` (one page per step of the quarterly cycle). The core (``app.workspace`` …) is imported
lazily, after the window is on screen, because it pulls in openpyxl and friends.
"""
