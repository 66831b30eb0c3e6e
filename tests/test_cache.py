"""`cache.ByteLRU`: the budget holds, counting what an entry costs beyond its body."""

from __future__ import annotations

import gc
import tracemalloc

from cybercrime_kg.cache import ENTRY_OVERHEAD, ByteLRU


def test_oldest_go_first_and_the_budget_counts_each_entry():
    cache: ByteLRU[bytes] = ByteLRU(10 * (ENTRY_OVERHEAD + 100))
    for n in range(12):
        cache.put(n, b"x" * 100, 100)
    cache.get(2)  # used again: now the newest
    cache.put(12, b"x" * 100, 100)
    kept = [n for n in range(13) if cache.get(n) is not None]
    assert kept == [2, 4, 5, 6, 7, 8, 9, 10, 11, 12]  # 0, 1, then 3 went
    assert cache._bytes == 10 * (ENTRY_OVERHEAD + 100)


def test_an_answer_larger_than_an_eighth_is_not_kept():
    cache: ByteLRU[bytes] = ByteLRU(8 * (ENTRY_OVERHEAD + 1000))
    cache.put("big", b"x" * 1001, 1001)
    cache.put("fits", b"x" * 1000, 1000)
    assert (cache.get("big"), cache.get("fits")) == (None, b"x" * 1000)


def test_small_responses_stay_within_the_budget():
    """What the response cache holds for a small answer (fastpath.py): the key, the headers,
    the body; the memory they take is no more than the bytes the cache counts for them."""
    headers = [
        ("Vary", "Accept"),
        ("ETag", '"d9c6b3a585628281-170dc952a68068f0"'),
        ("Content-Type", "application/sparql-results+json; charset=utf-8"),
        ("Content-Length", "120"),
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Expose-Headers", "ETag, Retry-After, X-SPARQL-Truncated"),
    ]
    cache: ByteLRU[tuple[list[tuple[str, str]], bytes, str]] = ByteLRU(1 << 30)
    gc.collect()
    tracemalloc.start()
    try:
        for n in range(2000):
            query = f"query=DESCRIBE+%3Chttps%3A%2F%2Fw3id.org%2Fcybercrime-kg%2Fid%2Fx-{n:08d}%3E"
            body = b"%08d" % n + b"x" * 112
            value = ([(k, v) for k, v in headers], body, f"{n:016x}")
            cache.put((query, "application/sparql-results+json"), value, len(body) + len(query))
        gc.collect()
        used = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert used <= cache._bytes, f"{used} bytes held, {cache._bytes} counted"
