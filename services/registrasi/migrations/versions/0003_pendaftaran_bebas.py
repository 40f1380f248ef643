"""`pendaftaran_bebas()`: a new registration's identifier locks and checks inside its one INSERT (issue 9).

The create took three round trips: BEGIN with the identifiers' advisory locks, the INSERT guarded by its
checks, COMMIT. The locks had to come first because a statement's snapshot is taken when it starts: checks
in the INSERT itself could not see what the previous holder of a lock committed while the INSERT waited
for it (a user activated with the same NPWP, say; no unique index spans `pendaftaran` and `pengguna`).

A VOLATILE PL/pgSQL function runs each of its queries on a fresh snapshot (READ COMMITTED). So this one
takes the locks, in the order given, and only then looks: the INSERT ... SELECT ... WHERE
pendaftaran_bebas(...) runs alone, in its own implicit transaction, one round trip, and the locks are held
until it commits.

Each identifier is its own probe on its own unique partial index: an equality on a unique index is one row
at most whatever the statistics say. (With the five ORed in one EXISTS, a plan made while the table was
small read the whole e-mail index on every create until the next ANALYZE.)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MENUNGGU = "status IN ('diajukan', 'perlu_perbaikan')"
BELUM_KEDALUWARSA = "status <> 'kedaluwarsa'"
# identifier column (as its unique indexes have it) -> the parameter it is compared with
_COCOK = (("npwp_indeks", "cari_npwp"), ("nib", "cari_nib"), ("nip", "cari_nip"),
          ("lower(user_id)", "cari_user_id"), ("lower(email)", "cari_email"))


def _tidak_dipegang(tabel: str, berlaku: str) -> str:
    return "\n       AND ".join(f"NOT EXISTS (SELECT 1 FROM {tabel} WHERE {berlaku} AND {kolom} = {nilai})"
                              for kolom, nilai in _COCOK)


def upgrade() -> None:
    op.execute(f"""
CREATE FUNCTION pendaftaran_bebas(kunci bigint[], cari_npwp text, cari_nib text, cari_nip text,
                                  cari_user_id text, cari_email text, hari date) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k bigint;
BEGIN
    -- the callers sort the keys: every path takes the identifiers' locks in the same order
    FOREACH k IN ARRAY kunci LOOP
        PERFORM pg_advisory_xact_lock(k);
    END LOOP;
    -- NULL matches nothing: an identifier the registration does not have is not looked for
    RETURN {_tidak_dipegang("pendaftaran", MENUNGGU)}
       AND {_tidak_dipegang("pengguna", BELUM_KEDALUWARSA)}
       AND NOT EXISTS (SELECT 1 FROM daftar_hitam WHERE npwp_indeks = cari_npwp AND mulai <= hari AND selesai >= hari)
       AND NOT EXISTS (SELECT 1 FROM daftar_hitam WHERE nib = cari_nib AND mulai <= hari AND selesai >= hari);
END
$$""")


def downgrade() -> None:
    op.execute("DROP FUNCTION pendaftaran_bebas(bigint[], text, text, text, text, text, date)")
