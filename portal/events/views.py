"""Event pages (staff and public), feeds and notices."""
from . import bp  # noqa: F401
