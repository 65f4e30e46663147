"""A provider's proposed new services and changes, reviewed by the services organiser (issue 15 §1)."""
