import pytest

from shared.pagination import encode_cursor
from tests.conftest import auth

pytestmark = pytest.mark.integration
KEPALA = auth("kepala_ukpbj", sub="196801011990031001")


def masalah(respons, status: int) -> dict:
    assert respons.status_code == status, respons.text
    assert respons.headers["content-type"] == "application/problem+json"
    return respons.json()


@pytest.mark.parametrize("alamat", ["/api/v1/laporan/2031/semester/3", "/api/v1/laporan/2031/semester/0",
                                    "/api/v1/laporan/2031/semester/3/final", "/api/v1/laporan/2031/semester/3/selisih"])
async def test_a_semester_other_than_1_or_2_is_a_422_naming_the_semester(klien, alamat):
    metode = klien.post if alamat.endswith("/final") else klien.get
    body = masalah(await metode(alamat, headers=KEPALA), 422)

    assert body["errors"] == [{"field": "path.semester",
                               "message": f"Semester harus 1 (Januari-Juni) atau 2 (Juli-Desember); diterima "
                                          f"{alamat.split('/')[6]}."}]
    assert body["detail"].startswith("path.semester:")


async def test_a_semester_that_is_not_a_number_is_a_422_naming_it(klien):
    body = masalah(await klien.get("/api/v1/laporan/2031/semester/satu", headers=KEPALA), 422)

    assert [e["field"] for e in body["errors"]] == ["path.semester"]


@pytest.mark.parametrize("tahun", [1999, 2000, 2101])
async def test_a_year_out_of_range_is_a_422_naming_the_year(klien, tahun):
    body = masalah(await klien.get(f"/api/v1/laporan/{tahun}/tahunan", headers=KEPALA), 422)

    assert [e["field"] for e in body["errors"]] == ["path.tahun"]


async def test_an_unknown_format_is_a_422_naming_format_and_the_allowed_values(klien):
    body = masalah(await klien.get("/api/v1/laporan/2031/tahunan", params={"format": "docx"}, headers=KEPALA), 422)

    assert [e["field"] for e in body["errors"]] == ["query.format"]
    for nilai in ("json", "csv", "xlsx", "pdf"):
        assert nilai in body["errors"][0]["message"]


async def test_reading_a_report_needs_a_token(klien):
    respons = await klien.get("/api/v1/laporan/2031/tahunan")

    masalah(respons, 401)
    assert respons.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("peran", ["kepala_ukpbj", "admin_ukpbj", "pimpinan"])
async def test_the_head_the_admin_and_the_report_readers_may_read_a_report(klien, peran):
    assert (await klien.get("/api/v1/laporan/2031/semester/1", headers=auth(peran))).status_code == 200


@pytest.mark.parametrize("peran", ["verifikator", "helpdesk", "penyedia", "layanan"])
async def test_other_roles_may_not_read_a_report(klien, peran):
    masalah(await klien.get("/api/v1/laporan/2031/semester/1", headers=auth(peran)), 403)


@pytest.mark.parametrize("peran", ["admin_ukpbj", "pimpinan"])
async def test_only_the_head_of_the_unit_may_finalise_a_report(klien, peran):
    body = masalah(await klien.post("/api/v1/laporan/2013/semester/1/final", headers=auth(peran)), 403)

    assert body["peran_diizinkan"] == ["kepala_ukpbj"]


@pytest.mark.parametrize("peran", ["penyedia", "ppk"])
async def test_the_live_indicators_are_for_staff_readers_and_other_systems_only(klien, peran):
    masalah(await klien.get("/api/v1/indikator", headers=auth(peran)), 403)


async def test_the_open_data_needs_a_budget_year(klien):
    body = masalah(await klien.get("/api/v1/data-terbuka/ocds"), 422)

    assert [e["field"] for e in body["errors"]] == ["query.tahun"]


@pytest.mark.parametrize("cursor", ["!!", encode_cursor(7), encode_cursor("A\x00"), encode_cursor("A", "B")])
async def test_the_open_data_refuses_a_cursor_it_did_not_make(klien, cursor):
    body = masalah(await klien.get("/api/v1/data-terbuka/ocds", params={"tahun": 2031, "cursor": cursor}), 422)

    assert [e["field"] for e in body["errors"]] == ["query.cursor"]
