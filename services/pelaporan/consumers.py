"""pelaporan's consumers: every other service's events into its own read models.

Each handler is applied once per event id (the inbox) and only moves a read model forward:
`ON CONFLICT ... WHERE versi < excluded.versi`, so an event arriving late changes nothing.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from shared.consumer import ConsumerSpec
from shared.contracts.registrasi import PendaftaranDiajukan
from shared.events import Envelope
from shared.uow import UnitOfWork
from services.pelaporan.models import PendaftaranRM


async def on_pendaftaran_diajukan(event: Envelope, data: PendaftaranDiajukan, uow: UnitOfWork) -> None:
    """A registration was submitted: count it (or move it back to `diajukan` after fixes)."""
    stmt = insert(PendaftaranRM).values(id=data.pendaftaran_id, jenis=data.jenis, status=data.status,
                                         versi=event.aggregateversion, diajukan_pada=data.waktu)
    stmt = stmt.on_conflict_do_update(
        index_elements=[PendaftaranRM.id],
        set_={"status": stmt.excluded.status, "versi": stmt.excluded.versi},
        where=PendaftaranRM.versi < stmt.excluded.versi,
    )
    await uow.session.execute(stmt)


CONSUMERS = [
    ConsumerSpec(name="read-models", handlers={"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan}),
]
