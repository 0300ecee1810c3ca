"""Checking: validation of each table and the cross-table consistency check, into findings."""
