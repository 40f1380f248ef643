"""HTTP routes of helpdesk: thin, one call into service.py per route."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from services.helpdesk import service
from services.helpdesk.deps import (
    AturanDep,
    KonteksDep,
    KonteksDikenalDep,
    PemanggilDikenalDep,
    PenyimpananDep,
    StafDep,
)
from services.helpdesk.schemas import (
    BeritaAcaraCreate,
    BeritaAcaraPublic,
    BeritaAcarasPublic,
    BeritaAcaraUpdate,
    BukaKembaliCreate,
    DiLuarLingkupCreate,
    EskalasiCreate,
    JenisPengumuman,
    Kategori,
    LampiranPublic,
    PengumumanCreate,
    PengumumanPublic,
    PengumumansPublic,
    PenilaianCreate,
    PenugasanCreate,
    PenyelesaianCreate,
    PermintaanDataCreate,
    PetugasListPublic,
    PetugasPublic,
    PetugasUpdate,
    Prioritas,
    PrioritasUpdate,
    RingkasanPublic,
    StatusTiket,
    TanggapanCreate,
    TiketBaru,
    TiketCreate,
    TiketPublic,
    TiketsPublic,
)
from shared.auth import Principal, require_roles
from shared.deps import IfMatch, UowDep, etag
from shared.idempotency import idempotent_create, idempotent_created
from shared.pagination import Cursor, Limit
from shared.problems import problem_responses
from shared.ratelimit import rate_limit
from shared.responses import json_response
from shared.routing import LeanRoute, lean

router = APIRouter(prefix="/api/v1", route_class=LeanRoute)

P53 = "Permendagri 53/2021"
PASAL_18 = (f"Pasal 18 {P53} (Pokja/Pejabat Pengadaan melaporkan kendala teknis kepada Subbagian LPSE, yang wajib "
            "memberi solusi) dan Lampiran 2.3 huruf d (helpdesk hanya menjawab masalah teknis aplikasi dan "
            "infrastruktur)")
LAMPIRAN_253 = f"Lampiran 2.5.3 {P53}; Kep. Kepala LKPP 26/2022"
LAMPIRAN_252 = f"Lampiran 2.5.2 huruf d {P53}"
BERITA_ACARA = f"Lampiran 2.5.3 {P53}; Perlem LKPP 12/2021 Lampiran 4.2.6"
IF_MATCH = " Kirim `If-Match` dengan ETag dari GET agar perubahan orang lain tidak tertimpa (412 bila usang)."
ANDA = " Pelapor memakai tokennya (`sub`) atau, tanpa akun, header `X-Token-Pelapor`."

Staf = Annotated[Principal, Depends(require_roles("helpdesk", "kasubbag_lpse"))]
Kasubbag = Annotated[Principal, Depends(require_roles("kasubbag_lpse"))]
PenerbitPengumuman = Annotated[Principal, Depends(require_roles("kasubbag_lpse", "admin_sistem"))]
PembacaBeritaAcara = Annotated[Principal, Depends(require_roles(
    "kasubbag_lpse", "helpdesk", "kepala_ukpbj", "admin_ukpbj", "pokja"))]
PembacaRingkasan = Annotated[Principal, Depends(require_roles(
    "helpdesk", "kasubbag_lpse", "kepala_ukpbj", "admin_ukpbj", "pimpinan"))]

_PDF = {200: {"description": "Berita acara dalam PDF", "content": {"application/pdf": {
    "schema": {"type": "string", "format": "binary"}, "example": "%PDF-1.4 … (berkas PDF)"}}}}
_BERKAS = {200: {"description": "Isi lampiran", "content": {
    jenis: {"schema": {"type": "string", "format": "binary"}, "example": "(isi berkas)"}
    for jenis in ("application/pdf", "image/jpeg", "image/png")}}}
_UNGGAH = {"requestBody": {"content": {"multipart/form-data": {"example": {"file": "galat-unggah.png"}}}}}


def _dengan_etag(response: Response, hasil: Any) -> Any:
    if not isinstance(hasil, Response):  # a replayed create is already a complete response
        response.headers["ETag"] = etag(hasil.versi)
    return hasil


# ── tickets ────────────────────────────────────────────────────────────────────────────────────

@router.post(
    "/tiket", status_code=201, response_model=TiketBaru, tags=["tiket"],
    summary="Buat tiket / open a ticket",
    description=f"Laporan kendala teknis SPSE ({PASAL_18}). Pengguna SPSE memakai tokennya; masyarakat tanpa token "
    "mengisi `pelapor` (nama dan email atau telepon) dan menerima `token_pelapor` sekali. Tiket `non_teknis` "
    "dijawab dengan rujukan dan ditutup sebagai di luar lingkup. `Idempotency-Key` mencegah tiket ganda.",
    responses=problem_responses(401, 409, 422, 429),
    dependencies=[Depends(rate_limit("tiket", per_minute=30))],
)
@lean
async def buat_tiket(request: Request, body: TiketCreate, k: KonteksDep):
    """Open a ticket (TiketBaru by alias, pinned byte for byte by test_jalur_cepat)."""
    return await idempotent_created(
        request, k.uow, lambda: service.buat_tiket(body, k.pemanggil, uow=k.uow, aturan=k.aturan),
        location=lambda r: f"/api/v1/tiket/{r.id}", etag=lambda r: etag(r.versi))


@router.get(
    "/tiket", response_model=TiketsPublic, tags=["tiket"],
    summary="Daftar tiket / list tickets",
    description=f"Petugas helpdesk dan Kasubbag LPSE melihat semua tiket; pengguna lain hanya tiket yang "
    f"dilaporkannya ({PASAL_18}). Terbaru lebih dahulu, dengan status SLA tiap tiket. Saring dengan `status`, "
    "`kategori` (boleh berulang), `prioritas`, `petugas`.",
    responses=problem_responses(401),
)
@lean
async def daftar_tiket(request: Request, k: KonteksDikenalDep,
                       status: Annotated[list[StatusTiket] | None, Query()] = None,
                       kategori: Annotated[list[Kategori] | None, Query()] = None,
                       prioritas: Prioritas | None = None,
                       petugas: Annotated[str | None, Query(max_length=200)] = None,
                       limit: Limit = 50, cursor: Cursor = None) -> Response:
    """List tickets."""
    # the page is built to `TiketsPublic` field by field: orjson bytes equal to the model's (issue 9)
    return json_response(await service.daftar_tiket(k.pemanggil, uow=k.uow, aturan=k.aturan, status=status,
                                                    kategori=kategori, prioritas=prioritas, petugas=petugas,
                                                    limit=limit, cursor=cursor,
                                                    tampilan=request.app.state.tampilan))


@router.get(
    "/tiket/{tiket_id}", response_model=TiketPublic, tags=["tiket"],
    summary="Baca tiket / read a ticket",
    description=f"Status, utas tanggapan, eskalasi, lampiran dan SLA (respons pertama dan penyelesaian: target, "
    f"waktu kerja terpakai, jatuh tempo, status) ({PASAL_18}).{ANDA} Pelapor tidak pernah melihat catatan "
    "internal. Header `ETag` untuk `If-Match`.",
    responses=problem_responses(401, 403, 404),
)
@lean
async def baca_tiket(tiket_id: str, k: KonteksDikenalDep) -> Response:
    """Read a ticket."""
    # built to `TiketPublic` field by field: orjson bytes equal to the model's (issue 9)
    hasil = await service.baca_tiket(tiket_id, k.pemanggil, uow=k.uow, aturan=k.aturan)
    return json_response(hasil, headers={"ETag": etag(hasil["versi"])})


@router.post(
    "/tiket/{tiket_id}/tanggapan", response_model=TiketPublic, tags=["tiket"],
    summary="Tanggapi tiket / reply to a ticket",
    description=f"Balasan pelapor atau petugas; petugas dapat menulis catatan internal (`internal: true`). Balasan "
    f"pertama petugas menghentikan jam SLA respons pertama; balasan pelapor melanjutkan jam yang dijeda "
    f"({PASAL_18}). Tiket yang sudah ditutup menolak tanggapan (409).{ANDA}{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def tanggapi(tiket_id: str, body: TanggapanCreate, response: Response, pemanggil: PemanggilDikenalDep, uow: UowDep,
                   aturan: AturanDep, expected: IfMatch):
    """Reply to a ticket."""
    return _dengan_etag(response, await service.tanggapi(tiket_id, body, pemanggil, expected, uow=uow, aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/tugaskan", response_model=TiketPublic, tags=["tiket"],
    summary="Tugaskan petugas / assign an officer",
    description="Tugaskan tiket ke petugas helpdesk tertentu (`petugas`: sub/NIP), atau otomatis ke petugas aktif "
    "dengan tiket terbuka paling sedikit (`otomatis: true`). Petugas terdaftar saat pertama kali menangani tiket, "
    f"saat ditugasi, atau lewat PUT /api/v1/petugas/{{sub}} (Lampiran 2.3 huruf d {P53}).{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def tugaskan(tiket_id: str, body: PenugasanCreate, response: Response, pemanggil: StafDep, uow: UowDep,
                   aturan: AturanDep, expected: IfMatch):
    """Assign an officer."""
    return _dengan_etag(response, await service.tugaskan(tiket_id, body, pemanggil, expected, uow=uow, aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/tunggu-pelapor", response_model=TiketPublic, tags=["tiket"],
    summary="Minta data kepada pelapor / wait for the reporter",
    description=f"Petugas meminta data tambahan; status `menunggu_pelapor` dan jam SLA dijeda sampai pelapor "
    f"menanggapi ({PASAL_18}; Kep. Kepala LKPP 26/2022: setiap tingkat dapat meminta data).{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def tunggu_pelapor(tiket_id: str, body: PermintaanDataCreate, response: Response, pemanggil: StafDep,
                         uow: UowDep, aturan: AturanDep, expected: IfMatch):
    """Wait for the reporter."""
    return _dengan_etag(response, await service.tunggu_pelapor(tiket_id, body, pemanggil, expected, uow=uow,
                                                               aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/eskalasi", response_model=TiketPublic, tags=["tiket"],
    summary="Eskalasi tiket / escalate a ticket",
    description=f"Satu tingkat setiap kali: helpdesk → `kasubbag_lpse` → `lkpp_eproc` → `lkpp_teknis` "
    f"({LAMPIRAN_253}). Eskalasi ke LKPP hanya oleh Kasubbag LPSE dengan `alasan` `tidak_dapat_diselesaikan` "
    "atau `belum_tercakup_spse`; `referensi_lkpp` mencatat nomor tiket LKPP." + IF_MATCH,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def eskalasi(tiket_id: str, body: EskalasiCreate, response: Response, pemanggil: StafDep, uow: UowDep,
                   aturan: AturanDep, expected: IfMatch):
    """Escalate a ticket."""
    return _dengan_etag(response, await service.eskalasi(tiket_id, body, pemanggil, expected, uow=uow, aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/selesaikan", response_model=TiketPublic, tags=["tiket"],
    summary="Selesaikan tiket / resolve a ticket",
    description=f"Catat solusi ({PASAL_18}: LPSE wajib memberi solusi). Tiket kembali kepada pelapor untuk "
    "dikonfirmasi (Kep. Kepala LKPP 26/2022) dan ditutup otomatis setelah jumlah hari kerja yang dikonfigurasi "
    f"tanpa tanggapan.{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def selesaikan(tiket_id: str, body: PenyelesaianCreate, response: Response, pemanggil: StafDep, uow: UowDep,
                     aturan: AturanDep, expected: IfMatch):
    """Resolve a ticket."""
    return _dengan_etag(response, await service.selesaikan(tiket_id, body, pemanggil, expected, uow=uow,
                                                           aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/konfirmasi", response_model=TiketPublic, tags=["tiket"],
    summary="Konfirmasi penyelesaian / confirm and close",
    description="Hanya pelapor: menyatakan solusi diterima dan tiket ditutup (Kep. Kepala LKPP 26/2022: tiket "
    f"yang selesai dikembalikan kepada pengguna untuk dikonfirmasi).{ANDA} Orang lain: 403.{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412),
)
async def konfirmasi(tiket_id: str, response: Response, pemanggil: PemanggilDikenalDep, uow: UowDep, aturan: AturanDep,
                     expected: IfMatch):
    """Confirm and close."""
    return _dengan_etag(response, await service.konfirmasi(tiket_id, pemanggil, expected, uow=uow, aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/buka-kembali", response_model=TiketPublic, tags=["tiket"],
    summary="Buka kembali tiket / reopen a ticket",
    description="Hanya pelapor: membuka kembali tiket `selesai`, atau `ditutup` dalam batas hari kerja yang "
    "dikonfigurasi (kecuali yang ditutup sebagai di luar lingkup). Waktu antara penyelesaian dan pembukaan kembali "
    f"tidak dihitung dalam SLA penyelesaian ({PASAL_18}).{ANDA}{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def buka_kembali(tiket_id: str, body: BukaKembaliCreate, response: Response, pemanggil: PemanggilDikenalDep,
                       uow: UowDep, aturan: AturanDep, expected: IfMatch):
    """Reopen a ticket."""
    return _dengan_etag(response, await service.buka_kembali(tiket_id, body, pemanggil, expected, uow=uow,
                                                             aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/penilaian", response_model=TiketPublic, tags=["tiket"],
    summary="Nilai kepuasan / rate the service",
    description="Hanya pelapor, sekali, pada tiket `selesai` atau `ditutup`: nilai 1-5 dan komentar. Rata-rata "
    f"kepuasan masuk laporan semester dan tahunan (Pasal 26 {P53}) lewat peristiwa `helpdesk.tiket.dinilai`."
    f"{ANDA}{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def nilai(tiket_id: str, body: PenilaianCreate, response: Response, pemanggil: PemanggilDikenalDep, uow: UowDep,
                aturan: AturanDep, expected: IfMatch):
    """Rate the service."""
    return _dengan_etag(response, await service.nilai(tiket_id, body, pemanggil, expected, uow=uow, aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/prioritas", response_model=TiketPublic, tags=["tiket"],
    summary="Ubah prioritas / change the priority",
    description=f"Petugas menetapkan prioritas tiket terbuka; target SLA mengikuti prioritas baru ({PASAL_18})."
    + IF_MATCH,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def ubah_prioritas(tiket_id: str, body: PrioritasUpdate, response: Response, pemanggil: StafDep, uow: UowDep,
                         aturan: AturanDep, expected: IfMatch):
    """Change the priority."""
    return _dengan_etag(response, await service.ubah_prioritas(tiket_id, body, pemanggil, expected, uow=uow,
                                                               aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/di-luar-lingkup", response_model=TiketPublic, tags=["tiket"],
    summary="Tutup sebagai di luar lingkup / close as out of scope",
    description=f"Helpdesk hanya menjawab masalah teknis aplikasi dan infrastruktur (Lampiran 2.3 huruf d {P53}); "
    "tiket non-teknis dijawab dengan rujukan lalu ditutup dan dihitung terpisah." + IF_MATCH,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def di_luar_lingkup(tiket_id: str, body: DiLuarLingkupCreate, response: Response, pemanggil: StafDep,
                          uow: UowDep, aturan: AturanDep, expected: IfMatch):
    """Close as out of scope."""
    return _dengan_etag(response, await service.tutup_di_luar_lingkup(tiket_id, body, pemanggil, expected, uow=uow,
                                                                      aturan=aturan))


@router.post(
    "/tiket/{tiket_id}/lampiran", status_code=201, response_model=LampiranPublic, tags=["tiket"],
    summary="Unggah lampiran / attach a file",
    description=f"PDF, JPEG atau PNG (jenis diperiksa dari isi berkas, bukan nama; ukuran dibatasi), seperti "
    f"dokumen registrasi ({PASAL_18}).{ANDA} Tiket yang sudah ditutup menolak lampiran (409). Berkas yang sama "
    "(SHA-256 sama) pada tiket yang sama tidak disimpan dua kali: jawabannya 200 dengan lampiran yang sudah ada.",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 415, 422),
    openapi_extra=_UNGGAH,
)
async def unggah_lampiran(tiket_id: str, response: Response, pemanggil: PemanggilDikenalDep, uow: UowDep,
                          penyimpanan: PenyimpananDep, request: Request, expected: IfMatch,
                          file: Annotated[UploadFile, File(description="PDF, JPEG atau PNG")]):
    """Attach a file."""
    batas = request.app.state.settings.max_upload_bytes
    isi = await file.read(batas + 1)
    hasil, baru = await service.unggah_lampiran(tiket_id, file.filename or "lampiran", isi, pemanggil, expected,
                                                uow=uow, penyimpanan=penyimpanan, batas=batas)
    response.headers["Location"] = hasil.url
    if not baru:
        response.status_code = 200
    return hasil


@router.get(
    "/tiket/{tiket_id}/lampiran/{lampiran_id}", response_class=Response, tags=["tiket"],
    summary="Unduh lampiran / download an attachment",
    description=f"Isi lampiran untuk pelapor tiket dan petugas ({PASAL_18}).{ANDA}",
    responses={**_BERKAS, **problem_responses(401, 403, 404)},
)
async def unduh_lampiran(tiket_id: str, lampiran_id: str, pemanggil: PemanggilDikenalDep, uow: UowDep,
                         penyimpanan: PenyimpananDep) -> Response:
    """Download an attachment."""
    row, isi = await service.unduh_lampiran(tiket_id, lampiran_id, pemanggil, uow=uow, penyimpanan=penyimpanan)
    nama = re.sub(r'[^A-Za-z0-9._-]', "_", row.nama_berkas) or "lampiran"
    return Response(isi, media_type=row.jenis_konten,
                    headers={"Content-Disposition": f'attachment; filename="{nama}"'})


# ── officers ───────────────────────────────────────────────────────────────────────────────────

@router.get(
    "/petugas", response_model=PetugasListPublic, tags=["petugas"],
    summary="Daftar petugas helpdesk / list officers",
    description=f"Petugas yang dikenal layanan dan beban tiket terbukanya: kumpulan penugasan otomatis "
    f"(Lampiran 2.3 huruf d {P53}).",
    responses=problem_responses(401, 403),
)
async def daftar_petugas(_: Staf, uow: UowDep) -> PetugasListPublic:
    """List officers."""
    return await service.daftar_petugas(uow=uow)


@router.put(
    "/petugas/{sub}", response_model=PetugasPublic, tags=["petugas"],
    summary="Daftarkan atau ubah petugas / register or update an officer",
    description=f"Kasubbag LPSE mendaftarkan petugas helpdesk atau menonaktifkannya dari penugasan otomatis "
    f"(Pasal 9 {P53}: penunjukan helpdesk; Lampiran 2.3 huruf d).",
    responses=problem_responses(401, 403, 422),
)
async def simpan_petugas(sub: str, body: PetugasUpdate, _: Kasubbag, uow: UowDep) -> PetugasPublic:
    """Register or update an officer."""
    return await service.simpan_petugas(sub, body, uow=uow)


# ── announcements ──────────────────────────────────────────────────────────────────────────────

@router.post(
    "/pengumuman", status_code=201, response_model=PengumumanPublic, tags=["pengumuman"],
    summary="Terbitkan pengumuman / publish an announcement",
    description=f"Pengumuman gangguan, pemeliharaan atau informasi dengan waktu mulai dan selesai ({LAMPIRAN_252}: "
    "mengumumkan permasalahan yang menghambat pengguna). `selesai` harus setelah `mulai` dan belum lewat. "
    "Diterbitkan juga sebagai peristiwa `helpdesk.pengumuman.diterbitkan`.",
    responses=problem_responses(401, 403, 409, 422),
)
async def terbitkan_pengumuman(request: Request, response: Response, body: PengumumanCreate,
                               principal: PenerbitPengumuman, uow: UowDep):
    """Publish an announcement."""
    return await idempotent_create(request, response, uow,
                                   lambda: service.terbitkan_pengumuman(body, principal, uow=uow),
                                   location=lambda r: f"/api/v1/pengumuman/{r.id}")


@router.get(
    "/pengumuman", response_model=PengumumansPublic, tags=["pengumuman"],
    summary="Pengumuman aktif / active announcements",
    description=f"Tanpa token: pengumuman yang sedang berlaku ({LAMPIRAN_252}), mulai terbaru lebih dahulu.",
    responses=problem_responses(401),
)
async def daftar_pengumuman(uow: UowDep, jenis: JenisPengumuman | None = None, limit: Limit = 50,
                            cursor: Cursor = None) -> PengumumansPublic:
    """Active announcements."""
    return await service.daftar_pengumuman(uow=uow, jenis=jenis, limit=limit, cursor=cursor)


@router.get(
    "/pengumuman/{pengumuman_id}", response_model=PengumumanPublic, tags=["pengumuman"],
    summary="Baca pengumuman / read an announcement",
    description=f"Tanpa token; `aktif` menyatakan apakah sedang berlaku ({LAMPIRAN_252}).",
    responses=problem_responses(401, 404),
)
async def baca_pengumuman(pengumuman_id: str, uow: UowDep) -> PengumumanPublic:
    """Read an announcement."""
    return await service.baca_pengumuman(pengumuman_id, uow=uow)


# ── berita acara ───────────────────────────────────────────────────────────────────────────────

@router.post(
    "/berita-acara", status_code=201, response_model=BeritaAcaraPublic, tags=["berita acara"],
    summary="Susun berita acara / draft a berita acara",
    description=f"Berita acara dokumen penawaran yang tidak dapat dibuka ({BERITA_ACARA}): paket, penyedia, nama "
    "dan hash SHA-256 berkas, pernyataan LPSE (dan LKPP bila diminta), Kasubbag LPSE penyusun sebagai saksi "
    "(NIP = `sub` tokennya), anggota Pokja yang hadir, dan hasil. Dapat diubah selama draf.",
    responses=problem_responses(401, 403, 409, 422),
)
async def buat_berita_acara(request: Request, response: Response, body: BeritaAcaraCreate, principal: Kasubbag,
                            uow: UowDep):
    """Draft a berita acara."""
    return _dengan_etag(response, await idempotent_create(
        request, response, uow, lambda: service.buat_berita_acara(body, principal, uow=uow),
        location=lambda r: f"/api/v1/berita-acara/{r.id}"))


@router.get(
    "/berita-acara", response_model=BeritaAcarasPublic, tags=["berita acara"],
    summary="Daftar berita acara / list berita acara",
    description=f"Terbaru lebih dahulu; anggota Pokja hanya melihat yang mencantumkannya ({BERITA_ACARA}).",
    responses=problem_responses(401, 403),
)
async def daftar_berita_acara(principal: PembacaBeritaAcara, uow: UowDep,
                              paket_kode: Annotated[str | None, Query(max_length=50)] = None,
                              status: Annotated[str | None, Query(pattern="^(draf|ditandatangani)$")] = None,
                              limit: Limit = 50, cursor: Cursor = None) -> BeritaAcarasPublic:
    """List berita acara."""
    return await service.daftar_berita_acara(principal, uow=uow, paket_kode=paket_kode, status=status, limit=limit,
                                             cursor=cursor)


@router.get(
    "/berita-acara/{berita_acara_id}.pdf", response_class=Response, tags=["berita acara"],
    summary="Unduh berita acara (PDF) / download the berita acara as PDF",
    description=f"Berita acara resmi dalam bahasa Indonesia ({BERITA_ACARA}); draf ditandai sebagai draf. Isi yang "
    "sama selalu menghasilkan berkas yang sama.",
    responses={**_PDF, **problem_responses(401, 403, 404)},
)
async def pdf_berita_acara(berita_acara_id: str, principal: PembacaBeritaAcara, uow: UowDep,
                           aturan: AturanDep) -> Response:
    """Download the berita acara as PDF."""
    nomor, isi = await service.pdf_berita_acara_untuk(berita_acara_id, principal, uow=uow, aturan=aturan)
    nama = "berita-acara-" + re.sub(r"[^A-Za-z0-9]+", "-", nomor).strip("-") + ".pdf"
    return Response(isi, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{nama}"'})


@router.get(
    "/berita-acara/{berita_acara_id}", response_model=BeritaAcaraPublic, tags=["berita acara"],
    summary="Baca berita acara / read a berita acara",
    description=f"Kasubbag LPSE, helpdesk, pimpinan UKPBJ, dan anggota Pokja yang tercantum ({BERITA_ACARA}). "
    "Header `ETag` untuk `If-Match`.",
    responses=problem_responses(401, 403, 404),
)
async def baca_berita_acara(berita_acara_id: str, response: Response, principal: PembacaBeritaAcara, uow: UowDep):
    """Read a berita acara."""
    return _dengan_etag(response, await service.baca_berita_acara(berita_acara_id, principal, uow=uow))


@router.patch(
    "/berita-acara/{berita_acara_id}", response_model=BeritaAcaraPublic, tags=["berita acara"],
    summary="Ubah draf berita acara / correct a draft",
    description=f"Hanya selama draf, oleh Kasubbag LPSE saksinya ({BERITA_ACARA}). Berita acara yang sudah "
    f"ditandatangani menolak setiap perubahan (409, dengan alasannya).{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def ubah_berita_acara(berita_acara_id: str, body: BeritaAcaraUpdate, response: Response, principal: Kasubbag,
                            uow: UowDep, expected: IfMatch):
    """Correct a draft."""
    return _dengan_etag(response, await service.ubah_berita_acara(berita_acara_id, body, principal, expected,
                                                                  uow=uow))


@router.post(
    "/berita-acara/{berita_acara_id}/tandatangani", response_model=BeritaAcaraPublic, tags=["berita acara"],
    summary="Tandatangani berita acara / sign a berita acara",
    description=f"Kasubbag LPSE saksi menandatangani; sejak itu berita acara tidak dapat diubah ({BERITA_ACARA}). "
    f"Diterbitkan sebagai peristiwa `helpdesk.berita_acara.ditandatangani`.{IF_MATCH}",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def tandatangani(berita_acara_id: str, response: Response, principal: Kasubbag, uow: UowDep,
                       expected: IfMatch):
    """Sign a berita acara."""
    return _dengan_etag(response, await service.tandatangani_berita_acara(berita_acara_id, principal, expected,
                                                                          uow=uow))


# ── summary ────────────────────────────────────────────────────────────────────────────────────

TanggalLaporan = Annotated[date, Query(ge=date(2000, 1, 1), le=date(2100, 12, 31),
                                       description="Tanggal WIB, 2000-01-01 s.d. 2100-12-31")]


@router.get(
    "/ringkasan", response_model=RingkasanPublic, tags=["ringkasan"],
    summary="Ringkasan layanan helpdesk / service summary",
    description=f"Tiket yang dibuat dalam rentang tanggal (WIB): per status, kategori dan kanal; tiket di luar "
    f"lingkup dihitung terpisah; eskalasi (ke LKPP per alasan, {LAMPIRAN_253}); kepatuhan SLA; rata-rata kepuasan. "
    f"Bahan laporan LPSE kepada Kepala UKPBJ (Lampiran 2.3 huruf a {P53}).",
    responses=problem_responses(401, 403),
)
async def ringkasan(_: PembacaRingkasan, uow: UowDep, dari: TanggalLaporan, sampai: TanggalLaporan) -> RingkasanPublic:
    """Service summary."""
    return await service.ringkasan(dari, sampai, uow=uow)
