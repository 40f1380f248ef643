"""The HTTP protocol the services run under uvicorn: httptools, with each response sent in ONE write.

uvicorn writes a response's status line and headers when the app sends `http.response.start`, and
the body when it sends `http.response.body`: two `write()` calls, so two `send()` system calls and
two TCP segments on the wire for every response, and two reads for the client (issue 9). Here the
connection's transport is wrapped for the request/response cycle (`_OneWrite`): the first write of
a cycle (the headers) is held until the next write of the same turn of the event loop (the body),
and both go out in one vectored write (`writelines`, one `writev`). Nothing else changes: every
check uvicorn makes on the messages, flow control and keep-alive are uvicorn's own.

Held bytes never wait longer than the current turn of the event loop: a flush is scheduled with
`call_soon` when they are held (a response without a body write, e.g. to HEAD, or a streamed one
whose first chunk takes a while) and `close()` flushes first.

Used by `ukpbj serve` (`shared.cli`) as uvicorn's `http` class: `shared.server:HttpProtocol`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _OneWrite:
    """A transport for one request/response cycle: its first write waits for the next one (module docstring)."""

    __slots__ = ("_transport", "_held", "_first", "_loop")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._first = True

    def write(self, data: bytes) -> None:
        if self._first:
            self._first = False
            self._held = data
            self._loop.call_soon(self.flush)
            return
        held = self._held
        if held is not None:
            self._held = None
            self._transport.writelines((held, data))
        else:
            self._transport.write(data)

    def flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, ... as the real transport
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol whose cycles write each response once (module docstring)."""

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        cycle = getattr(self, "cycle", None)
        if cycle is not None and cycle.transport is self.transport:
            cycle.transport = _OneWrite(self.transport, self.loop)
