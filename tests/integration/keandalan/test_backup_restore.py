import hashlib
import tarfile
import uuid
from pathlib import Path

import pytest

from shared.backup import ArsipRusak, Sumber, backup, restore
from shared.devrunner import database_name

pytestmark = pytest.mark.integration


async def fingerprint(infra, database: str) -> dict[str, tuple[int, str]]:
    import asyncpg

    conn = await asyncpg.connect(infra.pg.dsn(database))
    try:
        tables = [r["table_name"] for r in await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY 1")]
        result = {}
        for table in tables:
            row = await conn.fetchrow(f'SELECT count(*) AS n, md5(coalesce(string_agg(t::text, \'|\' '
                                      f'ORDER BY t::text), \'\')) AS h FROM "{table}" t')
            result[table] = (row["n"], row["h"])
        return result
    finally:
        await conn.close()


def files_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


async def test_a_backup_restores_every_table_and_document_exactly(migrated, tmp_path):
    services = migrated.services
    await migrated.execute("registrasi", "INSERT INTO riwayat (aggregate_type, aggregate_id, aksi, aktor) "
                           "VALUES ('cadangan', $1, 'uji', 'uji')", str(uuid.uuid4()))
    documents = tmp_path / "berkas-asli"
    (documents / "ab").mkdir(parents=True)
    (documents / "ab" / "ktp.pdf").write_bytes(b"%PDF-1.4 isi dokumen " + uuid.uuid4().bytes)
    sources = [Sumber(s, migrated.url(s), documents if s == "registrasi" else None) for s in services]
    before = {s: await fingerprint(migrated, database_name(s)) for s in services}
    assert any(n > 0 for n, _ in before["registrasi"].values())

    archive = backup(sources, tmp_path / "cadangan")
    assert archive.name.startswith("ukpbj-backup-") and archive.suffix == ".tar"

    restored_names = {s: f"pulih_{s}_{uuid.uuid4().hex[:6]}" for s in services}
    await migrated.pg.create_databases(list(restored_names.values()))
    restored_docs = tmp_path / "berkas-pulih"
    targets = [Sumber(s, migrated.pg.url(restored_names[s]), restored_docs if s == "registrasi" else None)
               for s in services]
    manifest = restore(archive, targets)

    assert set(manifest["layanan"]) == set(services)
    for s in services:
        assert await fingerprint(migrated, restored_names[s]) == before[s], s
    assert files_of(restored_docs) == files_of(documents)


async def test_a_damaged_archive_restores_nothing(migrated, tmp_path):
    sources = [Sumber("registrasi", migrated.url("registrasi"))]
    archive = backup(sources, tmp_path / "cadangan")
    damaged = tmp_path / "rusak.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member) if member.isfile() else None
            if member.name == "registrasi.dump":
                content = bytearray(data.read())
                content[len(content) // 2] ^= 0xFF
                member.size = len(content)
                import io
                dst.addfile(member, io.BytesIO(bytes(content)))
            else:
                dst.addfile(member, data)
    target_name = f"pulih_rusak_{uuid.uuid4().hex[:6]}"
    await migrated.pg.create_databases([target_name])
    with pytest.raises(ArsipRusak):
        restore(damaged, [Sumber("registrasi", migrated.pg.url(target_name))])
    assert await fingerprint(migrated, target_name) == {}
