"""Entry point of the frozen program: the same as the ``mailwizard`` console script."""

import sys

from wizard.cli import main

if __name__ == "__main__":
    sys.exit(main())
