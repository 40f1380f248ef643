"""Rows <-> domain objects, and the queries the use cases share (blacklist, documents, uniqueness)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.registrasi import domain
from services.registrasi.identitas import samarkan
from services.registrasi.models import DaftarHitam, Dokumen, Pendaftaran, Pengguna
from shared.errors import Conflict, FieldError
from shared.kripto import Kripto
from shared.pg import advisory_key

STATUS_MENUNGGU = (domain.StatusPendaftaran.DIAJUKAN.value, domain.StatusPendaftaran.PERLU_PERBAIKAN.value)
IDENTITAS_UNIK = ("npwp", "nib", "nip", "user_id", "email")
_TANPA_BEDA_HURUF = ("user_id", "email")
_PESAN_UNIK = {
    "npwp": "NPWP ini sudah dipakai pendaftaran yang sedang diproses atau akun SPSE yang masih berlaku; "
            "satu akun penyedia per NPWP.",
    "nib": "NIB ini sudah dipakai pendaftaran yang sedang diproses atau akun SPSE yang masih berlaku; "
           "satu akun penyedia per NIB.",
    "nip": "NIP ini sudah dipakai pendaftaran yang sedang diproses atau akun SPSE yang masih berlaku; "
           "tambahkan peran pada akun yang ada, jangan mendaftar ulang.",
    "user_id": "User ID ini sudah dipakai; pilih User ID lain.",
    "email": "Alamat email ini sudah dipakai akun atau pendaftaran lain; gunakan email lain.",
}
_KOLOM_IDENTITAS_SAMAR = ("npwp", "nik", "penanggung_jawab.nik")
_KOLOM = {"npwp": "npwp_indeks"}  # the column an identifier is compared on


def hash_token(token: str) -> str:
    """The SHA-256 of an access token; only this is stored (as `shared.kripto.hash_token`)."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- registrant data -----------------------------------------------------------------------------------

def data_ke_json(data: domain.DataPendaftar) -> dict[str, Any]:
    """The registrant's (normalised) data in its JSON form, NIK and NPWP included (never stored like this)."""
    if isinstance(data, domain.DataPenyedia):
        pj = data.penanggung_jawab
        return {"bentuk_usaha": data.bentuk_usaha.value, "nama": data.nama, "npwp": data.npwp, "nib": data.nib,
                "email": data.email, "telepon": data.telepon, "alamat": data.alamat, "user_id": data.user_id,
                "penanggung_jawab": {"nama": pj.nama, "nik": pj.nik, "jabatan": pj.jabatan}}
    return {"nama": data.nama, "nip": data.nip, "nik": data.nik, "instansi": data.instansi,
            "satuan_kerja": data.satuan_kerja, "peran": sorted(p.value for p in data.peran),
            "nomor_sk": data.nomor_sk, "berlaku_sampai": data.berlaku_sampai.isoformat(), "email": data.email,
            "user_id": data.user_id}


def data_dari_json(jenis: str, isi: dict[str, Any]) -> domain.DataPendaftar:
    if jenis == domain.JenisPendaftaran.PENYEDIA:
        return domain.DataPenyedia(
            bentuk_usaha=domain.BentukUsaha(isi["bentuk_usaha"]), nama=isi["nama"], npwp=isi["npwp"],
            nib=isi.get("nib"), email=isi["email"], telepon=isi["telepon"], alamat=isi["alamat"],
            user_id=isi["user_id"], penanggung_jawab=domain.PenanggungJawab(**isi["penanggung_jawab"]))
    return domain.DataNonPenyedia(
        nama=isi["nama"], nip=isi["nip"], nik=isi["nik"], instansi=isi["instansi"],
        satuan_kerja=isi["satuan_kerja"], peran=frozenset(domain.Peran(p) for p in isi["peran"]),
        nomor_sk=isi["nomor_sk"], berlaku_sampai=date.fromisoformat(isi["berlaku_sampai"]), email=isi["email"],
        user_id=isi["user_id"])


def tanpa_identitas(isi: dict[str, Any]) -> dict[str, Any]:
    """The JSON form without NIK and NPWP: what `pendaftaran.data` keeps (they live encrypted in columns)."""
    hasil = {k: v for k, v in isi.items() if k not in ("npwp", "nik")}
    if isinstance(isi.get("penanggung_jawab"), dict):
        hasil["penanggung_jawab"] = {k: v for k, v in isi["penanggung_jawab"].items() if k != "nik"}
    return hasil


def sandikan(kripto: Kripto, nilai: str | None) -> str | None:
    """AES-256-GCM ciphertext of a NIK or NPWP (None stays None)."""
    return kripto.enkripsi(nilai) if nilai is not None else None


def buka_sandi(kripto: Kripto, sandi: str | None) -> str | None:
    return kripto.dekripsi(sandi) if sandi is not None else None


