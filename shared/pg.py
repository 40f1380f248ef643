"""Plain asyncpg for the hot paths (issue 9): reads by id, list pages and creates.

The ORM (SQLAlchemy, `shared.db`) stays for everything else; a read or a create that other
ministry systems call in bulk runs its SQL on this pool instead. The ORM path costs about three
times the database's own time in Python (session, identity map, row loading); a prepared
statement on an asyncpg connection costs almost nothing beyond the round trip.

- One pool per service, made in the lifespan (`app.state.pg`), the same size as the ORM's.
- asyncpg prepares and caches every statement per connection, so each SQL text is parsed and
  planned once per connection.
- Fails fast like the ORM engine: 3 s to connect, 5 s to get a connection, the service's
  statement timeout. A connection that died with PostgreSQL raises on its first use (a 503
  problem, `shared.problems`) and the pool opens a new one on the next acquire.
- No reset query on release: asyncpg's default (`RESET ALL; CLOSE ALL; UNLISTEN *; SELECT
  pg_advisory_unlock_all()`) is a round trip per request for state this code never leaves
  behind. The rule for code on this pool: no session-level `SET` (only `SET LOCAL`), no
  `LISTEN`, only transaction-level advisory locks (`pg_advisory_xact_lock`), no cursors outside
  a transaction. A transaction left open is still rolled back by asyncpg before the hook runs.
- Results are `asyncpg.Record`s; `jsonb` columns arrive as text (no codec), so a document can be
  passed through to a response unparsed with `orjson.Fragment`.
- Connections go back with `release()` (or `acquire()`'s exit), not `Pool.release`: see there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Iterable
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

ACQUIRE_TIMEOUT_S = 5.0
RELEASE_INLINE_VERSION = "0.32.0"  # the asyncpg whose `Pool.release` `release()` repeats without the shield


def advisory_key(space: str, value: str) -> int:
    """The 64-bit key of a transaction advisory lock on `value` in `space` (e.g. "pokja:nip"), the same in
    every process: computed here, so a lock can be taken in a statement without parameters (`begin_locking`)."""
    digest = hashlib.blake2b(f"{space}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def begin_locking(keys: Iterable[int]) -> str:
    """BEGIN, then the transaction's advisory locks on `keys` in the order given, as ONE simple query: a
    transaction that starts by locking costs one round trip for both (`UnitOfWork.raw(locks=...)`). Each
    lock is a statement of its own, so it is granted before the next; the keys are integers, written as
    such (nothing else enters the text)."""
    return "BEGIN;" + "".join(f"SELECT pg_advisory_xact_lock({int(k)});" for k in keys)


async def _no_session_state(_: asyncpg.Connection) -> None:
    """The pool's reset hook: nothing to reset (see the module's rule); asyncpg has already rolled back
    an open transaction."""


def _connection_settings(statement_timeout_ms: int) -> dict[str, Any]:
    """What every connection of a service gets, pooled or not: 3 s to connect, the statement timeout, UTC."""
    return {"timeout": 3, "command_timeout": statement_timeout_ms / 1000,
            "server_settings": {"statement_timeout": str(statement_timeout_ms), "timezone": "UTC"}}


# The queue in front of each pool made by `create_pool`: (the pool, its semaphore), by id (asyncpg's Pool
# has __slots__ and no weak references).
_ANTREAN: dict[int, tuple[asyncpg.Pool, asyncio.Semaphore]] = {}


async def create_pool(dsn: str, *, size: int, statement_timeout_ms: int) -> asyncpg.Pool:
    """A pool that opens connections only when needed (start-up does not wait for PostgreSQL), with a
    first-come first-served queue of `size` places in front of it for `take()`, and one connection more
    for the platform's own short statements that requests wait for (`take(pool, antre=False)`)."""
    pool = await asyncpg.create_pool(dsn, reset=_no_session_state, min_size=0, max_size=size + 1,
                                     max_inactive_connection_lifetime=1800,
                                     **_connection_settings(statement_timeout_ms))
    for key in [k for k, (p, _) in _ANTREAN.items() if p._closing or p._closed]:
        del _ANTREAN[key]
    _ANTREAN[id(pool)] = (pool, asyncio.Semaphore(size))
    return pool


def _antrean(pool: asyncpg.Pool) -> asyncio.Semaphore | None:
    entry = _ANTREAN.get(id(pool))
    return entry[1] if entry is not None and entry[0] is pool else None


async def connect(dsn: str, *, statement_timeout_ms: int) -> asyncpg.Connection:
    """One connection of its own with the pool's settings, for a writer that must never wait for the pool's
    connections behind the requests (`shared.uow.AuditWriter`)."""
    return await asyncpg.connect(dsn, **_connection_settings(statement_timeout_ms))


