"""Backups that restore: `flask backup` and `flask restore ARCHIVE`.

An archive is one gzipped tar file holding a consistent copy of the database
(SQLite through the online backup API, PostgreSQL through pg_dump in an
exported snapshot), every uploaded file (event images, signed-plan scans),
`meta.json` (the database kind, its schema revision, row counts per table)
and `SHA256SUMS` over every other member; a `.sha256` file sits beside it.

`services` holds the plain functions (testable without the CLI), `archive`
the file format, `databases` the two database kinds, `cli` the commands.
The archives hold personal data: files 0600, folders 0700, and nothing from
inside the database is ever printed or logged.
"""


class BackupError(Exception):
    """A refusal or failure, told in Polish and in English: the commands run
    outside any request, so there is no chosen language to translate to."""

    def __init__(self, polish, english):
        super().__init__(f"{polish}\n{english}")
        self.polish = polish
        self.english = english
