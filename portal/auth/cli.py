"""flask users create|reset-password|list"""
import click
from flask.cli import AppGroup

from ..extensions import db
from . import bp
from .models import Role, User
from .services import AccountError, create_user, set_password

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name shown in the portal.")
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@click.option("--email", default=None)
@click.password_option(help="At least 10 characters; asked for when not given.")
def create_command(username, full_name, role, email, password):
    """Create a staff account."""
    try:
        user = create_user(username, full_name, role, password, email=email)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}).")


@users_cli.command("reset-password")
@click.argument("username")
@click.password_option()
def reset_password_command(username, password):
    """Set a new password; ends the account's open sessions."""
    user = db.session.scalar(db.select(User).filter_by(username=username.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        set_password(user, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Password changed for {user.username}; their sessions were ended.")


@users_cli.command("list")
def list_command():
    for user in db.session.scalars(db.select(User).order_by(User.username)):
        click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'inactive'}")


bp.cli.short_help = "Staff accounts."
