"""Staff accounts and their server-side sessions."""
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import now


class Role:
    FRONT_DESK = "front_desk"
    COORDINATOR = "coordinator"
    SERVICES_ORGANISER = "services_organiser"
    COMMUNITY_ORGANISER = "community_organiser"
    DIRECTOR = "director"
    ADMIN = "admin"
    # A provider's staff (issue 15): signs in to see only its own organisation,
    # its services and the participants of its services; `User.provider_id`.
    PROVIDER = "provider"

    # The centre's own staff; ALL adds the providers' accounts.
    STAFF = (FRONT_DESK, COORDINATOR, SERVICES_ORGANISER, COMMUNITY_ORGANISER, DIRECTOR, ADMIN)
    ALL = STAFF + (PROVIDER,)

    LABELS = {
        FRONT_DESK: _l("Recepcja (jedno okienko)"),
        COORDINATOR: _l("Koordynator IPUS"),
        SERVICES_ORGANISER: _l("Organizator usług społecznych"),
        COMMUNITY_ORGANISER: _l("Organizator społeczności lokalnej"),
        DIRECTOR: _l("Dyrektor"),
        ADMIN: _l("Administrator"),
        PROVIDER: _l("Realizator usług"),
    }


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32))
    # The organisation a provider account belongs to (Role.PROVIDER only; None
    # for the centre's staff). A string reference: the catalogue is a higher layer.
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Two-factor sign-in (TOTP): the secret encrypted (auth/crypto.py); set
    # while being enrolled, in force from `totp_enabled_at`. `totp_last_step`
    # is the time step of the last accepted code, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    sessions = relationship("UserSession", back_populates="user", cascade="all, delete-orphan")

    # Set by the session loader: Flask-Login keeps this id, not the user's.
    session_token = None

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return self.active

    @property
    def role_label(self):
        return Role.LABELS.get(self.role, self.role)

    @property
    def totp_enabled(self):
        return self.totp_enabled_at is not None

    def has_role(self, *roles):
        return self.role in roles

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


class UserSession(db.Model):
    """One login. The cookie carries only this token; logout deletes the row,
    so a copied cookie is worthless afterwards."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)

    user = relationship("User", back_populates="sessions")


class PasswordLink(db.Model):
    """A one-time set-password link. Only the SHA-256 of its random token is
    stored: the link itself is shown once (or e-mailed) and never kept."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])


class RecoveryCode(db.Model):
    """A single-use recovery code for two-factor sign-in, stored as a keyed hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class TwoFactorRole(db.Model):
    """A role whose accounts must sign in with a second factor (set by the administrator)."""

    __tablename__ = "two_factor_role"

    role: Mapped[str] = mapped_column(String(32), primary_key=True)
