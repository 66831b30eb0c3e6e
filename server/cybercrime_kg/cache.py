"""A thread-safe least-recently-used cache capped in bytes (the data is read-only, so no expiry)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


# What an entry costs beyond the size its owner gives (the body): the key, the value's objects
# (headers ...), the dict slot. Measured at about 700 bytes per entry of the two answer caches;
# without it, caches of small answers held nearly twice their budget.
ENTRY_OVERHEAD = 1024


class ByteLRU(Generic[V]):
    """Values with a known size; the oldest go first when the total passes `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: V, size: int) -> None:
        """Keep `value` unless it alone would take more than an eighth of the budget."""
        size += ENTRY_OVERHEAD
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, old_size) = self._items.popitem(last=False)
                self._bytes -= old_size
