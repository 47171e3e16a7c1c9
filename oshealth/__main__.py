"""``python -m oshealth``: the same as the ``oshealth`` command."""

from oshealth.cli import main

if __name__ == "__main__":
    main()