def indeks_npwp(kripto: Kripto, npwp16: str | None) -> str | None:
    """The blind index of a normalised (16-digit) NPWP: what lookups and unique indexes compare."""
    return kripto.indeks_buta(npwp16) if npwp16 is not None else None


def isi_kolom(row: Pendaftaran, data: domain.DataPendaftar, *, npwp_format_lama: bool, kripto: Kripto) -> None:
    """Copy validated domain data into the row: the JSON document (without NIK/NPWP), NIK and NPWP encrypted,
    the NPWP's blind index, and the other indexed columns."""
    row.data = tanpa_identitas(data_ke_json(data))
    row.nama, row.email, row.user_id = data.nama, data.email, data.user_id
    if isinstance(data, domain.DataPenyedia):
        row.bentuk_usaha, row.nib = data.bentuk_usaha.value, data.nib
        row.npwp_sandi, row.npwp_indeks = sandikan(kripto, data.npwp), indeks_npwp(kripto, data.npwp)
        row.nik_sandi = sandikan(kripto, data.penanggung_jawab.nik)
        row.npwp_format_lama = npwp_format_lama
        row.nip = row.berlaku_sampai = None
    else:
        row.nip, row.berlaku_sampai = data.nip, data.berlaku_sampai
        row.nik_sandi = sandikan(kripto, data.nik)
        row.bentuk_usaha = row.npwp_sandi = row.npwp_indeks = row.nib = None
        row.npwp_format_lama = False


def data_lengkap(row: Pendaftaran, kripto: Kripto) -> dict[str, Any]:
    """The registrant's data in its JSON form with NIK and NPWP decrypted (in memory only)."""
    isi = dict(row.data)
    nik = buka_sandi(kripto, row.nik_sandi)
    if row.jenis == domain.JenisPendaftaran.PENYEDIA:
        isi["npwp"] = buka_sandi(kripto, row.npwp_sandi)
        isi["penanggung_jawab"] = {**isi["penanggung_jawab"], "nik": nik}
    else:
        isi["nik"] = nik
    return isi


def pendaftaran_domain(row: Pendaftaran, isi: dict[str, Any], dokumen: Iterable[str] = ()) -> domain.Pendaftaran:
    """The registration as the domain sees it; `isi` is its data with NIK and NPWP (`data_lengkap`)."""
    return domain.Pendaftaran(
        id=row.id, data=data_dari_json(row.jenis, isi),
        status=domain.StatusPendaftaran(row.status), dokumen={domain.JenisDokumen(j) for j in dokumen},
        dokumen_asli_diperiksa={domain.JenisDokumen(j) for j in row.dokumen_asli_diperiksa},
        peringatan=list(row.peringatan), alasan=row.alasan or "")


def pengguna_domain(row: Pengguna) -> domain.Pengguna:
    return domain.Pengguna(id=row.id, pendaftaran_id=row.pendaftaran_id, jenis=domain.JenisPendaftaran(row.jenis),
                           user_id=row.user_id, berlaku_sampai=row.berlaku_sampai,
                           status=domain.StatusPengguna(row.status))


def entri_domain(row: DaftarHitam, kripto: Kripto) -> domain.EntriDaftarHitam:
    return domain.EntriDaftarHitam(jenis=domain.JenisPelanggaran(row.jenis_pelanggaran), mulai=row.mulai,
                                   alasan=row.alasan, npwp=buka_sandi(kripto, row.npwp_sandi), nib=row.nib)


def rata(data: dict[str, Any], awalan: str = "") -> dict[str, Any]:
    """Flatten nested data to dotted paths: {'penanggung_jawab.nik': ...}."""
    hasil: dict[str, Any] = {}
    for kunci, nilai in data.items():
        if isinstance(nilai, dict):
            hasil.update(rata(nilai, f"{awalan}{kunci}."))
        else:
            hasil[f"{awalan}{kunci}"] = nilai
    return hasil


def untuk_riwayat(data: dict[str, Any]) -> dict[str, Any]:
    """Flattened data with NIK and NPWP masked, as history rows keep it."""
    return {k: samarkan(v) if k in _KOLOM_IDENTITAS_SAMAR and isinstance(v, str) else v
            for k, v in rata(data).items()}


def perbedaan(lama: dict[str, Any], baru: dict[str, Any]) -> dict[str, list[Any]]:
    """What changed between two versions of the data, as {path: [old, new]} (NIK/NPWP masked)."""
    a, b = untuk_riwayat(lama), untuk_riwayat(baru)
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


# --- queries -------------------------------------------------------------------------------------------

async def jenis_dokumen(session: AsyncSession, pendaftaran_id: str) -> set[str]:
    """The document kinds uploaded for a registration."""
    rows = await session.scalars(select(Dokumen.jenis).where(Dokumen.pendaftaran_id == pendaftaran_id).distinct())
    return set(rows)


