"""Active Pokja members kept by the read models' triggers (`rm_keanggotaan_aktif`, `rm_anggota_aktif`; issue 9).

`anggota_pokja_aktif` of `GET /api/v1/indikator` found each person's latest membership fact in every
Pokja ever formed, then counted the people in an active one: an anti join over the whole membership
history. After the bench's Pokja formation case (1,625 Pokja) it was 4.3 of the statement's 4.9 ms,
and it grew with every Pokja formed. The indicators are recomputed after each consumer batch, so
this was the cost of watching pelaporan stay current.

- `rm_keanggotaan_aktif (pokja_id, nip)`: who currently sits in which active Pokja (formed, not
  dissolved; the latest fact of that person in that Pokja is `masuk`).
- `rm_anggota_aktif (nip, n)`: in how many active Pokja each person sits; people in none have no row.
  The indicator is its row count.
- Statement triggers on `rm_pokja` and `rm_pokja_anggota` recompute the membership of the Pokja a
  statement touched (`rm_keanggotaan_segarkan`): rows that appeared or went are applied to the
  person's count, in nip order. Only pokja's consumer writes these read models.
- A TRUNCATE of either read model empties both tables in its transaction (a rebuild truncates
  them as well: they are read models, `READ_MODELS`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_statement_triggers, drop_statement_triggers

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Who sits in the active Pokja among `ids` now, by each person's latest fact in that Pokja.
_ANGGOTA_KINI = """
SELECT DISTINCT a.pokja_id, a.nip FROM rm_pokja_anggota a
JOIN rm_pokja p ON p.id = a.pokja_id AND p.dibentuk_pada IS NOT NULL AND p.dibubarkan_pada IS NULL
WHERE {saring} a.aksi = 'masuk' AND NOT EXISTS (
  SELECT 1 FROM rm_pokja_anggota b WHERE b.pokja_id = a.pokja_id AND b.nip = a.nip AND b.versi > a.versi)
"""

_SEGARKAN = f"""
CREATE FUNCTION rm_keanggotaan_segarkan(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  kosong text[];
BEGIN
  WITH kini AS ({_ANGGOTA_KINI.format(saring="a.pokja_id = ANY(ids) AND")}),
  tadi AS (SELECT pokja_id, nip FROM rm_keanggotaan_aktif WHERE pokja_id = ANY(ids)),
  keluar AS (DELETE FROM rm_keanggotaan_aktif k USING (SELECT * FROM tadi EXCEPT SELECT * FROM kini) x
             WHERE k.pokja_id = x.pokja_id AND k.nip = x.nip RETURNING k.nip),
  masuk AS (INSERT INTO rm_keanggotaan_aktif (pokja_id, nip) SELECT * FROM kini EXCEPT SELECT * FROM tadi
            RETURNING nip),
  selisih AS (SELECT nip, sum(d)::int AS d FROM (SELECT nip, -1 AS d FROM keluar UNION ALL
                                                 SELECT nip, 1 FROM masuk) x GROUP BY nip HAVING sum(d) <> 0),
  ubah AS (INSERT INTO rm_anggota_aktif AS t (nip, n) SELECT nip, d FROM selisih ORDER BY nip
           ON CONFLICT (nip) DO UPDATE SET n = t.n + EXCLUDED.n RETURNING t.nip, t.n)
  SELECT array_agg(nip) INTO kosong FROM ubah WHERE n = 0;
  IF kosong IS NOT NULL THEN
    DELETE FROM rm_anggota_aktif WHERE nip = ANY(kosong) AND n = 0;
  END IF;
END
$$
"""


def _pemicu(tabel: str, kolom: str) -> str:
    return f"""
CREATE FUNCTION rm_keanggotaan_dari_{tabel}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rm_keanggotaan_segarkan(ARRAY(SELECT DISTINCT {kolom} FROM baru));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM rm_keanggotaan_segarkan(ARRAY(SELECT DISTINCT {kolom} FROM lama));
  ELSE
    PERFORM rm_keanggotaan_segarkan(ARRAY(SELECT {kolom} FROM baru UNION SELECT {kolom} FROM lama));
  END IF;
  RETURN NULL;
END
$$
"""


_KOSONGKAN = """
CREATE FUNCTION rm_keanggotaan_kosongkan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- DELETE, not TRUNCATE: a rebuild truncates these tables in the same command (READ_MODELS)
  DELETE FROM rm_keanggotaan_aktif;
  DELETE FROM rm_anggota_aktif;
  RETURN NULL;
END
$$
"""

TABEL = {"rm_pokja": "id", "rm_pokja_anggota": "pokja_id"}


def upgrade() -> None:
    op.create_table(
        "rm_keanggotaan_aktif",
        sa.Column("pokja_id", sa.Text, nullable=False),
        sa.Column("nip", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("pokja_id", "nip", name="pk_rm_keanggotaan_aktif"),
    )
    op.create_table(
        "rm_anggota_aktif",
        sa.Column("nip", sa.Text, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("nip", name="pk_rm_anggota_aktif"),
    )
    op.execute(_SEGARKAN)
    op.execute(_KOSONGKAN)
    for tabel, kolom in TABEL.items():
        op.execute(_pemicu(tabel, kolom))
        create_statement_triggers(op, tabel, "keanggotaan", f"rm_keanggotaan_dari_{tabel}()",
                                  "rm_keanggotaan_kosongkan()")
    # what the read models already hold
    op.execute(f"INSERT INTO rm_keanggotaan_aktif (pokja_id, nip) {_ANGGOTA_KINI.format(saring='')}")
    op.execute("INSERT INTO rm_anggota_aktif (nip, n) SELECT nip, count(*) FROM rm_keanggotaan_aktif GROUP BY nip")


def downgrade() -> None:
    for tabel in TABEL:
        drop_statement_triggers(op, tabel, "keanggotaan")
        op.execute(f"DROP FUNCTION IF EXISTS rm_keanggotaan_dari_{tabel}()")
    op.execute("DROP FUNCTION IF EXISTS rm_keanggotaan_kosongkan()")
    op.execute("DROP FUNCTION IF EXISTS rm_keanggotaan_segarkan(text[])")
    op.drop_table("rm_anggota_aktif")
    op.drop_table("rm_keanggotaan_aktif")
