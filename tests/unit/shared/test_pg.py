"""shared.pg's advisory lock keys and the simple query that begins a transaction with them (issue 9)."""

import pytest

from shared.pg import advisory_key, begin_locking


def test_lock_keys_are_stable_64_bit_integers_and_begin_locking_writes_only_them():
    # the same key in every process and release (a lock held by a process of the previous release must still
    # exclude): the value pokja's NIP keys had before their function moved to shared.pg
    assert advisory_key("pokja:nip", "198001012005011001") == 6025171611302710436
    assert all(-2**63 <= advisory_key("registrasi", f"nib:{n}") < 2**63 for n in range(1000))
    assert advisory_key("a", "b:c") == advisory_key("a:b", "c")  # the space is only a prefix of the text
    assert begin_locking([-3, 7]) == "BEGIN;SELECT pg_advisory_xact_lock(-3);SELECT pg_advisory_xact_lock(7);"
    with pytest.raises(ValueError):
        begin_locking(["1); DROP TABLE pendaftaran; --"])
