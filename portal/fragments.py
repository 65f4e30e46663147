"""Rendered regions kept in memory until the data under them changes.

A region (the catalogue's results, the desk board) is rendered once per key
(the query, the language, the minute shown on it) and served again until the
data version moves; then every entry of the old version is dropped. Each
process keeps its own; a bounded size caps memory on a long-running worker.
"""
from markupsafe import Markup


class RegionCache:
    def __init__(self, size=512):
        self.size = size
        self.version = None
        self.items = {}

    def get(self, version, key, render):
        """The HTML for `key` at data `version`, rendering it with `render()`
        when it is not held."""
        if version != self.version:
            self.items = {}
            self.version = version
        items = self.items
        html = items.get(key)
        if html is None:
            html = render()
            if len(items) >= self.size:
                items.clear()
            items[key] = html
        return Markup(html)
