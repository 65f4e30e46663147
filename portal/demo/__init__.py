"""Demo data: a fictitious municipality for `make run` (never in production)."""
