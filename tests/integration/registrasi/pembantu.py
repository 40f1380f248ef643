"""Unique, valid test data and small helpers for registrasi's integration tests (one shared database)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

import orjson

from services.registrasi.seed import nik, nip, npwp_badan, pdf, png
from tests.conftest import auth

_acak = random.Random()
WILAYAH = ("3171", "3174", "3201", "3273", "3578", "3471", "7371", "1271", "5171", "3374")
NIP_VERIFIKATOR = "198503152010011001"
VERIFIKATOR = auth("verifikator", nip=NIP_VERIFIKATOR)
ADMIN = auth("admin_ukpbj", nip="197901012005011002")
LAYANAN = auth("layanan", sub="sistem-pokja")
BERLAKU = date(2031, 12, 31)
DOKUMEN_PENYEDIA = ("ktp", "akta_pendirian", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan")
TABEL = ("pendaftaran", "dokumen", "pengguna", "daftar_hitam", "outbox", "riwayat", "idempotency_keys")


def angka(n: int) -> str:
    return "".join(_acak.choices("0123456789", k=n))


def npwp_unik() -> str:
    return npwp_badan(angka(8), kpp=angka(3))


def nib_unik() -> str:
    return "8" + angka(12)


def tanggal_lahir(awal: int = 1965, akhir: int = 1999) -> date:
    return date(awal, 1, 1) + timedelta(days=_acak.randrange((date(akhir, 12, 31) - date(awal, 1, 1)).days))


def nik_acak(*, perempuan: bool = False, lahir: date | None = None) -> str:
    return nik(_acak.choice(WILAYAH), lahir or tanggal_lahir(), perempuan=perempuan, urut=_acak.randrange(1, 10000))


def pasangan_nip_nik(*, perempuan: bool = False) -> tuple[str, str]:
    lahir = tanggal_lahir()
    tmt = (lahir.year + _acak.randrange(20, 26), _acak.randrange(1, 13))
    return (nip(lahir, tmt, perempuan=perempuan, urut=_acak.randrange(1, 1000)),
            nik_acak(perempuan=perempuan, lahir=lahir))


def kode() -> str:
    return "uji" + uuid.uuid4().hex[:12]


def penyedia(**ubah: Any) -> dict[str, Any]:
    """A valid, unique provider registration body."""
    uid = kode()
    body = {"jenis": "penyedia", "bentuk_usaha": "pt", "nama": f"PT Uji {uid}", "npwp": npwp_unik(),
            "nib": nib_unik(), "email": f"{uid}@uji.co.id", "telepon": "021-5551234",
            "alamat": "Jl. Medan Merdeka Utara No. 7, Jakarta Pusat", "user_id": uid,
            "penanggung_jawab": {"nama": "Budi Santoso", "nik": nik_acak(), "jabatan": "Direktur"}}
    body.update(ubah)
    return body


def pemerintah(*, perempuan: bool = False, **ubah: Any) -> dict[str, Any]:
    """A valid, unique government user registration body."""
    uid = kode()
    nomor_nip, nomor_nik = pasangan_nip_nik(perempuan=perempuan)
    body = {"jenis": "non_penyedia", "nama": "Siti Rahmawati" if perempuan else "Ahmad Fauzi", "nip": nomor_nip,
            "nik": nomor_nik, "instansi": "Kementerian Dalam Negeri", "satuan_kerja": "Biro Umum Sekretariat Jenderal",
            "peran": ["pokja"], "nomor_sk": "900.1.1-123 Tahun 2026", "berlaku_sampai": BERLAKU.isoformat(),
            "email": f"{uid}@kemendagri.go.id", "user_id": uid}
    body.update(ubah)
    return body


def berkas(jenis: str) -> dict[str, Any]:
    isi, nama, tipe = (png(), f"{jenis}.png", "image/png") if jenis == "ktp" else (pdf(jenis), f"{jenis}.pdf",
                                                                                      "application/pdf")
    return {"data": {"jenis": jenis}, "files": {"file": (nama, isi, tipe)}}


async def daftar(client, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Submit a registration; return it and the registrant's token header."""
    r = await client.post("/api/v1/pendaftaran", json=body)
    assert r.status_code == 201, r.text
    hasil = r.json()
    return hasil, {"X-Token-Akses": hasil["token_akses"]}


async def unggah(client, pendaftaran_id: str, token: dict[str, str], *jenis: str) -> list[dict[str, Any]]:
    hasil = []
    for j in jenis:
        r = await client.post(f"/api/v1/pendaftaran/{pendaftaran_id}/dokumen", headers=token, **berkas(j))
        assert r.status_code == 201, r.text
        hasil.append(r.json())
    return hasil


async def putuskan(client, pendaftaran_id: str, **body: Any):
    return await client.post(f"/api/v1/pendaftaran/{pendaftaran_id}/verifikasi", headers=VERIFIKATOR, json=body)


async def disetujui(client, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A registration submitted, its documents uploaded and approved; returns the approved registration."""
    reg, token = await daftar(client, body)
    dokumen = DOKUMEN_PENYEDIA if body["jenis"] == "penyedia" else ("sk",)
    await unggah(client, reg["id"], token, *dokumen)
    r = await putuskan(client, reg["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(dokumen))
    assert r.status_code == 200, r.text
    return r.json(), token


async def jejak(infra) -> dict[str, int]:
    """Row counts of every table a request may write: equal before and after means nothing changed."""
    query = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in TABEL)
    return {r["t"]: r["n"] for r in await infra.fetch("registrasi", query)}


async def peristiwa(infra, aggregate_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the outbox rows of one aggregate, in order."""
    rows = await infra.fetch("registrasi", "SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id",
                             aggregate_id)
    return [(r["event_type"], orjson.loads(r["payload"])["data"]) for r in rows]


async def riwayat(infra, aggregate_type: str, aggregate_id: str) -> list[Any]:
    return await infra.fetch("registrasi", "SELECT * FROM riwayat WHERE aggregate_type = $1 AND aggregate_id = $2 "
                             "ORDER BY id", aggregate_type, aggregate_id)


def galat(response) -> dict[str, str]:
    """{field: message} of a problem response."""
    return {e["field"]: e["message"] for e in response.json().get("errors") or []}
