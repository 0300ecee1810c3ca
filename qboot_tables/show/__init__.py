"""Showing: field rows, text and JSON, files written, the summary and the diff."""
