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
"""

from __future__ import annotations

import asyncpg

ACQUIRE_TIMEOUT_S = 5.0


async def _no_session_state(_: asyncpg.Connection) -> None:
    """The pool's reset hook: nothing to reset (see the module's rule); asyncpg has already rolled back
    an open transaction."""


async def create_pool(dsn: str, *, size: int, statement_timeout_ms: int) -> asyncpg.Pool:
    """A pool that opens connections only when needed (start-up does not wait for PostgreSQL)."""
    return await asyncpg.create_pool(
        dsn,
        reset=_no_session_state,
        min_size=0,
        max_size=size,
        timeout=3,
        command_timeout=statement_timeout_ms / 1000,
        max_inactive_connection_lifetime=1800,
        server_settings={"statement_timeout": str(statement_timeout_ms), "timezone": "UTC"},
    )


def acquire(pool: asyncpg.Pool):  # type: ignore[no-untyped-def]
    """`async with acquire(pool) as conn:` with the platform's acquire timeout."""
    return pool.acquire(timeout=ACQUIRE_TIMEOUT_S)
