"""Harnesses that boot guests, build and run the firmware, and regenerate goldens: test code, not the library."""
