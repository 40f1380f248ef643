import pytest
from pydantic import ValidationError

from services.registrasi.schemas import AlasanStatus, PendaftaranPerbaikan, Verifikasi


@pytest.mark.parametrize("teks", ["a\u0000b", "\u0007", "x\u001b[31m", "\ud800", "a\u007fb"])
def test_text_with_a_control_character_or_lone_surrogate_is_refused(teks):
    with pytest.raises(ValidationError) as galat:
        AlasanStatus(alasan=teks)
    assert galat.value.errors()[0]["loc"] == ("alasan",)


@pytest.mark.parametrize("teks", ["Baris satu\nbaris dua", "Tab\tdi sini", "Jl. Pattimura No. 5 — Ambon", "Ñ 日本"])
def test_ordinary_text_with_newlines_tabs_and_non_latin_letters_is_accepted(teks):
    assert AlasanStatus(alasan=teks).alasan == teks.strip()


def test_every_item_of_a_list_is_checked():
    with pytest.raises(ValidationError) as galat:
        Verifikasi(keputusan="perlu_perbaikan", kekurangan=["ktp", "npwp\u0000"])
    assert galat.value.errors()[0]["loc"] == ("kekurangan",)


def test_nested_objects_are_checked():
    with pytest.raises(ValidationError) as galat:
        PendaftaranPerbaikan(penanggung_jawab={"nama": "B\u0000", "nik": "1", "jabatan": "Direktur"})
    assert galat.value.errors()[0]["loc"] == ("penanggung_jawab", "nama")


def test_a_resubmission_only_knows_the_fields_that_were_sent():
    assert PendaftaranPerbaikan(telepon="021-555").model_dump(exclude_unset=True) == {"telepon": "021-555"}
    with pytest.raises(ValidationError):
        PendaftaranPerbaikan(jenis="non_penyedia")
