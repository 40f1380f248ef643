from dataclasses import replace
from datetime import date

from services.registrasi.domain import (
    BentukUsaha,
    DataNonPenyedia,
    DataPenyedia,
    JenisDokumen,
    PenanggungJawab,
    Pendaftaran,
    Peran,
    StatusPendaftaran,
)

HARI_INI = date(2025, 6, 2)
NIK_DIREKTUR = "3201011708800001"
NPWP_PT = "0013121660091000"
NIB_PT = "9120001234567"

DOKUMEN_PENYEDIA = {JenisDokumen.KTP, JenisDokumen.AKTA_PENDIRIAN, JenisDokumen.NPWP,
                    JenisDokumen.FORMULIR_PENDAFTARAN, JenisDokumen.FORMULIR_KEIKUTSERTAAN}


def penyedia(**ubah) -> DataPenyedia:
    data = DataPenyedia(
        bentuk_usaha=BentukUsaha.PT, nama="PT Sinar Nusantara Konstruksi", npwp="01.312.166.0-091.000",
        nib=NIB_PT, email="pengadaan@sinarnusantara.co.id", telepon="0251-8312345",
        alamat="Jl. Pajajaran No. 12, Bogor", user_id="sinarnusantara",
        penanggung_jawab=PenanggungJawab(nama="Budi Santoso", nik=NIK_DIREKTUR, jabatan="Direktur"))
    return replace(data, **ubah)


def non_penyedia(**ubah) -> DataNonPenyedia:
    data = DataNonPenyedia(
        nama="Siti Rahmawati", nip="199005122015032002", nik="3174075205900001",
        instansi="Kementerian Dalam Negeri", satuan_kerja="Biro Umum Sekretariat Jenderal",
        peran=frozenset({Peran.POKJA}), nomor_sk="900.1.1-123 Tahun 2025", berlaku_sampai=date(2025, 12, 31),
        email="siti.rahmawati@kemendagri.go.id", user_id="siti.rahmawati")
    return replace(data, **ubah)


def pendaftaran(data=None, *, status=StatusPendaftaran.DIAJUKAN, dokumen=DOKUMEN_PENYEDIA) -> Pendaftaran:
    data = data or replace(penyedia(), npwp=NPWP_PT)
    return Pendaftaran(id="pdf-1", data=data, status=status, dokumen=set(dokumen))
