"""The query service: one loaded engine, its worker pool, its caches and the data version."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cybercrime_kg.cache import ByteLRU
from cybercrime_kg.dataset import Part, project_parts, version_of
from cybercrime_kg.formats import Format
from cybercrime_kg.sparql.engines.base import Answer, Engine, Job, engine_class
from cybercrime_kg.sparql.lexer import Outline
from cybercrime_kg.sparql.lexer import outline as read_outline
from cybercrime_kg.sparql.pool import QueryPool
from cybercrime_kg.sparql.rules import check_services, resolve_dataset

logger = logging.getLogger(__name__)

T = TypeVar("T")


class MemoKey(Generic[T]):
    """Names one value a service computes once and keeps; its type parameter says what it holds.

    The module that owns the value declares its key (`LABELS: MemoKey[LabelIndex]`), so the
    service can keep values of layers above it without importing them.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"MemoKey({self.name!r})"


class Memos:
    """Values computed once per service (VoID figures, the label index ...), each behind its lock.

    A build that raises leaves nothing behind, so the next call tries again (a remote store
    that was down). Only values whose size does not grow with requests belong here; anything
    keyed by what a client sends goes in the byte-capped `QueryService.cache`.
    """

    def __init__(self) -> None:
        self._values: dict[MemoKey[Any], Any] = {}
        self._locks: dict[MemoKey[Any], threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: MemoKey[T], build: Callable[[], T]) -> T:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = build()
            value: T = self._values[key]
            return value


@dataclass
class Prepared:
    """A checked query, ready for any engine, and its cache key."""

    outline: Outline
    job: Job


class QueryService:
    """Everything the endpoint needs to answer a query, shared by every request of a process."""

    def __init__(self, engine: Engine, version: str, config: Mapping[str, Any]) -> None:
        self.engine = engine
        self.version = version
        self.base: str = config["BASE"]
        self.max_rows: int = config["MAX_ROWS"]
        self.max_bytes: int = config["MAX_RESPONSE_BYTES"]
        self.allowlist: list[str] = list(config["SERVICE_ALLOWLIST"])
        self.timeout: float = config["QUERY_TIMEOUT"]
        self.graphs = engine.graphs()
        budget = config["RESULT_CACHE_BYTES"]
        # 7/16 of the cache budget for answers, 7/16 for whole responses (app.py gives those to
        # fastpath.py), the last eighth for the parse caches of the query processes
        self.cache: ByteLRU[Answer] = ByteLRU(budget * 7 // 16)
        engine.parse_cache_bytes = budget // 8 // max(config["QUERY_WORKERS"], 1)
        self.pool = QueryPool(
            engine,
            config["QUERY_WORKERS"],
            config["QUERY_TIMEOUT"],
            config["QUEUE_WAIT"],
            config.get("QUERY_MEMORY", 0),
        )
        self.memos = Memos()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> QueryService:
        """Load the dataset (config PARTS, else the project's files) into the configured engine."""
        parts: Sequence[Part] = config.get("PARTS") or project_parts()
        engine = engine_class(config["ENGINE"]).open(config, parts)
        version = version_of(parts)
        logger.info(
            "engine %s loaded %d graphs, data version %s",
            engine.name,
            len(engine.graphs()),
            version,
        )
        return cls(engine, version, config)

    def prepare(
        self,
        text: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> Prepared:
        """Check a query against every rule of the service; raise the RequestError that applies."""
        outline = read_outline(text, self.base)
        check_services(outline, self.allowlist)
        spec = resolve_dataset(outline, default_graph_uris, named_graph_uris, self.graphs)
        job = Job(
            text,
            self.base,
            spec,
            self.max_rows,
            select_star=outline.select_star,
            max_bytes=self.max_bytes,
        )
        return Prepared(outline, job)

    def key(self, prepared: Prepared, fmt: Format) -> str:
        """A digest of everything the answer depends on: data, query, dataset, format, limits."""
        job = prepared.job
        parts = (
            self.version,
            job.text,
            job.base,
            repr(job.dataset),
            fmt.name,
            str(job.max_rows),
            str(job.max_bytes),
        )
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]

    def answer(self, prepared: Prepared, fmt: Format, key: str) -> tuple[Answer, bool]:
        """The rendered answer and whether it came from the cache."""
        if self.cache.max_bytes:
            cached = self.cache.get(key)
            if cached is not None:
                return cached, True
        answer = self.pool.run(prepared.job, fmt)
        if self.cache.max_bytes:
            self.cache.put(key, answer, len(answer.body))
        return answer, False

    def kept(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """A body kept in the answer cache (pages, descriptions), made on a miss."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached.body
        body = make()
        self.cache.put(key, Answer(body, False, 0), len(body))
        return body

    def close(self) -> None:
        self.pool.close()
