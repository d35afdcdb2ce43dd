"""Cyclic garbage collection paused around bulk work (a file read, an ingest, an election's totals).

Bulk work makes hundreds of thousands of lists, tuples and strings and creates
no cycles. Each batch of new containers would otherwise set off collections that
walk every live container, the batch's own columns included, again and again
(that was a quarter of an ingest's CPU time, and a third of the time a reader
spent numbering a file's places).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; it resumes on exit if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
