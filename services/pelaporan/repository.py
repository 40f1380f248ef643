"""The figures, computed by PostgreSQL from the read models: never by loading events into Python.

Each period is a half-open range [mulai, selesai) of timestamps (WIB midnights, see `periode.py`),
so every query is a WHERE on an indexed timestamp plus GROUP BY, count, sum and percentile_cont.
The result fills the `Ringkasan` dataclasses of the pure report model.

Definitions (documented in docs/pelaporan.md):

- registrations submitted = first submission in the period; decisions = verifikator decisions taken
  in the period; time to decision = first submission to final decision (disetujui / ditolak);
  users by status = each account's latest status change before the period's end;
- procurement counts only results reported to the Kepala UKPBJ (rule 26), in the period they were
  reported: every `gagal` report is one failed selection; a package's `selesai` counts once (its
  latest report in the period);
- Pokja and members at the period's end; workload = packages assigned to those members' Pokja that
  had no completed result before the period began;
- helpdesk: tickets opened in the period; an SLA counts in the period of its outcome (the response
  or resolution, or the due time when it was breached) and is met only when it was not breached;
  out-of-scope tickets are counted as such and left out of SLA compliance and its medians.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.pelaporan.laporan import (
    AgregatPaket,
    Ringkasan,
    RingkasanHelpdesk,
    RingkasanPengadaan,
    RingkasanRegistrasi,
)
from services.pelaporan.ocds import CatatanPaket, HasilPemilihan, PokjaPaket
from services.pelaporan.periode import Periode

_REGISTRASI = text("""
SELECT
  (SELECT count(*) FROM rm_pendaftaran WHERE diajukan_pada >= :m AND diajukan_pada < :s) AS diajukan,
  count(*) FILTER (WHERE keputusan = 'disetujui') AS disetujui,
  count(*) FILTER (WHERE keputusan = 'ditolak') AS ditolak,
  count(*) FILTER (WHERE keputusan = 'perlu_perbaikan') AS perlu_perbaikan,
  count(*) FILTER (WHERE keputusan = 'ditolak' AND karena_daftar_hitam) AS ditolak_daftar_hitam,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM waktu - diajukan_pada)::float8 / 3600)
    FILTER (WHERE keputusan IN ('disetujui', 'ditolak') AND diajukan_pada IS NOT NULL) AS median_jam,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM waktu - diajukan_pada)::float8 / 3600)
    FILTER (WHERE keputusan IN ('disetujui', 'ditolak') AND diajukan_pada IS NOT NULL) AS p90_jam,
  (SELECT count(*) FROM rm_penolakan_daftar_hitam WHERE waktu >= :m AND waktu < :s) AS di_pintu,
  (SELECT count(*) FROM rm_pengguna_status
    WHERE aksi = 'dinonaktifkan' AND waktu >= :m AND waktu < :s) AS dinonaktifkan
FROM rm_keputusan_verifikasi WHERE waktu >= :m AND waktu < :s
""")

_PENGGUNA_PADA = text("""
SELECT status, count(*) AS n FROM (
  SELECT DISTINCT ON (pengguna_id) status FROM rm_pengguna_status
  WHERE waktu < :s ORDER BY pengguna_id DESC, versi DESC
) terakhir GROUP BY status
""")

_PAKET = text("""
WITH dalam AS (
  SELECT kode, versi, status, jenis_pengadaan, metode_pemilihan, pagu, hps, nilai_kontrak
  FROM rm_hasil_pemilihan WHERE waktu >= :m AND waktu < :s
), hasil AS (
  SELECT * FROM dalam WHERE status = 'gagal'
  UNION ALL
  (SELECT DISTINCT ON (kode) * FROM dalam WHERE status = 'selesai' ORDER BY kode, versi DESC)
)
SELECT g.dimensi, g.kelompok,
  count(*) FILTER (WHERE status = 'selesai') AS selesai,
  count(*) FILTER (WHERE status = 'gagal') AS gagal,
  coalesce(sum(pagu) FILTER (WHERE status = 'selesai'), 0) AS pagu_selesai,
  coalesce(sum(hps) FILTER (WHERE status = 'selesai'), 0) AS hps_selesai,
  coalesce(sum(nilai_kontrak) FILTER (WHERE status = 'selesai'), 0) AS nilai_kontrak,
  coalesce(sum(pagu) FILTER (WHERE status = 'gagal'), 0) AS pagu_gagal