async def release(pool: asyncpg.Pool, conn: asyncpg.Connection, *, antre: bool = True) -> None:
    """Give `conn` back to `pool` in the caller's own task (issue 9).

    asyncpg's `Pool.release` runs the release as a task of its own under `asyncio.shield`, so that a
    cancelled caller cannot leave a connection half-released. The caller then resumes only two turns
    of the event loop later. On a loop serving 64 requests at once a turn takes about 11 ms, and
    pokja's read durations fell into steps of that size (p50 4.9 ms, p75 26 ms, p99 76 ms).

    A connection without an open transaction releases without waiting on anything: no rollback to
    send, and our reset hook does nothing (`_no_session_state`). It is then released here, inline,
    by the same steps as `Pool.release` (the proxy's checks, `_on_release`, the holder's release).
    With no await that suspends, there is no point at which a cancellation could stop it half-way.
    Any other connection (a transaction still open, a cancellation in flight, a closed one, one due
    to be closed and replaced) goes through asyncpg's own shielded path, as does every connection
    with another asyncpg version.
    """
    try:
        await _release(pool, conn)
    finally:
        antrean = _antrean(pool) if antre else None
        if antrean is not None:
            antrean.release()


async def _release(pool: asyncpg.Pool, conn: asyncpg.Connection) -> None:
    con = getattr(conn, "_con", None)
    holder = getattr(conn, "_holder", None)
    if (asyncpg.__version__ == RELEASE_INLINE_VERSION and type(conn) is PoolConnectionProxy and con is not None
            and holder is not None and holder._pool is pool and not con.is_closed()
            and not con.is_in_transaction() and con._top_xact is None
            and not con._protocol._is_cancelling() and holder._generation == pool._generation
            and con._protocol.queries_count < holder._max_queries):
        con._on_release()
        await holder.release(holder._timeout)
        return
    await pool.release(conn)


async def take(pool: asyncpg.Pool, *, antre: bool = True) -> asyncpg.Connection:
    """A connection of `pool` with the platform's acquire timeout (`ACQUIRE_TIMEOUT_S`), given back by
    `release()` (issue 9).

    First come, first served: callers queue in a semaphore of the pool's size (`create_pool`), which
    asyncio keeps in order, and only then take a connection, which is free by then. asyncpg's own queue
    is not fair: a connection given back wakes its first waiter, but a request arriving before that
    waiter runs takes the connection, and the waiter queues again at the back. At 64 requests on a pool
    of 10 that made the waits of pokja's create 15 ms at the median and 105 ms at p99 (the connection
    itself was held 2.9 / 7.4 ms). The timeout applies to the wait in the queue.

    `antre=False` (given back with `release(..., antre=False)`): not in the queue, on the connection the
    pool keeps beyond its places. Only for the platform's own short statements that requests wait for
    (helpdesk's next block of ticket numbers), which must not wait behind those requests.

    When the idle connection the pool hands out next is open and current, taking it cannot wait on
    anything: it is taken without arming the timeout, which cost about 6.5 us of a request's CPU (an
    acquire and release of 13.8 us against 7.2 us, 50,000 each on embedded PostgreSQL, uvloop).
    Otherwise (every connection busy, or the next one to open or replace) `Pool.acquire` waits with the
    timeout as before. (A connection taken this way is released without a timeout too; its statements keep
    the connection's `command_timeout`.) With another asyncpg version, always `Pool.acquire`."""
    antrean = _antrean(pool) if antre else None
    if antrean is None:
        return await _take(pool)
    if antrean.locked():
        await asyncio.wait_for(antrean.acquire(), ACQUIRE_TIMEOUT_S)
    else:
        await antrean.acquire()  # returns at once: nobody waits and a place is free
    try:
        return await _take(pool)
    except BaseException:
        antrean.release()
        raise


async def _take(pool: asyncpg.Pool) -> asyncpg.Connection:
    if asyncpg.__version__ == RELEASE_INLINE_VERSION and not pool._closing:
        # what the pool's queue hands out next: its last connected holder (asyncpg 0.32 prefers live
        # connections, most recently used first); no await runs before it does
        holder = next((h for h in reversed(pool._queue._queue) if h.is_connected()), None)
        if holder is not None and holder._generation == pool._generation:
            return await pool.acquire()
    return await pool.acquire(timeout=ACQUIRE_TIMEOUT_S)


@contextlib.asynccontextmanager
async def acquire(pool: asyncpg.Pool, *, antre: bool = True) -> AsyncIterator[asyncpg.Connection]:
    """`async with acquire(pool) as conn:` with the platform's acquire timeout, released by `release()`."""
    conn = await take(pool, antre=antre)
    try:
        yield conn
    finally:
        await release(pool, conn, antre=antre)
