"""Password hashing (app/domain/accounts/passwords.py): the algorithm, old hashes, and the event loop."""

from __future__ import annotations

import hashlib
import threading

import pytest
from piccolo.apps.user.tables import BaseUser

from app.domain.accounts import passwords


@pytest.fixture
def production_cost():
    lowered = passwords.iterations()
    passwords.set_iterations(passwords.DEFAULT_ITERATIONS)
    yield
    passwords.set_iterations(lowered)


async def test_production_hashes_are_pbkdf2_sha256_with_600k_iterations(production_cost):
    stored = await passwords.hash_password("correct horse battery")
    algorithm, iterations, salt, digest = stored.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "600000")
    expected = hashlib.pbkdf2_hmac("sha256", b"correct horse battery", salt.encode(), 600_000).hex()
    assert digest == expected
    assert await passwords.verify("correct horse battery", stored)
    assert not await passwords.verify("correct horse batterY", stored)


async def test_hashes_stored_in_piccolos_format_still_verify():
    stored = BaseUser.hash_password("an older password", iterations=1_234)
    assert await passwords.verify("an older password", stored)
    assert not await passwords.verify("another password", stored)


async def test_the_count_of_new_hashes_changes_and_old_hashes_keep_theirs():
    before = await passwords.hash_password("same password")
    lowered = passwords.iterations()
    passwords.set_iterations(lowered + 1)
    try:
        after = await passwords.hash_password("same password")
    finally:
        passwords.set_iterations(lowered)
    assert after.split("$")[1] == str(lowered + 1)
    assert await passwords.verify("same password", before) and await passwords.verify("same password", after)
    with pytest.raises(ValueError):
        passwords.set_iterations(0)


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "md5$1000$salt$abc", "pbkdf2_sha256$x$salt$abc", "pbkdf2_sha256$²$salt$abc", "pbkdf2_sha256$0$s$d"],
)
async def test_anything_but_a_hash_of_ours_matches_nothing(stored):
    assert not await passwords.verify("", stored)


async def test_the_placeholder_matches_no_password():
    assert not await passwords.verify("0" * 32, passwords.placeholder())
    assert not await passwords.verify("", passwords.placeholder())


async def test_hashing_and_checking_run_off_the_event_loop(monkeypatch):
    threads, real = [], hashlib.pbkdf2_hmac

    def recording(*args):
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(passwords.hashlib, "pbkdf2_hmac", recording)
    stored = await passwords.hash_password("in a thread")
    assert await passwords.verify("in a thread", stored)
    assert len(threads) == 2 and threading.get_ident() not in threads
