"""Platform tables and the helpdesk: tickets, replies, escalations, SLA breaches, attachments, officers,
announcements and berita acara.

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

WAKTU = sa.DateTime(timezone=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    create_platform_tables(op)
    op.execute("CREATE SEQUENCE tiket_nomor_seq")
    op.execute("CREATE SEQUENCE berita_acara_nomor_seq")
    op.create_table(
        "tiket",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nomor", sa.String(20), nullable=False, unique=True),
        sa.Column("judul", sa.String(200), nullable=False),
        sa.Column("uraian", sa.Text, nullable=False),
        sa.Column("kategori", sa.String(20), nullable=False, index=True),
        sa.Column("kanal", sa.String(20), nullable=False),
        sa.Column("prioritas", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("paket_kode", sa.String(50)),
        sa.Column("pelapor_sub", sa.String(200), index=True),
        sa.Column("pelapor_nama", sa.String(200)),
        sa.Column("pelapor_email", sa.String(254)),
        sa.Column("pelapor_telepon", sa.String(30)),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("dicatat_oleh", sa.String(200)),
        sa.Column("petugas", sa.String(200), index=True),
        sa.Column("tingkat", sa.String(20), nullable=False),
        sa.Column("target_respons_detik", sa.Float, nullable=False),
        sa.Column("target_penyelesaian_detik", sa.Float, nullable=False),
        sa.Column("jeda", postgresql.JSONB, nullable=False, server_default="[]"),
        sa.Column("status_sebelum_jeda", sa.String(20)),
        sa.Column("respons_pertama_pada", WAKTU),
        sa.Column("solusi", sa.Text),
        sa.Column("diselesaikan_pada", WAKTU),
        sa.Column("ditutup_pada", WAKTU),
        sa.Column("sebab_penutupan", sa.String(30)),
        sa.Column("di_luar_lingkup", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("nilai_kepuasan", sa.Integer),
        sa.Column("komentar_kepuasan", sa.Text),
        sa.Column("dinilai_pada", WAKTU),
        sa.Column("sla_respons_terpenuhi", sa.Boolean),
        sa.Column("sla_penyelesaian_terpenuhi", sa.Boolean),
        sa.Column("periksa_sla_pada", WAKTU, index=True),
        sa.Column("tutup_otomatis_pada", WAKTU, index=True),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("dibuat_pada", WAKTU, nullable=False),
        sa.Column("diperbarui_pada", WAKTU, nullable=False),
        sa.CheckConstraint(_in("status", ("baru", "ditugaskan", "diproses", "menunggu_pelapor", "dieskalasi",
                                          "selesai", "ditutup")), name="status"),
        sa.CheckConstraint(_in("kategori", ("aplikasi", "infrastruktur", "akun", "informasi", "non_teknis")),
                           name="kategori"),
        sa.CheckConstraint(_in("kanal", ("web", "telepon", "email", "kunjungan")), name="kanal"),
        sa.CheckConstraint("nilai_kepuasan BETWEEN 1 AND 5", name="nilai_kepuasan"),
        sa.CheckConstraint("pelapor_sub IS NOT NULL OR token_hash IS NOT NULL", name="pelapor"),
    )
    op.create_index("ix_tiket_dibuat", "tiket", [sa.text("dibuat_pada DESC"), sa.text("id DESC")])
    op.create_table(
        "tanggapan",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("tiket_id", sa.String(36), sa.ForeignKey("tiket.id"), nullable=False, index=True),
        sa.Column("oleh", sa.String(200), nullable=False),
        sa.Column("sebagai", sa.String(20), nullable=False),
        sa.Column("isi", sa.Text, nullable=False),
        sa.Column("internal", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("waktu", WAKTU, nullable=False),
    )
    op.create_table(
        "eskalasi",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("tiket_id", sa.String(36), sa.ForeignKey("tiket.id"), nullable=False, index=True),
        sa.Column("dari", sa.String(20), nullable=False),
        sa.Column("ke", sa.String(20), nullable=False),
        sa.Column("oleh", sa.String(200), nullable=False),
        sa.Column("waktu", WAKTU, nullable=False),
        sa.Column("alasan", sa.String(40)),
        sa.Column("referensi_lkpp", sa.String(100)),
        sa.Column("catatan", sa.Text),
        sa.CheckConstraint("ke NOT IN ('lkpp_eproc', 'lkpp_teknis') OR alasan IN "
                           "('tidak_dapat_diselesaikan', 'belum_tercakup_spse')", name="alasan_lkpp"),
    )
    op.create_table(
        "sla_terlampaui",
        sa.Column("tiket_id", sa.String(36), sa.ForeignKey("tiket.id"), primary_key=True),
        sa.Column("jenis", sa.String(20), primary_key=True),
        sa.Column("target_detik", sa.Float, nullable=False),
        sa.Column("jatuh_tempo", WAKTU, nullable=False),
        sa.Column("terdeteksi_pada", WAKTU, nullable=False),
    )
    op.create_table(
        "lampiran",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tiket_id", sa.String(36), sa.ForeignKey("tiket.id"), nullable=False, index=True),
        sa.Column("nama_berkas", sa.String(255), nullable=False),
        sa.Column("jenis_konten", sa.String(100), nullable=False),
        sa.Column("ukuran", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kunci", sa.String(200), nullable=False),
        sa.Column("diunggah_oleh", sa.String(200), nullable=False),
        sa.Column("diunggah_pada", WAKTU, nullable=False),
    )
    op.create_table(
        "petugas",
        sa.Column("sub", sa.String(200), primary_key=True),
        sa.Column("nama", sa.String(200)),
        sa.Column("aktif", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("terdaftar_pada", WAKTU, nullable=False),
        sa.Column("terakhir_aktif_pada", WAKTU),
    )
    op.create_table(
        "pengumuman",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("judul", sa.String(200), nullable=False),
        sa.Column("isi", sa.Text, nullable=False),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("mulai", WAKTU, nullable=False, index=True),
        sa.Column("selesai", WAKTU, nullable=False, index=True),
        sa.Column("diterbitkan_oleh", sa.String(200), nullable=False),
        sa.Column("diterbitkan_pada", WAKTU, nullable=False),
        sa.CheckConstraint("selesai > mulai", name="periode"),
    )
    op.create_table(
        "berita_acara",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nomor", sa.String(40), nullable=False, unique=True),
        sa.Column("tiket_id", sa.String(36), sa.ForeignKey("tiket.id")),
        sa.Column("paket_kode", sa.String(50), nullable=False, index=True),
        sa.Column("penyedia", sa.String(300), nullable=False),
        sa.Column("nama_file", sa.String(255), nullable=False),
        sa.Column("hash_file", sa.String(64), nullable=False),
        sa.Column("pernyataan_lpse", sa.Text, nullable=False),
        sa.Column("pernyataan_lkpp", sa.Text),
        sa.Column("tempat", sa.String(300)),
        sa.Column("saksi_nama", sa.String(200), nullable=False),
        sa.Column("saksi_nip", sa.String(18), nullable=False),
        sa.Column("anggota_pokja", postgresql.JSONB, nullable=False),
        sa.Column("hasil", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("disusun_pada", WAKTU, nullable=False),
        sa.Column("ditandatangani_pada", WAKTU),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("diperbarui_pada", WAKTU, nullable=False),
    )
    # A signed berita acara is immutable even for someone with direct database access.
    op.execute("""
    CREATE FUNCTION berita_acara_terkunci() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'berita acara % sudah ditandatangani dan tidak dapat diubah atau dihapus', OLD.id;
    END $$""")
    op.execute("""
    CREATE TRIGGER berita_acara_terkunci BEFORE UPDATE OR DELETE ON berita_acara
    FOR EACH ROW WHEN (OLD.status = 'ditandatangani') EXECUTE FUNCTION berita_acara_terkunci()""")


def downgrade() -> None:
    for table in ("berita_acara", "pengumuman", "petugas", "lampiran", "sla_terlampaui", "eskalasi", "tanggapan",
                  "tiket"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS berita_acara_terkunci")
    op.execute("DROP SEQUENCE IF EXISTS berita_acara_nomor_seq")
    op.execute("DROP SEQUENCE IF EXISTS tiket_nomor_seq")
    drop_platform_tables(op)
