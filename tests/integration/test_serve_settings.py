import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

UKPBJ = str(Path(sys.executable).parent / "ukpbj")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"REGISTRASI_DB_POOL_SIZE": "sepuluh"}, "REGISTRASI_DB_POOL_SIZE"),
        ({"UKPBJ_ENV": "production"}, "UKPBJ_JWT_SECRET"),
        ({"UKPBJ_ENV": "produksi-salah"}, "UKPBJ_ENV"),
    ],
)
def test_a_service_with_a_bad_setting_exits_at_once_naming_the_setting(env, named):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("UKPBJ_", "REGISTRASI_"))}
    started = time.monotonic()
    done = subprocess.run([UKPBJ, "serve", "registrasi", "--port", "1"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert named in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 30
