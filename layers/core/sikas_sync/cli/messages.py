"""Every text of the command line, in Bahasa Indonesia (the default) and English.

`t(key, **fields)` words a message in the language in use: `--lang`, else the locale of the
environment (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX order: English when it starts with `en`,
Bahasa Indonesia otherwise, `C` and unset included). Command names, flags, JSON keys, error codes
and exit statuses are the same in both languages. Row errors come from validation, already in
Bahasa Indonesia, and are not translated here.

Imports only the standard library: the parser is built from these texts before anything heavy loads.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")

_current: Language | None = None


def from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """`en` when the first set of LC_ALL, LC_MESSAGES, LANG starts with `en`; else `id`."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "id"
    return "id"


def language() -> Language:
    return _current or from_environment()


def set_language(lang: Language | None) -> None:
    """Use `lang` from now on (None: follow the environment again)."""
    global _current  # noqa: PLW0603 - one process, one language at a time
    _current = lang


@contextmanager
def speaking(lang: Language) -> Iterator[None]:
    """`lang` for the command line's own texts and argparse's, restored afterwards."""
    global _current  # noqa: PLW0603
    before = _current
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    _current = lang
    # argparse words "usage:", "error:", "the following arguments are required" … through its
    # module-level gettext `_` and `ngettext`, looked up at each call: swapped here for our table.
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _current = before
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def t(key: str, /, **fields: object) -> str:
    """The message `key` in the language in use, its `{fields}` filled in."""
    indonesian, english = CATALOG[key]
    text = english if language() == "en" else indonesian
    return text.format(**fields) if fields else text


def number(value: int) -> str:
    """A count as the reader writes it: 3.900 in Bahasa Indonesia, 3,900 in English."""
    text = f"{value:,}"
    return text if language() == "en" else text.replace(",", ".")


# -- argparse's own texts: the msgids of the .venv's CPython 3.11 (a test checks each is still used) --

ARGPARSE_ID: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "subcommands": "subperintah",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "the following arguments are required: %s": "argumen berikut wajib diberikan: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diberikan",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "expected %s argument": "memerlukan %s nilai",
    "expected %s arguments": "memerlukan %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opsi ambigu: %(option)s dapat berarti %(matches)s"
    ),
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan tidak sah: %(value)r (pilih dari %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
}


def _argparse_text(message: str) -> str:
    return ARGPARSE_ID.get(message, message) if language() == "id" else message


def _argparse_plural(singular: str, plural: str, count: int) -> str:
    return _argparse_text(singular if count == 1 else plural)


# -- the catalog: key -> (Bahasa Indonesia, English) ----------------------------------------------
# Help texts pass through argparse's %-formatting: `%(default)s` is the option's default, and a
# literal percent sign would have to be written twice.

