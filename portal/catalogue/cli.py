"""`flask catalogue purge-search-misses`: the searches-that-found-nothing
table brought under the rule of issue 9 (see services.py).

Run it once when deploying that change: rows stored before it may hold
names, PESELs, phone numbers or e-mail addresses. Until it runs the
organiser's list already hides such rows. Safe to run again at any time;
writes expire and cap the table by themselves, so no schedule is needed.
"""
import click
from flask.cli import AppGroup

from ..extensions import db
from .services import purge_search_misses

catalogue_cli = AppGroup("catalogue", help="The public catalogue.")


@catalogue_cli.command("purge-search-misses")
def purge_search_misses_command():
    """Keep only words that could name a service in stored search misses."""
    counts = purge_search_misses(db.session)
    db.session.commit()
    # Counts only: the command's output must not carry what was typed.
    click.echo("Search misses: {deleted} deleted, {merged} merged, {rewritten} rewritten, "
               "{expired} expired, {capped} over the cap.".format(**counts))
