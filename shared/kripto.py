"""Field-level encryption of personal numbers (NIK, NPWP) so a database dump alone reveals nothing.

A value is stored twice: AES-256-GCM ciphertext (`enkripsi`/`dekripsi`, random nonce, versioned
prefix so keys can rotate) and a keyed HMAC-SHA256 blind index (`indeks_buta`) for equality
lookups and unique constraints. The key comes from `UKPBJ_KUNCI_DATA` (base64, 32 bytes); the
development key is refused outside development, as the JWT secret is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DEV_KUNCI_DATA = base64.b64encode(hashlib.sha256(b"ukpbj-dev-kunci-data").digest()).decode()
_PREFIX = "v1:"


class Kripto:
    """Encrypts and indexes one kind of secret value with one data key."""

    def __init__(self, kunci_b64: str) -> None:
        kunci = base64.b64decode(kunci_b64)
        if len(kunci) != 32:
            raise ValueError("UKPBJ_KUNCI_DATA must be 32 bytes, base64-encoded")
        self._aead = AESGCM(hashlib.sha256(b"enc" + kunci).digest())
        self._mac_key = hashlib.sha256(b"mac" + kunci).digest()

    def enkripsi(self, nilai: str) -> str:
        nonce = os.urandom(12)
        sandi = self._aead.encrypt(nonce, nilai.encode(), None)
        return _PREFIX + base64.b64encode(nonce + sandi).decode()

    def dekripsi(self, token: str) -> str:
        if not token.startswith(_PREFIX):
            raise ValueError("unknown ciphertext version")
        raw = base64.b64decode(token[len(_PREFIX):])
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()

    def indeks_buta(self, nilai: str) -> str:
        """A stable keyed hash: equal values give equal indexes; the value cannot be read back."""
        return hmac.new(self._mac_key, nilai.encode(), hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    """How access tokens (registrant, reporter) are stored: SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=4)
def kripto(kunci_b64: str) -> Kripto:
    return Kripto(kunci_b64)
