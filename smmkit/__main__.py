"""``python -m smmkit`` runs the command line."""

import sys

from smmkit.cli import main

sys.exit(main())
