"""HTTP routes of pokja: thin, one call into service.py per route (Permendagri 53/2021 Pasal 7, 9, 12, 15-17)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from services.pokja import domain, service
from services.pokja.schemas import (
    AmbangPublic,
    AnggotaIn,
    BebanKerja,
    HasilPemilihanCreate,
    MetodeUbah,
    PaketCreate,
    PaketPublic,
    PegawaiCreate,
    PegawaiPublic,
    PegawaiUpdate,
    PejabatPengadaanCreate,
    PejabatPengadaanPublic,
    Pembubaran,
    PenugasanPaket,
    PokjaCreate,
    PokjaPublic,
    RiwayatPublic,
    SaranAnggota,
    UbahAnggota,
)
from shared.auth import STAFF_ROLES, CurrentPrincipal, Principal, require_roles
from shared.deps import IfMatch, UowDep, etag, uow_with_roles
from shared.errors import Forbidden
from shared.idempotency import idempotent_create, idempotent_created
from shared.pagination import Cursor, Limit, Page
from shared.problems import problem_responses
from shared.responses import json_response
from shared.routing import LeanRoute, lean
from shared.uow import UnitOfWork

router = APIRouter(prefix="/api/v1", route_class=LeanRoute)

P53 = "Permendagri 53/2021"
NipPath = Annotated[str, Path(pattern=r"^\d{18}$", description="NIP, 18 digit", examples=["198503122010011003"])]
KodePath = Annotated[str, Path(max_length=64, description="Kode paket", examples=["PKT-2025-0001"])]
IdPath = Annotated[str, Path(max_length=36, description="Id (UUID)")]


# --- who may call what --------------------------------------------------------------------------


def hanya_kepala(tindakan: str, rule: str = domain.PASAL_9):  # type: ignore[no-untyped-def]
    """Only the Kepala UKPBJ: a 403 names the article that gives the power to no one else."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        domain.pastikan_kepala_ukpbj(principal.roles, tindakan=tindakan, rule=rule)
        return principal

    return dependency


async def pelapor_pemilihan(principal: CurrentPrincipal) -> Principal:
    """A `pokja` or `pejabat_pengadaan` token; whether it is THIS package's is checked in the service."""
    if not principal.has_any(("pokja", "pejabat_pengadaan")):
        raise Forbidden(
            "Hasil pemilihan dilaporkan kepada Kepala UKPBJ oleh anggota Pokja Pemilihan (peran `pokja`) atau "
            f"Pejabat Pengadaan (peran `pejabat_pengadaan`) yang menangani paket itu (Pasal 17 {P53}).",
            extra={"rule": domain.PASAL_17, "peran_diizinkan": ["pokja", "pejabat_pengadaan"]})
    return principal


Kepala = Annotated[Principal, Depends(hanya_kepala("membentuk, mengubah, atau membubarkan Pokja Pemilihan"))]
KepalaPejabat = Annotated[Principal, Depends(hanya_kepala("menugaskan Pejabat Pengadaan", domain.PASAL_16))]
Pengelola = Annotated[Principal, Depends(require_roles("admin_ukpbj", "kepala_ukpbj"))]
Staf = Annotated[Principal, Depends(require_roles(*STAFF_ROLES))]
PembacaPaket = Annotated[Principal, Depends(require_roles(*STAFF_ROLES, "layanan", "pokja", "pejabat_pengadaan"))]
PembacaPokja = Annotated[Principal, Depends(require_roles(*STAFF_ROLES, "layanan", "pokja"))]
PembacaPejabat = Annotated[Principal, Depends(require_roles(*STAFF_ROLES, "layanan", "pejabat_pengadaan"))]
Pelapor = Annotated[Principal, Depends(pelapor_pemilihan)]


UowPengelola = Annotated[UnitOfWork, Depends(uow_with_roles("admin_ukpbj", "kepala_ukpbj"))]
UowPembacaPaket = Annotated[UnitOfWork, Depends(uow_with_roles(*STAFF_ROLES, "layanan", "pokja", "pejabat_pengadaan"))]


# --- OpenAPI examples ---------------------------------------------------------------------------


def _contoh_model(model: type[BaseModel]) -> list[dict[str, Any]]:
    return model.model_config["json_schema_extra"]["examples"]  # type: ignore[index]


