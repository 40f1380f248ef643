"""A minimal keep-alive HTTP/1.1 client for the harness's own load (the e2e case): the less CPU it takes,
the more is left for the system it measures, on a machine the e2e case keeps busy (issue 9).

An `asyncio.Protocol` with httptools' parser (uvicorn's): a request is one `transport.write` of bytes
built before the clock starts and one future, resolved by the parser's callback. The previous client
(asyncio streams, `wait_for` and so a Task per request, each request formatted while sending) used
1.14-1.35 s of CPU for a 10 s e2e run at 500 creates/s with a poll every 5 ms; this one 0.94-1.27 s,
start-up and building the 5,000 requests included (`/usr/bin/time`, three runs each, alternating).

`Pool.build(...)` makes a request's bytes, `Pool.send(raw)` sends them on an idle connection (a request
waits in order for one) and returns (status, body). A connection the server closed is replaced.
"""

from __future__ import annotations

import asyncio
import collections

import httptools


class HttpError(Exception):
    pass


def build_request(method: str, path: str, host: str, headers: dict[str, str] | None = None,
                  body: bytes | None = None) -> bytes:
    """The bytes of one HTTP/1.1 request (keep-alive), ready to be sent as they are."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


class Connection(asyncio.Protocol):
    """One keep-alive TCP connection, one request at a time (no pipelining); once closed, it stays closed
    (the pool opens a new one)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.transport: asyncio.Transport | None = None
        self._parser: httptools.HttpResponseParser | None = None
        self._waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self._body: list[bytes] = []

    @property
    def in_flight(self) -> bool:
        """A request was sent and its answer has not been read (nor its failure delivered)."""
        return self._waiter is not None

    @property
    def is_open(self) -> bool:
        return self.transport is not None and not self.transport.is_closing()

    async def open(self, timeout: float = 5.0) -> None:
        if self._parser is not None:
            raise RuntimeError("a Connection is opened once")
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            await loop.create_connection(lambda: self, self.host, self.port)

    # asyncio.Protocol ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self._parser = httptools.HttpResponseParser(self)

    def data_received(self, data: bytes) -> None:
        assert self._parser is not None
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(HttpError(f"unparseable response: {exc!r}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self._fail(ConnectionError(f"connection closed by the server ({exc!r})"))

    # httptools callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._body = []

    def on_body(self, body: bytes) -> None:  # chunked bodies arrive here decoded
        self._body.append(body)

    def on_message_complete(self) -> None:
        assert self._parser is not None
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result((self._parser.get_status_code(), b"".join(self._body)))
        if not self._parser.should_keep_alive():  # HTTP/1.0, or `Connection: close`
            self.close()

    # -------------------------------------------------------------------------------------

    def _fail(self, exc: Exception) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def send(self, raw: bytes) -> asyncio.Future[tuple[int, bytes]]:
        """Send one complete request; the future gets (status, body) or the connection's failure."""
        if self.in_flight:
            raise RuntimeError("a request is already in flight on this connection")
        if not self.is_open:
            raise ConnectionError("not connected")
        self._waiter = asyncio.get_running_loop().create_future()
        assert self.transport is not None
        self.transport.write(raw)
        return self._waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Pool:
    """Up to `size` connections to one server; a request waits in order for an idle one."""

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host = host
        self.port = port
        self.authority = f"{host}:{port}"
        self._idle: collections.deque[Connection | None] = collections.deque([None] * size)  # None: not opened yet
        self._queued: collections.deque[asyncio.Future[Connection | None]] = collections.deque()

    def build(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None) -> bytes:
        return build_request(method, path, self.authority, headers, body)

    async def _slot(self) -> Connection | None:
        if self._idle:
            return self._idle.popleft()
        waiter: asyncio.Future[Connection | None] = asyncio.get_running_loop().create_future()
        self._queued.append(waiter)
        return await waiter

    async def _open(self) -> Connection:
        conn = Connection(self.host, self.port)
        await conn.open()
        return conn

    def _release(self, conn: Connection | None) -> None:
        while self._queued:
            waiter = self._queued.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self._idle.append(conn)

    async def send(self, raw: bytes, timeout: float = 30.0) -> tuple[int, bytes]:
        """One prebuilt request (`build`); a connection the server closed is reopened once."""
        conn = await self._slot()
        try:
            async with asyncio.timeout(timeout):
                for attempt in (0, 1):
                    if conn is None or not conn.is_open:
                        conn = await self._open()
                    try:
                        return await conn.send(raw)
                    except ConnectionError as exc:  # e.g. the server closed an idle keep-alive connection
                        conn.close()
                        conn = None
                        if attempt == 1:
                            raise HttpError(repr(exc)) from exc
                raise HttpError("unreachable")
        except BaseException:
            if conn is not None and conn.in_flight:  # timed out or cancelled mid-request:
                conn.close()  # its answer would be read as the next request's
                conn = None
            raise
        finally:
            self._release(conn)

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes | None = None, timeout: float = 30.0) -> tuple[int, bytes]:
        return await self.send(self.build(method, path, headers, body), timeout)

    def close(self) -> None:
        for conn in self._idle:
            if conn is not None:
                conn.close()
