"""`python -m dashboard <command>`: see `python -m dashboard --help`."""

import os
import sys

from dashboard.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader went away (`... | head`): point stdout at devnull so that Python's own flush at
    # exit does not raise again, as the Python docs advise for SIGPIPE (signal module notes).
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
sys.exit(code)
