"""Async engine and session factory; a declarative base per service with one naming convention."""

from __future__ import annotations

import weakref

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ServiceBase(DeclarativeBase):
    """Each service declares `class Base(ServiceBase): __abstract__ = True; metadata = new_metadata()`."""

    __abstract__ = True


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, *, pool_size: int = 10, statement_timeout_ms: int = 15_000) -> AsyncEngine:
    """An engine that fails fast when PostgreSQL is away (connect and statement timeouts).

    No `pool_pre_ping`: it cost a round trip on every checkout (issue 9). A connection that died
    with PostgreSQL fails its first statement instead; that error is a disconnect, so SQLAlchemy
    invalidates the whole pool (every older connection is replaced on its next checkout), the
    request becomes a 503 problem (`shared.problems`) and consumers retry (`shared.consumer`).
    `pool_recycle` replaces connections before anything between us and PostgreSQL drops them idle.
    """
    return create_async_engine(
        url,
        # As many connections as before at most (pool_size + the former overflow of pool_size), all
        # kept once opened: an overflow connection is closed when returned to a full pool, so under
        # load every request beyond pool_size opened and closed a PostgreSQL connection (py-spy:
        # ~17% of a read's samples in connect/close, and a fresh statement cache each time).
        pool_size=2 * pool_size,
        max_overflow=0,
        pool_timeout=5,
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={
            "timeout": 3,
            "command_timeout": statement_timeout_ms / 1000,
            "server_settings": {"statement_timeout": str(statement_timeout_ms), "timezone": "UTC"},
        },
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def autocommit_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool without BEGIN/ROLLBACK around statements: for reads only (`UnitOfWork.reading`).

    At READ COMMITTED every statement takes its own snapshot inside a transaction too, so a read
    sees the same data without the two extra round trips. Made once per engine.
    """
    cached = _AUTOCOMMIT.get(engine)
    if cached is None:
        cached = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return cached


_AUTOCOMMIT: "weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine]" = weakref.WeakKeyDictionary()
