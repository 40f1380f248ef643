from dataclasses import dataclass, field
from typing import Any

import pytest

from services.pelaporan import seed
from shared.seed import SeedContext


@dataclass
class Jawaban:
    status_code: int
    isi: Any = None

    def json(self) -> Any:
        return self.isi

    @property
    def text(self) -> str:
        return str(self.isi)


def indikator(antrean: int | None, total: int) -> dict:
    return {"diperbarui_pada": "x", "periode": {"tahun": 2026, "semester": 2},
            "pendaftaran": {"total": total}, "sinkronisasi": {"antrean_event": antrean}}


@dataclass
class Klien:
    """Answers the indicator polls in turn (the last one forever) and records every other request."""

    jawaban: list[dict]
    permintaan: list[tuple[str, str, dict]] = field(default_factory=list)
    polling: int = 0

    async def get(self, path: str, **kwargs: Any) -> Jawaban:
        self.polling += 1
        return Jawaban(200, self.jawaban.pop(0) if len(self.jawaban) > 1 else self.jawaban[0])

    async def request(self, method: str, path: str, **kwargs: Any) -> Jawaban:
        self.permintaan.append((method, path, kwargs.get("params") or {}))
        return Jawaban(200, self.jawaban[-1])


class Kemajuan:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n


@pytest.fixture(autouse=True)
def tanpa_jeda(monkeypatch):
    monkeypatch.setattr(seed, "JEDA_DETIK", 0)


def konteks(klien: Klien) -> SeedContext:
    return SeedContext(clients={"pelaporan": klien}, progress=Kemajuan())


async def test_seeding_waits_until_no_event_is_queued_and_the_figures_stop_changing():
    klien = Klien([indikator(None, 0), indikator(5, 3), indikator(0, 7), indikator(0, 8)])

    data = await seed.tunggu_sinkron(konteks(klien), {})

    assert data["pendaftaran"]["total"] == 8
    assert klien.polling == 4 + seed.STABIL_BERTURUT  # the first poll of the final figures, then 3 equal ones


async def test_seeding_then_fetches_the_current_semester_report_once_in_each_format():
    klien = Klien([indikator(0, 8)])
    ctx = konteks(klien)

    await seed.seed(ctx)

    laporan = [(p[1], p[2]["format"]) for p in klien.permintaan if p[1].startswith("/api/v1/laporan/")]
    assert laporan == [("/api/v1/laporan/2026/semester/2", f) for f in ("json", "csv", "xlsx", "pdf")]
    assert ctx.progress.n == seed.STEPS


async def test_seeding_fails_clearly_when_pelaporan_does_not_catch_up(monkeypatch):
    monkeypatch.setattr(seed, "TUNGGU_MAKS_DETIK", 0.05)

    with pytest.raises(RuntimeError, match="belum menyusul"):
        await seed.tunggu_sinkron(konteks(Klien([indikator(3, 1)])), {})
