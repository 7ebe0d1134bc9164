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

import logging

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

log = logging.getLogger("gatehouse.db")


class ReleasingPostgresTransaction(PostgresTransaction):
    """Piccolo's transaction, with its connection given back whatever BEGIN, COMMIT or ROLLBACK does.

    A connection given back inside a transaction BEGIN left open (failed or cancelled half way) is rolled back
    by asyncpg, which logs "Resetting connection with an active transaction" as it does so."""

    __slots__ = ("_lender",)

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self._lender = self.engine.pool  # the pool it came from, even if the engine's is replaced meanwhile
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
        """Never raises (but for cancellation): an error here would hide the one already on its way out, or
        report a committed write as failed. asyncpg closes a connection it cannot reset and frees its place."""
        try:
            if self._lender is not None:
                await self._lender.release(self.connection)
            else:
                await self.connection.close()
        except Exception:
            log.warning("a PostgreSQL connection could not be given back cleanly", exc_info=True)


class ReleasingPostgresEngine(PostgresEngine):
    """PostgresEngine whose transactions are ReleasingPostgresTransaction (see the module docstring)."""

    def transaction(self, allow_nested: bool = True) -> ReleasingPostgresTransaction:
        return ReleasingPostgresTransaction(engine=self, allow_nested=allow_nested)