def _badan(model: type[BaseModel]) -> Any:
    """A request body documented with the model's examples."""
    return Body(openapi_examples={f"contoh_{i + 1}": {"summary": f"Contoh {i + 1}", "value": v}
                                  for i, v in enumerate(_contoh_model(model))})


def _respons(model: type[BaseModel], *masalah: int, status: int = 200, halaman: bool = False) -> dict:
    """The success response with an example, and every problem the route can return."""
    contoh: Any = _contoh_model(model)[0]
    if halaman:
        contoh = {"data": [contoh], "next_cursor": "WyIxOTg1MDMxMjIwMTAwMTEwMDMiXQ"}
    return {status: {"content": {"application/json": {"example": contoh}}}, **problem_responses(*masalah)}


def _etag(response: Response, versi: int) -> None:
    response.headers["ETag"] = etag(versi)


# --- pegawai ------------------------------------------------------------------------------------


@router.post(
    "/pegawai", status_code=201, response_model=PegawaiPublic, tags=["pegawai"],
    summary="Catat pegawai / record personnel",
    description=f"Mencatat Pengelola PBJ atau PNS lain yang dapat ditugaskan sebagai anggota Pokja Pemilihan "
    f"(Pasal 11 ayat 4, Pasal 15 ayat 3 {P53}): jabatan, unit (UKPBJ atau luar UKPBJ), satuan kerja, sertifikat "
    "PBJ (jenis, level, nomor, masa berlaku) dan peran LPSE bila ada (Pasal 12 huruf b). NIP diperiksa strukturnya "
    "(tanggal lahir, TMT CPNS, jenis kelamin, nomor urut). Status User ID SPSE diambil dari peristiwa registrasi. "
    "Header `Idempotency-Key` membuat pengulangan mengembalikan hasil pertama.",
    responses=_respons(PegawaiPublic, 401, 403, 409, 422, status=201),
)
async def catat_pegawai(request: Request, response: Response, uow: UowDep, _: Pengelola,
                        body: Annotated[PegawaiCreate, _badan(PegawaiCreate)]):
    """Record personnel."""
    return await idempotent_create(request, response, uow, lambda: service.catat_pegawai(body, uow=uow),
                                   location=lambda r: f"/api/v1/pegawai/{r.nip}")


@router.get(
    "/pegawai", response_model=Page[PegawaiPublic], tags=["pegawai"],
    summary="Daftar pegawai / list personnel",
    description=f"Pegawai menurut NIP, dengan status User ID SPSE; saring dengan `jabatan` dan `unit` "
    f"(Pasal 11 dan Pasal 15 ayat 3 {P53}).",
    responses=_respons(PegawaiPublic, 401, 403, 422, halaman=True),
)
async def daftar_pegawai(uow: UowDep, _: Pengelola, limit: Limit = 50, cursor: Cursor = None,
                         jabatan: Literal["pengelola_pbj", "lainnya"] | None = None,
                         unit: Literal["ukpbj", "luar_ukpbj"] | None = None):
    """List personnel."""
    return await service.daftar_pegawai(jabatan=jabatan, unit=unit, limit=limit, cursor=cursor, uow=uow)


@router.get(
    "/pegawai/{nip}", response_model=PegawaiPublic, tags=["pegawai"],
    summary="Baca pegawai / read personnel",
    description=f"Satu pegawai dengan sertifikat (berlaku atau tidak hari ini, Pasal 15 ayat 3 {P53}), peran LPSE "
    "(Pasal 12 huruf b) dan status User ID SPSE. Header `ETag` memuat versinya.",
    responses=_respons(PegawaiPublic, 401, 403, 404),
)
async def baca_pegawai(nip: NipPath, response: Response, uow: UowDep, _: Pengelola):
    """Read personnel."""
    result = await service.baca_pegawai(nip, uow=uow)
    _etag(response, result.versi)
    return result