FROM hasil CROSS JOIN LATERAL (VALUES ('jenis', jenis_pengadaan), ('metode', metode_pemilihan)) AS g(dimensi, kelompok)
GROUP BY g.dimensi, g.kelompok ORDER BY g.dimensi, g.kelompok
""")

_POKJA = text("""
WITH aktif AS (
  SELECT id FROM rm_pokja WHERE dibentuk_pada < :s AND (dibubarkan_pada IS NULL OR dibubarkan_pada >= :s)
), keanggotaan AS (
  SELECT DISTINCT ON (a.pokja_id, a.nip) a.pokja_id, a.nip, a.aksi
  FROM rm_pokja_anggota a JOIN aktif ON aktif.id = a.pokja_id
  WHERE a.waktu < :s ORDER BY a.pokja_id, a.nip, a.versi DESC
), anggota AS (
  SELECT pokja_id, nip FROM keanggotaan WHERE aksi = 'masuk'
), beban AS (
  SELECT a.nip, count(DISTINCT pp.kode) AS n
  FROM anggota a JOIN rm_pokja_paket pp ON pp.pokja_id = a.pokja_id AND pp.ditugaskan_pada < :s
  WHERE NOT EXISTS (SELECT 1 FROM rm_hasil_pemilihan h
                    WHERE h.kode = pp.kode AND h.status = 'selesai' AND h.waktu < :m)
  GROUP BY a.nip
)
SELECT
  (SELECT count(*) FROM rm_pokja WHERE dibentuk_pada >= :m AND dibentuk_pada < :s) AS dibentuk,
  (SELECT count(*) FROM rm_pokja WHERE dibubarkan_pada >= :m AND dibubarkan_pada < :s) AS dibubarkan,
  (SELECT count(*) FROM aktif) AS aktif,
  (SELECT count(DISTINCT nip) FROM anggota) AS anggota,
  (SELECT coalesce(sum(n), 0) FROM beban) AS penugasan,
  (SELECT coalesce(max(n), 0) FROM beban) AS beban_maks,
  (SELECT count(*) FROM rm_pejabat_pengadaan WHERE ditugaskan_pada >= :m AND ditugaskan_pada < :s) AS pp
""")

_TIKET_DIBUAT = text("""
SELECT kategori, kanal, count(*) AS n, count(*) FILTER (WHERE di_luar_lingkup) AS luar
FROM rm_tiket WHERE dibuat_pada >= :m AND dibuat_pada < :s GROUP BY kategori, kanal
""")

_SLA = text("""
WITH t AS (
  SELECT coalesce(respons_terlampaui_pada, respons_pertama_pada) AS hasil_respons,
         coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) AS hasil_penyelesaian,
         respons_terlampaui_pada, sla_respons_terpenuhi, penyelesaian_terlampaui_pada, sla_penyelesaian_terpenuhi,
         respons_pertama_pada, detik_kerja_respons, diselesaikan_pada, detik_kerja_penyelesaian
  FROM rm_tiket
  WHERE NOT di_luar_lingkup AND (
        (coalesce(respons_terlampaui_pada, respons_pertama_pada) >= :m
         AND coalesce(respons_terlampaui_pada, respons_pertama_pada) < :s)
     OR (coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) >= :m
         AND coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) < :s)
     OR (respons_pertama_pada >= :m AND respons_pertama_pada < :s)
     OR (diselesaikan_pada >= :m AND diselesaikan_pada < :s))
)
SELECT
  count(*) FILTER (WHERE hasil_respons >= :m AND hasil_respons < :s) AS respons_total,
  count(*) FILTER (WHERE hasil_respons >= :m AND hasil_respons < :s
                   AND respons_terlampaui_pada IS NULL AND sla_respons_terpenuhi) AS respons_terpenuhi,
  count(*) FILTER (WHERE hasil_penyelesaian >= :m AND hasil_penyelesaian < :s) AS penyelesaian_total,
  count(*) FILTER (WHERE hasil_penyelesaian >= :m AND hasil_penyelesaian < :s
                   AND penyelesaian_terlampaui_pada IS NULL AND sla_penyelesaian_terpenuhi) AS penyelesaian_terpenuhi,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY detik_kerja_respons / 3600)
    FILTER (WHERE respons_pertama_pada >= :m AND respons_pertama_pada < :s) AS median_respons,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY detik_kerja_penyelesaian / 3600)
    FILTER (WHERE diselesaikan_pada >= :m AND diselesaikan_pada < :s) AS median_penyelesaian
