"""shared.outbox's `_outcome`: the acknowledgements of a batch awaited as `gather(return_exceptions=True)`
gave them, under a timeout that still fires."""

from __future__ import annotations

import asyncio

import pytest

from shared.outbox import _outcome


async def _outcomes(futures: list[asyncio.Future], timeout: float) -> list[object]:  # type: ignore[type-arg]
    async with asyncio.timeout(timeout):
        return [await _outcome(f) for f in futures]


async def test_results_and_failures_come_back_in_order_as_gather_gives_them():
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(4)]
    futures[0].set_result("ok-0")
    failure = ConnectionError("broker away")
    loop.call_later(0.01, futures[1].set_exception, failure)
    loop.call_later(0.01, futures[2].cancel)  # aiokafka cancelling a message future: a failure like another
    loop.call_later(0.02, futures[3].set_result, "ok-3")
    got = await _outcomes(futures, 2)
    expected = await asyncio.gather(*futures, return_exceptions=True)
    assert got[0] == "ok-0" and got[1] is failure and got[3] == "ok-3"
    assert isinstance(got[2], asyncio.CancelledError)
    assert [type(x) for x in got] == [type(x) for x in expected]


async def test_an_acknowledgement_that_never_comes_is_a_timeout_not_a_wait_forever():
    loop = asyncio.get_running_loop()
    futures = [loop.create_future(), loop.create_future()]
    futures[0].set_result("ok")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(_outcomes(futures, 0.05), 2)  # wait_for only guards the test itself
    assert futures[1].cancelled()  # as wait_for(gather(...)) cancelled the pending sends


async def test_cancelling_the_relay_cancels_it_and_is_not_taken_for_a_failed_send():
    loop = asyncio.get_running_loop()
    pending = loop.create_future()
    task = asyncio.ensure_future(_outcomes([pending], 10))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_relay_resumes_fewer_turns_of_the_loop_after_the_acknowledgement_than_with_gather():
    loop = asyncio.get_running_loop()

    async def turns(wait) -> int:  # type: ignore[no-untyped-def]
        futures = [loop.create_future() for _ in range(3)]
        count, counting = 0, True

        def tick() -> None:  # one call per turn of the loop while counting
            nonlocal count
            if counting:
                count += 1
                loop.call_soon(tick)

        task = asyncio.ensure_future(wait(futures))
        await asyncio.sleep(0)
        loop.call_soon(tick)
        for f in futures:
            f.set_result(1)
        await task
        counting = False
        return count

    direct = await turns(lambda fs: _outcomes(fs, 10))
    gathered = await turns(lambda fs: asyncio.wait_for(asyncio.gather(*fs, return_exceptions=True), 10))
    assert direct < gathered
