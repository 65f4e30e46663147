"""Organisations that ask to become providers: the public form and the organiser's review (issue 15 §1)."""
