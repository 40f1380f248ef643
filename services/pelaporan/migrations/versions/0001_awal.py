"""Platform tables; the read models built from registrasi, pokja and helpdesk events; frozen reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.migrations import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "laporan_final", "rm_pengumuman", "rm_berita_acara", "rm_tiket_penilaian", "rm_tiket_eskalasi", "rm_tiket",
    "rm_pejabat_pengadaan_paket", "rm_pejabat_pengadaan", "rm_pokja_penggantian", "rm_pokja_paket",
    "rm_pokja_anggota", "rm_pokja", "rm_hasil_pemilihan", "rm_paket", "rm_pengguna_status", "rm_pengguna",
    "rm_daftar_hitam", "rm_penolakan_daftar_hitam", "rm_keputusan_verifikasi", "rm_pendaftaran",
)


def _waktu(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _nol(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False, server_default="0")


def upgrade() -> None:
    create_platform_tables(op)
    # How fresh the read models are (live indicators) without scanning the whole inbox.
    op.create_index("ix_inbox_received_at", "inbox", ["received_at"])
    _registrasi()
    _pokja()
    _helpdesk()
    op.create_table(
        "laporan_final",
        sa.Column("kode", sa.String(10), primary_key=True),
        sa.Column("tahun", sa.Integer, nullable=False),
        sa.Column("semester", sa.SmallInteger),
        _waktu("difinalkan_pada", nullable=False),
        sa.Column("difinalkan_oleh", sa.Text, nullable=False),
        sa.Column("angka", postgresql.JSONB, nullable=False),
        *(sa.Column(f"isi_{f}", sa.LargeBinary, nullable=False) for f in ("json", "csv", "xlsx", "pdf")),
        *(sa.Column(f"hash_{f}", sa.String(71), nullable=False) for f in ("json", "csv", "xlsx", "pdf")),
    )


def _registrasi() -> None:
    op.create_table(
        "rm_pendaftaran",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("jenis", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        _waktu("diajukan_pada"),
        _waktu("diputuskan_pada"),
    )
    op.create_index("ix_rm_pendaftaran_status", "rm_pendaftaran", ["status"])
    op.create_index("ix_rm_pendaftaran_diajukan_pada", "rm_pendaftaran", ["diajukan_pada"])
    op.create_table(
        "rm_keputusan_verifikasi",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("pendaftaran_id", sa.Text, nullable=False),
        sa.Column("keputusan", sa.Text, nullable=False),
        _waktu("waktu", nullable=False),
        _waktu("diajukan_pada"),
        sa.Column("karena_daftar_hitam", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_rm_keputusan_verifikasi_waktu", "rm_keputusan_verifikasi", ["waktu", "keputusan"])
    op.create_table(
        "rm_penolakan_daftar_hitam",
        sa.Column("percobaan_id", sa.Text, primary_key=True),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("pendaftaran_id", sa.Text),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_penolakan_daftar_hitam_waktu", "rm_penolakan_daftar_hitam", ["waktu"])
    op.create_table(
        "rm_daftar_hitam",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("jenis_pelanggaran", sa.Text, nullable=False),
        sa.Column("mulai", sa.Date, nullable=False),
        sa.Column("selesai", sa.Date, nullable=False),
        _waktu("dicatat_pada", nullable=False),
    )
    op.create_table(
        "rm_pengguna",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Text, nullable=False),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("nama", sa.Text, nullable=False),
        sa.Column("nip", sa.Text),
        sa.Column("peran", postgresql.JSONB, nullable=False),
        sa.Column("satuan_kerja", sa.Text),
        sa.Column("berlaku_sampai", sa.Date),
        _waktu("diperbarui_pada", nullable=False),
    )
    op.create_index("ix_rm_pengguna_status", "rm_pengguna", ["status"])
    op.create_index("ix_rm_pengguna_nip", "rm_pengguna", ["nip"])
    op.create_table(
        "rm_pengguna_status",
        sa.Column("pengguna_id", sa.Text, primary_key=True),
        sa.Column("versi", sa.Integer, primary_key=True),
        sa.Column("aksi", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_pengguna_status_waktu", "rm_pengguna_status", ["waktu", "aksi"])


def _pokja() -> None:
    op.create_table(
        "rm_paket",
        sa.Column("kode", sa.Text, primary_key=True),
        sa.Column("nama", sa.Text),
        sa.Column("satuan_kerja", sa.Text),
        sa.Column("jenis_pengadaan", sa.Text),
        sa.Column("pagu", sa.BigInteger),
        sa.Column("hps", sa.BigInteger),
        sa.Column("tahun_anggaran", sa.Integer),
        sa.Column("metode_pemilihan", sa.Text),
        _nol("data_versi"),
        _nol("metode_versi"),
        _waktu("dicatat_pada"),
    )
    op.create_index("ix_rm_paket_tahun_anggaran", "rm_paket", ["tahun_anggaran", "kode"])
    op.create_table(
        "rm_hasil_pemilihan",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("kode", sa.Text, nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("nilai_kontrak", sa.BigInteger),
        sa.Column("pemenang", sa.Text),
        sa.Column("pelapor_nip", sa.Text, nullable=False),
        sa.Column("pelaksana", sa.Text, nullable=False),
        sa.Column("pelaksana_id", sa.Text, nullable=False),
        sa.Column("jenis_pengadaan", sa.Text, nullable=False),
        sa.Column("metode_pemilihan", sa.Text, nullable=False),
        sa.Column("pagu", sa.BigInteger, nullable=False),
        sa.Column("hps", sa.BigInteger, nullable=False),
        sa.Column("tahun_anggaran", sa.Integer, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_hasil_pemilihan_waktu", "rm_hasil_pemilihan", ["waktu"])
    op.create_index("ix_rm_hasil_pemilihan_kode", "rm_hasil_pemilihan", ["kode", "versi"])
    op.create_table(
        "rm_pokja",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("nama", sa.Text),
        sa.Column("nomor_sk", sa.Text),
        _waktu("dibentuk_pada"),
        _waktu("dibubarkan_pada"),
        _nol("versi"),
    )
    op.create_index("ix_rm_pokja_dibentuk_pada", "rm_pokja", ["dibentuk_pada"])
    op.create_index("ix_rm_pokja_dibubarkan_pada", "rm_pokja", ["dibubarkan_pada"])
    op.create_table(
        "rm_pokja_anggota",
        sa.Column("pokja_id", sa.Text, primary_key=True),
        sa.Column("nip", sa.Text, primary_key=True),
        sa.Column("versi", sa.Integer, primary_key=True),
        sa.Column("aksi", sa.Text, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_table(
        "rm_pokja_paket",
        sa.Column("pokja_id", sa.Text, primary_key=True),
        sa.Column("kode", sa.Text, primary_key=True),
        _waktu("ditugaskan_pada", nullable=False),
    )
    op.create_index("ix_rm_pokja_paket_kode", "rm_pokja_paket", ["kode", "ditugaskan_pada"])
    op.create_table(
        "rm_pokja_penggantian",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("pokja_id", sa.Text, nullable=False),
        sa.Column("nip", sa.Text, nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("status_spse", sa.Text, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_table(
        "rm_pejabat_pengadaan",
        sa.Column("penugasan_id", sa.Text, primary_key=True),
        sa.Column("nip", sa.Text, nullable=False),
        sa.Column("satuan_kerja", sa.Text, nullable=False),
        sa.Column("nomor_permintaan_kpa", sa.Text, nullable=False),
        _waktu("ditugaskan_pada", nullable=False),
    )
    op.create_index("ix_rm_pejabat_pengadaan_ditugaskan_pada", "rm_pejabat_pengadaan", ["ditugaskan_pada"])
    op.create_table(
        "rm_pejabat_pengadaan_paket",
        sa.Column("penugasan_id", sa.Text, primary_key=True),
        sa.Column("kode", sa.Text, primary_key=True),
        sa.Column("nip", sa.Text, nullable=False),
        _waktu("ditugaskan_pada", nullable=False),
    )


def _helpdesk() -> None:
    op.create_table(
        "rm_tiket",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("kategori", sa.Text),
        sa.Column("kanal", sa.Text),
        sa.Column("prioritas", sa.Text),
        sa.Column("paket_kode", sa.Text),
        sa.Column("di_luar_lingkup", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("target_respons_detik", sa.Integer),
        sa.Column("target_penyelesaian_detik", sa.Integer),
        _waktu("dibuat_pada"),
        sa.Column("status", sa.Text),
        _nol("status_versi"),
        _waktu("respons_pertama_pada"),
        sa.Column("detik_kerja_respons", sa.Float),
        sa.Column("sla_respons_terpenuhi", sa.Boolean),
        _waktu("respons_terlampaui_pada"),
        _waktu("diselesaikan_pada"),
        sa.Column("tingkat_penyelesaian", sa.Text),
        sa.Column("detik_kerja_penyelesaian", sa.Float),
        sa.Column("sla_penyelesaian_terpenuhi", sa.Boolean),
        _nol("penyelesaian_versi"),
        _waktu("penyelesaian_terlampaui_pada"),
        _waktu("ditutup_pada"),
    )
    op.create_index("ix_rm_tiket_dibuat_pada", "rm_tiket", ["dibuat_pada"])
    op.create_index("ix_rm_tiket_status", "rm_tiket", ["status"])
    op.create_index("ix_rm_tiket_respons_pertama_pada", "rm_tiket", ["respons_pertama_pada"])
    op.create_index("ix_rm_tiket_diselesaikan_pada", "rm_tiket", ["diselesaikan_pada"])
    op.create_index("ix_rm_tiket_hasil_sla_respons", "rm_tiket",
                    [sa.text("coalesce(respons_terlampaui_pada, respons_pertama_pada)")])
    op.create_index("ix_rm_tiket_hasil_sla_penyelesaian", "rm_tiket",
                    [sa.text("coalesce(penyelesaian_terlampaui_pada, diselesaikan_pada)")])
    op.create_table(
        "rm_tiket_eskalasi",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("tiket_id", sa.Text, nullable=False),
        sa.Column("dari", sa.Text, nullable=False),
        sa.Column("ke", sa.Text, nullable=False),
        sa.Column("alasan", sa.Text),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_tiket_eskalasi_waktu", "rm_tiket_eskalasi", ["waktu", "ke"])
    op.create_table(
        "rm_tiket_penilaian",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("tiket_id", sa.Text, nullable=False),
        sa.Column("nilai", sa.SmallInteger, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_tiket_penilaian_waktu", "rm_tiket_penilaian", ["waktu"])
    op.create_table(
        "rm_berita_acara",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("paket_kode", sa.Text, nullable=False),
        sa.Column("hasil", sa.Text, nullable=False),
        _waktu("waktu", nullable=False),
    )
    op.create_index("ix_rm_berita_acara_waktu", "rm_berita_acara", ["waktu"])
    op.create_table(
        "rm_pengumuman",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("judul", sa.Text, nullable=False),
        _waktu("mulai", nullable=False),
        _waktu("selesai", nullable=False),
        _waktu("diterbitkan_pada", nullable=False),
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    drop_platform_tables(op)
