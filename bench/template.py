"""Request bodies with unique data per request: one template language shared by Python and wrk's Lua.

A template is JSON text with placeholders inside strings; `bench/wrk/bench.lua` implements the very
same functions, so a body rendered here for a probe or a data load equals what wrk sends.

    {{seq}}            the request's sequence number, decimal
    {{seq:W}}          sequence number modulo 10^W, zero-padded to W digits
    {{luhn:W}}         W-1 digits of the sequence number plus a Luhn check digit (NPWP-15 body)
    {{nip}}            a valid 18-digit PNS NIP (DOMAIN.md rule 3), unique per sequence number
    {{nik}}            a valid 16-digit NIK (rule 1; region 3201, Kabupaten Bogor), unique per sequence number
    {{pool:NAME:K:I}}  value number (seq*K + I) mod len of the pool file NAME (one value per line)
    {{uniq:NAME}}      the next unused value of pool NAME: wrk thread t of T takes values t, t+T, t+2T, ...
                       (here, for a single probe: value seq mod len)
    "{{#...}}"         the same, written without the quotes (a JSON number)

Sequence numbers are unique per run: each wrk invocation gets its own base, each wrk thread its own
stride, and the Python loaders use a range of their own (LOAD_SEQ_BASE).
"""

from __future__ import annotations

import datetime as _dt
import re

LOAD_SEQ_BASE = 300_000_000
E2E_SEQ_BASE = 200_000_000  # + round * 1_000_000 + E2E_SEQ_OFFSET
# `{{luhn:9}}` keeps only the last 8 digits of a sequence number (the NPWP body), so ranges must differ
# modulo 10^8: wrk invocation k uses k*10^6 + t*THREAD_STRIDE + i (t < 2 threads), below k*10^6 + 900,000,
# and the e2e client of round r starts at r*10^6 + 900,000 (it once met invocation r's NPWPs: 409s).
E2E_SEQ_OFFSET = 900_000
# the e2e case's warm-up creates after the broker restart (10 per attempt, at most 6 attempts) of round r:
# r*10^6 + 950,000 + attempt*1,000 + i, above the e2e client's 30,000 and below the next million
E2E_WARMUP_OFFSET = 950_000
THREAD_STRIDE = 400_000
INVOCATION_STRIDE = 1_000_000

_NUM = re.compile(r'"\{\{#(.*?)\}\}"')
_STR = re.compile(r"\{\{(.*?)\}\}")


def luhn_digit(digits: str) -> str:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)  # the check digit will sit to the right
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def nip(seq: int) -> str:
    serial = seq % 999 + 1
    r = seq // 999
    sex = r % 2 + 1
    r //= 2
    tmt_month = r % 12 + 1
    r //= 12
    days = r % 14600
    born = _date_plus(1960, 1, 1, days)
    return f"{born[0]:04d}{born[1]:02d}{born[2]:02d}{born[0] + 25:04d}{tmt_month:02d}{sex}{serial:03d}"


def _date_plus(y: int, m: int, d: int, days: int) -> tuple[int, int, int]:
    x = _dt.date(y, m, d) + _dt.timedelta(days=days)
    return x.year, x.month, x.day


def nik(seq: int) -> str:
    serial = seq % 9999 + 1
    r = seq // 9999
    day = r % 28 + 1
    r //= 28
    month = r % 12 + 1
    r //= 12
    yy = r % 100
    return f"320101{day:02d}{month:02d}{yy:02d}{serial:04d}"


def value(spec: str, seq: int, pools: dict[str, list[str]]) -> str:
    parts = spec.split(":")
    kind = parts[0]
    if kind == "seq":
        if len(parts) == 1:
            return str(seq)
        width = int(parts[1])
        return str(seq % 10**width).zfill(width)
    if kind == "luhn":
        width = int(parts[1])
        body = str(seq % 10 ** (width - 1)).zfill(width - 1)
        return body + luhn_digit(body)
    if kind == "nip":
        return nip(seq)
    if kind == "nik":
        return nik(seq)
    if kind == "pool":
        pool = pools[parts[1]]
        return pool[(seq * int(parts[2]) + int(parts[3])) % len(pool)]
    if kind == "uniq":
        pool = pools[parts[1]]
        return pool[seq % len(pool)]
    raise ValueError(f"unknown placeholder {{{{{spec}}}}}")


def render(template: str, seq: int, pools: dict[str, list[str]] | None = None) -> str:
    pools = pools or {}
    text = _NUM.sub(lambda m: value(m.group(1), seq, pools), template)
    return _STR.sub(lambda m: value(m.group(1), seq, pools), text)
