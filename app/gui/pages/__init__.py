"""One page per step of the quarterly cycle (DESIGN §2), each a ``Page`` refreshed by the main window."""
