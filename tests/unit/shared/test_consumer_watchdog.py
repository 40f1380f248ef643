import asyncio

from shared.consumer import ConsumerSpec, EventConsumer


class StuckOnce(EventConsumer):
    def __init__(self) -> None:
        super().__init__(ConsumerSpec(name="uji", handlers={}, topics=["t"]), service="uji", bootstrap="x:1",
                         session_factory=None, dead_letter_topic="t.dlq", watchdog_timeout=0.2)
        self.starts = 0
        self.recovered = asyncio.Event()

    async def _consume(self) -> None:
        self.starts += 1
        if self.starts == 1:
            await asyncio.Event().wait()  # a poll that never returns (aiokafka #1154)
        self.recovered.set()
        await asyncio.Event().wait()


async def test_the_watchdog_restarts_a_consumer_that_stopped_polling(monkeypatch):
    consumer = StuckOnce()
    consumer.last_poll -= 10
    real_wait = asyncio.wait

    async def quick_wait(tasks, timeout=None):
        return await real_wait(tasks, timeout=0.05)

    monkeypatch.setattr(asyncio, "wait", quick_wait)
    task = asyncio.create_task(consumer.run())
    try:
        await asyncio.wait_for(consumer.recovered.wait(), 10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert consumer.starts == 2
