"""Change stamp of the read models (`versi_rm`), bumped by statement triggers (issue 9).

The live indicators and open data pages are cached per replica and served while the stamp is
unchanged; every transaction that writes a read model or the inbox bumps it (once per
transaction, in one of 16 slots chosen by backend pid), TRUNCATE included.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SLOT = 16
TABLES = (
    "inbox", "rm_pengumuman", "rm_berita_acara", "rm_tiket_penilaian", "rm_tiket_eskalasi", "rm_tiket",
    "rm_pejabat_pengadaan_paket", "rm_pejabat_pengadaan", "rm_pokja_penggantian", "rm_pokja_paket",
    "rm_pokja_anggota", "rm_pokja", "rm_hasil_pemilihan", "rm_paket", "rm_pengguna_status", "rm_pengguna",
    "rm_daftar_hitam", "rm_penolakan_daftar_hitam", "rm_keputusan_verifikasi", "rm_pendaftaran",
)

# Once per transaction: a transaction-local setting remembers that this transaction already bumped
# (it is undone with the UPDATE when a savepoint or the transaction rolls back).
_FUNGSI = f"""
CREATE FUNCTION rm_versi_naik() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('pelaporan.rm_versi_naik', true), '') <> '1' THEN
    UPDATE versi_rm SET versi = versi + 1 WHERE slot = pg_backend_pid() % {SLOT};
    PERFORM set_config('pelaporan.rm_versi_naik', '1', true);
  END IF;
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "versi_rm",
        sa.Column("slot", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("versi", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.execute(f"INSERT INTO versi_rm (slot) SELECT generate_series(0, {SLOT - 1})")
    op.execute(_FUNGSI)
    for tabel in TABLES:
        op.execute(f"CREATE TRIGGER {tabel}_versi AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}"
                   " FOR EACH STATEMENT EXECUTE FUNCTION rm_versi_naik()")


def downgrade() -> None:
    for tabel in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {tabel}_versi ON {tabel}")
    op.execute("DROP FUNCTION IF EXISTS rm_versi_naik()")
    op.drop_table("versi_rm")
