"""The light offline path gives exactly what the engine gives offline."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wizard.address import parse_address
from wizard.discovery import builtin, engine


@pytest.mark.parametrize("typed", ["alice@yandex.ru", "bob@gmail.com", "x@mail.ru",
                                   "иван@почта.рф", "nobody@nowhere.example"])
def test_offline_shortcut_matches_the_engine(typed):
    address = parse_address(typed)
    light = builtin.detect_offline(address)
    full = engine.detect(address, offline=True)

    def same(s):
        return replace(s, elapsed_ms=0, attempts=tuple(replace(a, elapsed_ms=0)
                                                       for a in s.attempts))

    assert same(light) == same(full)
    assert light.found == (typed != "nobody@nowhere.example" and "почта" not in typed)
