"""`flask plans refresh-capacity`: the daily recount of capacity in use.

Capacity held by plan items and grants starts and ends with their periods;
run this once a day (cron or a systemd timer, e.g. at 00:05) so that the
catalogue's free places follow the calendar, not only the last approval.
"""
import click

from ..extensions import db
from ..timeutil import local_now
from . import bp, capacity


@bp.cli.command("refresh-capacity")
def refresh_capacity_command():
    """Recount Service.capacity_granted for today from plans and grants."""
    count = capacity.refresh_all(db.session, local_now().date())
    db.session.commit()
    click.echo(f"Capacity recounted for {count} services.")
