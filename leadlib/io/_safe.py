"""Opening files that other people made: zip archives, XML and SQLite, safely.

QDA exports arrive by e-mail from collaborators and from the web. Everything
here assumes the file may be broken or hostile:

- zip archives are read member by member **in memory**; nothing is ever
  extracted to disk. Member names are checked (no absolute paths, no ``..``,
  no drive letters), the total uncompressed size and each member's
  compression ratio are capped, and archives inside the archive are refused.
  The caps are enforced while decompressing, so a member that lies about its
  size in the zip directory is stopped as soon as it passes the cap.
- XML is vetted by :mod:`defusedxml`: no DTD at all (which rules out entity
  expansion such as "billion laughs" and external entities, XXE). A DTD can
  only stand before the root element, so defusedxml parses that part; the
  body is then streamed (``iterparse``-style, memory bounded) by the
  standard library's C parser, which cannot meet a DTD any more. See
  :func:`iterparse`.
- SQLite databases are opened read-only and immutable, with
  ``trusted_schema`` off and a time budget on every query.

Every refusal is a :class:`~leadlib.errors.LeadlibDataError` naming the file
and the reason.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree as DET

from ..errors import LeadlibDataError

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "SafeZip",
    "open_zip",
    "iterparse",
    "parse_xml_bytes",
    "connect_sqlite",
    "sqlite_tables",
    "read_file_bytes",
    "check_input_file",
    "check_file_size",
]

_MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps applied to untrusted files.

    Parameters
    ----------
    max_total_bytes
        Most bytes all members of an archive may decompress to, together.
    max_member_bytes
        Most bytes one member may decompress to.
    max_ratio
        Largest compression ratio (uncompressed / compressed) accepted for a
        member bigger than ``ratio_floor_bytes``. Text and XML compress 5-30
        times; zip bombs 1,000 times and more.
    ratio_floor_bytes
        Members smaller than this are not checked for their ratio (tiny
        files of one repeated character compress very well and are harmless).
    max_members
        Most entries an archive may hold.
    max_file_bytes
        Largest plain file (XML, CSV, SQLite) read from disk.
    query_seconds
        Time budget for all the queries of reading one SQLite file.
    max_table_bytes
        Largest table file (CSV or XLSX) of a study folder.
    max_transcript_bytes
        Largest transcript file (.txt) of a study folder.
    max_field_bytes
        Largest single CSV field.
    """

    max_total_bytes: int = 2048 * _MiB
    max_member_bytes: int = 1024 * _MiB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * _MiB
    max_members: int = 100_000
    max_file_bytes: int = 2048 * _MiB
    query_seconds: float = 120.0
    max_table_bytes: int = 200 * _MiB
    max_transcript_bytes: int = 20 * _MiB
    max_field_bytes: int = 32 * _MiB


DEFAULT_LIMITS = Limits()

# Extensions of archives. Office documents (.docx, .odt, .xlsx) are zip files
# too; REFI-QDA projects carry the rich-text .docx of each source next to its
# .txt, so they are allowed to be present, but leadlib never opens them.
_ARCHIVE_SUFFIXES = (
    ".zip",
    ".qdpx",
    ".jar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".tar",
    ".zst",
    ".lz",
    ".lzma",
    ".cab",
)
_OFFICE_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub")
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")


def _refuse(path: Path, problem: str, hint: str, value: object = None) -> LeadlibDataError:
    return LeadlibDataError(problem, path=path, value=value, hint=hint)


def _check_member_name(path: Path, name: str) -> None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or pure.is_absolute():
        raise _refuse(
            path,
            "the archive holds a member with an absolute path (a 'zip slip' attempt or a broken export)",
            "do not open this file; ask the sender for a fresh export from their QDA software",
            name,
        )
    if ".." in pure.parts:
        raise _refuse(
            path,
            "the archive holds a member whose name climbs out of the archive with '..' (zip slip)",
            "do not open this file; ask the sender for a fresh export from their QDA software",
            name,
        )
    if any(ord(ch) < 32 for ch in name):
        raise _refuse(
            path,
            "the archive holds a member whose name has control characters",
            "ask the sender for a fresh export",
            name,
        )


