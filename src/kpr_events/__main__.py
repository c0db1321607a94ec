"""``python -m kpr_events`` runs the command line."""

import sys

from kpr_events.cli import main

if __name__ == "__main__":  # not when a worker process of ``export`` imports it again
    sys.exit(main())
