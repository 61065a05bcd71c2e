"""A local stand-in for Slack's Socket Mode WebSocket server.

It greets each connection with `hello`, delivers envelopes pushed with `send`, and
records the envelope ids the client acknowledges."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from websockets.asyncio.server import ServerConnection, serve


class SocketStandIn:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[str] | None = None
        self.url = ""

    def start(self) -> SocketStandIn:
        threading.Thread(
            target=self._loop.run_until_complete, args=(self._main(),), daemon=True
        ).start()
        if not self._ready.wait(10):
            raise RuntimeError("the WebSocket stand-in did not start")
        return self

    async def _main(self) -> None:
        self._queue = asyncio.Queue()
        async with serve(self._connection, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            self.url = f"ws://127.0.0.1:{port}/link"
            self._ready.set()
            await asyncio.Future()

    async def _connection(self, ws: ServerConnection) -> None:
        hello = {
            "type": "hello",
            "num_connections": 1,
            "connection_info": {"app_id": "A0001"},
            "debug_info": {"host": "standin", "approximate_connection_time": 3600},
        }
        await ws.send(json.dumps(hello))
        self.connected.set()
        assert self._queue is not None

        async def push() -> None:
            while True:
                await ws.send(await self._queue.get())  # type: ignore[union-attr]

        pusher = asyncio.create_task(push())
        try:
            async for raw in ws:
                data = json.loads(raw)
                if "envelope_id" in data:
                    self.acks.append(data)
        finally:
            pusher.cancel()

    def send(self, envelope: dict[str, Any]) -> None:
        assert self._queue is not None
        asyncio.run_coroutine_threadsafe(self._queue.put(json.dumps(envelope)), self._loop).result(
            5
        )

    def wait_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in self.acks:
                if ack["envelope_id"] == envelope_id:
                    return ack
            time.sleep(0.02)
        raise AssertionError(f"envelope {envelope_id} was not acknowledged; acks: {self.acks}")
