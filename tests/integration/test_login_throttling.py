"""Login throttling slows guessing without locking the owner out (issue 9, part 4; README "Login throttling")."""
from __future__ import annotations

import pytest

from service.storage.accounts import (FAILURE_DECAY, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, MAX_ACCOUNT_DELAY,
                                      MAX_DELAY, Accounts, LoginThrottled, database_path, decayed, throttle_delay)


@pytest.fixture
def accounts(tree):
    return Accounts(database_path(tree / "instance"), password_hash_method="pbkdf2:sha256:1")


def _fail_until_throttled(accounts, name, address, now, times):
    """Fail ``times`` logins from ``address``, each as soon as allowed; return the time after the last."""
    for _attempt in range(times):
        try:
            accounts.check_password(name, "wrong", address, now=now)
        except LoginThrottled as throttled:
            now += throttled.retry_after
            accounts.check_password(name, "wrong", address, now=now)
    return now


def test_failures_elsewhere_never_make_the_owner_wait(accounts):
    credentials = accounts.add_user("olena", "admin")
    now = _fail_until_throttled(accounts, "olena", "198.51.100.1", 1_000_000.0, 12)
    with pytest.raises(LoginThrottled):
        accounts.check_password("olena", credentials.password, "198.51.100.1", now=now)
    assert accounts.check_password("olena", credentials.password, "10.0.0.1", now=now) is not None


def test_the_delay_for_one_account_is_capped(accounts):
    accounts.add_user("olena", "admin")
    now = 1_000_000.0
    waits = []
    for _attempt in range(FREE_FAILURES + 12):
        try:
            accounts.check_password("olena", "wrong", "10.0.0.1", now=now)
        except LoginThrottled as throttled:
            waits.append(throttled.retry_after)
            now += throttled.retry_after
            accounts.check_password("olena", "wrong", "10.0.0.1", now=now)
    assert max(waits) == MAX_ACCOUNT_DELAY and MAX_ACCOUNT_DELAY <= 60


def test_failures_decay_with_quiet_time(accounts):
    assert decayed(10, FAILURE_DECAY * 3 + 1) == 7 and decayed(2, FAILURE_DECAY * 9) == 0 and decayed(4, -5) == 4
    accounts.add_user("olena", "admin")
    now = _fail_until_throttled(accounts, "olena", "10.0.0.1", 1_000_000.0, FREE_FAILURES + 4)
    # An attacker who comes back every few minutes is not remembered for ever: after a long
    # enough pause the next failure costs the free allowance again, not the maximum delay.
    now += FAILURE_DECAY * (FREE_FAILURES + 5)
    assert accounts.check_password("olena", "wrong", "10.0.0.1", now=now) is None
    assert accounts.check_password("olena", "wrong", "10.0.0.1", now=now + 1) is None


def test_one_address_spraying_many_names_is_slowed_down(accounts):
    now = 1_000_000.0
    for number in range(FREE_FAILURES_PER_ADDRESS):
        assert accounts.check_password(f"user{number}", "guess", "203.0.113.5", now=now) is None
    with pytest.raises(LoginThrottled):
        accounts.check_password("someone-else", "guess", "203.0.113.5", now=now)
    assert accounts.check_password("someone-else", "guess", "203.0.113.6", now=now) is None


def test_the_delays_are_bounded():
    assert throttle_delay(FREE_FAILURES - 1, FREE_FAILURES, MAX_ACCOUNT_DELAY) == 0
    assert throttle_delay(FREE_FAILURES, FREE_FAILURES, MAX_ACCOUNT_DELAY) == 2
    assert throttle_delay(10 ** 9, FREE_FAILURES, MAX_ACCOUNT_DELAY) == MAX_ACCOUNT_DELAY
    assert throttle_delay(10 ** 9, FREE_FAILURES_PER_ADDRESS, MAX_DELAY) == MAX_DELAY


def test_a_password_reset_clears_the_accounts_failures(accounts):
    accounts.add_user("olena", "admin")
    now = _fail_until_throttled(accounts, "olena", "10.0.0.1", 1_000_000.0, FREE_FAILURES + 2)
    password = accounts.reset_password("olena")
    assert accounts.check_password("olena", password, "10.0.0.1", now=now) is not None