class _CappedReader(io.RawIOBase):
    """A read-only stream over a zip member that stops at a byte cap."""

    def __init__(self, raw: IO[bytes], cap: int, on_exceed) -> None:
        self._raw = raw
        self._cap = cap
        self._seen = 0
        self._on_exceed = on_exceed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        self._seen += len(data)
        if self._seen > self._cap:
            self._on_exceed(self._seen)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class SafeZip:
    """A checked zip archive whose members are read in memory only.

    Use :func:`open_zip` to make one. Member names are matched
    case-insensitively (``Sources/`` and ``sources/`` are the same folder), as
    QDA vendors disagree on the case.
    """

    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: Limits) -> None:
        self.path = path
        self._zf = zf
        self.limits = limits
        self._by_lower: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            key = info.filename.replace("\\", "/").lower()
            self._by_lower.setdefault(key, info)

    @property
    def names(self) -> list[str]:
        """Member names as stored (files only, no folders)."""
        return [i.filename for i in self._zf.infolist() if not i.is_dir()]

    def find(self, name: str) -> str | None:
        """The stored name of a member, matched case-insensitively; None if absent."""
        info = self._by_lower.get(name.replace("\\", "/").lower())
        return None if info is None or info.is_dir() else info.filename

    def _exceeded(self, info: zipfile.ZipInfo, seen: int) -> None:
        raise _refuse(
            self.path,
            f"member {info.filename!r} decompresses to more than the size the archive declares or the cap allows "
            f"({seen:,} bytes so far; caps: {self.limits.max_member_bytes:,} per member, "
            f"{self.limits.max_total_bytes:,} in all) - a zip bomb or a corrupt archive",
            "do not open this file; if it is a genuine very large project, raise the caps with "
            "leadlib.io._safe.Limits and pass limits= to the reader",
        )

    def open(self, name: str) -> IO[bytes]:
        """A stream over one member, capped; for streaming parsers."""
        info = self._by_lower.get(name.replace("\\", "/").lower())
        if info is None:
            raise KeyError(name)
        # a member may not decompress to more than it declares: the declared
        # sizes were checked against the caps when the archive was opened
        cap = min(info.file_size, self.limits.max_member_bytes)
        try:
            raw = self._zf.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
            raise _refuse(
                self.path,
                f"member {info.filename!r} cannot be read: {exc}",
                "the archive is damaged or uses an unsupported compression or encryption; re-export it",
            ) from None

        def on_exceed(seen: int) -> None:
            self._exceeded(info, seen)

        return io.BufferedReader(_GuardedStream(_CappedReader(raw, cap, on_exceed), self.path, info.filename), 1 << 16)

    def read(self, name: str) -> bytes:
        """All bytes of one member, in memory, within the caps."""
        with self.open(name) as stream:
            return stream.read()

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _GuardedStream(io.RawIOBase):
    """Turns zlib/zip errors raised while streaming into LeadlibDataError."""

    def __init__(self, inner: io.RawIOBase, path: Path, member: str) -> None:
        self._inner = inner
        self._path = path
        self._member = member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            return self._inner.readinto(buffer)
        except LeadlibDataError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise _refuse(
                self._path,
                f"member {self._member!r} is damaged: {exc}",
                "the archive is truncated or corrupt; copy or download it again, or re-export it",
            ) from None

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def open_zip(path: str | Path, *, limits: Limits = DEFAULT_LIMITS, what: str = "a REFI-QDA project (.qdpx)") -> SafeZip:
    """Open and check a zip archive without extracting anything.

    Raises
    ------
    LeadlibDataError
        If the file is not a zip archive or is truncated, holds too many
        members, a member with an unsafe name, a nested archive, or declares
        sizes or ratios beyond ``limits``.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise LeadlibDataError("file not found", path=path, hint="check the path") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise _refuse(
            path,
            f"is not a readable zip archive ({exc}); it may be truncated or not {what}",
            f"check that the download or copy finished; a {Path(path).suffix or 'file'} should be {what}",
        ) from None
    try:
        infos = zf.infolist()
        _check_declared(path, infos, limits)
        safe = SafeZip(path, zf, limits)
        _check_member_heads(path, zf, infos)
        return safe
    except BaseException:
        zf.close()
        raise


def _check_declared(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse an archive by its directory: too many members, unsafe names, nested archives, sizes, ratios."""
    if len(infos) > limits.max_members:
        raise _refuse(
            path,
            f"the archive holds {len(infos):,} members, more than the cap of {limits.max_members:,}",
            "do not open this file unless you trust it; raise Limits.max_members if it is genuine",
        )
    total = 0
    for info in infos:
        _check_member_name(path, info.filename)
        if info.is_dir():
            continue
        lower = info.filename.lower()
        if lower.endswith(_ARCHIVE_SUFFIXES):
            raise _refuse(
                path,
                "the archive holds another archive; nested archives are refused",
                "export the project again without packing archives into it",
                info.filename,
            )
        total += info.file_size
        _check_member_size(path, info, limits)
    if total > limits.max_total_bytes:
        raise _refuse(
            path,
            f"the archive declares {total:,} bytes uncompressed, more than the cap of {limits.max_total_bytes:,}",
            "do not open this file unless you trust it; raise the caps with leadlib.io._safe.Limits",
        )


