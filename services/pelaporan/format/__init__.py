"""Renderers of a `Laporan`: JSON, CSV, XLSX and PDF.

Each takes the computed report and nothing else, so all four show the same figures, and each is
deterministic: the same Laporan gives byte-identical output (a frozen report is re-rendered and
its hash compared). The only timestamp any of them writes is `Laporan.dibuat_pada`.
"""

from services.pelaporan.format.berkas_csv import ke_csv
from services.pelaporan.format.berkas_json import ke_json
from services.pelaporan.format.berkas_pdf import ke_pdf
from services.pelaporan.format.berkas_xlsx import ke_xlsx

__all__ = ["ke_csv", "ke_json", "ke_pdf", "ke_xlsx"]
