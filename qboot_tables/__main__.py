"""`python -m qboot_tables` runs the same CLI as the `qboot-tables` script."""
import sys

from qboot_tables.cli import main

sys.exit(main())
