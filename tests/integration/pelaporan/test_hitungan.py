"""issue 9: the counts behind the live indicators (`hitungan_rm`, migration 0004) are kept by the read
models' triggers; whoever writes and however, they equal a count over the read models themselves."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.pelaporan.periode import periode_dari_waktu
from tests.integration.pelaporan.peristiwa import diajukan, diputuskan, tiket_dibuat, uid

pytestmark = pytest.mark.integration


async def _tersimpan(s) -> dict[tuple[str, str], int]:
    rows = (await s.execute(text("SELECT jenis, nilai, sum(n) AS n FROM hitungan_rm GROUP BY jenis, nilai"
                                 " HAVING sum(n) <> 0"))).all()
    return {(r.jenis, r.nilai): r.n for r in rows}


def _semester(waktu: datetime) -> str:
    p = periode_dari_waktu(waktu)
    return f"{p.tahun}-{p.semester}"


async def _dihitung_ulang(s) -> dict[tuple[str, str], int]:
    """The same figures counted from the read models, the semesters by `periode_dari_waktu` (WIB)."""
    hasil: Counter[tuple[str, str]] = Counter()
    for tabel, jenis in (("rm_pendaftaran", "pendaftaran"), ("rm_pengguna", "pengguna"), ("rm_tiket", "tiket")):
        for r in (await s.execute(text(f"SELECT status, count(*) AS n FROM {tabel}"  # noqa: S608
                                       " WHERE status IS NOT NULL GROUP BY status"))).all():
            hasil[(f"{jenis}.status", r.status)] += r.n
    for tabel, kolom, jenis in (("rm_pendaftaran", "diajukan_pada", "pendaftaran.diajukan"),
                                ("rm_tiket", "dibuat_pada", "tiket.dibuat")):
        for (waktu,) in (await s.execute(text(f"SELECT {kolom} FROM {tabel} WHERE {kolom} IS NOT NULL"))).all():  # noqa: S608
            hasil[(jenis, _semester(waktu))] += 1
    for r in (await s.execute(text("SELECT tahun_anggaran, count(*) AS n FROM rm_paket WHERE nama IS NOT NULL"
                                   " AND tahun_anggaran IS NOT NULL GROUP BY tahun_anggaran"))).all():
        hasil[("paket.tahun", str(r.tahun_anggaran))] += r.n
    return dict(hasil)


async def test_the_counts_follow_consumers_upserts_updates_deletes_and_truncates(terapkan, sesi):
    # 00:30 WIB on 1 July is the second semester, though still 30 June in UTC
    batas = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)
    a, b, c = uid(), uid(), uid()
    await terapkan([diajukan(a, batas), diajukan(b, batas - timedelta(hours=1)), diajukan(c, batas),
                    tiket_dibuat(uid(), batas), tiket_dibuat(uid(), batas - timedelta(days=200)),
                    diputuskan("disetujui", a, batas + timedelta(days=1), batas, 2)])
    async with sesi() as s:
        tersimpan = await _tersimpan(s)
        assert tersimpan == await _dihitung_ulang(s)
        assert tersimpan[("pendaftaran.diajukan", "2026-2")] >= 2
        assert tersimpan[("pendaftaran.diajukan", "2026-1")] >= 1

    async with sesi() as s:  # as an operator or a repair script would: plain SQL, several rows per statement
        d, e = uid(), uid()
        await s.execute(text("INSERT INTO rm_pendaftaran (id, jenis, status, versi, diajukan_pada) VALUES"
                             " (:d, 'penyedia', 'diajukan', 1, :w), (:e, 'penyedia', 'diajukan', 1, NULL)"),
                        {"d": d, "e": e, "w": batas})
        await s.execute(text("INSERT INTO rm_pendaftaran (id, jenis, status, versi) VALUES (:d, 'penyedia',"
                             " 'ditolak', 2), (:f, 'penyedia', 'perlu_perbaikan', 1) ON CONFLICT (id) DO UPDATE"
                             " SET status = EXCLUDED.status, versi = EXCLUDED.versi"), {"d": d, "f": uid()})
        await s.execute(text("UPDATE rm_pendaftaran SET status = 'ditolak' WHERE id IN (:b, :e)"), {"b": b, "e": e})
        await s.execute(text("UPDATE rm_pendaftaran SET versi = versi + 1 WHERE id = :c"), {"c": c})  # no change
        await s.execute(text("DELETE FROM rm_pendaftaran WHERE id = :c"), {"c": c})
        await s.execute(text("INSERT INTO rm_paket (kode, nama, tahun_anggaran) VALUES (:k, 'Paket uji', 2031),"
                             " (:l, NULL, 2031)"), {"k": f"HT-{uid()[:8]}", "l": f"HT-{uid()[:8]}"})
        await s.execute(text("UPDATE rm_paket SET nama = 'Dinamai' WHERE tahun_anggaran = 2031 AND nama IS NULL"))
        await s.commit()
    async with sesi() as s:
        tersimpan = await _tersimpan(s)
        assert tersimpan == await _dihitung_ulang(s)
        assert tersimpan[("paket.tahun", "2031")] >= 2

    async with sesi() as s:  # a rebuild truncates: the read model's counts go with it, in its transaction
        await s.execute(text("TRUNCATE rm_tiket"))
        tersimpan = await _tersimpan(s)
        assert not [k for k in tersimpan if k[0].startswith("tiket.")]
        assert tersimpan == await _dihitung_ulang(s)
        await s.rollback()
    async with sesi() as s:
        assert await _tersimpan(s) == await _dihitung_ulang(s)


async def test_the_indicators_read_the_counts_not_the_read_models(sesi):
    """The plan of the indicators' statement reads the counts: no scan of rm_pendaftaran or rm_pengguna
    (rm_tiket is still read for the semester's SLA figures, through its indexes)."""
    from services.pelaporan import repository as repo

    async with sesi() as s:
        conn = (await (await s.connection()).get_raw_connection()).driver_connection
        sekarang = datetime.now(UTC)
        periode = periode_dari_waktu(sekarang)
        rencana = "\n".join(r[0] for r in await conn.fetch(
            "EXPLAIN " + repo.INDIKATOR, periode.mulai, periode.selesai, sekarang, sekarang.date(), 2026))
    assert "hitungan_rm" in rencana
    assert "on rm_pengguna" not in rencana and "rm_pendaftaran" not in rencana


_KEANGGOTAAN_DIHITUNG = """
SELECT DISTINCT ON (a.pokja_id, a.nip) a.pokja_id, a.nip, a.aksi FROM rm_pokja_anggota a
JOIN rm_pokja p ON p.id = a.pokja_id AND p.dibentuk_pada IS NOT NULL AND p.dibubarkan_pada IS NULL
ORDER BY a.pokja_id, a.nip, a.versi DESC
"""


async def _keanggotaan_sesuai(s) -> None:  # type: ignore[no-untyped-def]
    """The kept membership tables (migration 0005) equal a recount from the read models."""
    dihitung = {(r.pokja_id, r.nip) for r in (await s.execute(text(_KEANGGOTAAN_DIHITUNG))).all() if r.aksi == "masuk"}
    tersimpan = {(r.pokja_id, r.nip) for r in (await s.execute(text(
        "SELECT pokja_id, nip FROM rm_keanggotaan_aktif"))).all()}
    assert tersimpan == dihitung
    per_orang = dict(Counter(nip for _, nip in dihitung))
    assert {r.nip: r.n for r in (await s.execute(text("SELECT nip, n FROM rm_anggota_aktif"))).all()} == per_orang


async def test_active_pokja_members_count_each_person_once_by_their_latest_membership_fact(klien, terapkan, sesi):
    """`anggota_pokja_aktif` (kept by triggers since issue 9, migration 0005): a person removed from an active
    Pokja no longer counts, one removed and added again does, and one sitting in two active Pokja counts
    once; the figure equals the former DISTINCT ON formulation, kept in test_indikator's reference
    statement, and the kept tables equal a recount after consumers, hand edits and a truncate."""
    from tests.integration.pelaporan.peristiwa import pokja
    from tests.integration.pelaporan.test_indikator import angka_langsung, indikator

    sekarang = datetime.now(UTC)
    mulai = datetime(2033, 3, 1, 2, tzinfo=UTC)  # a year of its own: the report tests count Pokja per year
    sebelum = (await indikator(klien))["pengadaan"]["anggota_pokja_aktif"]
    nip = [f"19900101201501{i:04d}" for i in range(9000, 9005)]  # of this test only
    k1, k2 = uid(), uid()
    await terapkan([
        pokja("dibentuk", k1, mulai, 1, nama="Pokja Uji 1", nomor_sk="SK/U1", anggota=nip[:3], paket=[]),
        pokja("anggota_dikeluarkan", k1, mulai + timedelta(days=1), 2, nip=nip[2], alasan="Mutasi"),  # out
        pokja("anggota_dikeluarkan", k1, mulai + timedelta(days=1), 3, nip=nip[1], alasan="Cuti"),
        pokja("anggota_ditambahkan", k1, mulai + timedelta(days=2), 4, nip=nip[1]),  # back in
        pokja("dibentuk", k2, mulai + timedelta(days=2), 1, nama="Pokja Uji 2", nomor_sk="SK/U2",
              anggota=[nip[0], nip[3], nip[4]], paket=[]),  # nip[0] in both
    ])
    sesudah = await indikator(klien)
    assert sesudah["pengadaan"]["anggota_pokja_aktif"] - sebelum == 4  # nip 0, 1, 3, 4
    async with sesi() as s:
        acuan = await angka_langsung(s, sekarang, sekarang.date(), sekarang.year)
    assert sesudah["pengadaan"]["anggota_pokja_aktif"] == acuan.anggota_pokja_aktif
    async with sesi() as s:
        await _keanggotaan_sesuai(s)
        # as a repair script would: removing nip 1's return to k1 (their removal is then the latest fact), and
        # unforming k2
        await s.execute(text("DELETE FROM rm_pokja_anggota WHERE pokja_id = :k AND versi = 4"), {"k": k1})
        await s.execute(text("UPDATE rm_pokja SET dibentuk_pada = NULL WHERE id = :k"), {"k": k2})
        await _keanggotaan_sesuai(s)  # nip 1 is out of k1 again; k2 no longer counts
        assert nip[1] not in {r.nip for r in (await s.execute(text(
            "SELECT nip FROM rm_keanggotaan_aktif WHERE pokja_id = :k"), {"k": k1})).all()}
        await s.execute(text("TRUNCATE rm_pokja_anggota"))  # a rebuild: the kept tables go with it
        assert (await s.execute(text("SELECT count(*) FROM rm_anggota_aktif"))).scalar_one() == 0
        await _keanggotaan_sesuai(s)
        await s.rollback()

    await terapkan([pokja("dibubarkan", k1, mulai + timedelta(days=30), 5, alasan="Tugas selesai"),
                    pokja("dibubarkan", k2, mulai + timedelta(days=30), 2, alasan="Tugas selesai")])
    assert (await indikator(klien))["pengadaan"]["anggota_pokja_aktif"] == sebelum
    async with sesi() as s:
        await _keanggotaan_sesuai(s)
