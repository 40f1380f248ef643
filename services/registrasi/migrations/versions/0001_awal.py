"""Platform tables; registrations, documents, users and the blacklist.

NIK and NPWP are stored only as AES-256-GCM ciphertext (`*_sandi`) and, for the NPWP, a keyed HMAC blind
index (`npwp_indeks`) on which the one-per-NPWP unique indexes and lookups are built (see models.py).

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

MENUNGGU = "status IN ('diajukan', 'perlu_perbaikan')"
BELUM_KEDALUWARSA = "status <> 'kedaluwarsa'"
JSON_KOSONG = sa.text("'[]'::jsonb")


def _now() -> sa.sql.elements.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "pendaftaran",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("bentuk_usaha", sa.String(30)),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("npwp_sandi", sa.Text),
        sa.Column("npwp_indeks", sa.String(64)),
        sa.Column("npwp_format_lama", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("nik_sandi", sa.Text),
        sa.Column("nib", sa.String(13)),
        sa.Column("nip", sa.String(18)),
        sa.Column("berlaku_sampai", sa.Date),
        sa.Column("data", postgresql.JSONB, nullable=False),
        sa.Column("peringatan", postgresql.JSONB, nullable=False, server_default=JSON_KOSONG),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("dokumen_asli_diperiksa", postgresql.JSONB, nullable=False, server_default=JSON_KOSONG),
        sa.Column("alasan", sa.Text),
        sa.Column("kekurangan", postgresql.JSONB, nullable=False, server_default=JSON_KOSONG),
        sa.Column("pengguna_id", sa.String(36)),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        sa.Column("diajukan_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("menunggu_sejak", sa.DateTime(timezone=True), nullable=False),
        sa.Column("diputuskan_pada", sa.DateTime(timezone=True)),
        sa.Column("diputuskan_oleh", sa.String(100)),
        sa.Column("diperbarui_pada", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
        sa.CheckConstraint("jenis IN ('penyedia', 'non_penyedia')", name="ck_pendaftaran_jenis"),
        sa.CheckConstraint("status IN ('diajukan', 'perlu_perbaikan', 'disetujui', 'ditolak')",
                           name="ck_pendaftaran_status"),
        sa.UniqueConstraint("token_hash", name="uq_pendaftaran_token_hash"),
    )
    op.create_index("ix_pendaftaran_antrean", "pendaftaran", ["status", "menunggu_sejak", "id"])
    for nama, kolom in (("npwp", "npwp_indeks"), ("nib", "nib"), ("nip", "nip"), ("user_id", "lower(user_id)"),
                        ("email", "lower(email)")):
        op.execute(f"CREATE UNIQUE INDEX uq_pendaftaran_{nama}_menunggu ON pendaftaran ({kolom}) WHERE {MENUNGGU}")

    op.create_table(
        "dokumen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("pendaftaran_id", sa.String(36),
                  sa.ForeignKey("pendaftaran.id", name="fk_dokumen_pendaftaran_id_pendaftaran"), nullable=False),
        sa.Column("jenis", sa.String(30), nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("nama_berkas", sa.String(255)),
        sa.Column("jenis_konten", sa.String(50), nullable=False),
        sa.Column("ukuran", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kunci", sa.String(200), nullable=False),
        sa.Column("diunggah_oleh", sa.String(100), nullable=False),
        sa.Column("diunggah_pada", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("pendaftaran_id", "jenis", "versi", name="uq_dokumen_versi"),
    )

    op.create_table(
        "pengguna",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("pendaftaran_id", sa.String(36),
                  sa.ForeignKey("pendaftaran.id", name="fk_pengguna_pendaftaran_id_pendaftaran"), nullable=False),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("bentuk_usaha", sa.String(30)),
        sa.Column("npwp_sandi", sa.Text),
        sa.Column("npwp_indeks", sa.String(64)),
        sa.Column("nib", sa.String(13)),
        sa.Column("nip", sa.String(18)),
        sa.Column("nik_sandi", sa.Text),
        sa.Column("instansi", sa.String(200)),
        sa.Column("satuan_kerja", sa.String(200)),
        sa.Column("peran", postgresql.JSONB, nullable=False, server_default=JSON_KOSONG),
        sa.Column("berlaku_sampai", sa.Date),
        sa.Column("alasan_status", sa.Text),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("diperbarui_pada", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('aktif', 'nonaktif', 'kedaluwarsa')", name="ck_pengguna_status"),
        sa.UniqueConstraint("pendaftaran_id", name="uq_pengguna_pendaftaran_id"),
    )
    op.create_index("ix_pengguna_masa_berlaku", "pengguna", ["status", "berlaku_sampai"])
    op.create_index("ix_pengguna_urutan", "pengguna", ["dibuat_pada", "id"])
    for nama, kolom in (("npwp", "npwp_indeks"), ("nib", "nib"), ("nip", "nip"), ("user_id", "lower(user_id)"),
                        ("email", "lower(email)")):
        op.execute(f"CREATE UNIQUE INDEX uq_pengguna_{nama}_berlaku ON pengguna ({kolom}) WHERE {BELUM_KEDALUWARSA}")

    op.create_table(
        "daftar_hitam",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("npwp_sandi", sa.Text),
        sa.Column("npwp_indeks", sa.String(64)),
        sa.Column("nib", sa.String(13)),
        sa.Column("nama_penyedia", sa.String(200)),
        sa.Column("jenis_pelanggaran", sa.String(20), nullable=False),
        sa.Column("mulai", sa.Date, nullable=False),
        sa.Column("selesai", sa.Date, nullable=False),
        sa.Column("alasan", sa.Text, nullable=False),
        sa.Column("nomor_keputusan", sa.String(100)),
        sa.Column("dicatat_oleh", sa.String(100), nullable=False),
        sa.Column("dicatat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("npwp_indeks IS NOT NULL OR nib IS NOT NULL", name="ck_daftar_hitam_npwp_atau_nib"),
        sa.CheckConstraint("jenis_pelanggaran IN ('etika', 'non_etika')", name="ck_daftar_hitam_jenis_pelanggaran"),
        sa.CheckConstraint("selesai > mulai", name="ck_daftar_hitam_selesai_setelah_mulai"),
    )
    op.create_index("ix_daftar_hitam_npwp_indeks", "daftar_hitam", ["npwp_indeks"])
    op.create_index("ix_daftar_hitam_nib", "daftar_hitam", ["nib"])
    op.execute("CREATE UNIQUE INDEX uq_daftar_hitam_entri ON daftar_hitam "
               "(coalesce(npwp_indeks, ''), coalesce(nib, ''), jenis_pelanggaran, mulai)")


def downgrade() -> None:
    op.drop_table("daftar_hitam")
    op.drop_table("pengguna")
    op.drop_table("dokumen")
    op.drop_table("pendaftaran")
    drop_platform_tables(op)