@router.patch(
    "/pegawai/{nip}", response_model=PegawaiPublic, tags=["pegawai"],
    summary="Perbarui data pegawai / correct personnel data",
    description=f"Memperbarui isian yang dikirim saja (mis. sertifikat yang diperpanjang, peran LPSE yang ditetapkan "
    f"Kepala UKPBJ menurut Pasal 9 huruf d {P53}). Perubahan yang membuat jabatan pegawai itu melanggar aturan "
    "ditolak dengan pasalnya: anggota Pokja aktif harus tetap memenuhi Pasal 12 huruf b dan Pasal 15 ayat 3-4 "
    "(dan Pokja-nya tetap memiliki Pengelola PBJ), Pejabat Pengadaan tetap memenuhi Pasal 16. `If-Match` "
    "mencegah menimpa perubahan orang lain.",
    responses=_respons(PegawaiPublic, 401, 403, 404, 409, 412, 422),
)
async def ubah_pegawai(nip: NipPath, response: Response, uow: UowDep, _: Pengelola, expected: IfMatch,
                       body: Annotated[PegawaiUpdate, _badan(PegawaiUpdate)]):
    """Correct personnel data."""
    result = await service.ubah_pegawai(nip, body, expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


# --- paket --------------------------------------------------------------------------------------


@router.post(
    "/paket", status_code=201, response_model=PaketPublic, tags=["paket"],
    summary="Catat paket pengadaan / record a procurement package",
    description="Mencatat paket: kode, nama, satuan kerja, jenis pengadaan, pagu, HPS, tahun anggaran, perencana, "
    "PPK dan pemeriksa hasil pekerjaan (yang dilarang menjadi Pokja atau Pejabat Pengadaan paket yang sama, "
    f"Pasal 12 huruf a {P53}). `metode_pemilihan` diturunkan dari ambang nilai bertanggal yang berlaku hari ini "
    "(Pengadaan Langsung sampai Rp200 jt barang/jasa lainnya, Rp100 jt konsultansi, konstruksi Rp400 jt sejak "
    "Perpres 46/2025). Menerbitkan `pokja.paket.dicatat`. Mendukung `Idempotency-Key`.",
    responses=_respons(PaketPublic, 401, 403, 409, 422, status=201),
)
@lean
async def catat_paket(request: Request, uow: UowPengelola, body: Annotated[PaketCreate, _badan(PaketCreate)]):
    """Record a procurement package (PaketPublic by alias, pinned byte for byte by test_jalur_cepat)."""
    return await idempotent_created(request, uow, lambda: service.catat_paket(body, uow=uow),
                                    location=lambda r: f"/api/v1/paket/{r.kode}")


@router.get(
    "/paket", response_model=Page[PaketPublic], tags=["paket"],
    summary="Daftar paket / list packages",
    description=f"Paket menurut kode; saring dengan `tahun_anggaran`, `satuan_kerja`, `metode` dan `pelaksana` "
    f"(`belum`, `pokja`, `pejabat_pengadaan`). Pelaksana paket menurut Pasal 15-16 {P53}.",
    responses=_respons(PaketPublic, 401, 403, 422, halaman=True),
)
@lean
async def daftar_paket(request: Request, uow: UowPembacaPaket, limit: Limit = 50, cursor: Cursor = None,
                       tahun_anggaran: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                       satuan_kerja: Annotated[str | None, Query(max_length=200)] = None,
                       metode: Annotated[str | None, Query(max_length=30)] = None,
                       pelaksana: Literal["belum", "pokja", "pejabat_pengadaan"] | None = None):
    """List packages (built to Page[PaketPublic], pinned byte for byte by test_jalur_cepat: no re-validation)."""
    return json_response(await service.daftar_paket(tahun_anggaran=tahun_anggaran, satuan_kerja=satuan_kerja,
                                                    metode=metode, pelaksana=pelaksana, limit=limit, cursor=cursor,
                                                    uow=uow, tampilan=request.app.state.tampilan))


@router.get(
    "/paket/{kode}", response_model=PaketPublic, tags=["paket"],
    summary="Baca paket / read a package",
    description=f"Satu paket: metode (turunan dan penetapan manual), ambang yang dipakai, siapa yang menetapkan "
    f"pemenang, pelaksana (Pokja Pemilihan atau Pejabat Pengadaan, Pasal 15-16 {P53}) dan hasil pemilihan yang "
    "dilaporkan (Pasal 17). Header `ETag` memuat versinya.",
    responses=_respons(PaketPublic, 401, 403, 404),
)
@lean
async def baca_paket(kode: KodePath, uow: UowPembacaPaket):
    """Read a package (built to PaketPublic, pinned byte for byte by test_jalur_cepat)."""
    result = await service.baca_paket(kode, uow=uow)
    return json_response(result, headers={"ETag": f'"{result["versi"]}"'})


@router.post(
    "/paket/{kode}/metode", response_model=PaketPublic, tags=["paket"],
    summary="Tetapkan metode pemilihan secara manual / override the selection method",
    description="Staf UKPBJ menimpa metode turunan dengan alasan yang dicatat dalam riwayat, dan menerbitkan "
    "`pokja.paket.metode_diubah`. Pengadaan Langsung tetap dibatasi ambang nilainya (Perpres 16/2018 jo. 12/2021, "
    f"Perpres 46/2025), seleksi hanya untuk jasa konsultansi; paket yang sudah selesai dipilih tidak dapat diubah "
    f"(pelaksanaan pemilihan oleh UKPBJ, Pasal 5 {P53}). `If-Match` mencegah menimpa perubahan orang lain.",
    responses=_respons(PaketPublic, 401, 403, 404, 409, 412, 422),
)
async def ubah_metode(kode: KodePath, response: Response, uow: UowDep, _: Pengelola, expected: IfMatch,
                      body: Annotated[MetodeUbah, _badan(MetodeUbah)]):
    """Override the selection method."""
    result = await service.ubah_metode(kode, body, expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


@router.post(
    "/paket/{kode}/hasil-pemilihan", status_code=201, response_model=PaketPublic, tags=["paket"],
    summary="Laporkan hasil pemilihan / report a selection's outcome",
    description=f"Pokja Pemilihan dan Pejabat Pengadaan melaporkan pelaksanaan pemilihan kepada Kepala UKPBJ "
    f"(Pasal 17 {P53}): `selesai` (nilai kontrak, pemenang, tanggal) atau `gagal`. Hanya token `pokja` yang NIP-nya "
    "(klaim `nip`, atau `sub`) anggota Pokja aktif paket itu, atau token `pejabat_pengadaan` dari Pejabat Pengadaan "
    "paket itu; selain itu 403 menyebut Pasal 17. Menerbitkan `pokja.paket.hasil_pemilihan_dilaporkan` (bahan "
    "laporan semester). Mendukung `Idempotency-Key`.",
    responses=_respons(PaketPublic, 401, 403, 404, 409, 422, status=201),
)
async def laporkan_hasil(kode: KodePath, request: Request, response: Response, uow: UowDep, pelapor: Pelapor,
                         body: Annotated[HasilPemilihanCreate, _badan(HasilPemilihanCreate)]):
    """Report a selection's outcome."""
    return await idempotent_create(
        request, response, uow, lambda: service.laporkan_hasil(kode, body, pelapor=pelapor, uow=uow),
        location=lambda r: f"/api/v1/paket/{r.kode}")


@router.get(
    "/paket/{kode}/riwayat", response_model=Page[RiwayatPublic], tags=["paket"],
    summary="Riwayat paket / package history",
    description=f"Setiap perubahan paket: pencatatan, penetapan metode, penugasan kepada Pokja atau Pejabat "
    f"Pengadaan (Pasal 15-16 {P53}), laporan hasil (Pasal 17): siapa, kapan, apa, mengapa.",
    responses=_respons(RiwayatPublic, 401, 403, 404, 422, halaman=True),
)
async def riwayat_paket(kode: KodePath, uow: UowDep, _: Staf, limit: Limit = 50, cursor: Cursor = None):
    """Package history."""
    return await service.riwayat("paket", kode, limit=limit, cursor=cursor, uow=uow)


# --- Pokja Pemilihan ----------------------------------------------------------------------------


@router.get(
    "/pokja/saran-anggota", response_model=SaranAnggota, tags=["pokja"],
    summary="Saran anggota dengan beban terendah / suggest members with the lowest workload",
    description=f"Analisis beban kerja (Pasal 7 ayat 1 huruf c {P53}): `jumlah` (gasal, paling sedikit 3, Pasal 15 "
    "ayat 1-2) pegawai yang memenuhi syarat dengan paket berjalan paling sedikit, Pengelola PBJ lebih dulu (Pasal 15 "
    "ayat 3). Yang melanggar Pasal 12 terhadap `paket` (bila diberikan), memegang peran LPSE, tanpa sertifikat yang "
    "berlaku, dari luar UKPBJ tanpa koordinasi (Pasal 15 ayat 4) atau User ID SPSE-nya nonaktif tidak disarankan.",
    responses=_respons(SaranAnggota, 401, 403, 404, 422),
)
async def saran_anggota(uow: UowDep, _: Pengelola, jumlah: Annotated[int, Query(ge=1, le=25)] = 3,
                        paket: Annotated[str | None, Query(max_length=64, description="Kode paket")] = None):
    """Suggest members with the lowest workload."""
    return await service.saran_anggota(jumlah, paket, uow=uow)


@router.post(
    "/pokja", status_code=201, response_model=PokjaPublic, tags=["pokja"],
    summary="Bentuk Pokja Pemilihan / form a Pokja",
    description=f"Hanya Kepala UKPBJ (Pasal 9 huruf a-b {P53}). Anggota berjumlah gasal, paling sedikit 3 (Pasal 15 "
    "ayat 1-2); Pengelola PBJ, atau paling sedikit 1 Pengelola PBJ dan PNS bersertifikat PBJ level 1 yang berlaku "
    "(Pasal 15 ayat 3); PNS dari luar UKPBJ dengan `koordinasi_satker` tercatat (Pasal 15 ayat 4); tidak seorang pun "
    "perencana, PPK atau pemeriksa paket yang ditugaskan, dan tidak ada Pengelola PBJ yang memegang peran LPSE "
    "(Pasal 12); User ID SPSE tidak nonaktif atau kedaluwarsa. Penolakan menyebut pasalnya dan tidak mengubah apa "
    "pun. Anggota pertama menjadi ketua dan kedua sekretaris kecuali `peran` diisi. Menerbitkan "
    "`pokja.pokja.dibentuk` dan `pokja.pokja.paket_ditugaskan`. Mendukung `Idempotency-Key`.",
    responses=_respons(PokjaPublic, 401, 403, 409, 422, status=201),
)
async def bentuk_pokja(request: Request, response: Response, uow: UowDep, kepala: Kepala,
                       body: Annotated[PokjaCreate, _badan(PokjaCreate)]):
    """Form a Pokja."""
    return await idempotent_create(request, response, uow,
                                   lambda: service.bentuk_pokja(body, penetap=kepala, uow=uow),
                                   location=lambda r: f"/api/v1/pokja/{r.id}")


@router.get(
    "/pokja", response_model=Page[PokjaPublic], tags=["pokja"],
    summary="Daftar Pokja / list Pokja",
    description=f"Pokja Pemilihan menurut urutan pembentukan (Pasal 9 {P53}), dengan anggota dan paket; saring "
    "dengan `status` (`aktif`, `dibubarkan`) dan `nip` (Pokja yang diikuti seseorang).",
    responses=_respons(PokjaPublic, 401, 403, 422, halaman=True),
)
async def daftar_pokja(uow: UowDep, _: PembacaPokja, limit: Limit = 50, cursor: Cursor = None,
                       status: Literal["aktif", "dibubarkan"] | None = None,
                       nip: Annotated[str | None, Query(pattern=r"^\d{18}$")] = None):
    """List Pokja."""
    return await service.daftar_pokja(status=status, nip=nip, limit=limit, cursor=cursor, uow=uow)


@router.get(
    "/pokja/{pokja_id}", response_model=PokjaPublic, tags=["pokja"],
    summary="Baca Pokja / read a Pokja",
    description=f"Satu Pokja Pemilihan: anggota dengan kedudukan (ketua, sekretaris, anggota), status User ID SPSE "
    "dan tanda `perlu_diganti`, serta paket yang ditanganinya (beban kerja, Pasal 7 dan Pasal 15 "
    f"{P53}). Header `ETag` memuat versinya untuk `If-Match`.",
    responses=_respons(PokjaPublic, 401, 403, 404),
)
async def baca_pokja(pokja_id: IdPath, response: Response, uow: UowDep, _: PembacaPokja):
    """Read a Pokja."""
    result = await service.baca_pokja(pokja_id, uow=uow)
    _etag(response, result.versi)
    return result


@router.post(
    "/pokja/{pokja_id}/anggota", response_model=PokjaPublic, tags=["pokja"],
    summary="Ubah anggota Pokja / change members",
    description=f"Hanya Kepala UKPBJ (Pasal 9 huruf b {P53}). Satu perubahan menambah (`anggota`) dan/atau "
    "mengeluarkan (`keluarkan`) anggota: menambah dua untuk 3 menjadi 5, atau menukar satu dengan satu, karena "
    "jumlah harus tetap gasal dan paling sedikit 3 (Pasal 15 ayat 1-2). Anggota baru diperiksa seperti saat "
    "pembentukan (Pasal 12, Pasal 15 ayat 3-4, User ID SPSE). Pengganti mengambil kedudukan yang digantikan. "
    "Menerbitkan `pokja.pokja.anggota_ditambahkan`/`anggota_dikeluarkan`. `If-Match` opsional; dua perubahan "
    "bersamaan yang bersama-sama melanggar aturan: satu berhasil, yang lain 409.",
    responses=_respons(PokjaPublic, 401, 403, 404, 409, 412, 422),
)
async def ubah_anggota(pokja_id: IdPath, response: Response, uow: UowDep, _: Kepala, expected: IfMatch,
                       body: Annotated[UbahAnggota, _badan(UbahAnggota)]):
    """Change members."""
    result = await service.ubah_anggota(pokja_id, tambah=body.anggota, keluarkan=body.keluarkan, alasan=body.alasan,
                                        expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


@router.delete(
    "/pokja/{pokja_id}/anggota/{nip}", response_model=PokjaPublic, tags=["pokja"],
    summary="Keluarkan anggota dengan pengganti / remove a member with a replacement",
    description=f"Hanya Kepala UKPBJ (Pasal 9 huruf b {P53}). Mengeluarkan satu anggota dan memasukkan "
    "`pengganti` (NIP) pada kedudukannya dalam satu perubahan. Tanpa pengganti permintaan selalu ditolak: "
    "mengeluarkan satu orang dari Pokja yang gasal membuat jumlahnya genap (Pasal 15 ayat 1) atau kurang dari 3 "
    "(Pasal 15 ayat 2); untuk mengurangi dua anggota sekaligus gunakan POST `/pokja/{id}/anggota`. Pengganti dari "
    "luar UKPBJ memerlukan `koordinasi_satker` (Pasal 15 ayat 4), yang hanya dapat dikirim lewat POST "
    "`/pokja/{id}/anggota`.",
    responses=_respons(PokjaPublic, 401, 403, 404, 409, 412, 422),
)
async def keluarkan_anggota(
    pokja_id: IdPath, nip: NipPath, response: Response, uow: UowDep, _: Kepala, expected: IfMatch,
    pengganti: Annotated[str | None, Query(pattern=r"^\d{18}$", description="NIP pengganti")] = None,
    alasan: Annotated[str | None, Query(max_length=500, description="Alasan, dicatat dalam riwayat")] = None,
):
    """Remove a member with a replacement."""
    tambah = [AnggotaIn(nip=pengganti)] if pengganti else []
    result = await service.ubah_anggota(pokja_id, tambah=tambah, keluarkan=[nip], alasan=alasan, expected=expected,
                                        uow=uow)
    _etag(response, result.versi)
    return result


@router.post(
    "/pokja/{pokja_id}/paket", response_model=PokjaPublic, tags=["pokja"],
    summary="Tugaskan paket kepada Pokja / assign packages",
    description=f"Hanya Kepala UKPBJ (Pasal 9 {P53}). Larangan rangkap tugas diperiksa lagi untuk setiap paket: "
    "tidak seorang anggota pun boleh menjadi perencana, PPK atau pemeriksa hasil pekerjaan paket itu (Pasal 12 "
    "huruf a). Paket yang sudah dipegang Pokja aktif lain atau Pejabat Pengadaan ditolak (409). Menerbitkan "
    "`pokja.pokja.paket_ditugaskan`.",
    responses=_respons(PokjaPublic, 401, 403, 404, 409, 412, 422),
)
async def tugaskan_paket(pokja_id: IdPath, response: Response, uow: UowDep, _: Kepala, expected: IfMatch,
                         body: Annotated[PenugasanPaket, _badan(PenugasanPaket)]):
    """Assign packages."""
    result = await service.tugaskan_paket_pokja(pokja_id, body.paket, expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


@router.post(
    "/pokja/{pokja_id}/bubarkan", response_model=PokjaPublic, tags=["pokja"],
    summary="Bubarkan Pokja / dissolve a Pokja",
    description=f"Hanya Kepala UKPBJ (Pasal 9 huruf a {P53}), dengan `alasan`. Pokja yang dibubarkan tidak dapat "
    "diubah dan anggotanya tidak lagi berwenang melaporkan hasil (Pasal 17); paketnya yang belum selesai dapat "
    "ditugaskan kepada Pokja lain. Menerbitkan `pokja.pokja.dibubarkan`.",
    responses=_respons(PokjaPublic, 401, 403, 404, 409, 412, 422),
)
async def bubarkan(pokja_id: IdPath, response: Response, uow: UowDep, _: Kepala, expected: IfMatch,
                   body: Annotated[Pembubaran, _badan(Pembubaran)]):
    """Dissolve a Pokja."""
    result = await service.bubarkan_pokja(pokja_id, body.alasan, expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


@router.get(
    "/pokja/{pokja_id}/riwayat", response_model=Page[RiwayatPublic], tags=["pokja"],
    summary="Riwayat Pokja / Pokja history",
    description=f"Setiap perubahan Pokja oleh Kepala UKPBJ (Pasal 9 {P53}): pembentukan, perubahan anggota, "
    "penugasan paket, penandaan penggantian, pembubaran: siapa, kapan, apa, mengapa.",
    responses=_respons(RiwayatPublic, 401, 403, 404, 422, halaman=True),
)
async def riwayat_pokja(pokja_id: IdPath, uow: UowDep, _: Staf, limit: Limit = 50, cursor: Cursor = None):
    """Pokja history."""
    return await service.riwayat("pokja", pokja_id, limit=limit, cursor=cursor, uow=uow)


@router.get(
    "/pokja/{pokja_id}/sk.pdf", tags=["pokja"], response_class=Response,
    summary="Unduh SK pembentukan Pokja / download the decision letter (PDF)",
    description=f"Surat Keputusan Kepala UKPBJ tentang pembentukan Pokja Pemilihan (Pasal 9 dan Pasal 15 {P53}): "
    "kop Kementerian Dalam Negeri, nomor SK, MEMUTUSKAN, susunan anggota (nama, NIP, jabatan, kedudukan), paket, "
    "tempat dan tanggal penetapan, tanda tangan Kepala UKPBJ. Isi yang sama menghasilkan berkas yang sama.",
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"},
                                                       "example": "%PDF-1.4 ..."}},
                     "description": "Berkas PDF"}, **problem_responses(401, 403, 404)},
)
async def sk_pdf(pokja_id: IdPath, uow: UowDep, _: PembacaPokja) -> Response:
    """Download the decision letter (PDF)."""
    isi, versi = await service.sk_pokja(pokja_id, uow=uow)
    return Response(isi, media_type="application/pdf", headers={
        "ETag": etag(versi), "Content-Disposition": f'inline; filename="sk-pokja-{pokja_id}.pdf"'})


# --- workload -----------------------------------------------------------------------------------


@router.get(
    "/beban-kerja", response_model=BebanKerja, tags=["beban-kerja"],
    summary="Beban kerja Pokja dan pegawai / workload",
    description=f"Analisis beban kerja (Pasal 7 ayat 1 huruf c {P53}): paket per Pokja aktif dan per pegawai "
    "(paket berjalan pada Pokja yang diikuti dan sebagai Pejabat Pengadaan).",
    responses=_respons(BebanKerja, 401, 403),
)
async def beban_kerja(uow: UowDep, _: Pengelola):
    """Workload."""
    return await service.beban_kerja(uow=uow)


# --- Pejabat Pengadaan --------------------------------------------------------------------------


@router.post(
    "/pejabat-pengadaan", status_code=201, response_model=PejabatPengadaanPublic, tags=["pejabat-pengadaan"],
    summary="Tugaskan Pejabat Pengadaan / assign a Pejabat Pengadaan",
    description=f"Hanya Kepala UKPBJ, berdasarkan permintaan KPA (Pasal 16 {P53}): Pengelola PBJ di UKPBJ dengan "
    "sertifikat PBJ level 2 atau JF PPBJ yang berlaku (Perlem LKPP 7/2021), tanpa peran LPSE (Pasal 12 huruf b), "
    "dengan User ID SPSE yang tidak nonaktif. `nomor_permintaan_kpa` wajib. Menerbitkan "
    "`pokja.pejabat_pengadaan.ditugaskan`. Mendukung `Idempotency-Key`.",
    responses=_respons(PejabatPengadaanPublic, 401, 403, 409, 422, status=201),
)
async def tugaskan_pejabat(request: Request, response: Response, uow: UowDep, _: KepalaPejabat,
                           body: Annotated[PejabatPengadaanCreate, _badan(PejabatPengadaanCreate)]):
    """Assign a Pejabat Pengadaan."""
    return await idempotent_create(request, response, uow, lambda: service.tugaskan_pejabat(body, uow=uow),
                                   location=lambda r: f"/api/v1/pejabat-pengadaan/{r.id}")


@router.get(
    "/pejabat-pengadaan", response_model=Page[PejabatPengadaanPublic], tags=["pejabat-pengadaan"],
    summary="Daftar Pejabat Pengadaan / list assignments",
    description=f"Penugasan Pejabat Pengadaan (Pasal 16 {P53}) dengan paketnya; saring dengan `satuan_kerja`.",
    responses=_respons(PejabatPengadaanPublic, 401, 403, 422, halaman=True),
)
async def daftar_pejabat(uow: UowDep, _: PembacaPejabat, limit: Limit = 50, cursor: Cursor = None,
                         satuan_kerja: Annotated[str | None, Query(max_length=200)] = None):
    """List assignments."""
    return await service.daftar_pejabat(satuan_kerja=satuan_kerja, limit=limit, cursor=cursor, uow=uow)


@router.get(
    "/pejabat-pengadaan/{penugasan_id}", response_model=PejabatPengadaanPublic, tags=["pejabat-pengadaan"],
    summary="Baca Pejabat Pengadaan / read an assignment",
    description=f"Satu penugasan Pejabat Pengadaan (Pasal 16 {P53}) dengan paket, status User ID SPSE dan tanda "
    "`perlu_diganti`. Header `ETag` memuat versinya.",
    responses=_respons(PejabatPengadaanPublic, 401, 403, 404),
)
async def baca_pejabat(penugasan_id: IdPath, response: Response, uow: UowDep, _: PembacaPejabat):
    """Read an assignment."""
    result = await service.baca_pejabat(penugasan_id, uow=uow)
    _etag(response, result.versi)
    return result


@router.post(
    "/pejabat-pengadaan/{penugasan_id}/paket", response_model=PejabatPengadaanPublic, tags=["pejabat-pengadaan"],
    summary="Tugaskan paket kepada Pejabat Pengadaan / assign packages",
    description=f"Hanya Kepala UKPBJ (Pasal 16 {P53}). Hanya paket satuan kerja Pejabat Pengadaan itu yang HPS-nya "
    "dalam batas Pengadaan Langsung yang berlaku (Perpres 16/2018 jo. 12/2021; konstruksi Rp400 jt sejak Perpres "
    "46/2025); Pejabat Pengadaan tidak boleh perencana, PPK atau pemeriksa paket itu (Pasal 12 huruf a). "
    "Menerbitkan `pokja.pejabat_pengadaan.paket_ditugaskan`.",
    responses=_respons(PejabatPengadaanPublic, 401, 403, 404, 409, 412, 422),
)
async def tugaskan_paket_pejabat(penugasan_id: IdPath, response: Response, uow: UowDep, _: KepalaPejabat,
                                 expected: IfMatch, body: Annotated[PenugasanPaket, _badan(PenugasanPaket)]):
    """Assign packages."""
    result = await service.tugaskan_paket_pejabat(penugasan_id, body.paket, expected=expected, uow=uow)
    _etag(response, result.versi)
    return result


@router.get(
    "/pejabat-pengadaan/{penugasan_id}/riwayat", response_model=Page[RiwayatPublic], tags=["pejabat-pengadaan"],
    summary="Riwayat Pejabat Pengadaan / assignment history",
    description=f"Setiap perubahan penugasan Pejabat Pengadaan (Pasal 16 {P53}).",
    responses=_respons(RiwayatPublic, 401, 403, 404, 422, halaman=True),
)
async def riwayat_pejabat(penugasan_id: IdPath, uow: UowDep, _: Staf, limit: Limit = 50, cursor: Cursor = None):
    """Assignment history."""
    return await service.riwayat("pejabat_pengadaan", penugasan_id, limit=limit, cursor=cursor, uow=uow)


# --- configuration ------------------------------------------------------------------------------


@router.get(
    "/ambang-nilai", response_model=list[AmbangPublic], tags=["paket"],
    summary="Ambang nilai bertanggal / dated value thresholds",
    description="Konfigurasi bertanggal yang menurunkan metode pemilihan dan batas paket Pejabat Pengadaan "
    f"(Pasal 16 {P53}; Perpres 16/2018 jo. 12/2021, Perpres 46/2025): yang berlaku hari ini ditandai.",
    responses={200: {"content": {"application/json": {"example": [_contoh_model(AmbangPublic)[0]]}}},
               **problem_responses(401, 403)},
)
async def ambang_nilai(_: PembacaPaket):
    """Dated value thresholds."""
    return service.daftar_ambang()
