"""``python -m app`` — the same as the ``dtidesk`` command."""

import sys

from app.cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module
    sys.exit(main())