CATALOG: dict[str, tuple[str, str]] = {
    # the program and its options
    "prog.description": (
        "Integrasi data ketenagakerjaan SIKAS dengan Kementerian Ketenagakerjaan (SIAPkerja, SMData).",
        "SIKAS labour-data integration with the Ministry of Manpower (SIAPkerja, SMData).",
    ),
    "prog.epilog": (
        "Bahasa: Indonesia secara bawaan; --lang en, atau LANG=en_US.UTF-8, untuk bahasa Inggris. "
        "Status keluar: 0 berhasil, 1 ada yang ditolak atau belum selesai, 2 kesalahan penggunaan. "
        "Bantuan satu perintah: sikas-sync COMMAND --help.",
        "Language: Bahasa Indonesia by default; --lang en, or LANG=en_US.UTF-8, for English. "
        "Exit status: 0 success, 1 something was rejected or is not finished, 2 usage error. "
        "Help on one command: sikas-sync COMMAND --help.",
    ),
    "prog.commands": ("perintah", "commands"),
    "help.version": ("tampilkan versi sikas-sync lalu keluar", "print the version of sikas-sync and exit"),
    "help.lang": (
        "bahasa keluaran: id (Bahasa Indonesia) atau en (English); bawaan mengikuti LC_ALL, "
        "LC_MESSAGES atau LANG (en… berarti English, selain itu Bahasa Indonesia)",
        "output language: id (Bahasa Indonesia) or en (English); by default from LC_ALL, LC_MESSAGES "
        "or LANG (en… means English, anything else Bahasa Indonesia)",
    ),
    "help.json": (
        "cetak hasil sebagai tepat satu dokumen JSON di stdout (juga untuk kesalahan)",
        "print the result as exactly one JSON document on stdout (errors too)",
    ),
    "help.region_code": (
        "kode wilayah Kemendagri kabupaten/kota (atau provinsi) asal data (bawaan: %(default)s)",
        "Kemendagri code of the kabupaten/kota (or province) the data is from (default: %(default)s)",
    ),
    "help.verbose": (
        "log fungsi ke stderr, bukan ke berkas log",
        "function logs on stderr instead of a log file",
    ),
    "help.ministry_url": (
        "URL implementasi lain dari ministry-api.yaml (bawaan: kementerian tiruan di dalam proses)",
        "URL of another implementation of ministry-api.yaml (default: an in-process stand-in ministry)",
    ),
    # validate
    "cmd.validate": (
        "periksa satu berkas ekspor secara luring, sebelum diunggah",
        "check one export offline, before it is uploaded",
    ),
    "help.validate.file": (
        "berkas ekspor (CSV, XLSX atau JSONL)",
        "the export file (CSV, XLSX or JSONL)",
    ),
    "help.domain.inferred": (
        "domain berkas, salah satu dari: {slugs}. Bawaan: nama folder induk bila berupa domain, "
        "atau domain terpanjang yang mengawali nama berkas",
        "the file's domain, one of: {slugs}. Default: the parent folder's name when it is a domain, "
        "else the longest domain the file name starts with",
    ),
    "help.rejected_out": (
        "tulis semua baris yang ditolak ke berkas CSV ini, seperti karantina "
        "(header asli, nomor baris dan kode kesalahan)",
        "write every rejected row to this CSV file, as the quarantine does "
        "(original header, line number and error codes)",
    ),
    # sample
    "cmd.sample": (
        "tulis berkas ekspor SIKAS sintetis yang realistis (data rekaan, untuk uji coba)",
        "write a realistic synthetic SIKAS export (made-up data, for trials)",
    ),
    "help.domain.one": ("domain, salah satu dari: {slugs}", "the domain, one of: {slugs}"),
    "help.sample.rows": ("jumlah baris data", "number of data rows"),
    "help.sample.seed": (
        "benih acak: benih yang sama menghasilkan berkas yang sama (bawaan: %(default)s)",
        "random seed: the same seed writes the same file (default: %(default)s)",
    ),
    "help.sample.invalid_ratio": (
        "bagian baris yang sengaja dibuat salah, 0 sampai 1 (bawaan: %(default)s)",
        "share of rows broken on purpose, 0 to 1 (default: %(default)s)",
    ),
    "help.sample.warn_ratio": (
        "bagian baris yang tetap sah tetapi dengan satu peringatan yang diketahui, 0 sampai 1 "
        "(bawaan: %(default)s)",
        "share of rows kept valid with one known warning, 0 to 1 (default: %(default)s)",
    ),
    "help.sample.format": (
        "format berkas: csv, xlsx atau jsonl (bawaan: %(default)s)",
        "file format: csv, xlsx or jsonl (default: %(default)s)",
    ),
    "help.sample.out": ("berkas yang ditulis", "the file to write"),
    # run
    "cmd.run": (
        "seluruh alur pada stack tertanam yang baru, untuk berkas yang diberikan",
        "the whole pipeline on a fresh embedded stack, for the given files",
    ),
    "help.run.files": (
        "berkas ekspor, diunggah dan diproses berurutan",
        "export files, uploaded and processed in order",
    ),
    "help.domain.run": (
        "domain semua berkas, salah satu dari: {slugs}. Bawaan: per berkas, dari nama folder induk "
        "atau awalan nama berkas",
        "the domain of every file, one of: {slugs}. Default: per file, from the parent folder's name "
        "or the start of the file name",
    ),
    "help.run.timeout": (
        "batas waktu seluruh alur, dalam detik (bawaan: %(default)s)",
        "time limit of the whole pipeline, in seconds (default: %(default)s)",
    ),
    "help.run.outbox_dir": (
        "salin berkas outbox untuk SIKAS (status, dari_siapkerja, hasil) dari bucket tiruan ke folder ini",
        "copy the outbox files for SIKAS (status, dari_siapkerja, results) out of the emulated bucket "
        "into this folder",
    ),
    # admin commands on a stack
    "help.stack": (
        "stack yang sudah di-deploy (nama stack CloudFormation)",
        "a deployed stack (its CloudFormation stack name)",
    ),
    "help.embedded": (
        "stack dari `sikas-sync local-stack`, lewat berkas keadaannya (bawaan {path})",
        "the stack of `sikas-sync local-stack`, through its state file (default {path})",
    ),
    "help.aws_region": (
        "region AWS stack yang di-deploy (bawaan: AWS_REGION, lalu AWS_DEFAULT_REGION atau profil AWS)",
        "AWS region of a deployed stack (default: AWS_REGION, then AWS_DEFAULT_REGION or the AWS profile)",
    ),
    "cmd.pending": (
        "rekaman yang belum terkirim per domain dan umur, serta isi DLQ",
        "undelivered records by domain and age, and DLQ depths",
    ),
    "cmd.redrive": (
        "pindahkan pesan dari DLQ kembali ke antreannya",
        "move dead-lettered messages back to their queue",
    ),
    "help.redrive.queue": (
        "antrean: push (bawaan), ingest-<domain> atau all",
        "the queue: push (default), ingest-<domain> or all",
    ),
    "help.redrive.limit": (
        "paling banyak N pesan per antrean (bawaan: semua)",
        "at most N messages per queue (default: all)",
    ),
    "cmd.erase": (
        "hapus rekaman seseorang pada satu domain, di sini dan di kementerian (UU 27/2022), tercatat audit",
        "erase a person's records of one domain here and at the ministry (UU 27/2022), audited",
    ),
    "help.erase.domain": (
        "domain yang memuat data orang (NIK), salah satu dari: {slugs}",
        "a domain holding persons' records (NIK), one of: {slugs}",
    ),
    "help.erase.nik": (
        "NIK orang tersebut; - membacanya dari stdin (tidak tersimpan di riwayat shell)",
        "the person's NIK; - reads it from stdin (kept out of the shell history)",
    ),
    "help.erase.requested_by": (
        "siapa yang meminta, untuk catatan audit (bawaan: identitas AWS Anda, atau nama pengguna Anda "
        "pada stack tertanam)",
        "who asked, for the audit entry (default: your AWS identity, or your user name on the embedded "
        "stack)",
    ),
    "help.erase.ministry_url": (
        "khusus stack tertanam: URL kementerian (bawaan: yang tercatat di berkas keadaan)",
        "embedded stack only: the ministry's URL (default: the one in the state file)",
    ),
    "cmd.outbox": (
        "tulis berkas outbox untuk SIKAS sekarang: status pengiriman, rekaman yang hanya ada di "
        "kementerian, hasil unggahan",
        "write SIKAS's outbox files now: delivery status, ministry-only records, upload results",
    ),
    "help.outbox.domain": (
        "domain, salah satu dari: {slugs} (ulangi untuk beberapa; bawaan: semua domain)",
        "a domain, one of: {slugs} (repeat for several; default: every domain)",
    ),
    "help.outbox.since": (
        "hanya rekaman yang ditulis atau dikirim sejak tanggal ini (WIB, mis. 2025-03-01), dalam berkas "
        "terpisah `_sejak_TANGGAL`",
        "only records written or delivered from this day (WIB, e.g. 2025-03-01), in separate "
        "`_sejak_DATE` files",
    ),
    "cmd.status": (
        "berkas beberapa hari terakhir, yang menunggu kementerian, DLQ dan pemutus sirkuit",
        "files of the last days, what waits for the ministry, DLQs and the circuit breaker",
    ),
    "help.status.file": (
        "satu berkas ekspor (mis. lowongan/2025-03.csv), semua versinya",
        "one export (e.g. lowongan/2025-03.csv), all its versions",
    ),
    "help.status.days": (
        "jumlah hari ke belakang (bawaan: %(default)s)",
        "how many days back (default: %(default)s)",
    ),
    "cmd.report": (
        "laporan satu berkas ekspor: jumlah, lalu setiap masalah baris",
        "one export's report: counts, then every row issue",
    ),
    "help.report.file": (
        "kunci berkas di inbox (mis. lowongan/2025-03.csv)",
        "the export's key in the inbox (e.g. lowongan/2025-03.csv)",
    ),
    "help.report.limit": (
        "jumlah masalah dalam tabel (bawaan: %(default)s)",
        "issues in the table (default: %(default)s)",
    ),
    "cmd.local_stack": (
        "jalankan stack tertanam untuk perintah admin, sampai Ctrl-C",
        "keep an embedded stack running for admin commands, until Ctrl-C",
    ),
    "help.local_stack.state": (
        "berkas keadaan yang ditulis untuk perintah admin (bawaan: %(default)s)",
        "the state file written for the admin commands (default: %(default)s)",
    ),
    "cmd.demo": (
        "pekerjaan utama pada stack tertanam, dengan data contoh semua domain",
        "the main job on the embedded stack, with sample data of every domain",
    ),
    "help.demo.rows": ("baris per domain (bawaan: %(default)s)", "rows per domain (default: %(default)s)"),
    "cmd.columns": (
        "kolom (header) yang diterima suatu domain: wajib atau tidak, dan aliasnya",
        "the columns (headers) a domain accepts: required or not, and their aliases",
    ),
    "help.columns.domain": (
        "domain, salah satu dari: {slugs}; tanpa opsi ini: daftar domain",
        "the domain, one of: {slugs}; without it: the list of domains",
    ),
    # values the parser refuses
    "arg.domain_unknown": (
        "domain {value!r} tidak dikenal; pilih salah satu dari: {slugs}",
        "unknown domain {value!r}; choose one of: {slugs}",
    ),
    "arg.region_code": (
        "{value!r} bukan kode provinsi atau kabupaten/kota Kemendagri (mis. 12.09)",
        "{value!r} is not a Kemendagri province or kabupaten/kota code (e.g. 12.09)",
    ),
    "arg.ratio": ("{value!r} harus angka antara 0 dan 1", "{value!r} must be a number between 0 and 1"),
    "arg.positive_float": ("{value!r} harus angka lebih dari 0", "{value!r} must be a number above 0"),
    "arg.positive_int": (
        "{value!r} harus bilangan bulat paling sedikit 1",
        "{value!r} must be a whole number of at least 1",
    ),
    "arg.integer": ("{value!r} harus bilangan bulat", "{value!r} must be a whole number"),
    "arg.date": ("{value!r} bukan tanggal seperti 2025-03-01", "{value!r} is not a date like 2025-03-01"),
    # usage errors and other failures
    "error.label": ("kesalahan", "error"),
    "error.file_not_found": ("{path}: berkas tidak ditemukan", "{path}: no such file"),
    "error.is_a_directory": ("{path} adalah folder, bukan berkas", "{path} is a folder, not a file"),
    "error.not_a_file": ("{path} bukan berkas biasa", "{path} is not a regular file"),
    "error.unreadable": (
        "{path}: tidak dapat dibaca (izin ditolak)",
        "{path}: cannot be read (permission denied)",
    ),
    "error.not_a_directory": ("{path} bukan folder", "{path} is not a folder"),
    "error.permission_denied": ("{path}: izin ditolak", "{path}: permission denied"),
    "error.os": ("{path}: {reason}", "{path}: {reason}"),
    "error.ministry_url": ("--ministry-url harus URL http(s)", "--ministry-url must be an http(s) URL"),
    "error.domain_not_inferred": (
        "domain {name} tidak dapat ditentukan dari nama folder maupun nama berkasnya; beri --domain SLUG "
        "(salah satu dari: {slugs})",
        "the domain of {name} cannot be told from its folder or file name; give --domain SLUG "
        "(one of: {slugs})",
    ),
    "error.internal": (
        "kesalahan tak terduga ({kind}); rinciannya di stderr",
        "unexpected error ({kind}); the details are on stderr",
    ),
    "error.interrupted": ("dihentikan (Ctrl-C)", "interrupted (Ctrl-C)"),
    # the stack an admin command talks to
    "target.no_stack": (
        "tidak ada stack: gunakan --stack NAMA untuk stack yang sudah di-deploy, atau jalankan dulu "
        "`sikas-sync local-stack`",
        "no stack given: use --stack NAME for a deployed stack, or start `sikas-sync local-stack`",
    ),
    "target.state_missing": (
        "{path}: tidak ada berkas keadaan stack tertanam; jalankan dulu `sikas-sync local-stack`",
        "{path}: no embedded stack state; start one with `sikas-sync local-stack`",
    ),
    "target.state_invalid": (
        "{path}: bukan berkas keadaan yang ditulis `sikas-sync local-stack`",
        "{path}: not a state file written by `sikas-sync local-stack`",
    ),
    "target.local_stack_not_running": (
        "local-stack tidak berjalan: {path} tertinggal dari local-stack yang sudah berhenti (PID {pid}); "
        "jalankan lagi `sikas-sync local-stack`",
        "local-stack is not running: {path} was left behind by a local-stack that has ended (PID {pid}); "
        "start `sikas-sync local-stack` again",
    ),
    "target.aws_no_region": (
        "region AWS belum ditentukan: beri --aws-region REGION, atau set AWS_REGION "
        "(mis. ap-southeast-3 untuk Jakarta)",
        "no AWS region: give --aws-region REGION, or set AWS_REGION (e.g. ap-southeast-3, Jakarta)",
    ),
    "target.aws_no_credentials": (
        "tidak ada kredensial AWS: set AWS_PROFILE (lalu `aws sso login --profile NAMA`), atau "
        "AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY",
        "no AWS credentials: set AWS_PROFILE (then `aws sso login --profile NAME`), or "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    ),
    "target.aws_partial_credentials": (
        "kredensial AWS tidak lengkap: {missing} tidak ada di {provider}; lengkapi, atau gunakan AWS_PROFILE",
        "incomplete AWS credentials: {provider} lacks {missing}; complete them, or use AWS_PROFILE",
    ),
    "target.aws_profile_not_found": (
        "profil AWS {profile!r} tidak ditemukan: periksa AWS_PROFILE (daftar profil: "
        "`aws configure list-profiles`)",
        "AWS profile {profile!r} not found: check AWS_PROFILE (list them: `aws configure list-profiles`)",
    ),
    "target.aws_credentials_refused": (
        "AWS menolak kredensial ({aws_code}): perbarui kredensial (mis. `aws sso login`) atau periksa "
        "AWS_PROFILE",
        "AWS refused the credentials ({aws_code}): renew them (e.g. `aws sso login`) or check AWS_PROFILE",
    ),
    "target.aws_access_denied": (
        "AWS menolak akses ({aws_code}): identitas ini tidak berhak; gunakan profil admin sikas-sync "
        "(AWS_PROFILE). Pesan AWS: {aws_message}",
        "AWS denied access ({aws_code}): this identity may not do it; use the sikas-sync admin profile "
        "(AWS_PROFILE). AWS said: {aws_message}",
    ),
    "target.aws_unreachable": (
        "{endpoint} tidak dapat dihubungi: periksa jaringan, atau untuk --embedded apakah "
        "`sikas-sync local-stack` masih berjalan",
        "cannot reach {endpoint}: check the network, or for --embedded whether `sikas-sync local-stack` "
        "still runs",
    ),
    "target.aws_error": (
        "kesalahan AWS ({aws_code}): {aws_message}",
        "AWS error ({aws_code}): {aws_message}",
    ),
    "target.stack_not_found": (
        "stack {stack!r} tidak ada di region {region}: periksa nama stack (--stack) dan region "
        "(--aws-region atau AWS_REGION)",
        "stack {stack!r} does not exist in region {region}: check the stack name (--stack) and the region "
        "(--aws-region or AWS_REGION)",
    ),
    "target.stack_outputs_missing": (
        "stack {stack!r} tidak memiliki output {outputs}: apakah itu stack sikas-sync, dan sudah di-deploy "
        "dari versi ini?",
        "stack {stack!r} lacks the outputs {outputs}: is it a sikas-sync stack, deployed from this version?",
    ),
    "target.no_erase_function": (
        "stack tidak memiliki output EraseFunctionName; deploy versi terbaru",
        "the stack has no EraseFunctionName output; deploy the current version",
    ),
    "target.no_ministry": (
        "berkas keadaan tidak menyebut kementerian; beri --ministry-url",
        "the state file names no ministry; give --ministry-url",
    ),
    "target.unknown_queue": (
        "tidak ada antrean {name!r}; pilih dari: all, {queues}",
        "no queue {name!r}; choose from: all, {queues}",
    ),
    "target.no_report": (
        "tidak ada laporan untuk {key!r}: belum diunggah, atau belum selesai diproses",
        "no report for {key!r}: not uploaded, or not processed yet",
    ),
    "target.no_ledger_file": (
        "tidak ada berkas {key!r} di ledger (kuncinya seperti lowongan/2025-03.csv)",
        "no file {key!r} in the ledger (keys look like lowongan/2025-03.csv)",
    ),
    # progress
    "progress.rows": ("{label}: {rows} baris ({rate} baris/detik)", "{label}: {rows} rows ({rate} rows/s)"),
    "progress.files": (
        "{label}: {rows} berkas ({rate} berkas/detik)",
        "{label}: {rows} files ({rate} files/s)",
    ),
    "progress.validating": ("memeriksa {name}", "validating {name}"),
    "progress.writing": ("menulis {name}", "writing {name}"),
    "progress.run": ("memproses berkas", "processing files"),
    # validate and run output
    "status.processed": ("diproses", "processed"),
    "status.rejected": ("ditolak", "rejected"),
    "status.processing": ("sedang diproses", "processing"),
    "out.reason": ("alasan: {reason}", "reason: {reason}"),
    "out.counts": (
        "baris {rows}  sah {valid}  ditolak {rejected}  peringatan {warnings}",
        "rows {rows}  valid {valid}  rejected {rejected}  warnings {warnings}",
    ),
    "out.ignored_columns": (
        "kolom diabaikan (bukan bagian domain): {columns}",
        "ignored columns (not part of the domain): {columns}",
    ),
    "out.file_warning": ("catatan berkas: {message} ({code})", "file note: {message} ({code})"),
    "out.errors": ("kesalahan (baris ditolak):", "errors (rows rejected):"),
    "out.warnings": (
        "peringatan (baris tetap disimpan dan dikirim):",
        "warnings (the rows are stored and delivered all the same):",
    ),
    "out.issue_line": ("baris", "line"),
    "out.more_rows_validate": (
        "… dan {count} baris ditolak lain tidak ditampilkan; gunakan --rejected-out BERKAS untuk "
        "menyimpan semuanya",
        "… and {count} more rejected rows not shown; use --rejected-out FILE to save them all",
    ),
    "out.more_errors_same_rows": (
        "… dan {count} kesalahan lain pada baris yang sama tidak ditampilkan",
        "… and {count} more errors of the same rows not shown",
    ),
    "out.more_warnings": (
        "… dan {count} peringatan lain tidak ditampilkan (--json memuat {listed} yang pertama)",
        "… and {count} more warnings not shown (--json lists the first {listed})",
    ),
    "out.more_rows_run": (
        "… dan {count} baris ditolak lain tidak ditampilkan (lihat --json atau laporannya)",
        "… and {count} more rejected rows not shown (see --json or the report)",
    ),
    "out.more_warnings_run": (
        "… dan {count} peringatan lain tidak ditampilkan (lihat --json atau laporannya)",
        "… and {count} more warnings not shown (see --json or the report)",
    ),
    "out.warning_prefix": ("peringatan", "warning"),
    "out.rejected_out": (
        "{rows} baris yang ditolak ditulis ke {path}",
        "{rows} rejected rows written to {path}",
    ),
    "out.rejected_out_none": (
        "berkas ditolak seluruhnya; tidak ada baris yang ditulis ke {path}",
        "the file was rejected as a whole; no rows were written to {path}",
    ),
    "out.region": ("wilayah {code}", "region {code}"),
    "out.col.file": ("berkas", "file"),
    "out.col.domain": ("domain", "domain"),
    "out.col.status": ("status", "status"),
    "out.col.rows": ("baris", "rows"),
    "out.col.valid": ("sah", "valid"),
    "out.col.rejected": ("tolak", "rej."),
    "out.col.new": ("baru", "new"),
    "out.col.updated": ("ubah", "upd."),
    "out.col.same": ("tetap", "same"),
    "out.delivery": (
        "pengiriman: diantrekan {queued}, terkirim {delivered}, ditolak kementerian {refused}, "
        "menunggu {pending}, masuk DLQ {dead}, permintaan ke kementerian {attempts}",
        "delivery: queued {queued}, delivered {delivered}, refused by ministry {refused}, pending {pending}, "
        "dead-lettered {dead}, ministry requests {attempts}",
    ),
    "out.function_logs": ("log fungsi: {path}", "function logs: {path}"),
    "out.outbox_copied": (
        "outbox: {count} berkas disalin ke {path}",
        "outbox: {count} files copied to {path}",
    ),
    "out.sample_written": (
        "{rows} baris ditulis ({broken} sengaja salah, {warned} sengaja diberi peringatan) ke {path}",
        "wrote {rows} rows ({broken} broken, {warned} warned on purpose) to {path}",
    ),
    # columns
    "columns.title": (
        "Kolom yang diterima untuk {slug} ({title}):",
        "Columns accepted for {slug} ({title}):",
    ),
    "columns.col.field": ("kolom", "column"),
    "columns.col.required": ("wajib", "required"),
    "columns.col.aliases": ("alias (juga diterima)", "aliases (also accepted)"),
    "columns.yes": ("ya", "yes"),
    "columns.no": ("tidak", "no"),
    "columns.note": (
        "Header dibaca tanpa membedakan huruf besar/kecil; spasi dan tanda baca dibaca sebagai _. "
        "Kolom lain diabaikan.",
        "Headers are read regardless of case; spaces and punctuation read as _. Other columns are ignored.",
    ),
    "columns.place_names": (
        "{field} boleh diganti kolom nama Kecamatan dan/atau Desa/Kelurahan: namanya dicari di daftar "
        "Kemendagri dalam wilayah --region-code.",
        "{field} may be given as Kecamatan and/or Desa/Kelurahan name columns instead: the names are "
        "looked up in the Kemendagri list within --region-code.",
    ),
    "columns.domains": ("Domain:", "Domains:"),
    "columns.domains_hint": (
        "Kolom satu domain: sikas-sync columns --domain SLUG",
        "The columns of one domain: sikas-sync columns --domain SLUG",
    ),
    # pending and redrive
    "pending.totals": (
        "belum terkirim {undelivered}  terkirim {delivered}  ditolak kementerian {refused}",
        "undelivered {undelivered}  delivered {delivered}  refused {refused}",
    ),
    "pending.col.domain": ("domain", "domain"),
    "pending.col.pending": ("menunggu", "pending"),
    "pending.col.blocked": ("tertahan", "blocked"),
    "pending.oldest": (
        "belum terkirim paling lama: {minutes} menit",
        "oldest undelivered: {minutes} min",
    ),
    "pending.dead": (
        "masuk DLQ di {name}: {count} (sikas-sync redrive --queue {name})",
        "dead-lettered in {name}: {count} (sikas-sync redrive --queue {name})",
    ),
    "pending.nothing": ("tidak ada yang menunggu kementerian", "nothing waits for the ministry"),
    "redrive.moved": (
        "{name}: {count} pesan dipindahkan dari DLQ kembali ke antrean",
        "{name}: {count} messages moved back from its DLQ",
    ),
    "redrive.empty": (
        "{name}: DLQ kosong, tidak ada pesan yang dipindahkan",
        "{name}: its DLQ is empty, nothing moved",
    ),
    "redrive.limited": (
        "{name}: batas --limit {limit} tercapai; mungkin masih ada pesan di DLQ",
        "{name}: the --limit of {limit} was reached; the DLQ may hold more",
    ),
    "redrive.total": (
        "jumlah: {count} pesan dipindahkan dari {queues} antrean",
        "total: {count} messages moved, {queues} queues looked at",
    ),
    # local-stack
    "local.up": (
        "local-stack berjalan (PID {pid}); Ctrl-C atau SIGTERM menghentikannya",
        "local-stack is running (PID {pid}); Ctrl-C or SIGTERM stops it",
    ),
    "local.endpoint": ("  endpoint AWS:   {endpoint}", "  AWS endpoint:   {endpoint}"),
    "local.credentials": (
        "  kredensial:     AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY={secret}, region {region}",
        "  credentials:    AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY={secret}, region {region}",
    ),
    "local.bucket": (
        "  bucket inbox:   {bucket} (satu folder per domain, mis. pencari_kerja/)",
        "  inbox bucket:   {bucket} (one folder per domain, e.g. pencari_kerja/)",
    ),
    "local.ministry": ("  kementerian:    {url}", "  ministry:       {url}"),
    "local.state": ("  berkas keadaan: {state}", "  state file:     {state}"),
    "local.example_upload": ("contoh unggah:", "upload, for example:"),
    "local.example_status": ("lalu lihat hasilnya:", "then see the result:"),
    "local.files_follow": (
        "setiap berkas yang diunggah dilaporkan di bawah ini begitu selesai diproses",
        "each uploaded file is reported below once it has been processed",
    ),
    "local.already_running": (
        "local-stack sudah berjalan dengan berkas keadaan {path} (PID {pid}); hentikan dulu, atau "
        "beri --state lain",
        "local-stack is already running with the state file {path} (PID {pid}); stop it first, or "
        "give another --state",
    ),
    "local.file_processed": (
        "{key}: diproses, {rows} baris, {valid} sah, {rejected} ditolak",
        "{key}: processed, {rows} rows, {valid} valid, {rejected} rejected",
    ),
    "local.file_rejected": ("{key}: ditolak: {reason}", "{key}: rejected: {reason}"),
    "local.file_failed": (
        "{key}: gagal diproses (percobaan ke-{attempt} dari {limit}); akan dicoba lagi",
        "{key}: processing failed (attempt {attempt} of {limit}); it will be retried",
    ),
    "local.file_dead": (
        "{key}: gagal diproses {attempt} kali; pesannya dipindahkan ke DLQ (lihat `sikas-sync status`, "
        "lalu `sikas-sync redrive`)",
        "{key}: processing failed {attempt} times; its message goes to the DLQ (see `sikas-sync status`, "
        "then `sikas-sync redrive`)",
    ),
    "local.stopped": ("local-stack dihentikan", "local-stack stopped"),
    "local.left_nothing": ("tidak ada pekerjaan yang tertinggal", "no work was left unfinished"),
    "local.left_files": (
        "{count} berkas belum selesai diproses dan ditinggalkan",
        "{count} uploaded files were not finished and are abandoned",
    ),
    "local.left_records": (
        "{count} rekaman belum terkirim ke kementerian dan ditinggalkan",
        "{count} records not yet delivered to the ministry are abandoned",
    ),
    "local.left_not_kept": (
        "stack tertanam tidak menyimpan apa pun setelah berhenti: unggah lagi berkas yang bersangkutan "
        "setelah local-stack dijalankan lagi",
        "the embedded stack keeps nothing once stopped: upload the files concerned again after starting "
        "local-stack again",
    ),
    # erase
    "erase.status.complete": ("selesai", "complete"),
    "erase.status.incomplete": ("belum selesai", "incomplete"),
    "erase.head": (
        "penghapusan {erasure_id}: {status} pada {domain} untuk {subject}",
        "erasure {erasure_id}: {status} in {domain} for {subject}",
    ),
    "erase.counts": (
        "{deleted} dari {records} rekaman dihapus di sini, {erased} dihapus di kementerian",
        "{deleted} of {records} records deleted here, {erased} erased at the ministry",
    ),
    "erase.record": (
        "  {record_id}  kementerian {ministry} (permintaan {request})  di sini {here}",
        "  {record_id}  ministry {ministry} (request {request})  here {here}",
    ),
    "erase.stopped": (
        "terhenti: {message}; jalankan perintah yang sama sekali lagi",
        "stopped: {message}; run the same command again",
    ),
    "erase.audit": ("audit: {key}", "audit: {key}"),
    "erase.nik_invalid": ("NIK tidak sah: {reason}", "the NIK is not valid: {reason}"),
    "erase.requester_invalid": (
        "--requested-by harus 1 sampai {limit} karakter yang dapat dicetak",
        "--requested-by must be 1 to {limit} printable characters",
    ),
    "erase.failed": ("fungsi penghapusan gagal: {message}", "the erase function failed: {message}"),
    "erase.no_message": ("tanpa pesan kesalahan", "no error message"),
    # outbox
    "outbox.head": ("outbox tanggal {day} di s3://{bucket}/", "outbox of {day} in s3://{bucket}/"),
    "outbox.domain": (
        "{slug}: {rows} rekaman ({counts}); {imported} hanya ada di kementerian",
        "{slug}: {rows} records ({counts}); {imported} only at the ministry",
    ),
    "outbox.no_records": ("tidak ada rekaman", "no records"),
    "outbox.results": (
        "  {count} berkas hasil diperbarui",
        "  {count} results files brought up to date",
    ),
    "outbox.results_missing": (
        "  {count} unggahan yang berubah tidak memiliki berkas hasil (lebih lama dari outbox)",
        "  {count} changed uploads have no results file (older than the outbox)",
    ),
    # status and report
    "status.scope_file": ("berkas {key}", "file {key}"),
    "status.scope_days": ("berkas {days} hari terakhir", "files of the last {days} days"),
    "status.head": ("wilayah {code} — {when} WIB — {scope}", "region {code} — {when} WIB — {scope}"),
    "status.file_records": (
        "rekaman dari berkas ini sekarang: terkirim {delivered}, ditolak kementerian {refused}, "
        "menunggu {pending}, tertahan {blocked}",
        "records now from this file: delivered {delivered}, refused by ministry {refused}, "
        "waiting {pending}, blocked {blocked}",
    ),
    "status.row_issues": (
        "masalah baris: sikas-sync report --file {key}",
        "row issues: sikas-sync report --file {key}",
    ),
    "status.no_files": ("tidak ada berkas yang diterima dalam rentang itu", "no files received in that time"),
    "status.col.received": ("diterima (WIB)", "received (WIB)"),
    "status.not_finished": (
        "belum selesai (percobaan ke-{attempts})",
        "not finished yet (attempt {attempts})",
    ),
    "status.delivery": (
        "pengiriman: terkirim {delivered}, ditolak kementerian {refused}, menunggu {pending}, "
        "tertahan {blocked}",
        "delivery: delivered {delivered}, refused by ministry {refused}, waiting {pending}, "
        "blocked {blocked}",
    ),
    "status.col.waiting": ("menunggu", "waiting"),
    "status.col.oldest": ("terlama", "oldest"),
    "status.queues_empty": (
        "antrean: semua kosong, tidak ada pesan di DLQ",
        "queues: all empty, no dead-lettered messages",
    ),
    "status.col.queue": ("antrean", "queue"),
    "status.col.queued": ("antre", "queued"),
    "status.col.dead": ("di DLQ", "dead-lettered"),
    "status.breaker_closed": (
        "pemutus sirkuit kementerian: tertutup (pengiriman berjalan)",
        "ministry circuit breaker: closed (deliveries go through)",
    ),
    "status.breaker_open": (
        "pemutus sirkuit kementerian: {state} sejak {when} WIB ({age}): pengiriman menunggu dan dicoba lagi",
        "ministry circuit breaker: {state} since {when} WIB ({age}): deliveries wait and are retried",
    ),
    "age.minutes": ("{m} menit", "{m} min"),
    "age.hours": ("{h} jam {m} menit", "{h} h {m} min"),
    "age.days": ("{d} hari {h} jam", "{d} days {h} h"),
    "report.head": (
        "laporan {key} (versi {version}): {status}",
        "report {key} (version {version}): {status}",
    ),
    "report.counts": (
        "baris {rows}  sah {valid}  ditolak {rejected}  peringatan {warnings}  baru {created}  "
        "diubah {updated}  tetap {unchanged}",
        "rows {rows}  valid {valid}  rejected {rejected}  warnings {warnings}  new {created}  "
        "updated {updated}  unchanged {unchanged}",
    ),
    "report.no_issues": ("tidak ada masalah baris", "no row issues"),
    "report.col.column": ("kolom", "column"),
    "report.col.code": ("kode", "code"),
    "report.col.value": ("nilai", "value"),
    "report.col.message": ("pesan", "message"),
    "report.warning": ("(peringatan) ", "(warning) "),
    "report.more": (
        "… dan {count} masalah lain tidak ditampilkan (--limit N, atau --json untuk semuanya)",
        "… and {count} more issues not shown (--limit N, or --json for all)",
    ),
}
