"""The bench's unique request data stays unique where the services compare it (the NPWP keeps 8 digits)."""

from bench.template import (
    E2E_SEQ_BASE,
    E2E_SEQ_OFFSET,
    E2E_WARMUP_OFFSET,
    INVOCATION_STRIDE,
    THREAD_STRIDE,
    render,
)
from bench.workload import penyedia


def _npwp(seq: int) -> str:
    import json

    return json.loads(render(penyedia("pt"), seq))["npwp"]


def test_e2e_npwps_never_meet_a_wrk_invocations_npwps():
    # wrk: invocation k (1..99 in a full run), 2 threads, at most 100,000 requests per thread and run
    wrk_low = {k * INVOCATION_STRIDE + t * THREAD_STRIDE for k in range(1, 100) for t in range(2)}
    for rnd in range(5):
        first = E2E_SEQ_BASE + rnd * 1_000_000 + E2E_SEQ_OFFSET
        e2e = {_npwp(first + i) for i in (0, 9_999, 29_999)}
        for low in wrk_low:
            if low % 10**8 // INVOCATION_STRIDE == first % 10**8 // INVOCATION_STRIDE:
                assert first % INVOCATION_STRIDE >= low % INVOCATION_STRIDE + 100_000
        assert not e2e & {_npwp(low + i) for low in wrk_low for i in (0, 9_999, 29_999)}


def test_the_e2e_warm_up_npwps_never_meet_the_e2e_clients_or_a_wrk_invocations():
    wrk = {_npwp(k * INVOCATION_STRIDE + t * THREAD_STRIDE + i) for k in range(1, 100) for t in range(2)
           for i in (0, 99_999)}
    for rnd in range(5):
        first = E2E_SEQ_BASE + rnd * 1_000_000 + E2E_SEQ_OFFSET
        e2e = {_npwp(first + i) for i in range(0, 30_000, 7)}
        warm = {_npwp(E2E_SEQ_BASE + rnd * 1_000_000 + E2E_WARMUP_OFFSET + attempt * 1_000 + i)
                for attempt in range(6) for i in range(10)}
        assert len(warm) == 60
        assert not warm & e2e and not warm & wrk