FROM t
""")

_HELPDESK_LAIN = text("""
SELECT
  (SELECT count(DISTINCT tiket_id) FROM rm_tiket_eskalasi
    WHERE ke IN ('lkpp_eproc', 'lkpp_teknis') AND waktu >= :m AND waktu < :s) AS eskalasi_lkpp,
  (SELECT count(*) FROM rm_berita_acara WHERE waktu >= :m AND waktu < :s) AS berita_acara,
  coalesce(sum(nilai), 0) AS kepuasan_jumlah,
  count(*) AS kepuasan_responden
FROM rm_tiket_penilaian WHERE waktu >= :m AND waktu < :s
""")

_ADA_DATA_SEBELUM = text("""
SELECT EXISTS (SELECT 1 FROM rm_pendaftaran WHERE diajukan_pada < :w)
    OR EXISTS (SELECT 1 FROM rm_keputusan_verifikasi WHERE waktu < :w)
    OR EXISTS (SELECT 1 FROM rm_pengguna_status WHERE waktu < :w)
    OR EXISTS (SELECT 1 FROM rm_hasil_pemilihan WHERE waktu < :w)
    OR EXISTS (SELECT 1 FROM rm_pokja WHERE dibentuk_pada < :w)
    OR EXISTS (SELECT 1 FROM rm_pejabat_pengadaan WHERE ditugaskan_pada < :w)
    OR EXISTS (SELECT 1 FROM rm_tiket WHERE dibuat_pada < :w)
    OR EXISTS (SELECT 1 FROM rm_berita_acara WHERE waktu < :w)