def _check_member_size(path: Path, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Refuse a member whose declared size or compression ratio is beyond ``limits``."""
    if info.file_size > limits.max_member_bytes:
        raise _refuse(
            path,
            f"member {info.filename!r} declares {info.file_size:,} bytes uncompressed, "
            f"more than the cap of {limits.max_member_bytes:,}",
            "do not open this file unless you trust it; raise the caps with leadlib.io._safe.Limits",
        )
    if info.file_size >= limits.ratio_floor_bytes:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            raise _refuse(
                path,
                f"member {info.filename!r} has a compression ratio of {ratio:,.0f}:1, "
                f"above the cap of {limits.max_ratio:,.0f}:1 (a zip bomb?)",
                "do not open this file unless you trust it; raise Limits.max_ratio if it is genuine",
            )


def _check_member_heads(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a member that is itself an archive by its first bytes (Office documents, zips too, are allowed)."""
    for info in infos:
        if info.is_dir() or info.file_size < 4 or info.filename.lower().endswith(_OFFICE_SUFFIXES):
            continue
        with zf.open(info) as member:
            try:
                head = member.read(8)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                raise _refuse(
                    path,
                    f"member {info.filename!r} is damaged: {exc}",
                    "the archive is truncated or corrupt; copy or download it again",
                ) from None
        if head.startswith(_ARCHIVE_MAGIC):
            raise _refuse(
                path,
                "the archive holds another archive; nested archives are refused",
                "export the project again without packing archives into it",
                info.filename,
            )


def read_file_bytes(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read a plain file into memory after checking its size against the cap."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LeadlibDataError("file not found", path=path, hint="check the path") from None
    if size > limits.max_file_bytes:
        raise _refuse(
            path,
            f"the file is {size:,} bytes, more than the cap of {limits.max_file_bytes:,}",
            "raise Limits.max_file_bytes if the file is genuine",
        )
    return path.read_bytes()


def _inside_checked_folder(path: Path, root: str | Path, folders: dict[str, Path]) -> Path | None:
    """``path`` resolved, when it is a regular file (not a link) whose folder resolves inside ``root``; else None.

    The folder is resolved once per call of the caller's loop (``folders``);
    anything else (a link, a FIFO, a folder, a missing file, a folder outside
    ``root``) returns None, and :func:`check_input_file` takes its full path.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        return None
    key = str(path.parent)
    if key not in folders:
        try:
            parent = path.parent.resolve(strict=True)
            base = folders.setdefault("\0root", Path(root).resolve(strict=True))
        except (OSError, RuntimeError):
            return None
        folders[key] = parent if parent.is_relative_to(base) else None
    parent = folders[key]
    return None if parent is None else parent / path.name


def regular_file_in_checked_folder(path: str | Path, root: str | Path, folders: dict) -> tuple[str, int] | None:
    """``(path to open, size)`` of a regular file (not a link) whose folder resolves inside ``root``; else None.

    The quick check of :func:`check_input_file` for many files of one folder
    (the transcripts), on strings: one ``lstat`` per file (which, for a file
    that is not a link, is its ``stat``), the folder resolved once per
    ``folders`` (a dict the caller keeps for one loop). None means the full
    check of :func:`check_input_file` must decide (a link, a FIFO, a folder,
    a missing file, a folder outside ``root``).
    """
    name = os.fspath(path)
    try:
        info = os.lstat(name)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    head, tail = os.path.split(name)
    key = "\0str:" + head
    if key not in folders:
        try:
            parent = Path(head or ".").resolve(strict=True)
            base = folders.setdefault("\0root", Path(root).resolve(strict=True))
        except (OSError, RuntimeError):
            return None
        folders[key] = os.fspath(parent) if parent.is_relative_to(base) else None
    parent = folders[key]
    return None if parent is None else (os.path.join(parent, tail), info.st_size)


def check_input_file(
    path: str | Path, *, root: str | Path | None = None, folders: dict[str, Path] | None = None
) -> Path:
    """The resolved path of an input file, after checking that it may be read.

    The path is resolved (every symbolic link followed) and refused when it
    leads outside ``root`` (the study folder), when it is a dangling link or
    a link loop, and when it is anything but a regular file: a folder, a FIFO
    (named pipe, which would block a reader for ever), a device or a socket.
    Nothing is opened here (only ``stat``), and no message quotes the file.

    Parameters
    ----------
    path
        The file as the manifest names it.
    root
        The folder the file must stay inside; None checks only the kind of file.
    folders
        For checking many files of one folder at once (the transcripts): a
        dict, empty at first, in which the resolved folders already checked
        are kept. A file that is not a link, in a folder already found inside
        ``root``, is then checked with one ``lstat`` instead of resolving
        every part of its path again (the dict lives as long as the caller's
        loop: nothing is remembered between loads).

    Returns
    -------
    Path
        The resolved path, to be opened in place of ``path``.

    Raises
    ------
    LeadlibDataError
        Naming the path and why it is refused.
    """
    path = Path(path)
    if folders is not None and root is not None:
        quick = _inside_checked_folder(path, root, folders)
        if quick is not None:
            return quick
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise _refuse(
                path,
                "is a link to something that does not exist (a dangling link)",
                "remove the link from the study folder, or put the file itself there",
            ) from None
        raise LeadlibDataError("file not found", path=path, hint="check the path in the manifest") from None
    except (OSError, RuntimeError) as exc:  # a link loop, a permission problem
        raise _refuse(path, f"cannot be resolved ({exc.__class__.__name__})", "replace the link by the file") from None
    if root is not None:
        base = Path(root).resolve()
        if not resolved.is_relative_to(base):
            raise _refuse(
                path,
                f"leads outside the study folder {base} (a link to {resolved}); "
                "leadlib reads only files inside the study folder",
                "copy the file into the study folder instead of linking to it",
            )
    mode = os.stat(resolved).st_mode
    if stat.S_ISDIR(mode):
        raise _refuse(
            path,
            "is a folder, not a file",
            "move or rename the folder so that the manifest's path or pattern does not match it",
        )
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise _refuse(
            path,
            f"is {kind}, not a regular file; leadlib reads only regular files",
            "remove it from the study folder, or replace it by the file it stands for",
        )
    return resolved


def check_file_size(path: str | Path, size: int, cap: int, *, what: str, setting: str) -> None:
    """Refuse a file of ``size`` bytes beyond ``cap``, naming the cap's :class:`Limits` field ``setting``."""
    if size > cap:
        raise _refuse(
            Path(path),
            f"the {what} is {size:,} bytes, more than the cap of {cap:,} bytes for a {what}",
            f"check that this is the right file; if it is genuine, raise the cap: in study.toml, "
            f"[study.limits] {setting.removesuffix('_bytes')}_mb (megabytes), "
            f"or Limits.{setting} (limits= of a reader)",
        )


# --------------------------------------------------------------------------
# XML


def _xml_error(path: Path, exc: Exception, member: str | None) -> LeadlibDataError:
    where = f" ({member})" if member else ""
    if isinstance(exc, defusedxml.DTDForbidden):
        return LeadlibDataError(
            f"the XML{where} declares a DTD (<!DOCTYPE ...>); DTDs are refused because they carry entity "
            "expansion ('billion laughs') and external entities (XXE)",
            path=path,
            hint="QDA-XML never needs a DTD: re-export the project from the QDA software",
        )
    if isinstance(exc, defusedxml.EntitiesForbidden):
        return LeadlibDataError(
            f"the XML{where} defines entities, which are refused (billion laughs, XXE)",
            path=path,
            hint="re-export the project from the QDA software",
        )
    if isinstance(exc, defusedxml.ExternalReferenceForbidden):
        return LeadlibDataError(
            f"the XML{where} refers to an external resource, which is refused (XXE)",
            path=path,
            hint="re-export the project from the QDA software",
        )
    if isinstance(exc, ParseError):
        line = getattr(exc, "position", (None, None))[0]
        return LeadlibDataError(
            f"the XML{where} is not well-formed: {exc}",
            path=path,
            row=line,
            hint="the file is truncated or was edited by hand; re-export it",
        )
    return LeadlibDataError(
        f"the XML{where} cannot be read: {exc}", path=path, hint="re-export the project from the QDA software"
    )


_CHUNK = 1 << 16
_MAX_PROLOG = 1 << 20  # bytes before the root element: declarations, comments


def iterparse(
    source: IO[bytes], path: Path, *, events: tuple[str, ...] = ("end",), member: str | None = None
) -> Iterator:
    """Stream ``(event, element)`` pairs from untrusted XML, vetted by defusedxml.

    DTDs, entity definitions and external references are refused; parse
    errors become :class:`LeadlibDataError` with the line number.

    A DTD, the only place entities can be declared, may only stand in the
    prolog, before the root element's start tag (XML 1.0, production 22;
    expat rejects one anywhere later as a syntax error). So the bytes up to
    the root's start tag are parsed first by defusedxml with DTDs forbidden;
    the same bytes, and the rest of the stream, are then parsed by the
    standard library's C parser, which is several times faster than the
    pure-Python parser defusedxml builds on. Every byte is read once.
    """
    head = b""
    while True:  # grow the head until defusedxml has seen the root's start tag
        chunk = source.read(_CHUNK)
        head += chunk
        try:
            for _event, _elem in DET.iterparse(
                io.BytesIO(head), events=("start",), forbid_dtd=True, forbid_entities=True, forbid_external=True
            ):
                break
            else:
                raise ParseError("no element found")
            break
        except defusedxml.DefusedXmlException as exc:
            raise _xml_error(path, exc, member) from None
        except ParseError as exc:
            # the head may just end too early (inside the prolog or the
            # root's start tag): read more, but only while a prolog is
            # plausibly that long; any other error is the file's
            truncated = any(m in str(exc) for m in ("no element found", "unclosed token", "unclosed CDATA"))
            if chunk and truncated and len(head) < _MAX_PROLOG:
                continue
            raise _xml_error(path, exc, member) from None
    from xml.etree.ElementTree import XMLPullParser

    parser = XMLPullParser(events=events)
    try:
        parser.feed(head)
        yield from parser.read_events()
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                break
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()
    except ParseError as exc:
        raise _xml_error(path, exc, member) from None


def parse_xml_bytes(data: bytes, path: Path, *, member: str | None = None):
    """Parse a small untrusted XML document (e.g. a codebook) with defusedxml."""
    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DefusedXmlException, ParseError) as exc:
        raise _xml_error(path, exc, member) from None


# --------------------------------------------------------------------------
# SQLite

_SQLITE_MAGIC = b"SQLite format 3\x00"


def connect_sqlite(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, what: str = "an SQLite database"
) -> sqlite3.Connection:
    """Open an untrusted SQLite file read-only, with a time budget per query.

    The file is opened ``mode=ro&immutable=1`` (nothing is written, no
    journal is created, no lock taken), ``trusted_schema`` is off so views and
    triggers cannot call functions with side effects, and a progress handler
    interrupts the queries once ``limits.query_seconds`` have passed since
    opening.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        raise LeadlibDataError("file not found", path=path, hint="check the path") from None
    if head != _SQLITE_MAGIC:
        raise LeadlibDataError(
            f"is not {what} (no SQLite header)", path=path, hint="check that you picked the right file"
        )
    if size > limits.max_file_bytes:
        raise _refuse(
            path,
            f"the database is {size:,} bytes, more than the cap of {limits.max_file_bytes:,}",
            "raise Limits.max_file_bytes if the file is genuine",
        )
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise LeadlibDataError(
            f"cannot be opened as {what}: {exc}", path=path, hint="the file may be damaged; export it again"
        ) from None
    deadline = time.monotonic() + limits.query_seconds

    def watchdog() -> int:
        # a non-zero return interrupts the running query
        return 1 if time.monotonic() > deadline else 0

    conn.set_progress_handler(watchdog, 10_000)
    return conn


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Real tables (not views) of a database and their columns."""
    out: dict[str, list[str]] = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = [row[1] for row in conn.execute(f'PRAGMA table_info("{name.replace(chr(34), "")}")')]
        out[name] = cols
    return out
