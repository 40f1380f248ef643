from __future__ import annotations

from datetime import datetime

import pytest

from services.helpdesk.domain import Aktor, JenisPengumuman, Pengumuman, PengumumanDiterbitkan
from shared.errors import Forbidden, ValidationFailed
from tests.unit.helpdesk.bantuan import HELPDESK, KASUBBAG, wib

ADMIN_SISTEM = Aktor("198801012012011004", frozenset({"admin_sistem"}))


def terbitkan(**ubah: object) -> Pengumuman:
    data: dict[str, object] = {
        "id": "P-1", "judul": "Pemeliharaan server SPSE", "isi": "SPSE tidak dapat diakses.", "jenis": "pemeliharaan",
        "mulai": wib(2026, 1, 10, 20), "selesai": wib(2026, 1, 11, 2), "aktor": KASUBBAG, "waktu": wib(2026, 1, 9, 9)}
    data.update(ubah)
    return Pengumuman.terbitkan(**data)  # type: ignore[arg-type]


def test_publishing_an_announcement_records_it():
    pengumuman = terbitkan(aktor=ADMIN_SISTEM)
    assert pengumuman.jenis is JenisPengumuman.PEMELIHARAAN
    assert pengumuman.events == [PengumumanDiterbitkan(
        "P-1", wib(2026, 1, 9, 9), JenisPengumuman.PEMELIHARAAN, "Pemeliharaan server SPSE",
        wib(2026, 1, 10, 20), wib(2026, 1, 11, 2))]


@pytest.mark.parametrize(("now", "aktif"), [
    (wib(2026, 1, 10, 19, 59, 59), False),
    (wib(2026, 1, 10, 20), True),
    (wib(2026, 1, 11, 1, 59, 59), True),
    (wib(2026, 1, 11, 2), False),
])
def test_an_announcement_is_active_from_its_start_until_just_before_its_end(now, aktif):
    assert terbitkan().aktif(now) is aktif


@pytest.mark.parametrize("selesai", [wib(2026, 1, 10, 20), wib(2026, 1, 10, 19)])
def test_an_end_at_or_before_the_start_is_refused_on_the_end_field(selesai):
    with pytest.raises(ValidationFailed) as galat:
        terbitkan(selesai=selesai)
    [salah] = galat.value.errors
    assert salah.field == "selesai" and "harus setelah mulai" in salah.message


def test_an_announcement_that_has_already_ended_is_refused():
    with pytest.raises(ValidationFailed, match="sudah lewat"):
        terbitkan(mulai=wib(2026, 1, 1, 8), selesai=wib(2026, 1, 2, 8))


def test_every_wrong_field_of_an_announcement_is_reported_at_once():
    with pytest.raises(ValidationFailed) as galat:
        terbitkan(judul="", jenis="promosi", mulai=datetime(2026, 1, 10, 20))
    assert {e.field for e in galat.value.errors} == {"judul", "jenis", "mulai"}


def test_the_helpdesk_role_cannot_publish_announcements():
    with pytest.raises(Forbidden):
        terbitkan(aktor=HELPDESK)
