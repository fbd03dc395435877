"""``dtidesk``, the command line: one module per command group, ``main`` runs them (see ``main``)."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
