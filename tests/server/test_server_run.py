"""Start-up helpers of ``voicelive serve`` that need no running server."""

from __future__ import annotations

import gc

from voicelive.server.run import freeze_startup_heap


def test_freeze_startup_heap_takes_existing_objects_out_of_collections() -> None:
    marker: list[object] = [object()]
    assert any(o is marker for o in gc.get_objects())
    try:
        frozen = freeze_startup_heap()
        assert frozen == gc.get_freeze_count() > 0
        assert not any(o is marker for o in gc.get_objects())  # no generation scans it now
        later: list[object] = [object()]
        assert any(o is later for o in gc.get_objects())  # what comes after is still collected
    finally:
        gc.unfreeze()
    assert any(o is marker for o in gc.get_objects())
