"""A value loaded from the database once per process and kept for a while (rarely changing reference tables).

The process that changes the table calls `reset()`; other processes (gunicorn workers, task workers) reload
on their own when `ttl` seconds have passed, so a change is seen everywhere within that time.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, loader: Callable[[], T], *, ttl: float = 300.0) -> None:
        self._loader, self._ttl = loader, ttl
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded_at = 0.0

    def get(self) -> T:
        value, fresh = self._value, time.monotonic() - self._loaded_at < self._ttl
        if value is not None and fresh:
            return value
        with self._lock:
            if self._value is None or time.monotonic() - self._loaded_at >= self._ttl:
                self._value, self._loaded_at = self._loader(), time.monotonic()
            return self._value

    def reset(self) -> None:
        with self._lock:
            self._value, self._loaded_at = None, 0.0
