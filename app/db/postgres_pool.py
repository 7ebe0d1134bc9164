"""A Piccolo PostgreSQL engine whose transactions always give their pool connection back.

Piccolo's PostgresTransaction acquires a connection and then sends BEGIN; when BEGIN fails (the server went
away, a backend was terminated) or is cancelled (a task stopped at that moment), its `__aexit__` never runs,
and when COMMIT or ROLLBACK fails, `__aexit__` stops before its release. Either way the connection stays lent
for good: after twenty such moments (an outage during a burst of check-ins) the pool is empty and every
request waits forever, and asyncpg's close waits for them too. Here the release is in a `finally`; asyncpg
rolls back a transaction still open on a connection given back, and closes one that is broken.

Like app/db/sqlite_pool.py, this relies on Piccolo's internals (the transaction's `connection`,
`transaction`, `_parent`, `_committed`, `_rolled_back`, `context`); tests/unit/test_postgres_pool.py
fails if they change under this subclass.
"""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction


class ReleasingPostgresTransaction(PostgresTransaction):
    """Piccolo's transaction, with its connection given back whatever BEGIN, COMMIT or ROLLBACK does."""

    __slots__ = ()

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        try:
            self.transaction = self.connection.transaction()
            await self.begin()
        except BaseException:
            await self._give_back()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            try:
                await self._give_back()
            finally:
                self.engine.current_transaction.reset(self.context)
        return exception is None

    async def _give_back(self) -> None:
        if self.engine.pool:
            await self.engine.pool.release(self.connection)
        else:
            await self.connection.close()


class ReleasingPostgresEngine(PostgresEngine):
    """PostgresEngine whose transactions are ReleasingPostgresTransaction (see the module docstring)."""

    def transaction(self, allow_nested: bool = True) -> ReleasingPostgresTransaction:
        return ReleasingPostgresTransaction(engine=self, allow_nested=allow_nested)
