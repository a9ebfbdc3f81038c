"""The similar-case vector index: usearch HNSW over distinct vectors, on disk, updated as disputes arrive.

Many disputes are told in the same words (a bank's card-debt batch, wage claims typed from one
template), so many share one vector exactly. HNSW graphs degrade on exact duplicates (the graph
fills with zero-distance links and the search stalls in a plateau), and the copies waste memory.
So the graph holds each distinct vector once and a side table maps it to the disputes that share
it; a search expands each hit into its disputes (ties, equally similar).

Files, under ``SUYUAN_INTEGRITY_INDEX_DIR`` (default ``var/integrity``): ``similar.usearch`` (the
graph, keyed by vector id), ``similar.members.npz`` (dispute → vector id, vector id → digest)
and ``meta.json``. Writers (the worker) take a file lock, add, and replace the files atomically
(the side table first: a reader that catches the new table with the old graph only sees vector
ids it cannot reach yet); readers (the web) memory-map the graph and reload when it changes. The
database stays the source of truth: ``sync`` adds whatever disputes the files are missing, so a
lost task or a restart costs nothing but a catch-up.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from usearch.index import Index

from .text import DIM

# Graph parameters, measured with bench/similar.py (docs/integrity.md): over distinct vectors,
# connectivity 16, build expansion 64 and search expansion 256 reach recall@10 ≥ 0.95 against
# exact search (build expansion 128 gains little recall for about 1.5x the build time); f16
# storage halves memory with no measurable recall loss.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 256


def new_index(
    dim: int = DIM, *, connectivity: int = CONNECTIVITY, expansion_add: int = EXPANSION_ADD,
    expansion_search: int = EXPANSION_SEARCH,
) -> Index:
    return Index(
        ndim=dim, metric="cos", dtype="f16", connectivity=connectivity,
        expansion_add=expansion_add, expansion_search=expansion_search,
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
        found = self.graph.search(np.asarray(vec, dtype=np.float32), min(k, len(self.graph)))
        keys: list[int] = []
        sims: list[float] = []
        for vid, distance in zip(np.asarray(found.keys).tolist(), np.asarray(found.distances).tolist(), strict=True):
            group = self.members.get(int(vid), [])
            take = group[: -(k - len(keys)) - 1 : -1]  # the most recent first, without copying the group
            keys.extend(take)
            sims.extend([1.0 - float(distance)] * len(take))
            if len(keys) >= k:
                break
        return Hits(np.asarray(keys, dtype=np.uint64), np.asarray(sims, dtype=np.float32))

    # --- files ---------------------------------------------------------------------------------

    def save(self, graph_path: Path, table_path: Path) -> None:
        # Keys grouped by vector, each group in arrival order (the order a search shows ties in).
        keys = [key for vid in self.members for key in self.members[vid]]
        vids = [vid for vid in self.members for _ in self.members[vid]]
        tmp_table = table_path.with_suffix(".tmp.npz")
        np.savez(tmp_table, keys=np.asarray(keys, dtype=np.int64), vids=np.asarray(vids, dtype=np.int64),
                 digests=np.asarray(self.digests, dtype=np.uint64))
        os.replace(tmp_table, table_path)
        tmp_graph = graph_path.with_suffix(".tmp")
        self.graph.save(str(tmp_graph))
        os.replace(tmp_graph, graph_path)

    @classmethod
    def load(cls, graph_path: Path, table_path: Path, *, view: bool = False) -> DistinctVectors:
        out = cls()
        if view:
            out.graph.view(str(graph_path))  # memory-mapped: a web process does not copy the graph
        else:
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


def index_dir() -> Path:
    configured = getattr(settings, "SUYUAN_INTEGRITY_INDEX_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "integrity"


class VectorIndex:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or index_dir()
        self.path = self.root / "similar.usearch"
        self.table_path = self.root / "similar.members.npz"
        self.meta_path = self.root / "meta.json"
        self._index: DistinctVectors | None = None
        self._mtime = 0.0
        self._lock = threading.Lock()

    @contextmanager
    def writing(self) -> Iterator[DistinctVectors]:
        """Exclusive update across processes: load the latest files, change them, replace them atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            index = DistinctVectors.load(self.path, self.table_path) if self.path.exists() else DistinctVectors()
            yield index
            index.save(self.path, self.table_path)
            self.meta_path.write_text(
                json.dumps({"count": len(index), "distinct": index.distinct, "dim": DIM}), encoding="utf-8"
            )
        with self._lock:
            self._index = None

    def reader(self) -> DistinctVectors | None:
        with self._lock:
            try:
                mtime = self.path.stat().st_mtime
            except FileNotFoundError:
                return None
            if self._index is None or mtime != self._mtime:
                self._index, self._mtime = DistinctVectors.load(self.path, self.table_path, view=True), mtime
            return self._index

    def add(self, keys: list[int], vecs: np.ndarray) -> int:
        """Add (or replace) vectors; returns the number of disputes indexed."""
        with self.writing() as index:
            return index.add(keys, vecs)

    def missing(self, keys: list[int]) -> list[int]:
        index = self.reader()
        if index is None:
            return list(keys)
        return [k for k in keys if not index.contains(k)]

    def search(self, vec: np.ndarray, k: int) -> Hits:
        index = self.reader()
        if index is None:
            return Hits(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.float32))
        return index.search(vec, k)

    def __len__(self) -> int:
        index = self.reader()
        return 0 if index is None else len(index)


_shared: dict[Path, VectorIndex] = {}


def shared_index() -> VectorIndex:
    root = index_dir()
    if root not in _shared:
        _shared[root] = VectorIndex(root)
    return _shared[root]
