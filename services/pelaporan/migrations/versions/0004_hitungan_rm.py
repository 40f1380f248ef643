"""Counts for the live indicators kept by the read models' triggers (`hitungan_rm`, issue 9).

`GET /api/v1/indikator` used to count every registration, user, ticket and package by status and
period again after each consumer batch: 16 ms at 60,000 read-model rows and growing with them, in
the path that pelaporan's currency is watched through. Statement triggers with transition tables
now add each statement's deltas to `hitungan_rm` in the writer's own transaction; the indicators
read a few rows.

- One function per counted read model, the same for INSERT (+1 per new row), DELETE (-1 per old
  row) and UPDATE (new minus old; an ON CONFLICT DO UPDATE fires INSERT for the rows it inserted
  and UPDATE for those it updated).
- Deltas go to the slot of the backend pid modulo 16 (as `versi_rm`), in key order, so concurrent
  consumers do not queue on one row. Each read model has one writing consumer, so two writers
  share a counter row only between replicas of one consumer.
- A TRUNCATE (a rebuild) deletes the read model's counts in its transaction.
- Semesters are WIB, as `periode_dari_waktu`: `2026-1` is January to June.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_statement_triggers, drop_statement_triggers

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SLOT = 16

# The (jenis, nilai) pairs each row of a read model counts in, as a query over a relation named {t}.
KUNCI = {
    "rm_pendaftaran": (
        "SELECT 'pendaftaran.status' AS jenis, status AS nilai FROM {t} WHERE status IS NOT NULL"
        " UNION ALL SELECT 'pendaftaran.diajukan', rm_semester(diajukan_pada) FROM {t}"
        " WHERE diajukan_pada IS NOT NULL"),
    "rm_pengguna": "SELECT 'pengguna.status' AS jenis, status AS nilai FROM {t} WHERE status IS NOT NULL",
    "rm_tiket": (
        "SELECT 'tiket.status' AS jenis, status AS nilai FROM {t} WHERE status IS NOT NULL"
        " UNION ALL SELECT 'tiket.dibuat', rm_semester(dibuat_pada) FROM {t} WHERE dibuat_pada IS NOT NULL"),
    "rm_paket": (
        "SELECT 'paket.tahun' AS jenis, tahun_anggaran::text AS nilai FROM {t}"
        " WHERE nama IS NOT NULL AND tahun_anggaran IS NOT NULL"),
}
JENIS = {
    "rm_pendaftaran": ("pendaftaran.status", "pendaftaran.diajukan"),
    "rm_pengguna": ("pengguna.status",),
    "rm_tiket": ("tiket.status", "tiket.dibuat"),
    "rm_paket": ("paket.tahun",),
}

_SEMESTER = """
CREATE FUNCTION rm_semester(waktu timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT to_char(waktu AT TIME ZONE 'Asia/Jakarta', 'YYYY')
         || CASE WHEN extract(month FROM waktu AT TIME ZONE 'Asia/Jakarta') <= 6 THEN '-1' ELSE '-2' END
$$
"""

_TAMBAH = (
    "INSERT INTO hitungan_rm (jenis, nilai, slot, n)"
    f" SELECT jenis, nilai, pg_backend_pid() % {SLOT}, sum(d) FROM ({{delta}}) k"
    " GROUP BY jenis, nilai HAVING sum(d) <> 0 ORDER BY jenis, nilai"
    " ON CONFLICT (jenis, nilai, slot) DO UPDATE SET n = hitungan_rm.n + EXCLUDED.n"
)


def _delta(tabel: str, *, baru: bool, lama: bool) -> str:
    bagian = []
    if baru:
        bagian.append(f"SELECT jenis, nilai, 1 AS d FROM ({KUNCI[tabel].format(t='baru')}) a")
    if lama:
        bagian.append(f"SELECT jenis, nilai, -1 AS d FROM ({KUNCI[tabel].format(t='lama')}) b")
    return " UNION ALL ".join(bagian)


def _fungsi(tabel: str) -> str:
    return f"""
CREATE FUNCTION hitungan_{tabel}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_TAMBAH.format(delta=_delta(tabel, baru=True, lama=False))};
  ELSIF TG_OP = 'DELETE' THEN
    {_TAMBAH.format(delta=_delta(tabel, baru=False, lama=True))};
  ELSE
    {_TAMBAH.format(delta=_delta(tabel, baru=True, lama=True))};
  END IF;
  RETURN NULL;
END
$$
"""


_KOSONGKAN = """
CREATE FUNCTION hitungan_rm_kosongkan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM hitungan_rm WHERE jenis = ANY(TG_ARGV);
  RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "hitungan_rm",
        sa.Column("jenis", sa.Text, nullable=False),
        sa.Column("nilai", sa.Text, nullable=False),
        sa.Column("slot", sa.SmallInteger, nullable=False, autoincrement=False),
        sa.Column("n", sa.BigInteger, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("jenis", "nilai", "slot", name="pk_hitungan_rm"),
    )
    op.execute(_SEMESTER)
    op.execute(_KOSONGKAN)
    for tabel in KUNCI:
        op.execute(_fungsi(tabel))
        argumen = ", ".join(f"'{j}'" for j in JENIS[tabel])
        create_statement_triggers(op, tabel, "hitungan", f"hitungan_{tabel}()", f"hitungan_rm_kosongkan({argumen})")
        # what the read model already holds
        op.execute(f"INSERT INTO hitungan_rm (jenis, nilai, slot, n) SELECT jenis, nilai, 0, count(*)"
                   f" FROM ({KUNCI[tabel].format(t=tabel)}) k GROUP BY jenis, nilai")


def downgrade() -> None:
    for tabel in KUNCI:
        drop_statement_triggers(op, tabel, "hitungan")
        op.execute(f"DROP FUNCTION IF EXISTS hitungan_{tabel}()")
    op.execute("DROP FUNCTION IF EXISTS hitungan_rm_kosongkan()")
    op.execute("DROP FUNCTION IF EXISTS rm_semester(timestamptz)")
    op.drop_table("hitungan_rm")
