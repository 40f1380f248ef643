from datetime import date

import pytest

from services.registrasi.domain import (
    ATURAN_VERIFIKATOR,
    JenisPendaftaran,
    Pengguna,
    PenggunaDiaktifkan,
    PenggunaDinonaktifkan,
    PenggunaKedaluwarsa,
    StatusPengguna,
    sudah_kedaluwarsa,
)
from shared.errors import InvalidState, RuleViolation

S = StatusPengguna
SK_BERAKHIR = date(2025, 12, 31)


def pengguna(status=S.AKTIF, berlaku_sampai=SK_BERAKHIR) -> Pengguna:
    return Pengguna(id="usr-1", pendaftaran_id="pdf-1", jenis=JenisPendaftaran.NON_PENYEDIA,
                    user_id="siti.rahmawati", berlaku_sampai=berlaku_sampai, status=status)


def nonaktifkan(p):
    return p.nonaktifkan(alasan="Melanggar syarat penggunaan", oleh="verif")


def aktifkan(p):
    return p.aktifkan(alasan="Klarifikasi diterima", oleh="verif", hari_ini=date(2025, 6, 2))


@pytest.mark.parametrize(("status", "aksi", "status_akhir", "event"), [
    (S.AKTIF, nonaktifkan, S.NONAKTIF, PenggunaDinonaktifkan("usr-1", "Melanggar syarat penggunaan", "verif")),
    (S.NONAKTIF, aktifkan, S.AKTIF, PenggunaDiaktifkan("usr-1", "Klarifikasi diterima", "verif")),
])
def test_an_allowed_user_transition_moves_the_user_and_records_its_event(status, aksi, status_akhir, event):
    p = pengguna(status)
    assert aksi(p) == event
    assert (p.status, p.events) == (status_akhir, [event])


@pytest.mark.parametrize(("status", "aksi"), [
    (S.AKTIF, aktifkan),
    (S.NONAKTIF, nonaktifkan),
    (S.KEDALUWARSA, aktifkan),
    (S.KEDALUWARSA, nonaktifkan),
])
def test_a_forbidden_user_transition_is_an_invalid_state_and_changes_nothing(status, aksi):
    p = pengguna(status)
    with pytest.raises(InvalidState) as galat:
        aksi(p)
    assert (p.status, p.events) == (status, [])
    assert f"Pengguna berstatus {status}" in galat.value.detail


@pytest.mark.parametrize(("status", "aksi"), [
    (S.AKTIF, lambda p: p.nonaktifkan(alasan=" ", oleh="verif")),
    (S.NONAKTIF, lambda p: p.aktifkan(alasan="", oleh="verif", hari_ini=date(2025, 6, 2))),
])
def test_deactivating_or_reactivating_without_a_reason_is_refused(status, aksi):
    p = pengguna(status)
    with pytest.raises(RuleViolation) as galat:
        aksi(p)
    assert galat.value.rule == ATURAN_VERIFIKATOR
    assert [e.field for e in galat.value.errors] == ["alasan"]
    assert p.status is status


def test_a_deactivated_government_user_whose_sk_has_ended_cannot_be_reactivated():
    p = pengguna(S.NONAKTIF, berlaku_sampai=date(2025, 5, 31))
    with pytest.raises(RuleViolation) as galat:
        aktifkan(p)
    assert "berakhir 31 Mei 2025" in galat.value.detail
    assert p.status is S.NONAKTIF


def test_a_deactivated_provider_can_be_reactivated_at_any_time():
    p = pengguna(S.NONAKTIF, berlaku_sampai=None)
    aktifkan(p)
    assert p.status is S.AKTIF


@pytest.mark.parametrize("status", [S.AKTIF, S.NONAKTIF])
def test_a_government_user_expires_once_the_sk_end_date_has_passed(status):
    p = pengguna(status)
    assert p.perbarui_masa_berlaku(date(2026, 1, 1)) == PenggunaKedaluwarsa("usr-1", SK_BERAKHIR)
    assert p.status is S.KEDALUWARSA


@pytest.mark.parametrize("hari_ini", [date(2025, 6, 2), SK_BERAKHIR])
def test_a_government_user_is_still_active_up_to_and_including_the_sk_end_date(hari_ini):
    p = pengguna()
    assert p.perbarui_masa_berlaku(hari_ini) is None
    assert (p.status, p.events) == (S.AKTIF, [])


def test_expiry_is_safe_to_repeat():
    p = pengguna()
    p.perbarui_masa_berlaku(date(2026, 1, 1))
    assert p.perbarui_masa_berlaku(date(2026, 1, 2)) is None
    assert len(p.events) == 1


def test_a_provider_never_expires():
    p = pengguna(berlaku_sampai=None)
    assert p.perbarui_masa_berlaku(date(2099, 1, 1)) is None
    assert p.status is S.AKTIF


@pytest.mark.parametrize(("berlaku_sampai", "hari_ini", "kedaluwarsa"), [
    (date(2025, 12, 31), date(2025, 12, 30), False),
    (date(2025, 12, 31), date(2025, 12, 31), False),
    (date(2025, 12, 31), date(2026, 1, 1), True),
    (date(2024, 2, 29), date(2024, 3, 1), True),
    (date(2024, 2, 29), date(2024, 2, 28), False),
])
def test_access_expires_the_day_after_berlaku_sampai(berlaku_sampai, hari_ini, kedaluwarsa):
    assert sudah_kedaluwarsa(berlaku_sampai, hari_ini) is kedaluwarsa
