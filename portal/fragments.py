"""Rendered regions kept in memory until the data under them changes.

A region (the catalogue's results, the desk board) is rendered once per key
(the query, the language, the minute shown on it) and served again until the
data version moves; then every entry of the old version is dropped. Each
process keeps its own; a bounded size caps memory on a long-running worker.

`TimedRegions` also lets each entry say until when it holds: a service page
shows "open now" and the next dates, which change when a session starts or
ends, not every minute.
"""
import threading
from collections import OrderedDict

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


class TimedRegions:
    """Values rendered at one moment and valid until another, for one data
    version. `render()` returns `(value, until)`: the value holds from the
    moment it was rendered until `until` (an aware datetime; None: until the
    version moves); a None value is not kept. A moment before the rendering
    (a clock set back, as tests do) renders again. Past `size` entries the
    least recently used go."""

    def __init__(self, size=1000):
        self.size = size
        self.version = None
        self.items = OrderedDict()  # key -> (since, until, value)
        self.lock = threading.Lock()  # gthread workers share it; rendering happens outside

    def holds(self, key):
        """Whether anything is kept for `key`, of any version or time."""
        return key in self.items

    def held(self, version, key, moment):
        """The value kept for `key` if it holds at `version` and `moment`, else None."""
        with self.lock:
            if version != self.version:
                self.items.clear()
                self.version = version
            held = self.items.get(key)
            if held is None:
                return None
            since, until, value = held
            if since <= moment and (until is None or moment < until):
                self.items.move_to_end(key)
                return value
            return None

    def put(self, version, key, moment, value, until):
        """Keep `value`, rendered at `moment` from data `version`, until `until`."""
        if value is None:
            return
        with self.lock:
            if version != self.version:
                self.items.clear()
                self.version = version
            self.items[key] = (moment, until, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def get(self, version, key, moment, render):
        value = self.held(version, key, moment)
        if value is None:
            value, until = render()
            self.put(version, key, moment, value, until)
        return value
