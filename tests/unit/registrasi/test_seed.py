from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from services.registrasi import seed
from services.registrasi.domain import Pendaftaran
from services.registrasi.identitas import normalisasi_npwp
from services.registrasi.repository import data_dari_json
from shared.berkas import deteksi_jenis_konten


def data(body: dict) -> Any:
    isi = dict(body)
    return data_dari_json(isi.pop("jenis"), isi)


@pytest.mark.parametrize("i", range(len(seed.PENYEDIA)))
def test_every_demo_provider_passes_the_identifier_rules(i):
    p = seed.PENYEDIA[i]
    hasil = Pendaftaran.ajukan("x", data(seed.body_penyedia(i, p)), hari_ini=date(2026, 11, 30))
    assert all("Luhn" not in w for w in hasil.peringatan)
    assert hasil.data.npwp == (p.pj.nik if p.bentuk_usaha == "perorangan" else hasil.data.npwp)


@pytest.mark.parametrize("g", seed.PEMERINTAH, ids=lambda g: g.user_id)
def test_every_demo_government_user_has_an_agreeing_nik_and_nip(g):
    assert Pendaftaran.ajukan("x", data(seed.body_pemerintah(g)), hari_ini=date(2026, 11, 30)).peringatan == []


def test_demo_identifiers_are_unique():
    bodies = [seed.body_penyedia(i, p) for i, p in enumerate([*seed.PENYEDIA, seed.DAFTAR_HITAM])]
    for kunci in ("npwp", "nib", "user_id", "email"):
        nilai = [normalisasi_npwp(b[kunci]).npwp16 if kunci == "npwp" else b[kunci] for b in bodies]
        assert len(set(nilai)) == len(nilai), kunci
    assert len({seed.body_pemerintah(g)["nip"] for g in seed.PEMERINTAH}) == len(seed.PEMERINTAH)


def test_the_demo_mix_has_every_kind_of_provider_and_decision():
    assert {p.bentuk_usaha for p in seed.PENYEDIA} >= {"pt", "cv", "firma", "koperasi", "perorangan"}
    assert {p.keputusan for p in seed.PENYEDIA} == {"disetujui", "ditolak", "perlu_perbaikan", None}
    assert len(seed.PENYEDIA) == 20 and len(seed.PEMERINTAH) == 10


@pytest.mark.parametrize("dasar", ["31216600", "00000000", "99999999", "12345678"])
def test_a_built_entity_npwp_passes_the_check_digit(dasar):
    assert normalisasi_npwp(seed.npwp_badan(dasar)).peringatan == []


def test_the_demo_files_are_a_real_pdf_and_png():
    assert deteksi_jenis_konten(seed.pdf("Akta")[:16]) == "application/pdf"
    assert deteksi_jenis_konten(seed.png()[:16]) == "image/png"
    assert seed.pdf("Akta").rstrip().endswith(b"%%EOF")


@dataclass
class _Jawaban:
    status_code: int
    isi: dict
    headers: dict = field(default_factory=dict)

    def json(self) -> dict:
        return self.isi


@dataclass
class _Kemajuan:
    n: int = 0

    def update(self, k: int) -> None:
        self.n += k


@dataclass
class _KonteksPalsu:
    """A hand-written fake of SeedContext: answers like registrasi would, counts requests and progress."""

    sudah_ada: bool = False
    dibatasi: int = 0  # how many self-registrations answer 429 before the limit lets them through
    progress: _Kemajuan = field(default_factory=_Kemajuan)
    panggilan: list[tuple[str, str]] = field(default_factory=list)
    shared: dict = field(default_factory=dict)

    def token(self, *roles: str, sub: str | None = None, nip: str | None = None) -> dict[str, str]:
        return {"Authorization": "Bearer palsu"}

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> _Jawaban:
        self.panggilan.append((method, path))
        self.progress.update(1)
        if path == "/api/v1/pendaftaran" and self.dibatasi:
            self.dibatasi -= 1
            return _Jawaban(429, {}, {"retry-after": "0"})
        if path == "/api/v1/pendaftaran" and 422 not in kwargs.get("expect", ()):
            if self.sudah_ada:
                return _Jawaban(409, {})
            return _Jawaban(201, {"id": f"p{len(self.panggilan)}", "token_akses": "t"})
        if path.endswith("/verifikasi"):
            disetujui = kwargs["json"]["keputusan"] == "disetujui"
            return _Jawaban(200, {"pengguna_id": f"u{len(self.panggilan)}" if disetujui else None})
        return _Jawaban(201, {})


@pytest.mark.parametrize("sudah_ada", [False, True])
async def test_steps_counts_the_progress_of_a_first_run_and_of_a_rerun(sudah_ada):
    ctx = _KonteksPalsu(sudah_ada=sudah_ada)
    await seed.seed(ctx)  # type: ignore[arg-type]
    assert ctx.progress.n == seed.STEPS
    if not sudah_ada:
        assert len(ctx.panggilan) == seed.STEPS
        assert ("POST", "/api/v1/daftar-hitam") in ctx.panggilan
        assert sum(1 for _, p in ctx.panggilan if p.endswith("/nonaktifkan")) == 1
        assert len(ctx.shared["registrasi.pegawai"]) == len(seed.PEMERINTAH)


async def test_a_rate_limited_registration_is_waited_out_and_retried_without_skewing_the_progress():
    ctx = _KonteksPalsu(dibatasi=3)
    await seed.seed(ctx)  # type: ignore[arg-type]
    assert ctx.progress.n == seed.STEPS
    assert len(ctx.panggilan) == seed.STEPS + 3
    assert len(ctx.shared["registrasi.pegawai"]) == len(seed.PEMERINTAH)
