"""One page per step of the quarterly cycle (SPEC §2), each a ``Page`` refreshed by the main window."""
