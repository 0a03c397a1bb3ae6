"""The entry point of the self-contained folder: ``floorline`` is the ``hmi`` command."""

import sys

from hmi.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
