"""A provider's own pages: its profile, its services, their participants' attendance (issue 15 §1)."""
