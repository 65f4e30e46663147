"""Role checks for views."""
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def role_required(*roles):
    """Logged-in users with one of these roles; anonymous users go to the login page."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator
