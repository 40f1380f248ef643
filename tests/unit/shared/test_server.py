"""shared.server: the services' uvicorn protocol sends each response in one write, and the very bytes
uvicorn's own httptools protocol sends (real uvicorn servers on loopback, raw sockets)."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from shared.server import HttpProtocol

WRITES: list[str] = []  # what the counting transport saw, across the test's server


async def json_page(request: Request) -> Response:
    return JSONResponse({"data": [{"id": i, "nama": "Paket"} for i in range(50)]}, headers={"x-request-id": "r-1"})


async def kosong(request: Request) -> Response:
    return Response(status_code=204)


async def gema(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream")


async def aliran(request: Request) -> Response:
    async def potongan():
        yield b"pertama\n"
        await asyncio.sleep(0.3)
        yield b"kedua\n"
    return StreamingResponse(potongan(), media_type="text/plain")


APP = Starlette(routes=[Route("/json", json_page, methods=["GET", "HEAD"]), Route("/kosong", kosong),
                        Route("/gema", gema, methods=["POST"]), Route("/aliran", aliran)])


class _Counting:
    def __init__(self, transport: asyncio.Transport) -> None:
        self._t = transport

    def write(self, data: bytes) -> None:
        WRITES.append("write")
        self._t.write(data)

    def writelines(self, data) -> None:  # type: ignore[no-untyped-def]
        WRITES.append("writelines")
        self._t.writelines(data)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._t, name)


class CountingProtocol(HttpProtocol):
    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        super().connection_made(_Counting(transport))


@contextmanager
def serve(protocol: type) -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(APP, http=protocol, loop="uvloop", log_config=None, access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def exchange(port: int, raw: bytes, *, until: bytes | None = None, pause_after_headers: float = 0) -> bytes:
    """Send `raw` (optionally in two parts around a pause) and read until the server closes or `until`."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        if pause_after_headers:
            head, _, body = raw.partition(b"\r\n\r\n")
            s.sendall(head + b"\r\n\r\n")
            time.sleep(pause_after_headers)
            s.sendall(body)
        else:
            s.sendall(raw)
        got = b""
        while until is None or until not in got:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            got += chunk
        return got


def normalise(response: bytes) -> bytes:
    return re.sub(rb"date: [^\r]*\r\n", b"date: -\r\n", response)


REQUESTS = {
    "json": b"GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "head": b"HEAD /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "204": b"GET /kosong HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "404": b"GET /tidak-ada HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "stream": b"GET /aliran HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "pipelined": b"GET /json HTTP/1.1\r\nHost: x\r\n\r\nGET /kosong HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "http/1.0": b"GET /json HTTP/1.0\r\nHost: x\r\n\r\n",
    "bad request": b"GET /json HTTP/1.1\r\nHost x\r\n\r\n",
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_bytes_on_the_wire_are_uvicorns_own(name):
    with serve(HttpToolsProtocol) as stock, serve(HttpProtocol) as ours:
        expected = normalise(exchange(stock, REQUESTS[name]))
        got = normalise(exchange(ours, REQUESTS[name]))
    assert expected.startswith(b"HTTP/1.1 ")
    assert got == expected


def test_a_response_with_a_body_is_one_write_and_a_bodiless_one_is_still_sent():
    with serve(CountingProtocol) as port:
        WRITES.clear()
        response = exchange(port, REQUESTS["json"])
        assert response.startswith(b"HTTP/1.1 200 OK\r\n") and response.endswith(b"}]}")
        assert WRITES == ["writelines"]  # status line, headers and body together

        WRITES.clear()
        response = exchange(port, REQUESTS["head"])  # no body write follows: flushed at the loop's next turn
        assert response.startswith(b"HTTP/1.1 200 OK\r\n") and response.endswith(b"\r\n\r\n")
        assert WRITES == ["write"]


def test_a_streamed_response_shows_its_headers_and_first_chunk_before_the_rest():
    with serve(HttpProtocol) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(REQUESTS["stream"])
        first = s.recv(65536)
        started = time.monotonic()
        rest = b""
        while chunk := s.recv(65536):
            rest += chunk
    assert first.startswith(b"HTTP/1.1 200 OK\r\n") and b"pertama\n" in first and b"kedua" not in first
    assert b"kedua\n" in rest and time.monotonic() - started > 0.2


def test_expect_100_continue_is_answered_before_the_body_is_sent():
    body = b"x" * 1000
    raw = (b"POST /gema HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n"
           b"Connection: close\r\n\r\n" + body)
    with serve(HttpProtocol) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(raw.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")
        interim = s.recv(65536)  # the client waits for this before sending the body
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(body)
        got = b""
        while chunk := s.recv(65536):
            got += chunk
    assert got.startswith(b"HTTP/1.1 200 OK\r\n") and got.endswith(body)
