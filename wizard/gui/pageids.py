"""The wizard's pages in order (Qt page ids); a module of its own so the window can be
shown before the flow and the core are imported."""

from __future__ import annotations

import enum


class Page(enum.IntEnum):
    ACCOUNT = 0
    DISCOVERY = 1
    SETTINGS = 2
    VERIFY = 3
    SAVE = 4
    DONE = 5
