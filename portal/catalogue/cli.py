"""`flask catalogue purge-search-misses`: the search statistics brought under
the rule of issue 9 (see services.py).

Run it once when deploying that change: rows stored before it may hold
names, PESELs, phone numbers or e-mail addresses. Until it runs the
organiser's lists already hide such rows. Safe to run again at any time;
writes expire and cap the table by themselves, so no schedule is needed.
"""
import click
from flask.cli import AppGroup

from ..extensions import db
from .services import purge_search_counts

catalogue_cli = AppGroup("catalogue", help="The public catalogue.")


@catalogue_cli.command("purge-search-misses")
def purge_search_misses_command():
    """Keep only words that could name a service in the stored search statistics."""
    counts = purge_search_counts(db.session)
    db.session.commit()
    # Counts only: the command's output must not carry what was typed.
    click.echo("Search statistics: {deleted} deleted, {merged} merged, {rewritten} rewritten, "
               "{expired} expired, {capped} over the cap.".format(**counts))
