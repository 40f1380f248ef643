"""Test data for the pokja API: unique valid NIPs and codes per call, made through the public API."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.conftest import auth

KEPALA_NIP = "197801012003121001"
KEPALA = auth("kepala_ukpbj", nip=KEPALA_NIP)
ADMIN = auth("admin_ukpbj", nip="198204172006042001")
SATKER_UKPBJ = "Biro Umum Sekretariat Jenderal"
SATKER_LUAR = "Direktorat Jenderal Bina Keuangan Daerah"
P53 = "Permendagri 53/2021"
JUTA = 1_000_000


def nip_unik(perempuan: bool = False) -> str:
    """A structurally valid NIP (birth date, later TMT, sex, serial) that no other test uses."""
    n = uuid.uuid4().int
    lahir = date(1960, 1, 1) + timedelta(days=n % 14_000)
    n //= 14_000
    tmt = (lahir.year + 20 + n % 18, 1 + (n // 18) % 12)
    n //= 18 * 12
    return f"{lahir:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{2 if perempuan else 1}{1 + n % 999:03d}"


def kode_unik(awalan: str = "UJI") -> str:
    return f"{awalan}-{uuid.uuid4().hex[:12].upper()}"


def sertifikat(level: int = 2, jenis: str = "kompetensi", berlaku_sampai: date = date(2030, 12, 31)) -> dict:
    return {"jenis": jenis, "level": level, "nomor": f"SERT-{uuid.uuid4().hex[:8]}",
            "berlaku_sampai": berlaku_sampai.isoformat()}


def data_pegawai(**ubah) -> dict:
    data = {"nip": nip_unik(), "nama": "Pegawai Uji", "jabatan": "pengelola_pbj", "unit": "ukpbj",
            "satuan_kerja": SATKER_UKPBJ, "sertifikat": [sertifikat()], "peran_lpse": None}
    data.update(ubah)
    return data


async def pegawai(klien, **ubah) -> str:
    response = await klien.post("/api/v1/pegawai", json=data_pegawai(**ubah), headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()["nip"]


async def pengelola(klien, jumlah: int, **ubah) -> list[str]:
    return [await pegawai(klien, **ubah) for _ in range(jumlah)]


def data_paket(**ubah) -> dict:
    data = {"kode": kode_unik(), "nama": "Pengadaan Perangkat Uji", "satuan_kerja": SATKER_UKPBJ,
            "jenis_pengadaan": "barang", "pagu": 1_500 * JUTA, "hps": 1_400 * JUTA, "tahun_anggaran": 2025,
            "perencana_nip": nip_unik(), "ppk_nip": nip_unik(), "pemeriksa_nip": nip_unik()}
    data.update(ubah)
    return data


async def paket(klien, **ubah) -> dict:
    response = await klien.post("/api/v1/paket", json=data_paket(**ubah), headers=ADMIN)
    assert response.status_code == 201, response.text
    return response.json()


def data_pokja(anggota: list, paket: list[str] = (), **ubah) -> dict:
    data = {"nama": f"Pokja Uji {uuid.uuid4().hex[:6]}", "nomor_sk": f"027/{uuid.uuid4().hex[:10]}/UKPBJ/2025",
            "anggota": [a if isinstance(a, dict) else {"nip": a} for a in anggota], "paket": list(paket)}
    data.update(ubah)
    return data


async def pokja(klien, anggota: list, paket: list[str] = (), **ubah) -> dict:
    response = await klien.post("/api/v1/pokja", json=data_pokja(anggota, paket, **ubah), headers=KEPALA)
    assert response.status_code == 201, response.text
    return response.json()


async def outbox(infra, *, aggregate_id: str | None = None, berisi: str | None = None) -> list:
    if aggregate_id is not None:
        return await infra.fetch("pokja", "SELECT event_type, aggregate_version, payload FROM outbox"
                                 " WHERE aggregate_id = $1 ORDER BY id", aggregate_id)
    return await infra.fetch("pokja", "SELECT event_type, aggregate_version, payload FROM outbox"
                             " WHERE payload::text LIKE $1 ORDER BY id", f"%{berisi}%")


def jenis(rows) -> list[str]:
    return [r["event_type"] for r in rows]
