"""A TCP proxy on 127.0.0.1 that can blackhole the connection it fronts (PostgreSQL).

While blackholed it accepts connections and reads what either end sends but forwards
nothing, as a network that drops packets looks to both ends. When restored, what was
held is delivered, as TCP retransmission would; or, blackholed with `drop=True`, what
was sent meanwhile is lost for good, and connections in use then wait forever.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class BlackholeProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.open = threading.Event()
        self.open.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        self.dropping = False

    def start(self) -> BlackholeProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def blackhole(self, drop: bool = False) -> None:
        self.dropping = drop
        self.open.clear()

    def restore(self) -> None:
        self.open.set()

    def stop(self) -> None:
        self.closed = True
        self.open.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self.open.wait()
        try:
            server = socket.create_connection(self.upstream, timeout=5)
            server.settimeout(None)
        except OSError:
            client.close()
            return
        for source, target in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self.dropping and not self.open.is_set():
                    continue
                self.open.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