""")


def _rentang(periode: Periode) -> dict[str, datetime]:
    return {"m": periode.mulai, "s": periode.selesai}


async def ringkasan(session: AsyncSession, periode: Periode, diambil_pada: datetime) -> Ringkasan:
    """The aggregates of one period as of now (a period still running is counted so far)."""
    return Ringkasan(
        periode=periode,
        diambil_pada=diambil_pada,
        registrasi=await _ringkasan_registrasi(session, periode),
        pengadaan=await _ringkasan_pengadaan(session, periode),
        helpdesk=await _ringkasan_helpdesk(session, periode),
    )


async def ada_data_sebelum(session: AsyncSession, waktu: datetime) -> bool:
    """Whether any fact older than `waktu` is known (else a period before it has nothing to compare)."""
    return bool((await session.execute(_ADA_DATA_SEBELUM, {"w": waktu})).scalar())


async def pengguna_per_status(session: AsyncSession, sebelum: datetime) -> dict[str, int]:
    """Accounts by their latest status before `sebelum`."""
    rows = (await session.execute(_PENGGUNA_PADA, {"s": sebelum})).all()
    return {r.status: r.n for r in rows}


async def _ringkasan_registrasi(session: AsyncSession, periode: Periode) -> RingkasanRegistrasi:
    r = (await session.execute(_REGISTRASI, _rentang(periode))).one()
    pengguna = await pengguna_per_status(session, periode.selesai)
    return RingkasanRegistrasi(
        diajukan=r.diajukan, disetujui=r.disetujui, ditolak=r.ditolak, perlu_perbaikan=r.perlu_perbaikan,
        ditolak_daftar_hitam=r.ditolak_daftar_hitam, median_jam_keputusan=r.median_jam,
        p90_jam_keputusan=r.p90_jam, pengguna_aktif=pengguna.get("aktif", 0),
        pengguna_nonaktif=pengguna.get("nonaktif", 0), pengguna_kedaluwarsa=pengguna.get("kedaluwarsa", 0),
        pengguna_dinonaktifkan=r.dinonaktifkan, ditolak_di_pintu=r.di_pintu,
    )


async def _ringkasan_pengadaan(session: AsyncSession, periode: Periode) -> RingkasanPengadaan:
    rows = (await session.execute(_PAKET, _rentang(periode))).all()
    kelompok: dict[str, list[AgregatPaket]] = {"jenis": [], "metode": []}
    for r in rows:
        kelompok[r.dimensi].append(AgregatPaket(
            r.kelompok, r.selesai, r.gagal, int(r.pagu_selesai), int(r.hps_selesai), int(r.nilai_kontrak),
            int(r.pagu_gagal)))
    p = (await session.execute(_POKJA, _rentang(periode))).one()
    return RingkasanPengadaan(
        per_jenis=tuple(kelompok["jenis"]), per_metode=tuple(kelompok["metode"]), pokja_dibentuk=p.dibentuk,
        pokja_dibubarkan=p.dibubarkan, pokja_aktif=p.aktif, anggota_pokja=p.anggota,
        penugasan_paket_anggota=int(p.penugasan), beban_paket_maks=int(p.beban_maks),
        pejabat_pengadaan_ditugaskan=p.pp,
    )


async def _ringkasan_helpdesk(session: AsyncSession, periode: Periode) -> RingkasanHelpdesk:
    kategori: dict[str, int] = {}
    kanal: dict[str, int] = {}
    luar = 0
    for r in (await session.execute(_TIKET_DIBUAT, _rentang(periode))).all():
        kategori[r.kategori] = kategori.get(r.kategori, 0) + r.n
        kanal[r.kanal] = kanal.get(r.kanal, 0) + r.n
        luar += r.luar
    s = (await session.execute(_SLA, _rentang(periode))).one()
    lain = (await session.execute(_HELPDESK_LAIN, _rentang(periode))).one()
    return RingkasanHelpdesk(
        tiket_per_kategori=kategori, tiket_per_kanal=kanal,
        sla_respons_terpenuhi=s.respons_terpenuhi, sla_respons_total=s.respons_total,
        sla_penyelesaian_terpenuhi=s.penyelesaian_terpenuhi, sla_penyelesaian_total=s.penyelesaian_total,
        median_jam_kerja_respons=s.median_respons, median_jam_kerja_penyelesaian=s.median_penyelesaian,
        eskalasi_lkpp=lain.eskalasi_lkpp, berita_acara=lain.berita_acara,
        kepuasan_jumlah=int(lain.kepuasan_jumlah), kepuasan_responden=lain.kepuasan_responden,
        tiket_di_luar_lingkup=luar,
    )


# --------------------------------------------------------------------------- live indicators


# --------------------------------------------------------------------------- open data

_PAKET_OCDS = text("""
SELECT p.kode, p.nama, p.satuan_kerja, p.jenis_pengadaan, p.pagu, p.hps, p.metode_pemilihan, p.tahun_anggaran,
       greatest(p.dicatat_pada, h.waktu) AS diubah_pada,
       h.status, h.tanggal, h.nilai_kontrak, h.pemenang,
       pj.nama AS pokja_nama, anggota.nama AS anggota
FROM rm_paket p
LEFT JOIN LATERAL (SELECT * FROM rm_hasil_pemilihan h WHERE h.kode = p.kode ORDER BY h.versi DESC LIMIT 1) h
  ON true
