"""Platform tables and the pokja tables: pegawai, status_spse, pokja, anggota_pokja, pejabat_pengadaan, paket.

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


def _waktu(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=None if nullable else sa.func.now())


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "pegawai",
        sa.Column("nip", sa.String(18), primary_key=True),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("jabatan", sa.String(20), nullable=False),
        sa.Column("nama_jabatan", sa.String(200)),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("satuan_kerja", sa.String(200), nullable=False),
        sa.Column("sertifikat", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("peran_lpse", sa.String(20)),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        _waktu("dibuat_pada"),
        _waktu("diperbarui_pada"),
    )
    op.create_table(
        "status_spse",
        sa.Column("nip", sa.String(18), primary_key=True),
        sa.Column("pengguna_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
        _waktu("diperbarui_pada"),
    )
    op.create_table(
        "pokja",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("nomor_sk", sa.String(100), nullable=False),
        sa.Column("tanggal_sk", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("alasan_pembubaran", sa.Text),
        sa.Column("penetap_nip", sa.String(64)),
        sa.Column("penetap_nama", sa.String(200)),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        _waktu("dibentuk_pada"),
        _waktu("dibubarkan_pada", nullable=True),
        _waktu("diperbarui_pada"),
        sa.UniqueConstraint("nomor_sk", name="uq_pokja_nomor_sk"),
    )
    op.create_index("ix_pokja_status", "pokja", ["status"])
    op.create_table(
        "anggota_pokja",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("pokja_id", sa.String(36), sa.ForeignKey("pokja.id", name="fk_anggota_pokja_pokja_id_pokja"),
                  nullable=False),
        sa.Column("nip", sa.String(18), sa.ForeignKey("pegawai.nip", name="fk_anggota_pokja_nip_pegawai"),
                  nullable=False),
        sa.Column("urutan", sa.Integer, nullable=False),
        sa.Column("peran", sa.String(20), nullable=False),
        sa.Column("koordinasi_satker", postgresql.JSONB),
        sa.Column("perlu_diganti", sa.Boolean, nullable=False, server_default=sa.false()),
        _waktu("mulai"),
        _waktu("selesai", nullable=True),
        sa.Column("alasan_keluar", sa.Text),
        sa.CheckConstraint("peran IN ('ketua', 'sekretaris', 'anggota')", name="ck_anggota_pokja_peran"),
    )
    op.create_index("ix_anggota_pokja_pokja_id", "anggota_pokja", ["pokja_id"])
    op.create_index("uq_anggota_pokja_aktif", "anggota_pokja", ["pokja_id", "nip"], unique=True,
                    postgresql_where=sa.text("selesai IS NULL"))
    op.create_index("ix_anggota_pokja_nip_aktif", "anggota_pokja", ["nip"],
                    postgresql_where=sa.text("selesai IS NULL"))
    op.create_table(
        "pejabat_pengadaan",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nip", sa.String(18), sa.ForeignKey("pegawai.nip", name="fk_pejabat_pengadaan_nip_pegawai"),
                  nullable=False),
        sa.Column("satuan_kerja", sa.String(200), nullable=False),
        sa.Column("nomor_permintaan_kpa", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("perlu_diganti", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        _waktu("ditugaskan_pada"),
        _waktu("diperbarui_pada"),
    )
    op.create_index("ix_pejabat_pengadaan_nip", "pejabat_pengadaan", ["nip"])
    op.create_index("uq_pejabat_pengadaan_aktif", "pejabat_pengadaan", ["nip", "satuan_kerja"], unique=True,
                    postgresql_where=sa.text("status = 'aktif'"))
    op.create_table(
        "paket",
        sa.Column("kode", sa.String(64), primary_key=True),
        sa.Column("nama", sa.String(300), nullable=False),
        sa.Column("satuan_kerja", sa.String(200), nullable=False),
        sa.Column("jenis_pengadaan", sa.String(30), nullable=False),
        sa.Column("pagu", sa.BigInteger, nullable=False),
        sa.Column("hps", sa.BigInteger, nullable=False),
        sa.Column("tahun_anggaran", sa.Integer, nullable=False),
        sa.Column("perencana_nip", sa.String(18)),
        sa.Column("ppk_nip", sa.String(18)),
        sa.Column("pemeriksa_nip", sa.String(18)),
        sa.Column("metode_pemilihan", sa.String(30), nullable=False),
        sa.Column("metode_manual", sa.String(30)),
        sa.Column("alasan_metode", sa.Text),
        sa.Column("tanggal_metode", sa.Date, nullable=False),
        sa.Column("pokja_id", sa.String(36), sa.ForeignKey("pokja.id", name="fk_paket_pokja_id_pokja")),
        sa.Column("pejabat_pengadaan_id", sa.String(36),
                  sa.ForeignKey("pejabat_pengadaan.id", name="fk_paket_pejabat_pengadaan_id_pejabat_pengadaan")),
        sa.Column("hasil", postgresql.JSONB),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        _waktu("dibuat_pada"),
        _waktu("diperbarui_pada"),
        sa.CheckConstraint("hps <= pagu", name="ck_paket_hps_dalam_pagu"),
        sa.CheckConstraint("pokja_id IS NULL OR pejabat_pengadaan_id IS NULL", name="ck_paket_satu_pelaksana"),
    )
    for column in ("satuan_kerja", "tahun_anggaran", "pokja_id", "pejabat_pengadaan_id"):
        op.create_index(f"ix_paket_{column}", "paket", [column])


def downgrade() -> None:
    op.drop_table("paket")
    op.drop_table("pejabat_pengadaan")
    op.drop_table("anggota_pokja")
    op.drop_table("pokja")
    op.drop_table("status_spse")
    op.drop_table("pegawai")
    drop_platform_tables(op)
