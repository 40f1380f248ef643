"""pokja's consumers: registrasi's user events into the `status_spse` projection, keyed by NIP.

Each event is applied once (the inbox) and the projection only moves forward: by the aggregate
version for the same SPSE user, by event time when a newer user account carries the same NIP. An
event for a NIP not (yet) recorded as pegawai is kept, so a pegawai recorded later picks it up.

When a User ID is deactivated or expires, every active Pokja with that member gets a
`pokja.pokja.penggantian_diperlukan` event and the membership is flagged `perlu_diganti`; the same
person can no longer be newly assigned (domain.periksa_user_spse). Reactivation clears the flags.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from services.pokja import domain
from services.pokja import models as m
from services.pokja import repository as repo
from services.pokja.service import terbitkan_pokja
from shared.consumer import ConsumerSpec
from shared.contracts.registrasi import PenggunaDiaktifkan, PenggunaDinonaktifkan, PenggunaKedaluwarsa
from shared.events import Envelope
from shared.uow import UnitOfWork, now_utc

Pengguna = PenggunaDiaktifkan | PenggunaDinonaktifkan | PenggunaKedaluwarsa


async def on_pengguna_diaktifkan(event: Envelope, data: PenggunaDiaktifkan, uow: UnitOfWork) -> None:
    """A User ID became active: record it; members flagged for replacement no longer need it."""
    await _terapkan(event, data, "aktif", uow)


async def on_pengguna_dinonaktifkan(event: Envelope, data: PenggunaDinonaktifkan, uow: UnitOfWork) -> None:
    """A User ID was deactivated: flag the person's Pokja memberships for replacement."""
    await _terapkan(event, data, "nonaktif", uow)


async def on_pengguna_kedaluwarsa(event: Envelope, data: PenggunaKedaluwarsa, uow: UnitOfWork) -> None:
    """A government user's access expired: flag the person's Pokja memberships for replacement."""
    await _terapkan(event, data, "kedaluwarsa", uow)


async def _terapkan(event: Envelope, data: Pengguna, status: str, uow: UnitOfWork) -> None:
    if not data.nip:
        return  # a provider's account: no pegawai behind it
    s = uow.session
    await repo.kunci(s, nip=[data.nip])  # serialises with assignments that read this person's status
    if not await _proyeksikan(s, event, data, status):
        return  # an older event arriving late changes nothing
    pokja_ids = sorted((await s.scalars(
        select(m.AnggotaPokja.pokja_id).join(m.Pokja, m.Pokja.id == m.AnggotaPokja.pokja_id)
        .where(m.AnggotaPokja.nip == data.nip, m.AnggotaPokja.selesai.is_(None), m.Pokja.status == "aktif"))).all())
    waktu = now_utc()
    pegawai = (await repo.pegawai_per_nip(s, [data.nip])).get(data.nip)
    for pokja_id in pokja_ids:  # row locks after the advisory lock, in id order (repository docstring)
        row = await repo.pokja_row(s, pokja_id, untuk_diubah=True)
        anggota = [a for a in await repo.anggota_aktif(s, [pokja_id]) if a.nip == data.nip]
        if row is None or row.status != "aktif" or not anggota or pegawai is None:
            continue
        keanggotaan = anggota[0]
        if status in domain.SPSE_MENGHALANGI and not keanggotaan.perlu_diganti:
            events = domain.anggota_perlu_diganti(repo.ke_pokja(row, anggota, []), [repo.ke_pegawai(*pegawai)])
            keanggotaan.perlu_diganti = True
            terbitkan_pokja(uow, row, events, waktu)
            uow.record("pokja", pokja_id, "penggantian_diperlukan", {"nip": data.nip, "status_spse": status},
                       alasan=getattr(data, "alasan", None))
        elif status == "aktif" and keanggotaan.perlu_diganti:
            keanggotaan.perlu_diganti = False
            row.versi += 1
            row.diperbarui_pada = waktu
            uow.record("pokja", pokja_id, "penggantian_tidak_diperlukan", {"nip": data.nip, "status_spse": status})
    await _tandai_pejabat(uow, data.nip, status)


async def _proyeksikan(s, event: Envelope, data: Pengguna, status: str) -> bool:  # type: ignore[no-untyped-def]
    """Upsert the NIP's SPSE state if this event is newer; True when it was applied."""
    stmt = insert(m.StatusSpse).values(nip=data.nip, pengguna_id=data.pengguna_id, status=status,
                                       versi=event.aggregateversion, waktu=data.waktu, diperbarui_pada=now_utc())
    baru = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=[m.StatusSpse.nip],
        set_={"pengguna_id": baru.pengguna_id, "status": baru.status, "versi": baru.versi, "waktu": baru.waktu,
              "diperbarui_pada": baru.diperbarui_pada},
        where=or_(and_(m.StatusSpse.pengguna_id == baru.pengguna_id, m.StatusSpse.versi < baru.versi),
                  and_(m.StatusSpse.pengguna_id != baru.pengguna_id, m.StatusSpse.waktu <= baru.waktu)),
    ).returning(m.StatusSpse.nip)
    return (await s.execute(stmt)).first() is not None


async def _tandai_pejabat(uow: UnitOfWork, nip: str, status: str) -> None:
    perlu = status in domain.SPSE_MENGHALANGI
    rows = (await uow.session.scalars(
        select(m.PejabatPengadaan).where(m.PejabatPengadaan.nip == nip, m.PejabatPengadaan.status == "aktif",
                                         m.PejabatPengadaan.perlu_diganti.is_(not perlu))
        .order_by(m.PejabatPengadaan.id).with_for_update())).all()
    for row in rows:
        row.perlu_diganti = perlu
        row.versi += 1
        row.diperbarui_pada = now_utc()
        uow.record("pejabat_pengadaan", row.id, "penggantian_diperlukan" if perlu else "penggantian_tidak_diperlukan",
                   {"nip": nip, "status_spse": status})


CONSUMERS = [
    ConsumerSpec(name="pengguna-spse", handlers={
        "registrasi.pengguna.diaktifkan": on_pengguna_diaktifkan,
        "registrasi.pengguna.dinonaktifkan": on_pengguna_dinonaktifkan,
        "registrasi.pengguna.kedaluwarsa": on_pengguna_kedaluwarsa,
    }),
]