LEFT JOIN LATERAL (SELECT pp.pokja_id FROM rm_pokja_paket pp WHERE pp.kode = p.kode
                   ORDER BY pp.ditugaskan_pada DESC LIMIT 1) pp ON true
LEFT JOIN rm_pokja pj ON pj.id = CASE WHEN h.pelaksana = 'pokja' THEN h.pelaksana_id
                                      WHEN h.pelaksana IS NULL THEN pp.pokja_id END
LEFT JOIN LATERAL (
  SELECT array_agg(u.nama ORDER BY u.nama) AS nama
  FROM (SELECT DISTINCT ON (a.nip) a.nip, a.aksi FROM rm_pokja_anggota a
        WHERE a.pokja_id = pj.id AND a.waktu <= h.waktu ORDER BY a.nip, a.versi DESC) m
  JOIN LATERAL (SELECT nama FROM rm_pengguna WHERE nip = m.nip ORDER BY versi DESC LIMIT 1) u ON true
  WHERE m.aksi = 'masuk'
) anggota ON h.status IS NOT NULL
WHERE p.tahun_anggaran = :tahun AND p.nama IS NOT NULL AND p.kode > :setelah
ORDER BY p.kode
LIMIT :n
""")


async def paket_ocds(session: AsyncSession, tahun: int, *, setelah: str, batas: int) -> list[tuple[CatatanPaket, Any]]:
    """Packages of a budget year (ordered by code, after `setelah`) with their latest reported result
    and Pokja, as the pure OCDS exporter takes them, each with its last change time."""
    rows = (await session.execute(_PAKET_OCDS, {"tahun": tahun, "setelah": setelah, "n": batas})).mappings().all()
    return [_catatan(r) for r in rows]


def _catatan(r: Any) -> tuple[CatatanPaket, Any]:
    """One row of `_PAKET_OCDS` (a mapping) as the exporter's package, with its last change time."""
    keluaran = None
    if r["status"] == "gagal":
        keluaran = HasilPemilihan("gagal", r["tanggal"])
    elif r["status"] is not None:
        keluaran = HasilPemilihan(r["status"], r["tanggal"], nilai_kontrak=r["nilai_kontrak"], pemenang=r["pemenang"])
    pokja = PokjaPaket(r["pokja_nama"], tuple(r["anggota"] or ())) if r["pokja_nama"] else None
    return (CatatanPaket(
        kode=r["kode"], nama=r["nama"], satuan_kerja=r["satuan_kerja"], jenis_pengadaan=r["jenis_pengadaan"],
        pagu=r["pagu"], hps=r["hps"], metode_pemilihan=r["metode_pemilihan"], tahun_anggaran=r["tahun_anggaran"],
        hasil=keluaran, pokja=pokja), r["diubah_pada"])


# --------------------------------------------------------------------------- hot paths on plain asyncpg (issue 9)

VERSI = "SELECT sum(versi)::bigint FROM versi_rm"
"""The read models' change stamp (migration 0002): equal sums, equal read models."""


def _per_status(jenis: str) -> str:
    """A status -> count JSON object from the trigger-kept counts (migration 0004), statuses in order."""
    return ("(SELECT coalesce(json_object_agg(nilai, n ORDER BY nilai), '{}') FROM ("
            f"SELECT nilai, sum(n)::bigint AS n FROM hitungan_rm WHERE jenis = '{jenis}'"
            " GROUP BY nilai HAVING sum(n) <> 0) x)::text")


