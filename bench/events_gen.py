"""A year of realistic events in the contract's own models (shared/contracts), for pelaporan's report.

Whole lifecycles, each aggregate's events in order with increasing versions:
- registrations: submitted; approved (+ user activated), refused, or sent back for fixes and resubmitted;
  some users later deactivated or expired; a few blacklist entries and refusals at the door;
- packages: recorded with a method from the thresholds; assigned to a Pokja (tender, seleksi) or a
  Pejabat Pengadaan (pengadaan langsung); most report a result (selesai/gagal, contract value);
  Pokja formed, changed and dissolved;
- tickets: opened, assigned, first response (with business-time SLA figures), some escalated,
  resolved, closed (confirmed or automatically), rated; SLA breaches; reopenings; announcements;
  berita acara.

Every id, package code included, is a UUID string (the report loader clones rows by rewriting UUIDs).
Deterministic for a seed.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from shared.events import REGISTRY, Envelope, load_contracts
from bench.template import nip as make_nip

WIB_OFFSET = timedelta(hours=7)


class Generator:
    def __init__(self, year: int, seed: int = 9) -> None:
        load_contracts()
        self.year = year
        self.rng = random.Random(seed)
        self.start = datetime(year, 1, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB
        self.end = min(datetime(year, 12, 31, 9, 0, tzinfo=UTC), datetime.now(UTC) - timedelta(hours=1))
        self.events: list[Envelope] = []
        self.versions: dict[str, int] = {}
        self.nips = [make_nip(7_000_000 + i) for i in range(240)]
        self.pokja_open: list[tuple[str, list[str]]] = []
        self.pejabat: list[tuple[str, str]] = []
        self.handled: set[str] | None = None

    # ------------------------------------------------------------------ helpers

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def when(self) -> datetime:
        span = (self.end - self.start).total_seconds()
        return self.start + timedelta(seconds=self.rng.random() * span)

    def later(self, t: datetime, lo_h: float, hi_h: float) -> datetime:
        return min(t + timedelta(hours=self.rng.uniform(lo_h, hi_h)), self.end)

    def emit(self, type_: str, aggregate_id: str, at: datetime, **data: object) -> None:
        version = self.versions.get(aggregate_id, 0) + 1
        self.versions[aggregate_id] = version
        if self.handled is not None and type_ not in self.handled:
            return  # versions still count it: the consumer sees the gap a real stream would show
        spec = REGISTRY[type_]
        payload = spec.payload(waktu=at, **data) if "waktu" in spec.payload.model_fields else spec.payload(**data)
        self.events.append(Envelope(
            id=self.uid(), source=f"/ukpbj/{spec.service}", type=type_, time=at, subject=aggregate_id,
            aggregateid=aggregate_id, aggregateversion=version, data=payload.model_dump(mode="json")))

    def pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # ------------------------------------------------------------------ registrasi

    def registration(self) -> None:
        rid, t = self.uid(), self.when()
        jenis = self.pick({"penyedia": 0.7, "non_penyedia": 0.3})
        bentuk = (self.pick({"pt": 0.45, "cv": 0.35, "perorangan": 0.15, "koperasi": 0.05})
                  if jenis == "penyedia" else None)
        base = {"pendaftaran_id": rid, "jenis": jenis, "bentuk_usaha": bentuk}
        if self.rng.random() < 0.01:
            self.emit("registrasi.pendaftaran.ditolak_daftar_hitam", self.uid(), t, percobaan_id=self.uid(),
                      jenis="penyedia", bentuk_usaha=bentuk or "pt", daftar_hitam_id=self.uid(),
                      daftar_hitam_selesai=date(self.year + 1, 6, 30))
            return
        self.emit("registrasi.pendaftaran.diajukan", rid, t, status="diajukan", **base)
        submitted, waiting = t, t
        outcome = self.pick({"disetujui": 0.6, "ditolak": 0.15, "perbaikan": 0.2, "menunggu": 0.05})
        if outcome == "menunggu":
            return
        t = self.later(t, 2, 60)
        decision = {"diajukan_pada": submitted, "menunggu_sejak": waiting,
                    "diputuskan_oleh": self.rng.choice(self.nips)}
        if outcome == "ditolak":
            self.emit("registrasi.pendaftaran.ditolak", rid, t, status="ditolak", alasan="Dokumen tidak sesuai",
                      karena_daftar_hitam=False, **base, **decision)
            return
        if outcome == "perbaikan":
            self.emit("registrasi.pendaftaran.perlu_perbaikan", rid, t, status="perlu_perbaikan",
                      alasan="Pindaian KTP buram", dokumen_kurang=["ktp"], **base, **decision)
            t = self.later(t, 4, 120)
            waiting = t
            self.emit("registrasi.pendaftaran.diajukan", rid, t, status="diajukan", diajukan_ulang=True, **base)
            t = self.later(t, 2, 48)
            decision = {**decision, "menunggu_sejak": waiting}
        pid, user_id = self.uid(), f"user{self.rng.getrandbits(40)}"
        self.emit("registrasi.pendaftaran.disetujui", rid, t, status="disetujui", pengguna_id=pid, user_id=user_id,
                  **base, **decision)
        person = {"pengguna_id": pid, "user_id": user_id, "jenis": jenis, "nama": "Pengguna Bench",
                  "nip": self.rng.choice(self.nips) if jenis == "non_penyedia" else None,
                  "peran": ["pokja"] if jenis == "non_penyedia" else [],
                  "satuan_kerja": "Biro Umum" if jenis == "non_penyedia" else None,
                  "instansi": "Kementerian Dalam Negeri" if jenis == "non_penyedia" else None,
                  "berlaku_sampai": date(self.year, 12, 31) if jenis == "non_penyedia" else None}
        self.emit("registrasi.pengguna.diaktifkan", pid, t, status="aktif", pendaftaran_id=rid, **person)
        r = self.rng.random()
        if r < 0.04:
            self.emit("registrasi.pengguna.dinonaktifkan", pid, self.later(t, 24, 2000), status="nonaktif",
                      alasan="Berbagi akun", **person)
        elif r < 0.08 and jenis == "non_penyedia":
            self.emit("registrasi.pengguna.kedaluwarsa", pid, self.later(t, 500, 4000), status="kedaluwarsa",
                      **person)
        if self.rng.random() < 0.005:
            self.emit("registrasi.daftar_hitam.dicatat", self.uid(), t, daftar_hitam_id=self.uid(),
                      jenis_pelanggaran=self.pick({"etika": 0.4, "non_etika": 0.6}), mulai=t.date(),
                      selesai=t.date() + timedelta(days=365))

    # ------------------------------------------------------------------ pokja

    def package(self) -> None:
        kode, t = self.uid(), self.when()
        jenis = self.pick({"barang": 0.35, "pekerjaan_konstruksi": 0.25, "jasa_konsultansi": 0.15,
                           "jasa_lainnya": 0.25})
        pagu = int(min(5e10, max(5e6, self.rng.lognormvariate(19.5, 1.4)))) // 1000 * 1000
        hps = pagu * self.rng.randint(93, 100) // 100
        limit = 100_000_000 if jenis == "jasa_konsultansi" else 200_000_000
        if pagu <= limit:
            metode = self.pick({"pengadaan_langsung": 0.85, "e_purchasing": 0.15})
        elif jenis == "jasa_konsultansi":
            metode = "seleksi"
        else:
            metode = self.pick({"tender": 0.8, "tender_cepat": 0.1, "e_purchasing": 0.07, "penunjukan_langsung": 0.03})
        self.emit("pokja.paket.dicatat", kode, t, kode=kode, nama=f"Pengadaan {jenis}", satuan_kerja="Biro Umum",
                  jenis_pengadaan=jenis, pagu=pagu, hps=hps, tahun_anggaran=self.year, metode_pemilihan=metode)
        if self.rng.random() < 0.03:
            t = self.later(t, 1, 48)
            metode = "tender" if metode != "tender" else "tender_cepat"
            self.emit("pokja.paket.metode_diubah", kode, t, kode=kode, metode_pemilihan=metode,
                      alasan="Kebutuhan mendesak")
        t = self.later(t, 24, 240)
        if metode == "pengadaan_langsung":
            if not self.pejabat or self.rng.random() < 0.1:
                pen, pnip = self.uid(), self.rng.choice(self.nips)
                self.emit("pokja.pejabat_pengadaan.ditugaskan", pen, t, penugasan_id=pen, nip=pnip,
                          satuan_kerja="Biro Umum", nomor_permintaan_kpa=f"KPA/{self.rng.randint(1, 9999)}")
                self.pejabat.append((pen, pnip))
            pen, pnip = self.rng.choice(self.pejabat)
            self.emit("pokja.pejabat_pengadaan.paket_ditugaskan", pen, t, penugasan_id=pen, nip=pnip, kode_paket=kode)
            pelaksana, pelaksana_id = "pejabat_pengadaan", pnip
        elif metode == "e_purchasing":
            pelaksana, pelaksana_id = "pejabat_pengadaan", self.rng.choice(self.nips)
        else:
            if not self.pokja_open or self.rng.random() < 0.2:
                pid = self.uid()
                members = self.rng.sample(self.nips, 3)
                self.emit("pokja.pokja.dibentuk", pid, t, pokja_id=pid, nama="Pokja Pemilihan",
                          nomor_sk=f"900/{self.rng.randint(1, 9999)}/UKPBJ", anggota=members, paket=[])
                self.pokja_open.append((pid, members))
                if len(self.pokja_open) > 30:
                    old, _ = self.pokja_open.pop(0)
                    self.emit("pokja.pokja.dibubarkan", old, t, pokja_id=old, alasan="Tugas selesai")
            pid, members = self.rng.choice(self.pokja_open)
            self.emit("pokja.pokja.paket_ditugaskan", pid, t, pokja_id=pid, kode_paket=kode)
            if self.rng.random() < 0.02:
                self.emit("pokja.pokja.penggantian_diperlukan", pid, t, pokja_id=pid, nip=members[0],
                          status_spse="nonaktif")
            pelaksana, pelaksana_id = "pokja", pid
        if self.rng.random() < 0.85:
            t = self.later(t, 72, 1200)
            selesai = self.rng.random() < 0.88
            self.emit("pokja.paket.hasil_pemilihan_dilaporkan", kode, t, kode=kode,
                      status="selesai" if selesai else "gagal", tanggal=t.date(),
                      nilai_kontrak=hps * self.rng.randint(85, 99) // 100 if selesai else None,
                      pemenang="PT Pemenang Bench" if selesai else None, pelapor_nip=self.rng.choice(self.nips),
                      pelaksana=pelaksana, pelaksana_id=pelaksana_id, jenis_pengadaan=jenis,
                      metode_pemilihan=metode, pagu=pagu, hps=hps, tahun_anggaran=self.year)

    # ------------------------------------------------------------------ helpdesk

    def ticket(self) -> None:
        tid, t = self.uid(), self.when()
        kategori = self.pick({"aplikasi": 0.45, "akun": 0.25, "infrastruktur": 0.1, "informasi": 0.15,
                              "non_teknis": 0.05})
        prioritas = self.pick({"rendah": 0.3, "sedang": 0.45, "tinggi": 0.2, "kritis": 0.05})
        target_r, target_s = {"rendah": (14400, 86400), "sedang": (7200, 43200), "tinggi": (3600, 14400),
                              "kritis": (900, 7200)}[prioritas]
        luar = kategori == "non_teknis"
        self.emit("helpdesk.tiket.dibuat", tid, t, tiket_id=tid, kategori=kategori,
                  kanal=self.pick({"web": 0.6, "email": 0.2, "telepon": 0.15, "kunjungan": 0.05}),
                  prioritas=prioritas, paket_kode=None, di_luar_lingkup=luar, target_respons_detik=target_r,
                  target_penyelesaian_detik=target_s)
        if luar:
            self.emit("helpdesk.tiket.ditutup", tid, self.later(t, 0.5, 8), tiket_id=tid, sebab="di_luar_lingkup",
                      di_luar_lingkup=True)
            return
        t = self.later(t, 0.05, 2)
        self.emit("helpdesk.tiket.ditugaskan", tid, t, tiket_id=tid, petugas=self.rng.choice(self.nips[:12]),
                  otomatis=self.rng.random() < 0.5)
        respons = self.rng.lognormvariate(7.5, 1.0)
        t = self.later(t, 0.1, 6)
        self.emit("helpdesk.tiket.ditanggapi", tid, t, tiket_id=tid, oleh="petugas", internal=False,
                  status="diproses", respons_pertama=True, detik_kerja_respons=round(respons, 1),
                  sla_respons_terpenuhi=respons <= target_r)
        if respons > target_r:
            self.emit("helpdesk.tiket.sla_terlampaui", tid, t, tiket_id=tid, jenis="respons_pertama",
                      target_detik=target_r, jatuh_tempo=t)
        tingkat = "helpdesk"
        if self.rng.random() < 0.1:
            ke = self.pick({"kasubbag_lpse": 0.7, "lkpp_eproc": 0.2, "lkpp_teknis": 0.1})
            t = self.later(t, 1, 24)
            self.emit("helpdesk.tiket.dieskalasi", tid, t, tiket_id=tid, dari="helpdesk", ke=ke,
                      alasan="belum_tercakup_spse" if ke.startswith("lkpp") else None)
            tingkat = ke
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            t = self.later(t, 0.5, 24)
            self.emit("helpdesk.tiket.ditanggapi", tid, t, tiket_id=tid,
                      oleh=self.pick({"pelapor": 0.5, "petugas": 0.5}), internal=self.rng.random() < 0.1,
                      status="diproses")
        selesai = self.rng.lognormvariate(10, 1.0)
        t = self.later(t, 1, 72)
        self.emit("helpdesk.tiket.diselesaikan", tid, t, tiket_id=tid, tingkat=tingkat,
                  detik_kerja_penyelesaian=round(selesai, 1), sla_penyelesaian_terpenuhi=selesai <= target_s)
        if selesai > target_s:
            self.emit("helpdesk.tiket.sla_terlampaui", tid, t, tiket_id=tid, jenis="penyelesaian",
                      target_detik=target_s, jatuh_tempo=t)
        if self.rng.random() < 0.03:
            t = self.later(t, 2, 48)
            self.emit("helpdesk.tiket.dibuka_kembali", tid, t, tiket_id=tid, dari_status="selesai")
            t = self.later(t, 2, 48)
            self.emit("helpdesk.tiket.diselesaikan", tid, t, tiket_id=tid, tingkat=tingkat,
                      detik_kerja_penyelesaian=round(selesai * 1.5, 1), sla_penyelesaian_terpenuhi=False)
        t = self.later(t, 1, 100)
        konfirmasi = self.rng.random() < 0.8
        self.emit("helpdesk.tiket.ditutup", tid, t, tiket_id=tid, sebab="konfirmasi" if konfirmasi else "otomatis")
        if konfirmasi and self.rng.random() < 0.6:
            self.emit("helpdesk.tiket.dinilai", tid, t, tiket_id=tid, nilai=self.rng.choices([1, 2, 3, 4, 5],
                                                                                           [2, 3, 10, 40, 45])[0])

    def notices(self) -> None:
        t = self.when()
        pid = self.uid()
        self.emit("helpdesk.pengumuman.diterbitkan", pid, t, pengumuman_id=pid,
                  jenis=self.pick({"gangguan": 0.4, "pemeliharaan": 0.4, "informasi": 0.2}), judul="Pemeliharaan SPSE",
                  mulai=t, selesai=self.later(t, 1, 8))
        bid = self.uid()
        self.emit("helpdesk.berita_acara.ditandatangani", bid, t, berita_acara_id=bid, paket_kode=self.uid(),
                  hasil=self.pick({"evaluasi_dilanjutkan": 0.6, "penawaran_tidak_memenuhi": 0.4}))

    # ------------------------------------------------------------------ the stream

    def generate(self, target: int, handled: set[str] | None = None) -> list[Envelope]:
        """At least `target` events of the `handled` types (all if None), in time order; bounded."""
        self.handled = handled
        units = [(0.3, self.registration, "registrasi."), (0.3, self.package, "pokja."),
                 (0.398, self.ticket, "helpdesk.tiket."), (0.002, self.notices, "helpdesk.")]
        if handled is not None:  # lifecycles none of whose events are consumed are not generated
            units = [u for u in units if any(t.startswith(u[2]) for t in handled)]
        if not units:
            return []
        weights = [u[0] for u in units]
        made = 0
        while len(self.events) < target and made < 20 * target + 1000:
            for _ in range(50):
                made += 1
                self.rng.choices(units, weights)[0][1]()
        self.events.sort(key=lambda e: e.time)
        return self.events


async def publish(bootstrap: str, events: list[Envelope], timeout: float = 120) -> int:
    """Send events to their contract topics as the outbox relay does (key, CloudEvents headers, acks=all)."""
    import asyncio

    from shared.kafka import make_producer, stop_quietly

    producer = make_producer(bootstrap, client_id="bench-events")
    await asyncio.wait_for(producer.start(), 20)
    try:
        for i in range(0, len(events), 500):
            futures = [await producer.send(
                REGISTRY[e.type].topic, value=e.to_bytes(), key=e.aggregateid.encode(),
                headers=[("content-type", b"application/cloudevents+json"), ("ce_id", e.id.encode()),
                         ("ce_type", e.type.encode()), ("aggregate_version", str(e.aggregateversion).encode())])
                for e in events[i:i + 500]]
            await asyncio.wait_for(asyncio.gather(*futures), timeout)
    finally:
        await stop_quietly(producer)
    return len(events)
