"""Schemas: construct definitions and name tables only, one module per format family. No logic lives here."""
