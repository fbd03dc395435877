"""``python -m app`` — the same as the ``dtidesk`` command."""

import sys

from app.cli import main

sys.exit(main())
