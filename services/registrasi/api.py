"""HTTP routes of registrasi: thin, one call into service.py per route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Form, Path, Query, Request, Response, UploadFile
from fastapi.security import APIKeyHeader

from services.registrasi import service
from services.registrasi.domain import JenisDokumen, JenisPendaftaran, StatusPendaftaran, StatusPengguna
from services.registrasi.schemas import (
    CONTOH_PENDAFTARAN,
    CONTOH_VERIFIKASI,
    AlasanStatus,
    DaftarHitamCreate,
    DaftarHitamPublic,
    DokumenPublic,
    PendaftaranCreate,
    PendaftaranDibuat,
    PendaftaranPerbaikan,
    PendaftaranPublic,
    PenggunaPublic,
    RiwayatPublic,
    Verifikasi,
)
from shared.auth import OptionalPrincipal, Principal, require_roles
from shared.deps import IfMatch, UowDep, etag
from shared.idempotency import idempotent_create, idempotent_created
from shared.pagination import Cursor, Limit, Page
from shared.problems import problem_responses
from shared.ratelimit import rate_limit
from shared.responses import json_response
from shared.routing import LeanRoute, lean

router = APIRouter(prefix="/api/v1", route_class=LeanRoute)

P53_DAFTAR = "Permendagri 53/2021 Lampiran angka 2.5.1 (pendaftaran pengguna SPSE; tanpa biaya)"
P53_VERIFIKATOR = "Permendagri 53/2021 Lampiran angka 2.3 huruf c (tugas verifikator)"
PERPRES_DAFTAR_HITAM = "Perpres 16/2018 jo. Perpres 12/2021 Pasal 78 (sanksi daftar hitam)"

token_akses = APIKeyHeader(
    name="X-Token-Akses", auto_error=False, scheme_name="TokenAkses",
    description="Token akses pendaftar, diterima sekali saat `POST /api/v1/pendaftaran` (`token_akses`).")


async def akses(request: Request, principal: OptionalPrincipal,
                token: Annotated[str | None, Depends(token_akses)]) -> service.Akses:
    """The caller as a bearer principal and/or the registrant its access token names (401 when neither)."""
    return await service.kenali(request.app.state.session_factory, principal, token,
                                pool=getattr(request.app.state, "pg", None))


def lingkungan(request: Request) -> service.Lingkungan:
    return request.app.state.lingkungan


_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
PendaftaranId = Annotated[str, Path(pattern=_UUID, description="id pendaftaran (UUID)")]
PenggunaId = Annotated[str, Path(pattern=_UUID, description="id pengguna (UUID)")]
DokumenId = Annotated[str, Path(pattern=_UUID, description="id dokumen (UUID)")]
DaftarHitamId = Annotated[str, Path(pattern=_UUID, description="id entri daftar hitam (UUID)")]
AksesDep = Annotated[service.Akses, Depends(akses)]
LingkunganDep = Annotated[service.Lingkungan, Depends(lingkungan)]
Verifikator = Annotated[Principal, Depends(require_roles("verifikator"))]
PembacaPendaftaran = Annotated[Principal, Depends(require_roles(*service.PEMBACA_PENDAFTARAN))]
PembacaPengguna = Annotated[Principal, Depends(require_roles(*service.PEMBACA_PENGGUNA))]
PengelolaDaftarHitam = Annotated[Principal, Depends(require_roles("verifikator", "admin_ukpbj"))]
Riwayat = Page[RiwayatPublic]

_MASKING = " NIK dan NPWP disamarkan (mis. `3201********0001`) kecuali untuk `verifikator`"
_AUDIT = (" Setiap pembacaan dicatat di log audit (`GET /api/v1/audit`, aksi `dibaca`): siapa, peran, kapan, "
          "dari alamat mana.")
_AUDIT_DAFTAR = (" Setiap permintaan daftar dicatat di log audit (`GET /api/v1/audit`, aksi `dibaca`) dengan id yang "
                 "dikembalikan.")
_BERKAS = {"application/pdf": {"schema": {"type": "string", "format": "binary"}},
           "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
           "image/png": {"schema": {"type": "string", "format": "binary"}}}


def _lokasi_pendaftaran(hasil: PendaftaranDibuat) -> str:
    return f"/api/v1/pendaftaran/{hasil.id}"


# --- pendaftaran --------------------------------------------------------------------------------------------

@router.post(
    "/pendaftaran", tags=["pendaftaran"], status_code=201, response_model=PendaftaranDibuat,
    summary="Ajukan pendaftaran pengguna SPSE / submit a registration",
    description=f"Pendaftaran daring oleh penyedia (badan usaha atau perorangan) atau pengguna pemerintah "
    f"(non-penyedia), {P53_DAFTAR}. Tidak ada biaya atau langkah pembayaran. NIK, NIP, NPWP dan NIB diperiksa "
    "sesuai DOMAIN.md (aturan 1-6); setiap penolakan menyebut isian dan alasannya. NPWP 15 digit diterima sebagai "
    "format lama dan disimpan 16 digit. Penyedia yang NPWP/NIB-nya tercantum dalam daftar hitam aktif ditolak "
    f"dengan tanggal berakhirnya sanksi ({PERPRES_DAFTAR_HITAM}). Satu akun per NPWP dan per NIB; User ID dan "
    "email unik (409 menyebut isian yang bentrok). Respons memuat `token_akses` (hanya sekali) untuk header "
    "`X-Token-Akses`. Header `Idempotency-Key` membuat pengulangan mengembalikan hasil pertama. Satu alamat "
    "hanya boleh mengirim sejumlah pendaftaran per menit (pengaturan `rate_limit_public_per_minute`); lebih dari "
    "itu dijawab 429 dengan header `Retry-After`. NIK dan NPWP disimpan terenkripsi.",
    responses=problem_responses(409, 422, 429),
    dependencies=[Depends(rate_limit("pendaftaran", per_minute=30))],
)
@lean
async def ajukan(request: Request, uow: UowDep,
                 body: Annotated[PendaftaranCreate, Body(openapi_examples=CONTOH_PENDAFTARAN)]):
    # PendaftaranDibuat by alias, pinned byte for byte by test_jalur_cepat
    env = request.app.state.lingkungan
    return await idempotent_created(request, uow, lambda: service.ajukan_pendaftaran(body, uow=uow, lingkungan=env),
                                    location=_lokasi_pendaftaran)


@router.get(
    "/pendaftaran", tags=["verifikasi"], response_model=Page[PendaftaranPublic],
    summary="Daftar pendaftaran; antrean verifikasi dengan status=diajukan / list registrations",
    description=f"Urut dari yang paling lama menunggu ({P53_VERIFIKATOR}); `?status=diajukan` adalah antrean "
    f"verifikasi. Untuk `verifikator` dan `admin_ukpbj`.{_MASKING}.{_AUDIT_DAFTAR}",
    responses=problem_responses(401, 403),
)
@lean
async def daftar(request: Request, uow: UowDep, principal: PembacaPendaftaran,
                 status: Annotated[StatusPendaftaran | None, Query(description="Saring menurut status.")] = None,
                 jenis: Annotated[JenisPendaftaran | None, Query(description="Saring menurut jenis.")] = None,
                 limit: Limit = 50, cursor: Cursor = None):
    # built to Page[PendaftaranPublic] and pinned byte for byte by test_jalur_cepat: no re-validation
    return json_response(await service.daftar_pendaftaran(status, jenis, limit, cursor, principal, uow=uow,
                                                          lingkungan=request.app.state.lingkungan))


@router.get(
    "/pendaftaran/{pendaftaran_id}", tags=["pendaftaran"], response_model=PendaftaranPublic,
    summary="Baca satu pendaftaran / read a registration",
    description=f"Untuk pendaftar sendiri (`X-Token-Akses`, data tidak disamarkan), `verifikator` dan "
    f"`admin_ukpbj` ({P53_DAFTAR}).{_MASKING} dan pendaftar sendiri. Memuat versi terkini tiap dokumen dan "
    f"syarat dokumen yang belum diunggah. Header `ETag` dipakai sebagai `If-Match` pada perubahan.{_AUDIT}",
    responses=problem_responses(401, 403, 404),
)
@lean
async def baca(request: Request, pendaftaran_id: PendaftaranId, uow: UowDep, siapa: AksesDep):
    hasil = await service.baca_pendaftaran(pendaftaran_id, siapa, uow=uow, lingkungan=request.app.state.lingkungan)
    return json_response(hasil, headers={"ETag": etag(hasil["versi"])})


@router.post(
    "/pendaftaran/{pendaftaran_id}/ajukan-ulang", tags=["pendaftaran"], response_model=PendaftaranPublic,
    summary="Ajukan ulang setelah perbaikan / resubmit after fixes",
    description=f"Pendaftar (`X-Token-Akses`) mengirim isian yang diperbaiki (hanya yang berubah) dan mengajukan "
    f"kembali pendaftaran berstatus `perlu_perbaikan` ({P53_DAFTAR}). Isian diperiksa lagi seperti saat mendaftar, "
    "termasuk daftar hitam dan keunikan. Dokumen diperbaiki dengan mengunggah ulang. `If-Match` opsional "
    "(412 bila versi sudah berubah).",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def ajukan_ulang(pendaftaran_id: PendaftaranId, response: Response, uow: UowDep, env: LingkunganDep,
                       siapa: AksesDep, expected: IfMatch,
                       body: Annotated[PendaftaranPerbaikan, Body()] = PendaftaranPerbaikan()):
    hasil = await service.ajukan_ulang(pendaftaran_id, body, expected, siapa, uow=uow, lingkungan=env)
    response.headers["ETag"] = etag(hasil.versi)
    return hasil


@router.post(
    "/pendaftaran/{pendaftaran_id}/verifikasi", tags=["verifikasi"], response_model=PendaftaranPublic,
    summary="Putuskan verifikasi / decide on a registration",
    description=f"Keputusan `verifikator` atas pendaftaran berstatus `diajukan` ({P53_VERIFIKATOR}; {P53_DAFTAR}). "
    "`disetujui` hanya bila setiap dokumen wajib sudah diunggah dan aslinya diperiksa (`dokumen_asli_diperiksa`), "
    "dan NPWP/NIB tidak dalam daftar hitam aktif; membuat pengguna berstatus `aktif` dengan User ID-nya. "
    "`ditolak` bersifat final dan wajib beralasan. `perlu_perbaikan` menyebut alasan atau `kekurangan`; pendaftar "
    "memperbaiki lalu mengajukan ulang. Keputusan atas pendaftaran yang tidak menunggu: 409. `If-Match` opsional.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def putuskan(pendaftaran_id: PendaftaranId, response: Response, uow: UowDep, env: LingkunganDep,
                   principal: Verifikator, expected: IfMatch,
                   body: Annotated[Verifikasi, Body(openapi_examples=CONTOH_VERIFIKASI)]):
    hasil = await service.verifikasi(pendaftaran_id, body, expected, principal, uow=uow, lingkungan=env)
    response.headers["ETag"] = etag(hasil.versi)
    return hasil


@router.get(
    "/pendaftaran/{pendaftaran_id}/riwayat", tags=["verifikasi"], response_model=Riwayat,
    summary="Riwayat perubahan pendaftaran / registration history",
    description=f"Seluruh perubahan (siapa, kapan, apa, mengapa), termasuk unggahan dan unduhan dokumen, urut "
    f"waktu; untuk `verifikator` dan `admin_ukpbj` (arsip pengguna, {P53_VERIFIKATOR}). NIK/NPWP disamarkan. "
    "Pembacaan biasa (aksi `dibaca`) ada di log audit `GET /api/v1/audit`.",
    responses=problem_responses(401, 403, 404),
)
async def riwayat_pendaftaran(pendaftaran_id: PendaftaranId, uow: UowDep, _: PembacaPendaftaran, limit: Limit = 50,
                              cursor: Cursor = None):
    return await service.baca_riwayat("pendaftaran", pendaftaran_id, limit, cursor, uow=uow)


# --- dokumen ------------------------------------------------------------------------------------------------

@router.post(
    "/pendaftaran/{pendaftaran_id}/dokumen", tags=["dokumen"], status_code=201, response_model=DokumenPublic,
    summary="Unggah dokumen pendaftaran / upload a document",
    description=f"Multipart: `jenis` dan `file`, oleh pendaftar (`X-Token-Akses`) atau `verifikator` ({P53_DAFTAR}: "
    "KTP direktur/pemilik, akta pendirian dan perubahan terakhir, NPWP, formulir pendaftaran dan keikutsertaan; "
    "SK atau surat tugas untuk non-penyedia). Jenis isi dideteksi dari byte berkas: hanya PDF, JPEG atau PNG "
    "(415 untuk yang lain, apa pun nama berkasnya); ukuran maksimum dari pengaturan `max_upload_bytes` (413). "
    "Unggahan ulang menambah versi; versi lama tetap diarsipkan. Berkas disimpan di luar basis data.",
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422),
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"examples": {
        "ktp": {"summary": "KTP penanggung jawab (pindaian PNG)",
                "value": {"jenis": "ktp", "file": "ktp-direktur.png"}},
        "akta": {"summary": "Akta pendirian (PDF)", "value": {"jenis": "akta_pendirian", "file": "akta.pdf"}}}}}}},
)
async def unggah(pendaftaran_id: PendaftaranId, response: Response, uow: UowDep, env: LingkunganDep, siapa: AksesDep,
                 jenis: Annotated[JenisDokumen, Form(description="Jenis dokumen.", examples=["ktp"])],
                 file: Annotated[UploadFile, File(description="Berkas PDF, JPEG atau PNG.")]):
    isi = await file.read()
    hasil = await service.unggah_dokumen(pendaftaran_id, jenis, file.filename, isi, siapa, uow=uow, lingkungan=env)
    response.headers["Location"] = f"/api/v1/pendaftaran/{pendaftaran_id}/dokumen/{hasil.id}"
    return hasil


@router.get(
    "/pendaftaran/{pendaftaran_id}/dokumen", tags=["dokumen"], response_model=Page[DokumenPublic],
    summary="Daftar dokumen dan versinya / list documents and their versions",
    description=f"Semua versi setiap dokumen, terbaru lebih dulu per jenis (`terkini`), untuk pendaftar sendiri, "
    f"`verifikator` dan `admin_ukpbj` ({P53_VERIFIKATOR}: arsip pengguna).{_AUDIT}",
    responses=problem_responses(401, 403, 404),
)
async def daftar_dokumen(pendaftaran_id: PendaftaranId, uow: UowDep, siapa: AksesDep):
    return await service.daftar_dokumen(pendaftaran_id, siapa, uow=uow)


@router.get(
    "/pendaftaran/{pendaftaran_id}/dokumen/{dokumen_id}", tags=["dokumen"], response_class=Response,
    summary="Unduh dokumen / download a document",
    description=f"Isi berkas dengan jenis konten yang terdeteksi saat diunggah; hanya pendaftar sendiri dan "
    f"petugas (`verifikator`, `admin_ukpbj`). Setiap unduhan dicatat di riwayat pendaftaran (siapa, dokumen "
    f"mana) ({P53_VERIFIKATOR}).",
    responses={200: {"description": "Isi berkas", "content": _BERKAS}, **problem_responses(401, 403, 404)},
)
async def unduh(pendaftaran_id: PendaftaranId, dokumen_id: DokumenId, uow: UowDep, env: LingkunganDep,
                siapa: AksesDep) -> Response:
    hasil = await service.unduh_dokumen(pendaftaran_id, dokumen_id, siapa, uow=uow, lingkungan=env)
    return Response(hasil.isi, media_type=hasil.jenis_konten,
                    headers={"Content-Disposition": f'attachment; filename="{hasil.nama}"',
                             "ETag": f'"{hasil.sha256}"'})


# --- pengguna -----------------------------------------------------------------------------------------------

@router.get(
    "/pengguna", tags=["pengguna"], response_model=Page[PenggunaPublic],
    summary="Daftar pengguna SPSE / list user accounts",
    description=f"Akun pengguna (User ID) hasil verifikasi, urut waktu dibuat; saring dengan `status`, `jenis` "
    f"atau `nip`. Untuk `verifikator`, `admin_ukpbj`, `layanan` ({P53_VERIFIKATOR}).{_MASKING}.{_AUDIT_DAFTAR}",
    responses=problem_responses(401, 403),
)
async def daftar_pengguna(uow: UowDep, env: LingkunganDep, principal: PembacaPengguna,
                          status: Annotated[StatusPengguna | None, Query(description="aktif, nonaktif, kedaluwarsa")]
                          = None,
                          jenis: Annotated[JenisPendaftaran | None, Query()] = None,
                          nip: Annotated[str | None, Query(max_length=18, pattern=r"^\d{18}$")] = None,
                          limit: Limit = 50, cursor: Cursor = None):
    return await service.daftar_pengguna(status, jenis, nip, limit, cursor, principal, uow=uow, lingkungan=env)


@router.get(
    "/pengguna/{pengguna_id}", tags=["pengguna"], response_model=PenggunaPublic,
    summary="Baca satu pengguna / read a user account",
    description=f"Status `aktif`, `nonaktif` atau `kedaluwarsa` ({P53_VERIFIKATOR}).{_MASKING}. Header `ETag` "
    f"dipakai sebagai `If-Match` pada penonaktifan/pengaktifan.{_AUDIT}",
    responses=problem_responses(401, 403, 404),
)
async def baca_pengguna(pengguna_id: PenggunaId, response: Response, uow: UowDep, env: LingkunganDep,
                        principal: PembacaPengguna):
    hasil = await service.baca_pengguna(pengguna_id, principal, uow=uow, lingkungan=env)
    response.headers["ETag"] = etag(hasil.versi)
    return hasil


@router.post(
    "/pengguna/{pengguna_id}/nonaktifkan", tags=["pengguna"], response_model=PenggunaPublic,
    summary="Nonaktifkan User ID / deactivate a user",
    description=f"Oleh `verifikator`, misalnya karena pelanggaran syarat penggunaan; `alasan` wajib "
    f"({P53_VERIFIKATOR}). Hanya pengguna `aktif` (409 untuk yang lain). `If-Match` opsional.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def nonaktifkan(pengguna_id: PenggunaId, response: Response, uow: UowDep, env: LingkunganDep,
                      principal: Verifikator, expected: IfMatch, body: AlasanStatus):
    hasil = await service.ubah_status_pengguna(pengguna_id, "nonaktifkan", body.alasan, expected, principal, uow=uow,
                                               lingkungan=env)
    response.headers["ETag"] = etag(hasil.versi)
    return hasil


@router.post(
    "/pengguna/{pengguna_id}/aktifkan", tags=["pengguna"], response_model=PenggunaPublic,
    summary="Aktifkan kembali User ID / reactivate a user",
    description=f"Oleh `verifikator`, `alasan` wajib ({P53_VERIFIKATOR}). Hanya pengguna `nonaktif`; pengguna "
    "pemerintah yang masa berlaku SK-nya sudah lewat harus mendaftar ulang (422). `If-Match` opsional.",
    responses=problem_responses(401, 403, 404, 409, 412, 422),
)
async def aktifkan(pengguna_id: PenggunaId, response: Response, uow: UowDep, env: LingkunganDep,
                   principal: Verifikator, expected: IfMatch, body: AlasanStatus):
    hasil = await service.ubah_status_pengguna(pengguna_id, "aktifkan", body.alasan, expected, principal, uow=uow,
                                               lingkungan=env)
    response.headers["ETag"] = etag(hasil.versi)
    return hasil


@router.get(
    "/pengguna/{pengguna_id}/riwayat", tags=["pengguna"], response_model=Riwayat,
    summary="Riwayat perubahan pengguna / user history",
    description=f"Pembuatan, penonaktifan, pengaktifan kembali dan kedaluwarsa, dengan pelaku, waktu dan alasan "
    f"({P53_VERIFIKATOR}). Untuk `verifikator` dan `admin_ukpbj`.",
    responses=problem_responses(401, 403, 404),
)
async def riwayat_pengguna(pengguna_id: PenggunaId, uow: UowDep, _: PembacaPendaftaran, limit: Limit = 50,
                           cursor: Cursor = None):
    return await service.baca_riwayat("pengguna", pengguna_id, limit, cursor, uow=uow)


# --- daftar hitam -------------------------------------------------------------------------------------------

@router.get(
    "/daftar-hitam", tags=["daftar hitam"], response_model=Page[DaftarHitamPublic],
    summary="Daftar hitam penyedia / list blacklist entries",
    description=f"Entri daftar hitam menurut NPWP/NIB dengan tanggal mulai, selesai dan alasan "
    f"({PERPRES_DAFTAR_HITAM}); saring dengan `npwp`, `nib`, `aktif`. Untuk `verifikator` dan `admin_ukpbj`. "
    f"NPWP disamarkan kecuali untuk `verifikator`.{_AUDIT_DAFTAR}",
    responses=problem_responses(401, 403),
)
async def daftar_daftar_hitam(uow: UowDep, env: LingkunganDep, principal: PengelolaDaftarHitam,
                              npwp: Annotated[str | None, Query(max_length=32)] = None,
                              nib: Annotated[str | None, Query(max_length=32)] = None,
                              aktif: Annotated[bool | None, Query(description="Berlaku hari ini (WIB).")] = None,
                              limit: Limit = 50, cursor: Cursor = None):
    return await service.daftar_daftar_hitam(npwp, nib, aktif, limit, cursor, principal, uow=uow, lingkungan=env)


@router.post(
    "/daftar-hitam", tags=["daftar hitam"], status_code=201, response_model=DaftarHitamPublic,
    summary="Catat entri daftar hitam / record a blacklist entry",
    description=f"Sanksi daftar hitam ({PERPRES_DAFTAR_HITAM}): 24 bulan untuk pelanggaran etika (dokumen palsu, "
    "persekongkolan, KKN), 12 bulan untuk non-etika; tanggal `selesai` dihitung. Pendaftaran penyedia dengan "
    "NPWP/NIB yang masih dalam sanksi ditolak. Untuk `verifikator` dan `admin_ukpbj`. `Idempotency-Key` didukung.",
    responses=problem_responses(401, 403, 409, 422),
)
async def catat_daftar_hitam(request: Request, response: Response, uow: UowDep, env: LingkunganDep,
                             principal: PengelolaDaftarHitam, body: DaftarHitamCreate):
    return await idempotent_create(request, response, uow,
                                   lambda: service.catat_daftar_hitam(body, principal, uow=uow, lingkungan=env),
                                   location=lambda r: f"/api/v1/daftar-hitam/{r.id}")


@router.get(
    "/daftar-hitam/{daftar_hitam_id}", tags=["daftar hitam"], response_model=DaftarHitamPublic,
    summary="Baca satu entri daftar hitam / read a blacklist entry",
    description=f"Entri dengan tanggal mulai, selesai dan apakah berlaku hari ini ({PERPRES_DAFTAR_HITAM}). "
    f"NPWP disamarkan kecuali untuk `verifikator`.{_AUDIT}",
    responses=problem_responses(401, 403, 404),
)
async def baca_daftar_hitam(daftar_hitam_id: DaftarHitamId, uow: UowDep, env: LingkunganDep,
                            principal: PengelolaDaftarHitam):
    return await service.baca_daftar_hitam(daftar_hitam_id, principal, uow=uow, lingkungan=env)


@router.get(
    "/daftar-hitam/{daftar_hitam_id}/riwayat", tags=["daftar hitam"], response_model=Riwayat,
    summary="Riwayat entri daftar hitam / blacklist entry history",
    description=f"Pencatatan entri dan setiap pendaftaran yang ditolak karenanya ({PERPRES_DAFTAR_HITAM}).",
    responses=problem_responses(401, 403, 404),
)
async def riwayat_daftar_hitam(daftar_hitam_id: DaftarHitamId, uow: UowDep, _: PengelolaDaftarHitam, limit: Limit = 50,
                               cursor: Cursor = None):
    return await service.baca_riwayat("daftar_hitam", daftar_hitam_id, limit, cursor, uow=uow)
