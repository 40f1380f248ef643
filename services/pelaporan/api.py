"""HTTP routes of pelaporan: thin, one call into service.py per route."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from services.pelaporan import contoh, service
from services.pelaporan.berkas import FORMAT, content_disposition
from services.pelaporan.metrik import antrean_event, cache_baca
from services.pelaporan.schemas import Indikator, LaporanFinalPublic, LaporanPublic, SelisihPublic
from shared.auth import STAFF_ROLES, Principal, require_roles
from shared.deps import UowDep, get_uow, uow_with_roles
from shared.idempotency import idempotent_create
from shared.pagination import Cursor
from shared.problems import problem_responses
from shared.ratelimit import rate_limit
from shared.routing import LeanRoute, lean
from shared.uow import UnitOfWork

router = APIRouter(prefix="/api/v1", route_class=LeanRoute)


UowPembacaIndikator = Annotated[UnitOfWork, Depends(uow_with_roles(*STAFF_ROLES, "pimpinan", "layanan"))]


def _uow_data_terbuka():  # type: ignore[no-untyped-def]
    """The open data's rate limit and the caller's unit of work as ONE dependency (issue 9)."""
    batas = rate_limit("data-terbuka", per_minute=30)

    async def dependency(request: Request) -> UnitOfWork:
        await batas(request)
        return await get_uow(request)

    dependency.__dict__.update(batas.__dict__)
    return dependency


UowDataTerbuka = Annotated[UnitOfWork, Depends(_uow_data_terbuka())]

PEMBACA_LAPORAN = ("kepala_ukpbj", "admin_ukpbj", "pimpinan")
Pembaca = Annotated[Principal, Depends(require_roles(*PEMBACA_LAPORAN))]
Kepala = Annotated[Principal, Depends(require_roles("kepala_ukpbj"))]
Tahun = Annotated[int, Path(description=f"Tahun anggaran ({service.TAHUN_LAPORAN_MIN}-2100)", examples=[2026])]
Semester = Annotated[int, Path(description="1 = Januari-Juni, 2 = Juli-Desember (WIB)", examples=[1])]
FormatQuery = Annotated[Literal["json", "csv", "xlsx", "pdf"], Query(
    alias="format", examples=["pdf"],
    description="`json` (bawaan), `csv` (UTF-8 dengan BOM), `xlsx` (satu lembar per bagian) atau `pdf` (laporan resmi "
                "kepada Menteri). Semua format dari angka yang sama.")]

_PASAL_26 = ("Laporan pelaksanaan tugas dan fungsi UKPBJ kepada Menteri melalui Sekretaris Jenderal c.q. Kepala "
             "Biro Umum setiap semester dan tahun (Permendagri 53/2021 Pasal 26). Periode dalam WIB, setengah "
             "terbuka: Semester I 1 Januari 00.00 s.d. sebelum 1 Juli 00.00, Semester II 1 Juli s.d. sebelum "
             "1 Januari. Bagian: pengelolaan pengadaan (Pasal 5, 9, 15-17), registrasi dan verifikasi pengguna "
             "(Pasal 6 ayat (1) huruf b), layanan helpdesk (Pasal 18), masing-masing dengan perbandingan "
             "periode sebelumnya; rasio dengan penyebut nol ditulis \"N/A\". Tahun tanpa data menghasilkan "
             "laporan kosong, bukan galat. Setelah difinalkan, unduhan mengembalikan salinan beku yang sama "
             "persis (header `X-Laporan-Final: true`, `X-Hash-Konten: sha256:...`).")

_HEADER_UNDUH = {
    "Content-Disposition": {"description": "Nama berkas, mis. `attachment; filename=\"laporan-ukpbj-2026-S1.xlsx\"`",
                            "schema": {"type": "string"}},
    "X-Laporan-Final": {"description": "`true` bila ini salinan final yang dibekukan", "schema": {"type": "string"}},
    "X-Hash-Konten": {"description": "`sha256:<hex>` dari isi respons", "schema": {"type": "string"}},
}
_RESPON_UNDUH: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Laporan dalam format yang diminta",
        "model": LaporanPublic,
        "headers": _HEADER_UNDUH,
        "content": {
            "application/json": {"example": contoh.LAPORAN.ke_dict()},
            "text/csv": {"schema": {"type": "string"}, "example": contoh.laporan_csv()},
            FORMAT["xlsx"].media_type: {"schema": {"type": "string", "format": "binary"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **problem_responses(401, 403),
}
_CONTOH_FINAL = {
    "periode": {"kode": "2026-S1", "nama": "Semester I Tahun 2026", "tahun": 2026, "jenis": "semester",
                "semester": 1, "mulai": "2026-01-01T00:00:00+07:00", "selesai": "2026-07-01T00:00:00+07:00"},
    "difinalkan_pada": "2026-07-03T02:15:00Z",
    "difinalkan_oleh": "197001011990031001",
    "hash_konten": {"json": contoh.hash_json(), "csv": "sha256:…", "xlsx": "sha256:…", "pdf": "sha256:…"},
    "tautan": {"json": "/api/v1/laporan/2026/semester/1?format=json",
               "pdf": "/api/v1/laporan/2026/semester/1?format=pdf",
               "selisih": "/api/v1/laporan/2026/semester/1/selisih"},
}


def _unduhan(berkas: service.BerkasLaporan) -> Response:
    headers = {
        "Content-Disposition": content_disposition(berkas.periode, berkas.format),
        "X-Laporan-Final": "true" if berkas.final else "false",
        "X-Hash-Konten": berkas.hash,
        "Cache-Control": "no-cache" if berkas.final else "no-store",
    }
    if berkas.final:
        headers["ETag"] = f'"{berkas.hash}"'
        headers["Link"] = f'<{service.alamat_laporan(berkas.periode)}/selisih>; rel="selisih"'
    return Response(berkas.isi, media_type=FORMAT[berkas.format].media_type, headers=headers)


@router.get(
    "/laporan/{tahun}/semester/{semester}",
    tags=["laporan"],
    summary="Laporan semester / semester report",
    description=_PASAL_26,
    response_class=Response,
    responses=_RESPON_UNDUH,
)
async def laporan_semester(tahun: Tahun, semester: Semester, uow: UowDep, _: Pembaca,
                           format_: FormatQuery = "json") -> Response:
    periode = service.periode_laporan(tahun, semester)
    return _unduhan(await service.unduh_laporan(periode, format_, uow=uow))


@router.get(
    "/laporan/{tahun}/tahunan",
    tags=["laporan"],
    summary="Laporan tahunan / annual report",
    description=_PASAL_26.replace("setiap semester dan tahun", "setiap tahun (tahun anggaran 1 Januari-31 Desember)"),
    response_class=Response,
    responses=_RESPON_UNDUH,
)
async def laporan_tahunan(tahun: Tahun, uow: UowDep, _: Pembaca, format_: FormatQuery = "json") -> Response:
    periode = service.periode_laporan(tahun)
    return _unduhan(await service.unduh_laporan(periode, format_, uow=uow))


_FINAL = ("Kepala UKPBJ membekukan laporan yang disampaikan kepada Menteri (Permendagri 53/2021 Pasal 26): "
          "keempat format dirender dari angka yang sama dan disimpan byte demi byte bersama hash SHA-256 "
          "masing-masing dan angka ringkasannya, dalam satu transaksi. Unduhan berikutnya mengembalikan salinan "
          "ini persis sama; event yang datang kemudian untuk periode itu tidak digabungkan, melainkan "
          "ditampilkan di `.../selisih`. Hanya untuk periode yang sudah berakhir (WIB) dan hanya sekali "
          "(409 bila sudah final). Dengan header `Idempotency-Key`, pengulangan permintaan yang sama "
          "mengembalikan hasil pertama.")
_RESPON_FINAL: dict[int | str, dict[str, Any]] = {
    201: {"description": "Laporan dibekukan", "content": {"application/json": {"example": _CONTOH_FINAL}}},
    **problem_responses(401, 403, 409),
}


@router.post(
    "/laporan/{tahun}/semester/{semester}/final",
    tags=["laporan"],
    status_code=201,
    response_model=LaporanFinalPublic,
    summary="Finalkan laporan semester / freeze a semester report",
    description=_FINAL,
    responses=_RESPON_FINAL,
)
async def finalkan_semester(request: Request, response: Response, tahun: Tahun, semester: Semester,
                            uow: UowDep, _: Kepala) -> Any:
    periode = service.periode_laporan(tahun, semester)
    return await idempotent_create(request, response, uow, lambda: service.finalkan(periode, uow=uow),
                                   location=lambda _r: service.alamat_laporan(periode))


@router.post(
    "/laporan/{tahun}/tahunan/final",
    tags=["laporan"],
    status_code=201,
    response_model=LaporanFinalPublic,
    summary="Finalkan laporan tahunan / freeze an annual report",
    description=_FINAL,
    responses=_RESPON_FINAL,
)
async def finalkan_tahunan(request: Request, response: Response, tahun: Tahun, uow: UowDep, _: Kepala) -> Any:
    periode = service.periode_laporan(tahun)
    return await idempotent_create(request, response, uow, lambda: service.finalkan(periode, uow=uow),
                                   location=lambda _r: service.alamat_laporan(periode))


_SELISIH = ("Angka laporan final yang berbeda dengan angka menurut data sekarang, karena event yang datang setelah "
            "laporan dibekukan (Permendagri 53/2021 Pasal 26). Laporan final sendiri tidak pernah berubah; "
            "perbedaan hanya ditampilkan di sini. 404 bila periode belum difinalkan.")
_CONTOH_SELISIH = {
    "periode": _CONTOH_FINAL["periode"], "difinalkan_pada": "2026-07-03T02:15:00Z",
    "dihitung_pada": "2026-07-20T01:00:00Z", "hash_konten": _CONTOH_FINAL["hash_konten"], "ada_selisih": True,
    "selisih": [{"bagian": "helpdesk", "tabel": "angka_kunci", "baris": "Tiket masuk", "kolom": "nilai",
                 "final": 70, "sekarang": 71}],
}
_RESPON_SELISIH: dict[int | str, dict[str, Any]] = {
    200: {"description": "Selisih terhadap laporan final",
          "content": {"application/json": {"example": _CONTOH_SELISIH}}},
    **problem_responses(401, 403, 404),
}


@router.get(
    "/laporan/{tahun}/semester/{semester}/selisih",
    tags=["laporan"],
    summary="Selisih laporan semester final / later changes to a frozen semester report",
    description=_SELISIH,
    responses=_RESPON_SELISIH,
)
async def selisih_semester(tahun: Tahun, semester: Semester, uow: UowDep, _: Pembaca) -> SelisihPublic:
    return await service.selisih(service.periode_laporan(tahun, semester), uow=uow)


@router.get(
    "/laporan/{tahun}/tahunan/selisih",
    tags=["laporan"],
    summary="Selisih laporan tahunan final / later changes to a frozen annual report",
    description=_SELISIH,
    responses=_RESPON_SELISIH,
)
async def selisih_tahunan(tahun: Tahun, uow: UowDep, _: Pembaca) -> SelisihPublic:
    return await service.selisih(service.periode_laporan(tahun), uow=uow)


_CONTOH_INDIKATOR = service.indikator_kosong(contoh.DIAMBIL).model_dump(mode="json")


@router.get(
    "/indikator",
    tags=["indikator"],
    summary="Indikator pemantauan langsung / live monitoring figures",
    description="Angka pemantauan dan evaluasi pelaksanaan pengadaan (Permendagri 53/2021 Pasal 5 huruf g) dan "
    "pengukuran kinerja pengadaan (Pasal 7 ayat (1) huruf d) untuk semester berjalan (WIB) dan keadaan saat ini: "
    "antrean verifikasi, pengguna, paket, Pokja, tiket terbuka, pemenuhan SLA. Dibangun hanya dari event layanan "
    "lain; `sinkronisasi` menunjukkan seberapa mutakhir. Angka yang sama tersedia sebagai metrik Prometheus "
    "`ukpbj_indikator{nama=\"...\"}` di `/metrics`.",
    response_model=Indikator,
    responses={200: {"content": {"application/json": {"example": _CONTOH_INDIKATOR}}}, **problem_responses(401, 403)},
)
@lean
async def baca_indikator(request: Request, uow: UowPembacaIndikator) -> Response:
    return Response(await service.indikator_json(uow=uow, antrean_event=antrean_event(request.app),
                                                 cache=cache_baca(request.app)), media_type="application/json")


_CONTOH_OCDS = {
    "uri": "https://ukpbj.kemendagri.go.id/api/v1/data-terbuka/ocds?tahun=2026",
    "version": "1.1",
    "publishedDate": "2026-07-01T08:00:00+07:00",
    "publisher": {"name": "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri"},
    "releases": [{
        "ocid": "ocds-kdnpbj-P-001", "id": "P-001-20260701T010000Z", "date": "2026-07-01T08:00:00+07:00",
        "tag": ["tender", "award"], "initiationType": "tender", "language": "id",
        "parties": [{"id": "satker-biro-umum", "name": "Biro Umum", "roles": ["buyer"]},
                    {"id": "ukpbj-kemendagri", "name": "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri",
                     "roles": ["procuringEntity"], "contactPoint": {"name": "Pokja Pemilihan 07"}},
                    {"id": "penyedia-pt-maju-jaya", "name": "PT Maju Jaya", "roles": ["supplier"]}],
        "buyer": {"id": "satker-biro-umum", "name": "Biro Umum"},
        "planning": {"budget": {"description": "Pagu anggaran Barang, Tahun Anggaran 2026",
                                "amount": {"amount": 1500000000, "currency": "IDR"}}},
        "tender": {"id": "P-001", "title": "Pengadaan Laptop", "status": "complete",
                   "procuringEntity": {"id": "ukpbj-kemendagri",
                                       "name": "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri"},
                   "value": {"amount": 1400000000, "currency": "IDR"}, "procurementMethod": "open",
                   "procurementMethodDetails": "Tender", "mainProcurementCategory": "goods"},
        "awards": [{"id": "P-001-1", "title": "Pengadaan Laptop", "status": "active",
                    "date": "2026-03-10T00:00:00+07:00", "value": {"amount": 1250000000, "currency": "IDR"},
                    "suppliers": [{"id": "penyedia-pt-maju-jaya", "name": "PT Maju Jaya"}]}],
    }],
}


@router.get(
    "/data-terbuka/ocds",
    tags=["data terbuka"],
    summary="Data terbuka OCDS 1.1 / open contracting data",
    description="Paket pengadaan satu tahun anggaran dan hasil pemilihannya sebagai *release package* Open "
    "Contracting Data Standard 1.1 (valid menurut skema OCDS 1.1.5 tanpa ekstensi). Terbuka untuk publik tanpa "
    "token: pelayanan informasi elektronik pengadaan barang/jasa kepada masyarakat luas (Permendagri 53/2021 "
    "Lampiran angka 2.3 huruf d angka 2; Pasal 6 ayat (1) huruf a). Hanya hasil yang dilaporkan Pokja atau "
    "Pejabat Pengadaan kepada Kepala UKPBJ yang dimuat; nama anggota Pokja baru diterbitkan setelah ada hasil. "
    "Tidak memuat NIK, NPWP, atau NIP. Berhalaman: ikuti header `Link: <...>; rel=\"next\"`. Tahun tanpa paket: "
    "404 (paket OCDS wajib memuat paling sedikit satu rilis).",
    responses={200: {"content": {"application/json": {"example": _CONTOH_OCDS}},
                     "headers": {"Link": {"description": "Halaman berikutnya (`rel=\"next\"`) bila ada",
                                          "schema": {"type": "string"}}}},
               **problem_responses(404, 429)},
)
@lean
async def data_terbuka_ocds(
    request: Request,
    uow: UowDataTerbuka,
    tahun: Annotated[int, Query(description="Tahun anggaran paket", examples=[2026])],
    limit: Annotated[int, Query(ge=1, le=service.OCDS_BATAS_MAKS,
                                description=f"Rilis per halaman (maks. {service.OCDS_BATAS_MAKS})")] = 500,
    cursor: Cursor = None,
) -> Response:
    isi, lanjut = await service.data_terbuka_ocds(
        tahun, batas=limit, cursor=cursor, uri=str(request.url),
        ocid_prefix=request.app.state.settings.ocid_prefix, uow=uow, cache=cache_baca(request.app))
    headers = {}
    if lanjut is not None:
        headers["Link"] = f'<{request.url.include_query_params(cursor=lanjut)}>; rel="next"'
    return Response(isi, media_type="application/json", headers=headers)
