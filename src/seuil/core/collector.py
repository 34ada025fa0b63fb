"""Python's cyclic garbage collector held off while a reading or a bulk write (an import)
makes many objects at once.

Each of its collections walks every object still alive, and one is triggered every few
hundred allocations: reading hundreds of thousands of rows into tuples, dates and
Decimals (none of which can form a cycle) then costs several times the reading itself.
Reference counting frees them as usual meanwhile."""

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """The collector off inside the block, then back as it was (on, unless something
    else had turned it off: that one turns it back on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
