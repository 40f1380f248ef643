from shared.events import REGISTRY, load_contracts
from services.pelaporan.consumers import CONSUMERS


def test_every_event_of_registrasi_pokja_and_helpdesk_has_a_handler_in_exactly_one_consumer():
    load_contracts()
    sumber = {t for t, spec in REGISTRY.items() if spec.service in ("registrasi", "pokja", "helpdesk")}

    ditangani = [t for spec in CONSUMERS for t in spec.handlers]

    assert sorted(ditangani) == sorted(sumber)


def test_there_is_one_consumer_group_per_source_service():
    assert {spec.name: {t.split(".")[0] for t in spec.handlers} for spec in CONSUMERS} == {
        "proyeksi-registrasi": {"registrasi"}, "proyeksi-pokja": {"pokja"}, "proyeksi-helpdesk": {"helpdesk"}}
