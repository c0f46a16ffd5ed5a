"""`python -m dashboard <command>`: see `python -m dashboard --help`."""

import sys

from dashboard.cli import main

sys.exit(main())
