"""Keep freed memory in the process, so training steps do not page-fault their arrays back in.

A NumPy engine allocates a fresh array for every intermediate. With glibc's default settings the
freed top of the heap goes back to the kernel once it passes the trim threshold (twice the largest
block freed so far), and the next step faults the same pages back in, zeroed. For the CNN benchmark
that was about 2,000 page faults per step: more time than its arithmetic. So at import, on glibc,
chainrule fixes the thresholds as ``MALLOC_MMAP_THRESHOLD_=32MB MALLOC_TRIM_THRESHOLD_=64MB`` would:
blocks under 32 MB come from the heap, and up to 64 MB of freed heap stays for reuse.

It changes nothing if either variable is already set, if ``CHAINRULE_MALLOC=default``, or off glibc.

    >>> from autograd import memory
    >>> memory.keep_freed_memory() in (True, False)
    True
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def keep_freed_memory(mmap_threshold: int = 32 << 20, trim_threshold: int = 64 << 20) -> bool:
    """Set glibc's mmap and trim thresholds; True if they were set."""
    if not sys.platform.startswith("linux") or os.environ.get("CHAINRULE_MALLOC") == "default":
        return False
    if any(name in os.environ for name in _USER_SETTINGS):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, trim_threshold))
