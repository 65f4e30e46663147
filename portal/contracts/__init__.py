"""The centre's contracts with providers: commissioning, volume, amount, amendments (issue 15 §2)."""
