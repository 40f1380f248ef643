import pytest
from pydantic import ValidationError

from services.registrasi.config import Settings
from services.registrasi.domain import SYARAT_DOKUMEN_BAKU, JenisDokumen


def test_the_default_required_documents_are_the_regulations():
    assert Settings().syarat == SYARAT_DOKUMEN_BAKU


def test_required_documents_are_configuration():
    syarat = Settings(syarat_dokumen={"penyedia": ["ktp", "nib"], "non_penyedia": ["sk"]}).syarat
    assert syarat["penyedia"] == (frozenset({JenisDokumen.KTP}), frozenset({JenisDokumen.NIB}))


@pytest.mark.parametrize("syarat", [
    {"penyedia": ["ktp", "siup"], "non_penyedia": ["sk"]},
    {"penyedia": ["ktp"]},
])
def test_a_wrong_required_documents_setting_fails_at_start_up(syarat):
    with pytest.raises(ValidationError):
        Settings(syarat_dokumen=syarat)


def test_required_documents_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("REGISTRASI_SYARAT_DOKUMEN", '{"penyedia": ["ktp"], "non_penyedia": ["surat_tugas"]}')
    assert Settings().syarat["non_penyedia"] == (frozenset({JenisDokumen.SURAT_TUGAS}),)