async def dokumen_terkini(session: AsyncSession, pendaftaran_ids: list[str]) -> dict[str, list[Dokumen]]:
    """The latest version of each document kind, per registration."""
    if not pendaftaran_ids:
        return {}
    stmt = (select(Dokumen).where(Dokumen.pendaftaran_id.in_(pendaftaran_ids))
            .ext(distinct_on(Dokumen.pendaftaran_id, Dokumen.jenis))
            .order_by(Dokumen.pendaftaran_id, Dokumen.jenis, Dokumen.versi.desc()))
    hasil: dict[str, list[Dokumen]] = {i: [] for i in pendaftaran_ids}
    for row in await session.scalars(stmt):
        hasil[row.pendaftaran_id].append(row)
    return hasil


async def daftar_hitam_aktif(session: AsyncSession, npwp_indeks: str | None, nib: str | None,
                             hari_ini: date) -> list[DaftarHitam]:
    """Blacklist entries in force on `hari_ini` for this NPWP (by its blind index) or NIB."""
    syarat = [c for c in (DaftarHitam.npwp_indeks == npwp_indeks if npwp_indeks else None,
                          DaftarHitam.nib == nib if nib else None) if c is not None]
    if not syarat:
        return []
    stmt = select(DaftarHitam).where(or_(*syarat), DaftarHitam.mulai <= hari_ini, DaftarHitam.selesai >= hari_ini)
    return list(await session.scalars(stmt))


def identitas(row: Pendaftaran | Pengguna) -> dict[str, str]:
    """The unique identifiers a registration or user holds (the NPWP as its blind index)."""
    return {k: v for k in IDENTITAS_UNIK if (v := getattr(row, _KOLOM.get(k, k)))}


def kunci_advisory(nilai: dict[str, str]) -> list[int]:
    """The advisory lock keys of identifiers, in the order every path takes them (sorted): one per identifier,
    case-insensitive where the identifier is (`shared.pg.advisory_key`)."""
    return sorted(advisory_key("registrasi", f"{k}:{v.lower() if k in _TANPA_BEDA_HURUF else v}")
                  for k, v in nilai.items())


async def kunci_identitas(session: AsyncSession, nilai: dict[str, str]) -> None:
    """Serialise concurrent writers of the same identifiers (transaction-scoped advisory locks)."""
    for kunci in kunci_advisory(nilai):
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": kunci})


async def periksa_keunikan(session: AsyncSession, nilai: dict[str, str], *,
                           kecuali_pendaftaran: str | None = None) -> None:
    """409 naming every identifier already held by a waiting registration or a non-expired user."""
    bentrok: set[str] = set()
    for model, berlaku in ((Pendaftaran, Pendaftaran.status.in_(STATUS_MENUNGGU)),
                           (Pengguna, Pengguna.status != domain.StatusPengguna.KEDALUWARSA.value)):
        kolom = [getattr(model, _KOLOM.get(k, k)) for k in IDENTITAS_UNIK]
        cocok = [func.lower(getattr(model, k)) == v.lower() if k in _TANPA_BEDA_HURUF
                 else getattr(model, _KOLOM.get(k, k)) == v for k, v in nilai.items()]
        stmt = select(*kolom).where(berlaku, or_(*cocok))
        if model is Pendaftaran and kecuali_pendaftaran:
            stmt = stmt.where(Pendaftaran.id != kecuali_pendaftaran)
        elif model is Pengguna and kecuali_pendaftaran:
            stmt = stmt.where(Pengguna.pendaftaran_id != kecuali_pendaftaran)
        for baris in await session.execute(stmt):
            for k, v in zip(IDENTITAS_UNIK, baris, strict=True):
                if k in nilai and v is not None and (v.lower() == nilai[k].lower() if k in _TANPA_BEDA_HURUF
                                                     else v == nilai[k]):
                    bentrok.add(k)
    if bentrok:
        raise konflik([k for k in IDENTITAS_UNIK if k in bentrok])


def konflik(fields: list[str]) -> Conflict:
    errors = [FieldError(f, _PESAN_UNIK[f]) for f in fields]
    detail = errors[0].message if len(errors) == 1 else "Sudah terdaftar: " + ", ".join(fields) + "."
    return Conflict(f"{fields[0]}: {detail}" if len(errors) == 1 else detail, errors=errors)


def konflik_dari(exc: IntegrityError) -> Conflict | None:
    """The 409 for a unique index that caught a concurrent duplicate, or None for another violation."""
    asal = exc.orig
    nama = getattr(getattr(asal, "__cause__", None), "constraint_name", None) or str(asal)
    for field in IDENTITAS_UNIK:
        if f"_{field}_menunggu" in nama or f"_{field}_berlaku" in nama:
            return konflik([field])
    return None
