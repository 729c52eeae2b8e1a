"""Node encoding round trips, corruption detection, and the node cache's memory bound."""

from __future__ import annotations

import random

import pytest

from storage.address import address_of
from storage.chunk_kinds import PROLLY_NODE
from storage.errors import ChunkNotFoundError, CorruptionError
from storage.memory_store import MemoryStore
from storage.node_store import DEFAULT_CHUNKING, Chunking, NodeStore
from storage.prolly_node import Node, child_addresses, decode_node, encode_node


def _leaf(rnd: random.Random, n: int) -> Node:
    keys = sorted({rnd.randbytes(rnd.randint(0, 40)) for _ in range(n)})
    values = [rnd.randbytes(rnd.randint(0, 200)) for _ in keys]
    return Node(0, keys, values)


def test_leaf_round_trip():
    rnd = random.Random(1)
    for n in (0, 1, 2, 50):
        node = _leaf(rnd, n)
        data = encode_node(node)
        assert data[:1] == PROLLY_NODE
        back = decode_node(data)
        assert (back.level, back.keys, back.values, back.count) == (0, node.keys, node.values, len(node.keys))
        assert back.size == len(data)
        assert child_addresses(data) == []


def test_internal_round_trip_and_child_addresses():
    rnd = random.Random(2)
    keys = sorted({rnd.randbytes(12) for _ in range(30)})
    addresses = [address_of(k) for k in keys]
    counts = [rnd.randint(1, 1 << 40) for _ in keys]  # counts above 2^32 must survive
    data = encode_node(Node(3, keys, None, addresses, counts))
    back = decode_node(data)
    assert (back.level, back.keys, back.addresses, back.counts) == (3, keys, addresses, counts)
    assert back.count == sum(counts)
    assert back.starts() == [sum(counts[:i]) for i in range(len(counts) + 1)]
    assert child_addresses(data) == addresses


def test_empty_internal_node_is_rejected():
    with pytest.raises(ValueError):
        encode_node(Node(1, [], None, [], []))


@pytest.mark.parametrize("cut", [0, 1, 5, 20, -1])
def test_truncated_or_foreign_leaf_raises_corruption(cut):
    data = encode_node(_leaf(random.Random(3), 10))
    bad = data[:cut] if cut >= 0 else b"T" + data[1:]
    with pytest.raises(CorruptionError):
        decode_node(bad)


def test_child_addresses_rejects_truncated_or_foreign_internal_nodes():
    data = encode_node(Node(1, [b"a", b"b"], None, [bytes(20), bytes([1]) * 20], [1, 2]))
    for bad in (data[:3], data[:-10], b"T" + data[1:]):
        with pytest.raises(CorruptionError):
            child_addresses(bad)
        with pytest.raises(CorruptionError):
            decode_node(bad)


def test_write_then_read_through_a_cold_store():
    rnd = random.Random(4)
    store = MemoryStore()
    node = _leaf(rnd, 20)
    address = NodeStore(store).write(node)
    assert address == address_of(encode_node(node))
    cold = NodeStore(store)
    store.stats.reset()
    back = cold.read(address)
    assert back.keys == node.keys and back.address == address
    assert store.stats.chunks_read == 1 and cold.misses == 1
    cold.read(address)
    assert store.stats.chunks_read == 1  # second read is a cache hit


def test_read_many_fetches_misses_in_one_call():
    rnd = random.Random(5)
    store = MemoryStore()
    writer = NodeStore(store)
    addresses = [writer.write(_leaf(rnd, 5)) for _ in range(10)]
    cold = NodeStore(store)
    cold.read(addresses[0])
    store.stats.reset()
    nodes = cold.read_many(addresses)
    assert [n.address for n in nodes] == addresses
    assert store.stats.chunks_read == 9


def test_missing_chunk_raises():
    ns = NodeStore(MemoryStore())
    with pytest.raises(ChunkNotFoundError):
        ns.read(bytes(20))
    with pytest.raises(ChunkNotFoundError):
        ns.read_many([bytes(20)])


def test_cache_stays_within_its_memory_bound():
    rnd = random.Random(6)
    store = MemoryStore()
    writer = NodeStore(store, cache_bytes=0)  # keeps nothing
    addresses = [writer.write(_leaf(rnd, 30)) for _ in range(400)]
    assert writer.cached_nodes == 0
    bound = 64 << 10
    ns = NodeStore(store, cache_bytes=bound)
    estimated_total = 0
    for a in addresses * 2:
        node = ns.read(a)
        estimated_total += node.memory_estimate()
        assert ns.cache_used <= bound
    assert estimated_total > 10 * bound  # far more was read than the cache may hold
    assert 0 < ns.cached_nodes < len(addresses)
    assert ns.cache_used == sum(n.memory_estimate() for n in ns._cache.values())
    # the estimate must not undercount the node's real payload
    sample = ns.read(addresses[-1])
    assert sample.memory_estimate() >= sum(map(len, sample.keys)) + sum(map(len, sample.values))
    ns.clear_cache()
    assert ns.cache_used == 0 and ns.cached_nodes == 0


def test_lru_keeps_recently_used_nodes():
    rnd = random.Random(7)
    store = MemoryStore()
    addresses = [NodeStore(store, cache_bytes=0).write(_leaf(rnd, 10)) for _ in range(50)]
    one = NodeStore(store).read(addresses[0]).memory_estimate()
    ns = NodeStore(store, cache_bytes=one * 8)
    hot = addresses[0]
    for a in addresses[1:]:
        ns.read(hot)
        ns.read(a)
    store.stats.reset()
    ns.read(hot)
    assert store.stats.chunks_read == 0


def test_chunking_validates_its_bounds():
    assert DEFAULT_CHUNKING.min_size <= DEFAULT_CHUNKING.target <= DEFAULT_CHUNKING.max_size
    with pytest.raises(ValueError):
        Chunking(target=100, min_size=200, max_size=400)
    with pytest.raises(ValueError):
        Chunking(target=100, min_size=10, max_size=50)
