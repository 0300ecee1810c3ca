"""`python -m qboot_tables` runs the same CLI as the `qboot-tables` script."""
from qboot_tables.cli import script_main

script_main()
