"""Rows -> API shapes. NIK and NPWP are stored encrypted and decrypted only here, to build a response that
shows them: in full to the verifikator and to the registrant looking at its own registration, masked
(`3201********0001`) to everyone else (Issue 3 point 9, Issue 8 point 6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import orjson

from services.registrasi import domain
from services.registrasi.identitas import samarkan
from services.registrasi.models import DaftarHitam, Dokumen, Pendaftaran, Pengguna
from services.registrasi.repository import buka_sandi, data_lengkap, pendaftaran_domain
from services.registrasi.schemas import (
    DaftarHitamPublic,
    DokumenPublic,
    PenanggungJawabPublic,
    PendaftaranPublic,
    PenggunaPublic,
    RiwayatPublic,
)
from shared.kripto import Kripto


def _samar(nilai: str | None, buka: bool) -> str | None:
    return nilai if nilai is None or buka else samarkan(nilai)


def dokumen_publik(row: Dokumen, *, terkini: bool) -> DokumenPublic:
    return DokumenPublic(id=row.id, jenis=domain.JenisDokumen(row.jenis), versi=row.versi, terkini=terkini,
                         nama_berkas=row.nama_berkas, jenis_konten=row.jenis_konten, ukuran=row.ukuran,
                         sha256=row.sha256, diunggah_oleh=row.diunggah_oleh, diunggah_pada=row.diunggah_pada)


def pendaftaran_publik(row: Pendaftaran, dokumen: Iterable[Dokumen], *, buka: bool,
                       syarat: domain.SyaratDokumen, kripto: Kripto) -> PendaftaranPublic:
    """A registration with the latest version of each document and what is still missing."""
    dokumen = sorted(dokumen, key=lambda d: d.jenis)
    d: dict[str, Any] = data_lengkap(row, kripto)
    pj = d.get("penanggung_jawab")
    belum = pendaftaran_domain(row, d, (x.jenis for x in dokumen)).syarat_belum_diunggah(syarat)
    return PendaftaranPublic(
        id=row.id, jenis=row.jenis, status=row.status, nama=row.nama, email=row.email, user_id=row.user_id,
        bentuk_usaha=row.bentuk_usaha, npwp=_samar(d.get("npwp"), buka), npwp_format_lama=row.npwp_format_lama,
        nib=row.nib, telepon=d.get("telepon"), alamat=d.get("alamat"),
        penanggung_jawab=PenanggungJawabPublic(nama=pj["nama"], nik=_samar(pj["nik"], buka) or "",
                                               jabatan=pj["jabatan"]) if pj else None,
        nip=row.nip, nik=_samar(d.get("nik"), buka), instansi=d.get("instansi"),
        satuan_kerja=d.get("satuan_kerja"), peran=d.get("peran", []), nomor_sk=d.get("nomor_sk"),
        berlaku_sampai=row.berlaku_sampai, peringatan=list(row.peringatan),
        dokumen=[dokumen_publik(x, terkini=True) for x in dokumen], syarat_belum_diunggah=belum,
        dokumen_asli_diperiksa=sorted(row.dokumen_asli_diperiksa), alasan=row.alasan,
        kekurangan=list(row.kekurangan), pengguna_id=row.pengguna_id, diajukan_pada=row.diajukan_pada,
        menunggu_sejak=row.menunggu_sejak, diputuskan_pada=row.diputuskan_pada,
        diputuskan_oleh=row.diputuskan_oleh, versi=row.versi)


def pengguna_publik(row: Pengguna, *, buka: bool, kripto: Kripto) -> PenggunaPublic:
    return PenggunaPublic(
        id=row.id, user_id=row.user_id, jenis=row.jenis, status=row.status, nama=row.nama, email=row.email,
        bentuk_usaha=row.bentuk_usaha, npwp=_samar(buka_sandi(kripto, row.npwp_sandi), buka), nib=row.nib,
        nip=row.nip, nik=_samar(buka_sandi(kripto, row.nik_sandi), buka), instansi=row.instansi,
        satuan_kerja=row.satuan_kerja, peran=list(row.peran),
        berlaku_sampai=row.berlaku_sampai, alasan_status=row.alasan_status, pendaftaran_id=row.pendaftaran_id,
        dibuat_pada=row.dibuat_pada, diperbarui_pada=row.diperbarui_pada, versi=row.versi)


def daftar_hitam_publik(row: DaftarHitam, *, buka: bool, hari_ini: date, kripto: Kripto) -> DaftarHitamPublic:
    return DaftarHitamPublic(
        id=row.id, npwp=_samar(buka_sandi(kripto, row.npwp_sandi), buka), nib=row.nib,
        nama_penyedia=row.nama_penyedia,
        jenis_pelanggaran=row.jenis_pelanggaran, mulai=row.mulai, selesai=row.selesai,
        aktif=row.mulai <= hari_ini <= row.selesai, alasan=row.alasan, nomor_keputusan=row.nomor_keputusan,
        dicatat_oleh=row.dicatat_oleh, dicatat_pada=row.dicatat_pada)


def riwayat_publik(row: Any) -> RiwayatPublic:
    return RiwayatPublic(id=row.id, waktu=row.waktu, aksi=row.aksi, aktor=row.aktor, peran=row.peran,
                         alamat_ip=row.alamat_ip, request_id=row.request_id, perubahan=row.perubahan,
                         alasan=row.alasan)


# --- the hot paths on plain asyncpg (issue 9): plain dicts, validated once by the route's response_model ---

_NAMA_SYARAT: dict[frozenset[str], str] = {}


def _nama_syarat(pilihan: frozenset[str]) -> str:
    nama = _NAMA_SYARAT.get(pilihan)
    if nama is None:
        nama = _NAMA_SYARAT[pilihan] = " atau ".join(sorted(pilihan))
    return nama


def syarat_belum_diunggah(jenis: str, bentuk_usaha: str | None, diunggah: set[str],
                          syarat: domain.SyaratDokumen) -> list[str]:
    """`domain.Pendaftaran.syarat_belum_diunggah` without building the aggregate: the rules of the provider
    form ('penyedia.cv') or else of the kind, each not met by an uploaded kind, named as 'sk atau surat_tugas'."""
    aturan = syarat.get(f"{jenis}.{bentuk_usaha}" if jenis == domain.JenisPendaftaran.PENYEDIA else jenis)
    if aturan is None:
        aturan = syarat[jenis]
    return [_nama_syarat(pilihan) for pilihan in aturan if pilihan.isdisjoint(diunggah)]


def pendaftaran_dict(row: Any, isi: dict[str, Any], peringatan: list[str], asli: list[str], kekurangan: list[str],
                     dokumen: list[dict[str, Any]], *, buka: bool, syarat: domain.SyaratDokumen) -> dict[str, Any]:
    """`pendaftaran_publik` as a plain dict. `row` maps the scalar columns (an asyncpg Record or a dict), `isi`
    is the registrant's data with NIK and NPWP in clear (`repository.data_lengkap`), the lists are the JSON
    columns, `dokumen` the latest version of each kind as dicts of DokumenPublic's fields, sorted by kind."""
    pj = isi.get("penanggung_jawab")
    jenis, bentuk = row["jenis"], row["bentuk_usaha"]
    return {
        "id": row["id"], "jenis": jenis, "status": row["status"], "nama": row["nama"], "email": row["email"],
        "user_id": row["user_id"], "bentuk_usaha": bentuk, "npwp": _samar(isi.get("npwp"), buka),
        "npwp_format_lama": row["npwp_format_lama"], "nib": row["nib"], "telepon": isi.get("telepon"),
        "alamat": isi.get("alamat"),
        "penanggung_jawab": {"nama": pj["nama"], "nik": _samar(pj["nik"], buka) or "", "jabatan": pj["jabatan"]}
        if pj else None,
        "nip": row["nip"], "nik": _samar(isi.get("nik"), buka), "instansi": isi.get("instansi"),
        "satuan_kerja": isi.get("satuan_kerja"), "peran": isi.get("peran", []), "nomor_sk": isi.get("nomor_sk"),
        "berlaku_sampai": row["berlaku_sampai"], "peringatan": peringatan, "dokumen": dokumen,
        "syarat_belum_diunggah": syarat_belum_diunggah(jenis, bentuk, {d["jenis"] for d in dokumen}, syarat),
        "dokumen_asli_diperiksa": sorted(asli), "alasan": row["alasan"], "kekurangan": kekurangan,
        "pengguna_id": row["pengguna_id"], "diajukan_pada": row["diajukan_pada"],
        "menunggu_sejak": row["menunggu_sejak"], "diputuskan_pada": row["diputuskan_pada"],
        "diputuskan_oleh": row["diputuskan_oleh"], "versi": row["versi"],
    }


