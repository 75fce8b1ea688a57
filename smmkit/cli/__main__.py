"""``python -m smmkit.cli`` runs the command line."""

import sys

from smmkit.cli import main

sys.exit(main())
