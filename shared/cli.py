"""The `ukpbj` command: `dev` (the whole system locally), `serve`, `migrate`, `token`, `seed`.

`ukpbj serve <service>` is the one command that runs a service, in the dev runner and in the
containers alike: migrations first, then uvicorn with one worker.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    port: int

    @property
    def env_prefix(self) -> str:
        return self.name.upper() + "_"

    @property
    def factory(self) -> str:
        return f"services.{self.name}.main:create_app"


SERVICES = {s.name: s for s in (ServiceInfo("registrasi", 8001), ServiceInfo("pokja", 8002),
                                 ServiceInfo("helpdesk", 8003), ServiceInfo("pelaporan", 8004))}


def serve_command(name: str, host: str = "0.0.0.0", port: int | None = None) -> list[str]:
    """The argv that runs one service: the dev runner and the Dockerfile use exactly this."""
    return ["ukpbj", "serve", name, "--host", host, "--port", str(port or SERVICES[name].port)]


def settings_of(name: str):  # type: ignore[no-untyped-def]
    from shared.config import load_settings

    from shared.devrunner import running_stack_env

    module = import_module(f"services.{name}.config")
    overrides = {k: v for k, v in running_stack_env(data_dir()).items() if k not in os.environ}
    os.environ.update(overrides)
    return load_settings(module.Settings)


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from shared.migrations import upgrade

    settings = settings_of(args.service)
    upgrade(args.service, settings.database_url)
    # shared.server: uvicorn's httptools protocol, each response sent in one write (issue 9)
    uvicorn.run(SERVICES[args.service].factory, factory=True, host=args.host, port=args.port, workers=1,
                http="shared.server:HttpProtocol", access_log=False, log_config=None, timeout_graceful_shutdown=10)


def cmd_migrate(args: argparse.Namespace) -> None:
    from shared.migrations import upgrade

    for name in args.services or list(SERVICES):
        upgrade(name, settings_of(name).database_url)
        print(f"{name}: migrated to head")


def cmd_token(args: argparse.Namespace) -> None:
    from shared.auth import ROLES, mint_token
    from shared.config import DEV_JWT_SECRET

    roles = [r.strip() for r in args.role.split(",") if r.strip()]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise SystemExit(f"peran tidak dikenal: {', '.join(unknown)}; pilih dari: {', '.join(ROLES)}")
    secret = os.environ.get("UKPBJ_JWT_SECRET", DEV_JWT_SECRET)
    print(mint_token(secret, roles=roles, sub=args.sub or args.nip or f"dev-{roles[0]}", nip=args.nip,
                     name=args.name, ttl_s=args.ttl))


def data_dir() -> Path:
    return Path(os.environ.get("UKPBJ_DATA_DIR", ROOT / ".data")).resolve()


def cmd_dev(args: argparse.Namespace) -> None:
    from shared.devrunner import run_dev

    run_dev(data_dir(), host=args.host)


def _sumber():  # type: ignore[no-untyped-def]
    from shared.backup import Sumber

    result = []
    for name in SERVICES:
        settings = settings_of(name)
        keeps_files = name in ("registrasi", "helpdesk")
        result.append(Sumber(name, settings.database_url, Path(settings.storage_dir) if keeps_files else None))
    return result


def cmd_backup(args: argparse.Namespace) -> None:
    from shared.backup import backup

    archive = backup(_sumber(), Path(args.out))
    print(f"cadangan / backup: {archive}")


def cmd_restore(args: argparse.Namespace) -> None:
    from shared.backup import restore

    manifest = restore(Path(args.archive), _sumber())
    print(f"dipulihkan / restored: {', '.join(manifest['layanan'])} (cadangan {manifest['dibuat']})")


def cmd_rebuild(args: argparse.Namespace) -> None:
    settings_of("pelaporan")  # the running dev stack's URLs, when there is one
    from services.pelaporan.rebuild import main as rebuild_main

    raise SystemExit(rebuild_main(args.rest))


def cmd_seed(args: argparse.Namespace) -> None:
    from shared.seed import run_seed

    asyncio.run(run_seed(args.base_host))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="ukpbj", description="UKPBJ Kemendagri: layanan dan alat pengembang")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dev", help="jalankan seluruh sistem secara lokal / run the whole system locally")
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(func=cmd_dev)
    p = sub.add_parser("serve", help="migrasi lalu jalankan satu layanan / migrate then serve one service")
    p.add_argument("service", choices=list(SERVICES))
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("migrate", help="jalankan migrasi / run migrations")
    p.add_argument("services", nargs="*", help=f"default: semua / all ({', '.join(SERVICES)})")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("backup", help="cadangkan semua basis data dan dokumen / back up every database and document")
    p.add_argument("--out", default=str(ROOT / "cadangan"))
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="pulihkan dari arsip cadangan / restore from a backup archive")
    p.add_argument("archive")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("rebuild", help="bangun ulang read model pelaporan dari riwayat event / rebuild pelaporan")
    p.add_argument("service", choices=["pelaporan"])
    p.add_argument("rest", nargs=argparse.REMAINDER, help="e.g. --tahun 2025 2026")
    p.set_defaults(func=cmd_rebuild)
    p = sub.add_parser("token", help="cetak token pengembangan / print a development token")
    p.add_argument("--role", required=True, help="peran, dipisah koma / roles, comma separated")
    p.add_argument("--sub")
    p.add_argument("--nip")
    p.add_argument("--name")
    p.add_argument("--ttl", type=int, default=8 * 3600)
    p.set_defaults(func=cmd_token)
    p = sub.add_parser("seed", help="isi data demo lewat API / fill demo data through the APIs")
    p.add_argument("--base-host", default="http://127.0.0.1")
    p.set_defaults(func=cmd_seed)
    args = parser.parse_args(argv)
    if args.command == "serve" and args.port is None:
        args.port = SERVICES[args.service].port
    args.func(args)


if __name__ == "__main__":
    main()