@lru_cache(maxsize=4096)
def _buka_sandi(kripto: Kripto, sandi: str) -> str:
    """Decrypt once per ciphertext: a page of the queue is read again and again, and AES-GCM with its base64
    was a sixth of a page's CPU (issue 9). Bounded; a ciphertext is immutable (a new value is a new nonce),
    and whoever can read this process's memory can read its data key anyway."""
    return kripto.dekripsi(sandi)


def pendaftaran_dari_baris(row: Any, *, buka: bool, syarat: domain.SyaratDokumen, kripto: Kripto) -> dict[str, Any]:
    """A registration read by `repository_pg` (its JSON columns in one array, `json`) as a PendaftaranPublic
    dict: NIK and NPWP decrypted, then masked unless `buka`."""
    isi, peringatan, asli, kekurangan, dokumen = orjson.loads(row["json"])
    sandi = row["nik_sandi"]
    nik = _buka_sandi(kripto, sandi) if sandi is not None else None
    if row["jenis"] == domain.JenisPendaftaran.PENYEDIA:
        sandi = row["npwp_sandi"]
        isi["npwp"] = _buka_sandi(kripto, sandi) if sandi is not None else None
        pj = isi.get("penanggung_jawab")
        if pj is not None:  # as the ORM view: a row without one shows none
            isi["penanggung_jawab"] = {**pj, "nik": nik}
    else:
        isi["nik"] = nik
    # in DokumenPublic's field order, the time as pydantic writes it: the route sends these bytes as they are
    dokumen = [{"id": d["id"], "jenis": d["jenis"], "versi": d["versi"], "terkini": True,
                "nama_berkas": d["nama_berkas"], "jenis_konten": d["jenis_konten"], "ukuran": d["ukuran"],
                "sha256": d["sha256"], "diunggah_oleh": d["diunggah_oleh"],
                "diunggah_pada": datetime.fromisoformat(d["diunggah_pada"])} for d in dokumen or ()]
    return pendaftaran_dict(row, isi, peringatan, asli, kekurangan, dokumen, buka=buka, syarat=syarat)
