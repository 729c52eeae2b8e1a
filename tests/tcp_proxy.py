"""A loopback TCP proxy whose link can be cut and restored: a network fault on demand.

    proxy = TcpProxy(upstream_port).start()   # listens on 127.0.0.1:proxy.port
    proxy.url                                 # "http://127.0.0.1:PORT", e.g. for AWS_ENDPOINT_URL
    proxy.cut()        # every open connection is reset; new ones are accepted and reset at once
    proxy.restore()    # new connections are forwarded again
    proxy.stop()       # closes every socket it opened and joins its threads (bounded)

A cut *refuses* rather than black-holes: a client sees "connection reset"
within a round trip instead of waiting out a read timeout, which is what a
dead endpoint or a dropped route to it looks like to a client that gets an
RST (and keeps tests fast).  The listening socket stays open, so the port
never changes and no other process can take it while the link is down.

One thread accepts; each forwarded connection has two pump threads (one
per direction).  ``cut`` and ``stop`` wake blocked pumps with
``shutdown(SHUT_RDWR)`` before closing (``close`` alone does not wake a
thread blocked in ``recv`` on Linux).
"""

from __future__ import annotations

import socket
import struct
import threading

ACCEPT_POLL = 0.05  # seconds between checks of the stop flag while waiting in accept
CONNECT_TIMEOUT = 5.0  # to the upstream, which is on loopback
JOIN_TIMEOUT = 5.0
BUFFER = 65536


def _reset(sock: socket.socket) -> None:
    """Close ``sock`` so the peer gets an RST (not an orderly FIN), waking any thread blocked on it."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class TcpProxy:
    """Forwards 127.0.0.1:<free port> to 127.0.0.1:``upstream_port`` until cut."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self._listener.settimeout(ACCEPT_POLL)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()  # both ends of every forwarded connection
        self._threads: list[threading.Thread] = []
        self._cut = False
        self._stopped = False
        self.accepted = 0  # connections accepted (forwarded or reset): tests can see traffic
        self.refused = 0  # connections reset because the link was cut
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"tcp-proxy-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TcpProxy:
        self._acceptor.start()
        return self

    def cut(self) -> None:
        """Reset every open connection and every new one until ``restore``."""
        with self._lock:
            self._cut = True
            doomed = list(self._open)
            self._open.clear()
        for sock in doomed:
            _reset(sock)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    @property
    def is_cut(self) -> bool:
        return self._cut

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
        self.cut()
        self._acceptor.join(JOIN_TIMEOUT)
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(JOIN_TIMEOUT)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- internals ---------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            if self._cut or self._stopped:
                self.refused += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=CONNECT_TIMEOUT)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            client.settimeout(None)
            with self._lock:
                if self._cut or self._stopped:  # cut while connecting: do not leak the pair
                    _reset(client)
                    _reset(upstream)
                    continue
                self._open.update((client, upstream))
                self._threads = [t for t in self._threads if t.is_alive()]
                for src, dst in ((client, upstream), (upstream, client)):
                    t = threading.Thread(target=self._pump, args=(src, dst), daemon=True,
                                         name=f"tcp-proxy-{self.port}-pump")
                    self._threads.append(t)
                    t.start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(BUFFER)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        # One side finished (or the link was cut): close both ends of this connection.
        with self._lock:
            mine = [s for s in (src, dst) if s in self._open]
            self._open.difference_update(mine)
        for s in mine:
            _reset(s)
