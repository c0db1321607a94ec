"""``python -m kpr_events`` runs the command line."""

import sys

from kpr_events.cli import main

sys.exit(main())
