"""sqlserver.busy_poll: the spin between commands ends on input, stays bounded, and stands aside."""

import socket
import time

import pytest

from sqlserver import busy_poll
from sqlserver.busy_poll import BusyPoll

pytestmark = pytest.mark.skipif(busy_poll.usable_cpus() < 2, reason="busy polling is off on one CPU")


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def test_returns_as_soon_as_a_socket_has_input(pair):
    a, b = pair
    bp = BusyPoll(window_us=10_000_000)  # 10 s: only input can end the wait early
    bp.add(a.fileno())
    b.send(b"x")
    t = time.perf_counter()
    bp.wait()
    assert time.perf_counter() - t < 2.0


def test_bounded_without_input(pair):
    a, _ = pair
    bp = BusyPoll(window_us=20_000)
    bp.add(a.fileno())
    t = time.perf_counter()
    bp.wait()
    elapsed = time.perf_counter() - t
    assert 0.02 <= elapsed < 2.0


def test_stands_aside_while_a_statement_runs(pair):
    a, _ = pair
    bp = BusyPoll(window_us=10_000_000)
    bp.add(a.fileno())
    bp.running = 1
    t = time.perf_counter()
    bp.wait()
    assert time.perf_counter() - t < 2.0


def test_off_and_removed_sockets(pair):
    a, b = pair
    off = BusyPoll(window_us=0)
    assert not off.enabled
    off.add(a.fileno())
    t = time.perf_counter()
    off.wait()
    assert time.perf_counter() - t < 2.0
    bp = BusyPoll(window_us=20_000)
    bp.add(a.fileno())
    bp.remove(a.fileno())
    bp.remove(a.fileno())  # twice: harmless
    b.send(b"x")  # input on a socket no longer watched does not end the wait
    t = time.perf_counter()
    bp.wait()
    assert time.perf_counter() - t >= 0.02


def test_single_cpu_disables(monkeypatch):
    monkeypatch.setattr(busy_poll, "usable_cpus", lambda: 1)
    assert not BusyPoll(window_us=200).enabled
