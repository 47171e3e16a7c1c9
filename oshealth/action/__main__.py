"""``python -m oshealth.action``: the entry point of the GitHub Action."""

import sys

from oshealth.action.main import main

if __name__ == "__main__":
    sys.exit(main())
