import httpx
import pytest

from tests.integration.pelaporan.peristiwa import setahun
from tests.unit.pelaporan.test_ocds import konfigurasi, validasi  # noqa: F401 - konfigurasi is a fixture

pytestmark = pytest.mark.integration


async def ocds(klien, **params) -> httpx.Response:
    respons = await klien.get("/api/v1/data-terbuka/ocds", params=params)
    assert respons.status_code == 200, respons.text
    return respons


async def test_the_packages_of_a_year_are_published_as_ocds_releases_that_validate_with_no_errors(
        klien, terapkan, konfigurasi):  # noqa: F811
    events, ids = setahun(2058)
    await terapkan(events)

    paket = (await ocds(klien, tahun=2058)).json()

    hasil = validasi(paket, konfigurasi)
    assert hasil["validation_errors"] == []
    assert hasil["additional_closed_codelist_values"] == {}
    a, b, c = ids["paket"]
    rilis = {r["tender"]["id"]: r for r in paket["releases"]}
    assert set(rilis) == {a, b, c}
    assert rilis[a]["tender"]["status"] == "complete"
    assert rilis[a]["awards"][0]["value"] == {"amount": 900_000_000, "currency": "IDR"}
    assert rilis[b]["awards"][0]["suppliers"][0]["name"] == "PT Beton"  # the latest reported result
    assert rilis[c]["tender"]["status"] == "active" and "awards" not in rilis[c]


async def test_the_pokja_appears_as_the_contact_point_with_member_names_only_after_a_result(klien, terapkan):
    events, ids = setahun(2060)
    await terapkan(events)

    rilis = {r["tender"]["id"]: r for r in (await ocds(klien, tahun=2060)).json()["releases"]}

    a, _, c = ids["paket"]
    ukpbj = next(p for p in rilis[a]["parties"] if "procuringEntity" in p["roles"])
    assert ukpbj["contactPoint"] == {"name": "Pokja Pemilihan 1"}
    assert ukpbj["details"]["pokjaPemilihan"]["anggota"] == ["Andi Pratama", "Budi Santoso"]
    belum = next(p for p in rilis[c]["parties"] if "procuringEntity" in p["roles"])
    assert belum["contactPoint"] == {"name": "Pokja Pemilihan 2"} and "details" not in belum


async def test_the_open_data_carries_no_nip(klien, terapkan):
    events, ids = setahun(2062)
    await terapkan(events)

    teks = (await ocds(klien, tahun=2062)).text

    assert not any(nip in teks for nip in ids["nip"])


async def test_the_open_data_is_paged_with_a_link_to_the_next_page(klien, terapkan):
    await terapkan(setahun(2064)[0])

    pertama = await ocds(klien, tahun=2064, limit=2)
    berikut = pertama.headers["link"].removeprefix("<").split(">")[0]
    kedua = await klien.get(berikut)

    assert kedua.status_code == 200 and "link" not in kedua.headers
    kode = [r["tender"]["id"] for r in pertama.json()["releases"] + kedua.json()["releases"]]
    assert len(kode) == len(set(kode)) == 3
    assert kode == sorted(kode)


async def test_a_year_without_packages_is_a_404_since_a_release_package_cannot_be_empty(klien):
    respons = await klien.get("/api/v1/data-terbuka/ocds", params={"tahun": 2098})

    assert respons.status_code == 404
    assert respons.headers["content-type"] == "application/problem+json"
    assert "2098" in respons.json()["detail"]


async def test_open_data_is_rate_limited_and_a_cached_page_follows_new_events(migrated, terapkan):
    """issue 9: the rate limit now shares one dependency with the unit of work; a page served from
    the replica's cache is rendered again once an event changed the read models."""
    from tests.conftest import running_app
    from tests.integration.pelaporan.peristiwa import paket_dicatat, uid, wib

    await terapkan([paket_dicatat(f"P-{uid()[:8]}", wib(2059, 2, 1))])
    async with running_app(migrated, "pelaporan", consumers_enabled=False, relay_enabled=False,
                           rate_limit_public_per_minute=2) as klien:
        pertama = (await ocds(klien, tahun=2059)).json()
        kode = f"P-{uid()[:8]}"
        await terapkan([paket_dicatat(kode, wib(2059, 3, 1))])
        kedua = (await ocds(klien, tahun=2059)).json()
        ditolak = await klien.get("/api/v1/data-terbuka/ocds", params={"tahun": 2059})
    assert len(kedua["releases"]) == len(pertama["releases"]) + 1
    assert kode in {r["tender"]["id"] for r in kedua["releases"]}
    assert ditolak.status_code == 429
    assert ditolak.headers["content-type"].startswith("application/problem+json")
