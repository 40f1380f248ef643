from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.helpdesk.config import AturanHelpdesk, Settings
from services.helpdesk.domain import Kategori, Prioritas


@pytest.mark.parametrize("nilai", ["2026-12-24,2026-12-31", '["2026-12-24", "2026-12-31"]',
                                   " 2026-12-24 , 2026-12-31 "])
def test_cuti_bersama_are_read_from_a_list_or_comma_separated_dates(monkeypatch, nilai):
    monkeypatch.setenv("HELPDESK_LIBUR_TAMBAHAN", nilai)
    assert Settings().libur_tambahan == [date(2026, 12, 24), date(2026, 12, 31)]


def test_a_declared_day_off_is_not_a_working_day_in_the_rules():
    aturan = AturanHelpdesk.dari(Settings(libur_tambahan=[date(2026, 3, 4)]))
    assert not aturan.kalender.adalah_hari_kerja(date(2026, 3, 4))
    assert aturan.kalender.adalah_hari_kerja(date(2026, 3, 5))


def test_sla_targets_per_priority_and_category_are_configuration(monkeypatch):
    monkeypatch.setenv("HELPDESK_TARGET_SLA", '{"kritis": {"respons_pertama_detik": 900, "penyelesaian_detik": 7200}}')
    monkeypatch.setenv("HELPDESK_TARGET_SLA_KATEGORI",
                       '{"kritis:infrastruktur": {"respons_pertama_detik": 600, "penyelesaian_detik": 3600}}')
    konfigurasi = AturanHelpdesk.dari(Settings()).konfigurasi
    assert konfigurasi.target_sla(Prioritas.KRITIS, Kategori.AKUN).respons_pertama_detik == 900
    assert konfigurasi.target_sla(Prioritas.KRITIS, Kategori.INFRASTRUKTUR).penyelesaian_detik == 3600
    assert konfigurasi.target_sla(Prioritas.RENDAH, Kategori.AKUN).respons_pertama_detik == 4 * 3600


@pytest.mark.parametrize("kunci", ["kritis", "darurat:akun", "kritis:lainnya"])
def test_a_category_target_key_must_name_a_priority_and_a_category(kunci):
    with pytest.raises(ValidationError, match="prioritas:kategori"):
        Settings(target_sla_kategori={kunci: {"respons_pertama_detik": 1, "penyelesaian_detik": 2}})


def test_the_auto_close_window_is_configuration():
    assert AturanHelpdesk.dari(Settings(tutup_otomatis_hari_kerja=5)).konfigurasi.tutup_otomatis_hari_kerja == 5
