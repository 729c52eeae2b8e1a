"""Busy polling: after answering a command, watch the client sockets for a moment before sleeping.

Why: a request/response client (an ORM, sysbench, an application thread)
sends its next command within tens of microseconds of reading our answer.
If the server's thread has gone to sleep in ``epoll_wait`` by then, the
kernel (and on a VM, the hypervisor) must wake an idle CPU to deliver it,
which on this machine costs 50-100 us -- more than a point select's whole
engine time.  Polling the sockets without blocking for a bounded time
(``DEFAULT_US``) keeps the CPU awake for exactly the window in which the next
command usually arrives; measured with sysbench oltp_point_select, 1 thread:
p50 0.18 ms without, 0.11-0.12 ms with 200 us (``bench/`` figures in the
README).  Linux's own ``net.core.busy_poll`` does the same below the socket
layer; this is the portable, per-server version.

Rules that keep it from costing more than it saves:

* One poller for every client socket of the server, so the spin ends as soon
  as *any* connection has input (never delays another client's command by
  more than one poll).
* No spinning while another connection is running a statement (its engine
  work is on the event loop's ready queue and must not wait for us), and
  never on a machine with a single usable CPU (the client would be waiting
  for the CPU we are spinning on).
* Bounded: at most ``window_us`` per answered command, then the normal
  blocking wait.  ``grove sql-server --busy-poll-us 0`` turns it off.
"""

from __future__ import annotations

import os
import select
import time

DEFAULT_US = 200  # covers the client's think time between commands in a tight loop (measured 20-80 us)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class BusyPoll:
    """The server's client sockets, polled without blocking between commands (see the module docstring)."""

    def __init__(self, window_us: int = DEFAULT_US):
        self.window = max(0, window_us) / 1e6 if usable_cpus() > 1 else 0.0
        self.running = 0  # connections running a statement now
        self._poll = select.poll()
        self._fds: set[int] = set()

    @property
    def enabled(self) -> bool:
        return self.window > 0

    def add(self, fd: int) -> None:
        if self.window and fd >= 0 and fd not in self._fds:
            self._poll.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            self._fds.add(fd)

    def remove(self, fd: int) -> None:
        if fd in self._fds:
            self._fds.discard(fd)
            try:
                self._poll.unregister(fd)
            except (KeyError, ValueError):
                pass

    def wait(self) -> None:
        """Return when some client socket has input, or after the window (at once if that would hurt)."""
        if not self.window or self.running:
            return
        poll = self._poll.poll
        clock = time.perf_counter
        deadline = clock() + self.window
        while not poll(0) and clock() < deadline:
            pass


__all__ = ["BusyPoll", "DEFAULT_US", "usable_cpus"]