# Every figure of the live indicators in ONE statement (so one snapshot, no transaction needed):
# the same definitions as `_REGISTRASI`, `_PAKET`, `_SLA` and the former per-status and live queries
# (kept as the reference in tests/integration/pelaporan/test_indikator.py), cut down to
# what the indicators show. Counts by status, semester or year come from `hitungan_rm`, kept by
# the read models' triggers (migration 0004), not from scanning the read models. $1/$2 the
# semester [mulai, selesai), $3 now, $4 today (WIB), $5 the year (WIB). `berlaku_sampai`: the
# first moment a figure can change without a read model changing (the end of the semester, WIB
# midnight for blacklist entries, an announcement starting or ending). Packages without a result: the
# packages WITH one are counted from the results' distinct codes, one primary-key lookup each (a join
# read every package of the year: 2.5 of the statement's 3.8 ms at 16,348 packages after a full bench run).
INDIKATOR = f"""
WITH keputusan AS (
  SELECT
    count(*) FILTER (WHERE keputusan = 'disetujui') AS disetujui,
    count(*) FILTER (WHERE keputusan = 'ditolak') AS ditolak,
    count(*) FILTER (WHERE keputusan = 'ditolak' AND karena_daftar_hitam) AS ditolak_daftar_hitam,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM waktu - diajukan_pada)::float8 / 3600)
      FILTER (WHERE keputusan IN ('disetujui', 'ditolak') AND diajukan_pada IS NOT NULL) AS median_jam
  FROM rm_keputusan_verifikasi WHERE waktu >= $1 AND waktu < $2
), dalam AS (
  SELECT kode, versi, status, pagu, nilai_kontrak
  FROM rm_hasil_pemilihan WHERE waktu >= $1 AND waktu < $2
), hasil AS (
  SELECT * FROM dalam WHERE status = 'gagal'
  UNION ALL
  (SELECT DISTINCT ON (kode) * FROM dalam WHERE status = 'selesai' ORDER BY kode, versi DESC)
), paket AS (
  SELECT count(*) FILTER (WHERE status = 'selesai') AS selesai,
         count(*) FILTER (WHERE status = 'gagal') AS gagal,
         coalesce(sum(pagu) FILTER (WHERE status = 'selesai'), 0) AS pagu_selesai,
         coalesce(sum(nilai_kontrak) FILTER (WHERE status = 'selesai'), 0) AS nilai_kontrak
  FROM hasil
), sla AS (
  SELECT
    count(*) FILTER (WHERE hasil_respons >= $1 AND hasil_respons < $2) AS respons_total,
    count(*) FILTER (WHERE hasil_respons >= $1 AND hasil_respons < $2
                     AND respons_terlampaui_pada IS NULL AND sla_respons_terpenuhi) AS respons_terpenuhi,
    count(*) FILTER (WHERE hasil_penyelesaian >= $1 AND hasil_penyelesaian < $2) AS penyelesaian_total,
    count(*) FILTER (WHERE hasil_penyelesaian >= $1 AND hasil_penyelesaian < $2
                     AND penyelesaian_terlampaui_pada IS NULL AND sla_penyelesaian_terpenuhi)
      AS penyelesaian_terpenuhi
  FROM (
    SELECT coalesce(respons_terlampaui_pada, respons_pertama_pada) AS hasil_respons,
           coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) AS hasil_penyelesaian,
           respons_terlampaui_pada, sla_respons_terpenuhi, penyelesaian_terlampaui_pada, sla_penyelesaian_terpenuhi
    FROM rm_tiket
    WHERE NOT di_luar_lingkup AND (
          (coalesce(respons_terlampaui_pada, respons_pertama_pada) >= $1
           AND coalesce(respons_terlampaui_pada, respons_pertama_pada) < $2)
       OR (coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) >= $1
           AND coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada) < $2))
  ) t
)
SELECT
  (SELECT sum(versi)::bigint FROM versi_rm) AS versi,
  (SELECT coalesce(sum(n), 0)::bigint FROM hitungan_rm WHERE jenis = 'pendaftaran.diajukan'
     AND nilai = rm_semester($1)) AS diajukan,
  k.disetujui, k.ditolak, k.ditolak_daftar_hitam, k.median_jam,
  (SELECT count(*) FROM rm_penolakan_daftar_hitam WHERE waktu >= $1 AND waktu < $2) AS di_pintu,
  p.selesai, p.gagal, p.pagu_selesai, p.nilai_kontrak,
  (SELECT coalesce(sum(n), 0)::bigint FROM hitungan_rm WHERE jenis = 'tiket.dibuat'
     AND nilai = rm_semester($1)) AS tiket_semester,
  s.respons_total, s.respons_terpenuhi, s.penyelesaian_total, s.penyelesaian_terpenuhi,
  {_per_status('pendaftaran.status')} AS status_pendaftaran,
  {_per_status('pengguna.status')} AS status_pengguna,
  {_per_status('tiket.status')} AS status_tiket,
  (SELECT count(*) FROM rm_pokja WHERE dibentuk_pada IS NOT NULL AND dibubarkan_pada IS NULL) AS pokja_aktif,
  (SELECT count(*) FROM rm_anggota_aktif) AS anggota_pokja_aktif,
  (SELECT count(*) FROM rm_pokja_penggantian g
     JOIN rm_pokja p ON p.id = g.pokja_id AND p.dibubarkan_pada IS NULL
     WHERE NOT EXISTS (SELECT 1 FROM rm_pokja_anggota a WHERE a.pokja_id = g.pokja_id AND a.nip = g.nip
                       AND a.aksi = 'keluar' AND a.versi > g.versi)) AS anggota_perlu_diganti,
  (SELECT count(*) FROM rm_pejabat_pengadaan) AS pejabat_pengadaan,
  (SELECT coalesce(sum(n), 0)::bigint FROM hitungan_rm WHERE jenis = 'paket.tahun'
     AND nilai = $5::int::text) AS paket_tahun_ini,
  (SELECT coalesce(sum(n), 0)::bigint FROM hitungan_rm WHERE jenis = 'paket.tahun' AND nilai = $5::int::text)
   - (SELECT count(*) FROM (SELECT DISTINCT kode FROM rm_hasil_pemilihan) h
      WHERE (SELECT p.tahun_anggaran = $5 AND p.nama IS NOT NULL FROM rm_paket p WHERE p.kode = h.kode))
     AS paket_tanpa_hasil,
  (SELECT count(*) FROM rm_daftar_hitam WHERE mulai <= $4 AND selesai >= $4) AS daftar_hitam_aktif,
  (SELECT count(*) FROM rm_pengumuman WHERE jenis = 'gangguan' AND mulai <= $3 AND selesai > $3)
     AS gangguan_aktif,
  (SELECT count(DISTINCT e.tiket_id) FROM rm_tiket_eskalasi e JOIN rm_tiket t ON t.id = e.tiket_id
     WHERE e.ke IN ('lkpp_eproc', 'lkpp_teknis') AND t.status NOT IN ('selesai', 'ditutup'))
     AS eskalasi_lkpp_terbuka,
  (SELECT max(received_at) FROM inbox) AS event_terakhir,
  least((SELECT min(mulai) FROM rm_pengumuman WHERE jenis = 'gangguan' AND mulai > $3),
        (SELECT min(selesai) FROM rm_pengumuman WHERE jenis = 'gangguan' AND selesai > $3)) AS pengumuman_berubah
FROM keputusan k, paket p, sla s
"""



async def indikator(conn: Any, mulai: datetime, selesai: datetime, kini: datetime, hari: date,
                    tahun: int) -> Any:
    """Every figure of the live indicators with the change stamp they were computed at (one row)."""
    return await conn.fetchrow(INDIKATOR, mulai, selesai, kini, hari, tahun)


# `_PAKET_OCDS` with $1 tahun, $2 setelah, $3 n.
_PAKET_OCDS_RAW = _PAKET_OCDS.text.replace(":tahun", "$1").replace(":setelah", "$2").replace(":n", "$3")


async def paket_ocds_raw(conn: Any, tahun: int, *, setelah: str, batas: int) -> list[tuple[CatatanPaket, Any]]:
    """`paket_ocds` on plain asyncpg."""
    return [_catatan(r) for r in await conn.fetch(_PAKET_OCDS_RAW, tahun, setelah, batas)]
