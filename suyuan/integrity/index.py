"""The similar-case vector index: usearch HNSW over distinct vectors, on disk, updated as disputes arrive.

Many disputes are told in the same words (a bank's card-debt batch, wage claims typed from one
template), so many share one vector exactly. HNSW graphs degrade on exact duplicates (the graph
fills with zero-distance links and the search stalls in a plateau), and the copies waste memory.
So the graph holds each distinct vector once and a side table maps it to the disputes that share
it; a search expands each hit into its disputes (ties, equally similar).

Files, under ``SUYUAN_INTEGRITY_INDEX_DIR`` (default ``var/integrity``): ``similar.usearch`` (the
graph, keyed by vector id), ``similar.members.npz`` (dispute → vector id, vector id → digest),
``similar.delta.npz`` (recent arrivals, searched exactly until they are merged into the graph) and
``meta.json`` (written last; readers reload when it changes). Writers (the worker) take a file
lock and replace files atomically: an arrival rewrites only the small delta, and every
``MERGE_AT`` arrivals the delta goes into the graph (see ``VectorIndex``). Readers (the web)
memory-map the graph. The database stays the source of truth: ``sync`` adds whatever disputes the
files are missing (``manage.py integrity_index``), so a lost task or a restart costs nothing but a
catch-up.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from usearch.index import Index

from .text import DIM

# Graph parameters, measured with bench/similar.py at a million distinct vectors (docs/integrity.md):
# connectivity 16, build expansion 64; search expansion 48 / 64 / 96 / 128 / 256 gave recall@10
# 0.958 / 0.973 / 0.980 / 0.985 / 0.992 at 270x / 225x / 167x / 154x / 87x the speed of exact
# search. 96 keeps a margin over the 0.95 target. f16 storage halves memory with no measurable
# recall loss; i8 builds 4x faster but stalls near 0.95 recall with a long latency tail
# (quantised distances tie), so it is not used.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 96
DTYPE = "f16"


def new_index(
    dim: int = DIM,
    *,
    connectivity: int = CONNECTIVITY,
    expansion_add: int = EXPANSION_ADD,
    expansion_search: int = EXPANSION_SEARCH,
    dtype: str = DTYPE,
) -> Index:
    return Index(
        ndim=dim,
        metric="cos",
        dtype=dtype,
        connectivity=connectivity,
        expansion_add=expansion_add,
        expansion_search=expansion_search,
    )


def digest(vec: np.ndarray) -> int:
    """Identity of a vector as the index stores it (f16), so "the same" means "indistinguishable"."""
    raw = np.asarray(vec, dtype=np.float16).tobytes()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


@dataclass
class Hits:
    keys: np.ndarray
    similarities: np.ndarray


@dataclass
class DistinctVectors:
    """An HNSW graph of distinct vectors plus the side table from each vector to its disputes."""

    graph: Index = field(default_factory=new_index)
    vector_of_digest: dict[int, int] = field(default_factory=dict)
    digests: list[int] = field(default_factory=list)  # vector id -> digest
    members: dict[int, list[int]] = field(default_factory=dict)  # vector id -> dispute keys, arrival order
    vector_of: dict[int, int] = field(default_factory=dict)  # dispute key -> vector id

    def __len__(self) -> int:
        return len(self.vector_of)

    @property
    def distinct(self) -> int:
        return len(self.members)

    def contains(self, key: int) -> bool:
        return key in self.vector_of

    def add(self, keys: list[int] | np.ndarray, vecs: np.ndarray, threads: int = 0) -> int:
        """Add (or replace) disputes; only vectors not seen before go into the graph."""
        vecs = np.asarray(vecs, dtype=np.float32)
        new_ids: list[int] = []
        new_rows: list[int] = []
        for row, key in enumerate(int(k) for k in keys):
            d = digest(vecs[row])
            vid = self.vector_of_digest.get(d)
            old = self.vector_of.get(key)
            if old is not None:
                if old == vid:
                    continue
                self._drop(key, old)
            if vid is None:
                vid = len(self.digests)
                self.digests.append(d)
                self.vector_of_digest[d] = vid
                self.members[vid] = []
                new_ids.append(vid)
                new_rows.append(row)
            self.members[vid].append(key)
            self.vector_of[key] = vid
        if new_ids:
            self.graph.add(np.asarray(new_ids, dtype=np.uint64), vecs[new_rows], threads=threads)
        return len(self)

    def _drop(self, key: int, vid: int) -> None:
        del self.vector_of[key]
        group = self.members[vid]
        group.remove(key)
        if not group:  # the vector no longer describes any dispute: out of the graph too
            del self.members[vid]
            del self.vector_of_digest[self.digests[vid]]
            self.graph.remove(vid)

    def search(self, vec: np.ndarray, k: int) -> Hits:
        """The ``k`` most similar disputes: nearest distinct vectors, each expanded into its disputes
        (most recent first among equals)."""
        if not self.members or k <= 0:
            return Hits(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
        return _expand(self.graph, vec, k, lambda vid: self.members.get(vid, []))

    # --- files ---------------------------------------------------------------------------------

    def save(self, graph_path: Path, table_path: Path) -> None:
        # Keys grouped by vector, each group in arrival order (the order a search shows ties in).
        keys = [key for vid in self.members for key in self.members[vid]]
        vids = [vid for vid in self.members for _ in self.members[vid]]
        tmp_table = table_path.with_suffix(".tmp.npz")
        np.savez(
            tmp_table,
            keys=np.asarray(keys, dtype=np.int64),
            vids=np.asarray(vids, dtype=np.int64),
            digests=np.asarray(self.digests, dtype=np.uint64),
        )
        os.replace(tmp_table, table_path)
        tmp_graph = graph_path.with_suffix(".tmp")
        self.graph.save(str(tmp_graph))
        os.replace(tmp_graph, graph_path)

    @classmethod
    def load(cls, graph_path: Path, table_path: Path) -> DistinctVectors:
        """For a writer: the graph in memory, the side table as dictionaries (readers: ``MappedVectors``)."""
        out = cls()
        out.graph.load(str(graph_path))
        if table_path.exists():
            with np.load(table_path) as table:
                keys, vids, digests = table["keys"].tolist(), table["vids"].tolist(), table["digests"].tolist()
            out.digests = [int(d) for d in digests]
            for key, vid in zip(keys, vids, strict=True):
                out.vector_of[key] = vid
                out.members.setdefault(vid, []).append(key)
            out.vector_of_digest = {out.digests[vid]: vid for vid in out.members}
        return out


def _expand(graph: Index, vec: np.ndarray, k: int, group_of: Callable[[int], Sequence[int] | np.ndarray]) -> Hits:
    """Nearest distinct vectors, each expanded into the disputes sharing it (most recent first)."""
    found = graph.search(np.asarray(vec, dtype=np.float32), min(k, len(graph)))
    keys: list[int] = []
    sims: list[float] = []
    for vid, distance in zip(np.asarray(found.keys).tolist(), np.asarray(found.distances).tolist(), strict=True):
        group = group_of(int(vid))
        take = group[: -(k - len(keys)) - 1 : -1]  # the most recent first, without copying the group
        keys.extend(int(key) for key in take)
        sims.extend([1.0 - float(distance)] * len(take))
        if len(keys) >= k:
            break
    return Hits(np.asarray(keys, dtype=np.uint64), np.asarray(sims, dtype=np.float32))


@dataclass
class MappedVectors:
    """The graph as a web process reads it: memory-mapped, with the side table as sorted arrays
    (a few bytes per dispute, where the writer's dictionaries cost ~150 bytes)."""

    graph: Index
    sorted_keys: np.ndarray  # dispute keys, ascending
    grouped: np.ndarray  # dispute keys grouped by vector id, arrival order within a group
    starts: np.ndarray  # vector id -> offset of its group in ``grouped`` (one more entry than ids)

    @classmethod
    def open(cls, graph_path: Path, table_path: Path) -> MappedVectors:
        graph = new_index()
        graph.view(str(graph_path))  # memory-mapped: the page cache is shared by the web processes
        with np.load(table_path) as table:
            keys, vids, digests = table["keys"], table["vids"], table["digests"]
        counts = np.bincount(vids, minlength=len(digests)) if len(vids) else np.zeros(len(digests), dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(graph, np.sort(keys), keys[np.argsort(vids, kind="stable")], starts)

    def __len__(self) -> int:
        return len(self.sorted_keys)

    @property
    def distinct(self) -> int:
        return int(np.count_nonzero(np.diff(self.starts)))

    def contains(self, key: int) -> bool:
        i = int(np.searchsorted(self.sorted_keys, key))
        return i < len(self.sorted_keys) and int(self.sorted_keys[i]) == key

    def search(self, vec: np.ndarray, k: int) -> Hits:
        if not len(self) or k <= 0:
            return Hits(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
        return _expand(self.graph, vec, k, lambda vid: self.grouped[self.starts[vid] : self.starts[vid + 1]])


def index_dir() -> Path:
    configured = getattr(settings, "SUYUAN_INTEGRITY_INDEX_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "integrity"


# Arrivals are kept in a small exact "delta" beside the graph and merged into it in batches: the
# graph file of a million disputes is ~800 MB, too much to rewrite for every arrival, while an exact
# scan of a few thousand delta vectors costs well under a millisecond (bench/similar.py).
MERGE_AT = 4096


@dataclass
class Delta:
    """Disputes added since the last merge, searched exactly; newer than anything in the graph."""

    keys: list[int] = field(default_factory=list)
    vecs: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), dtype=np.float32))

    def __len__(self) -> int:
        return len(self.keys)

    def put(self, keys: list[int], vecs: np.ndarray) -> None:
        """Add, or replace (a re-worded dispute moves to the end: it is the newest)."""
        incoming = {int(k) for k in keys}
        keep = [i for i, key in enumerate(self.keys) if key not in incoming]
        self.keys = [self.keys[i] for i in keep] + [int(k) for k in keys]
        self.vecs = np.concatenate([self.vecs[keep], np.asarray(vecs, dtype=np.float32).reshape(len(keys), -1)])

    def search(self, vec: np.ndarray, k: int) -> Hits:
        if not self.keys or k <= 0:
            return Hits(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
        q = np.asarray(vec, dtype=np.float32)
        norms = np.linalg.norm(self.vecs, axis=1) * (np.linalg.norm(q) or 1.0)
        sims = np.divide(self.vecs @ q, norms, out=np.zeros(len(self.keys), dtype=np.float32), where=norms > 0)
        order = np.lexsort((-np.arange(len(sims)), -np.round(sims, 3)))[:k]  # most recent first among equals
        return Hits(np.asarray(self.keys, dtype=np.uint64)[order], sims[order])

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.asarray(self.keys, dtype=np.int64), vecs=self.vecs)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Delta:
        if not path.exists():
            return cls()
        with np.load(path) as data:
            return cls([int(k) for k in data["keys"].tolist()], data["vecs"].astype(np.float32))


@dataclass
class Snapshot:
    """What a reader sees: the merged graph (if any) and the delta, loaded together."""

    graph: MappedVectors | None
    delta: Delta
    recent: set[int] = field(init=False)

    def __post_init__(self) -> None:
        self.recent = set(self.delta.keys)

    def contains(self, key: int) -> bool:
        return key in self.recent or (self.graph is not None and self.graph.contains(key))

    def __len__(self) -> int:
        if self.graph is None:
            return len(self.recent)
        return len(self.graph) + sum(1 for key in self.recent if not self.graph.contains(key))

    def search(self, vec: np.ndarray, k: int) -> Hits:
        """Graph and delta hits merged by similarity. A dispute re-worded since the last merge is
        found by its new words only; among equals the delta (newer) comes first."""
        ranked: list[tuple[float, int, int, int]] = []  # (-similarity, source, rank, key)
        sources = [self.delta.search(vec, k)]
        if self.graph is not None:
            stale = sum(1 for key in self.recent if self.graph.contains(key))
            sources.append(self.graph.search(vec, k + stale))
        for source, hits in enumerate(sources):
            for rank, (key, sim) in enumerate(zip(hits.keys.tolist(), hits.similarities.tolist(), strict=True)):
                if source == 0 or key not in self.recent:
                    ranked.append((-round(sim, 3), source, rank, key))
        ranked.sort()
        top = ranked[:k]
        return Hits(
            np.asarray([r[3] for r in top], dtype=np.uint64), np.asarray([-r[0] for r in top], dtype=np.float32)
        )


class VectorIndex:
    """The index on disk: the graph (merged) plus the delta (recent arrivals), shared by processes.

    Writers (the worker) take a file lock and replace files atomically: an arrival rewrites only the
    delta; every ``MERGE_AT`` arrivals (or on ``merge()``) the delta goes into the graph. The side
    table is written before the graph, the delta after it and ``meta.json`` last, so a reader that
    catches a mix sees each dispute at least once. Readers memory-map the graph and reload when
    ``meta.json`` changes.
    """

    def __init__(self, root: Path | None = None, *, merge_at: int = MERGE_AT) -> None:
        self.root = root or index_dir()
        self.path = self.root / "similar.usearch"
        self.table_path = self.root / "similar.members.npz"
        self.delta_path = self.root / "similar.delta.npz"
        self.meta_path = self.root / "meta.json"
        self.merge_at = merge_at
        self._snapshot: Snapshot | None = None
        self._stamp: tuple[int, int] | None = None
        self._graph_stamp: int | None = None
        self._lock = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _load_graph(self) -> DistinctVectors:
        return DistinctVectors.load(self.path, self.table_path) if self.path.exists() else DistinctVectors()

    def _write_meta(self, graph_count: int, distinct: int, delta: Delta) -> None:
        meta = {"graph": graph_count, "distinct": distinct, "delta": len(delta), "dim": DIM}
        tmp = self.meta_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.meta_path)

    def _merge(self, delta: Delta) -> None:
        graph = self._load_graph()
        if len(delta):
            graph.add(delta.keys, delta.vecs)
        graph.save(self.path, self.table_path)
        delta.keys, delta.vecs = [], delta.vecs[:0]
        delta.save(self.delta_path)
        self._write_meta(len(graph), graph.distinct, delta)

    def add(self, keys: list[int], vecs: np.ndarray) -> int:
        """Add (or replace) vectors; returns how many disputes this call indexed (not the total:
        counting would make the writer reload what readers load, on every arrival)."""
        with self._locked():
            delta = Delta.load(self.delta_path)
            delta.put(keys, vecs)
            if len(delta) >= self.merge_at:
                self._merge(delta)
            else:
                delta.save(self.delta_path)
                meta = json.loads(self.meta_path.read_text(encoding="utf-8")) if self.meta_path.exists() else {}
                self._write_meta(meta.get("graph", 0), meta.get("distinct", 0), delta)
        return len(keys)

    def add_batches(self, batches: Iterable[tuple[list[int], np.ndarray]]) -> int:
        """Bulk load (catch-up, rebuild): everything straight into the graph, written once."""
        with self._locked():
            delta = Delta.load(self.delta_path)
            graph = self._load_graph()
            changed = bool(len(delta)) or not self.path.exists()
            if len(delta):
                graph.add(delta.keys, delta.vecs)
            for keys, vecs in batches:
                graph.add(keys, vecs)
                changed = True
            if not changed:
                return len(self)
            graph.save(self.path, self.table_path)
            delta = Delta()
            delta.save(self.delta_path)
            self._write_meta(len(graph), graph.distinct, delta)
        return len(self)

    def install(self, graph: DistinctVectors) -> int:
        """Replace the index with one built elsewhere (an offline rebuild); the delta is dropped, so
        run ``integrity_index`` afterwards to add what arrived meanwhile."""
        with self._locked():
            graph.save(self.path, self.table_path)
            delta = Delta()
            delta.save(self.delta_path)
            self._write_meta(len(graph), graph.distinct, delta)
        return len(self)

    def merge(self) -> int:
        """Fold the delta into the graph now (``manage.py integrity_index --merge``)."""
        with self._locked():
            self._merge(Delta.load(self.delta_path))
        return len(self)

    def reader(self) -> Snapshot | None:
        with self._lock:
            try:
                st = self.meta_path.stat()
            except FileNotFoundError:
                return None
            stamp = (st.st_mtime_ns, st.st_ino)
            if self._snapshot is None or stamp != self._stamp:
                graph = self._snapshot.graph if self._snapshot is not None else None
                try:
                    graph_stamp = self.path.stat().st_ino
                except FileNotFoundError:
                    graph, graph_stamp = None, None
                if graph_stamp is not None and (graph is None or graph_stamp != self._graph_stamp):
                    graph = MappedVectors.open(self.path, self.table_path)
                self._snapshot = Snapshot(graph, Delta.load(self.delta_path))
                self._stamp, self._graph_stamp = stamp, graph_stamp
            return self._snapshot

    def missing(self, keys: list[int]) -> list[int]:
        snapshot = self.reader()
        if snapshot is None:
            return list(keys)
        return [k for k in keys if not snapshot.contains(k)]

    def search(self, vec: np.ndarray, k: int) -> Hits:
        snapshot = self.reader()
        if snapshot is None:
            return Hits(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
        return snapshot.search(vec, k)

    def __len__(self) -> int:
        snapshot = self.reader()
        return 0 if snapshot is None else len(snapshot)


_shared: dict[Path, VectorIndex] = {}


def shared_index() -> VectorIndex:
    root = index_dir()
    if root not in _shared:
        _shared[root] = VectorIndex(root)
    return _shared[root]
