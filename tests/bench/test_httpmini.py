"""bench.httpmini, the e2e case's HTTP client, against a real server on loopback: it must read every
response framing a service can send and survive a server that closes connections."""

from __future__ import annotations

import asyncio

import pytest

from bench.httpmini import HttpError, Pool, build_request


class _Server:
    """Answers by path: /len (Content-Length), /chunked, /close (Connection: close), /hang (never),
    /echo (the request body back); counts the TCP connections it accepted."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def __aenter__(self) -> _Server:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                path = request_line.split(" ")[1]
                length = next((int(v) for k, _, v in (ln.partition(":") for ln in lines)
                               if k.lower() == "content-length"), 0)
                body = await reader.readexactly(length)
                if path == "/len":
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                elif path == "/chunked":
                    writer.write(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n")
                elif path == "/close":
                    writer.write(b"HTTP/1.1 409 Conflict\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno")
                    await writer.drain()
                    writer.close()
                    return
                elif path == "/echo":
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                elif path == "/hang":
                    await asyncio.sleep(3600)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def test_a_request_is_built_with_its_length_and_host():
    raw = build_request("POST", "/api/v1/x", "127.0.0.1:8", {"Content-Type": "application/json"}, b'{"a":1}')
    assert raw == (b"POST /api/v1/x HTTP/1.1\r\nHost: 127.0.0.1:8\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 7\r\n\r\n{\"a\":1}")


async def test_content_length_chunked_and_bodies_are_read_on_one_kept_alive_connection():
    async with _Server() as server:
        pool = Pool("127.0.0.1", server.port, 1)
        assert await pool.request("GET", "/len") == (200, b"hello")
        assert await pool.request("GET", "/chunked") == (201, b"abcdefg")
        assert await pool.request("POST", "/echo", body=b"x" * 70_000) == (200, b"x" * 70_000)
        assert server.connections == 1
        pool.close()


async def test_a_connection_the_server_closes_is_replaced_for_the_next_request():
    async with _Server() as server:
        pool = Pool("127.0.0.1", server.port, 1)
        assert await pool.request("GET", "/close") == (409, b"no")
        assert await pool.request("GET", "/len") == (200, b"hello")
        assert server.connections == 2
        pool.close()


async def test_requests_beyond_the_pool_wait_their_turn_and_all_are_answered():
    async with _Server() as server:
        pool = Pool("127.0.0.1", server.port, 3)
        answers = await asyncio.gather(*(pool.request("POST", "/echo", body=str(i).encode()) for i in range(40)))
        assert answers == [(200, str(i).encode()) for i in range(40)]
        assert server.connections == 3
        pool.close()


async def test_a_timed_out_request_gives_its_connection_up_and_the_next_one_is_answered():
    async with _Server() as server:
        pool = Pool("127.0.0.1", server.port, 1)
        with pytest.raises(TimeoutError):
            await pool.request("GET", "/hang", timeout=0.2)
        # the late answer of /hang can never be read as this one's: it goes on a new connection
        assert await pool.request("GET", "/len") == (200, b"hello")
        assert server.connections == 2
        pool.close()


async def test_a_server_that_is_gone_is_an_error_not_a_hang():
    async with _Server() as server:
        port = server.port
    pool = Pool("127.0.0.1", port, 1)
    with pytest.raises((ConnectionError, HttpError, OSError)):
        await pool.request("GET", "/len", timeout=5)
