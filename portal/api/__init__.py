"""The public read-only API for the municipality's website (issue 15 §3): HSDS 3.1."""
