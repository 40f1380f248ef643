from __future__ import annotations

import pytest

from services.helpdesk.domain import (
    AlasanEskalasi,
    StatusTiket,
    TiketDieskalasi,
    TingkatEskalasi,
)
from shared.errors import Forbidden, InvalidState, RuleViolation, ValidationFailed
from tests.unit.helpdesk.bantuan import HELPDESK, KASUBBAG, PELAPOR, tiket_baru, wib

TIDAK_DAPAT = "tidak_dapat_diselesaikan"


def tiket_di_kasubbag():
    tiket = tiket_baru()
    tiket.eskalasi(HELPDESK, "kasubbag_lpse", wib(2026, 1, 5, 10))
    return tiket


def tiket_di_lkpp_eproc():
    tiket = tiket_di_kasubbag()
    tiket.eskalasi(KASUBBAG, "lkpp_eproc", wib(2026, 1, 5, 11), alasan=TIDAK_DAPAT, referensi_lkpp="LKPP-2026-0001")
    return tiket


def test_the_helpdesk_escalates_to_the_kasubbag_lpse():
    tiket = tiket_di_kasubbag()
    assert (tiket.status, tiket.tingkat) == (StatusTiket.DIESKALASI, TingkatEskalasi.KASUBBAG_LPSE)
    assert tiket.events[-1] == TiketDieskalasi("T-1", wib(2026, 1, 5, 10), TingkatEskalasi.HELPDESK,
                                               TingkatEskalasi.KASUBBAG_LPSE, HELPDESK.sub, None, None)


def test_the_kasubbag_forwards_to_lkpp_with_a_reason_and_lkpps_ticket_reference():
    tiket = tiket_di_lkpp_eproc()
    eskalasi = tiket.riwayat_eskalasi[-1]
    assert (eskalasi.ke, eskalasi.alasan, eskalasi.referensi_lkpp) == (
        TingkatEskalasi.LKPP_EPROC, AlasanEskalasi.TIDAK_DAPAT_DISELESAIKAN, "LKPP-2026-0001")
    assert tiket.events[-1].referensi_lkpp == "LKPP-2026-0001"


def test_the_full_chain_is_kept_in_order():
    tiket = tiket_di_lkpp_eproc()
    tiket.eskalasi(KASUBBAG, "lkpp_teknis", wib(2026, 1, 6, 9), alasan="belum_tercakup_spse")
    assert [(e.dari, e.ke) for e in tiket.riwayat_eskalasi] == [
        ("helpdesk", "kasubbag_lpse"), ("kasubbag_lpse", "lkpp_eproc"), ("lkpp_eproc", "lkpp_teknis")]


def test_the_helpdesk_role_cannot_forward_to_lkpp():
    with pytest.raises(Forbidden, match=r"Lampiran 2\.5\.3"):
        tiket_di_kasubbag().eskalasi(HELPDESK, "lkpp_eproc", wib(2026, 1, 5, 11), alasan=TIDAK_DAPAT)


def test_the_reporter_cannot_escalate():
    with pytest.raises(Forbidden):
        tiket_baru().eskalasi(PELAPOR, "kasubbag_lpse", wib(2026, 1, 5, 10))


@pytest.mark.parametrize("alasan", [None, "mendesak"])
def test_forwarding_to_lkpp_requires_a_reason_from_lampiran_2_5_3(alasan):
    tiket = tiket_di_kasubbag()
    with pytest.raises(RuleViolation) as galat:
        tiket.eskalasi(KASUBBAG, "lkpp_eproc", wib(2026, 1, 5, 11), alasan=alasan)
    assert "Lampiran 2.5.3" in galat.value.rule
    assert "tidak_dapat_diselesaikan" in galat.value.detail and "belum_tercakup_spse" in galat.value.detail
    assert tiket.tingkat is TingkatEskalasi.KASUBBAG_LPSE


def test_lkpp_teknis_also_requires_a_reason():
    with pytest.raises(RuleViolation):
        tiket_di_lkpp_eproc().eskalasi(KASUBBAG, "lkpp_teknis", wib(2026, 1, 6, 9))


def test_a_level_cannot_be_skipped():
    with pytest.raises(RuleViolation, match="kasubbag_lpse lebih dahulu"):
        tiket_baru().eskalasi(KASUBBAG, "lkpp_eproc", wib(2026, 1, 5, 10), alasan=TIDAK_DAPAT)


@pytest.mark.parametrize("tingkat", ["kasubbag_lpse", "lkpp_eproc"])
def test_escalation_never_goes_backwards_or_stays_put(tingkat):
    with pytest.raises(RuleViolation, match="tidak dapat mundur"):
        tiket_di_lkpp_eproc().eskalasi(KASUBBAG, tingkat, wib(2026, 1, 6, 9), alasan=TIDAK_DAPAT)


def test_an_unknown_level_is_refused_listing_the_levels():
    with pytest.raises(ValidationFailed, match="kasubbag_lpse"):
        tiket_baru().eskalasi(HELPDESK, "menteri", wib(2026, 1, 5, 10))


def test_an_lkpp_reference_belongs_only_to_an_escalation_to_lkpp():
    with pytest.raises(ValidationFailed):
        tiket_baru().eskalasi(HELPDESK, "kasubbag_lpse", wib(2026, 1, 5, 10), referensi_lkpp="LKPP-1")


def test_a_ticket_waiting_for_the_reporter_is_not_escalated():
    tiket = tiket_baru()
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 10))
    with pytest.raises(InvalidState, match="tunggu tanggapan pelapor"):
        tiket.eskalasi(HELPDESK, "kasubbag_lpse", wib(2026, 1, 5, 11))


def test_a_resolved_ticket_is_not_escalated():
    tiket = tiket_baru()
    tiket.selesaikan(HELPDESK, "Sudah diperbaiki.", wib(2026, 1, 5, 10))
    with pytest.raises(InvalidState):
        tiket.eskalasi(HELPDESK, "kasubbag_lpse", wib(2026, 1, 5, 11))


def test_a_reporter_reply_to_a_question_at_an_escalated_level_keeps_it_escalated():
    tiket = tiket_di_kasubbag()
    tiket.tunggu_pelapor(KASUBBAG, "LKPP meminta log peramban.", wib(2026, 1, 5, 11))
    tiket.tanggapi(PELAPOR, "Log terlampir.", wib(2026, 1, 5, 13))
    assert tiket.status is StatusTiket.DIESKALASI


def test_a_ticket_resolved_at_lkpp_level_records_that_level():
    tiket = tiket_di_lkpp_eproc()
    tiket.selesaikan(KASUBBAG, "Perbaikan dari LKPP sudah dipasang.", wib(2026, 1, 7, 9))
    assert tiket.status is StatusTiket.SELESAI
    assert tiket.events[-1].tingkat is TingkatEskalasi.LKPP_EPROC
