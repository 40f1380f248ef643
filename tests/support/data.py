"""Unique, valid request bodies for tests that create many records through the public APIs."""

from __future__ import annotations

import itertools
import random
import uuid

_seq = itertools.count(1)
GENERATED: set[str] = set()  # every personal number generated here, for the leak scan


def digits(n: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(n))


def penyedia_unik() -> dict:
    """A supplier registration with its own NPWP (legacy 15 digits), NIB, user ID and e-mail."""
    tag = uuid.uuid4().hex[:10]
    n = next(_seq)
    npwp = "9" + digits(14)
    GENERATED.update({npwp, "0" + npwp})
    return {
        "jenis": "penyedia", "bentuk_usaha": "pt", "nama": f"PT Uji Gangguan {n} {tag}",
        "npwp": npwp, "nib": "8" + digits(12), "email": f"uji-{tag}@contoh.co.id",
        "telepon": "021-5551234", "alamat": "Jl. Medan Merdeka Utara No. 7, Jakarta Pusat",
        "user_id": f"uji{tag}",
        "penanggung_jawab": {"nama": "Budi Santoso", "nik": "3171011501800001", "jabatan": "Direktur"},
    }
