"""Append-only record of who did what to which record, and when."""
