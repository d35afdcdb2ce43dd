"""A data file's bytes, from disk or from the one ``.csv`` inside a zip, inflated while they are being parsed.

A zip member is inflated by a second thread, a megabyte at a time: zlib lets
go of the GIL, so the parser works on the first megabytes while the rest are
inflated (for the 2011 CEC file that hides most of the 50 ms inflating takes).
Every chunk is kept, so a reader that gives up half-way (the row-by-row reader
takes over) reads the whole again. A broken zip raises :class:`InputError`
naming the file wherever it is noticed, never a half-read table.
"""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

from saylau.errors import InputError

__all__ = ["FileBytes", "open_bytes"]

_CHUNK = 1 << 20


class FileBytes:
    """The bytes of one file: its first ones (:meth:`head`), a stream of all (:meth:`stream`), or all at once
    (:meth:`whole`), each as often as needed."""

    def __init__(self, source: str, chunks: list[bytes] | None = None) -> None:
        self.source = source
        self._chunks: list[bytes] = chunks if chunks is not None else []
        self._done = chunks is not None
        self._error: InputError | None = None
        self._closed = False
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def _inflate(self, path: Path, member: str) -> None:
        try:
            with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
                while not self._closed and (chunk := handle.read(_CHUNK)):
                    with self._ready:
                        self._chunks.append(chunk)
                        self._ready.notify_all()
        except OSError as exc:
            self._error = InputError(f"cannot read: {exc.strerror or exc}", source=self.source)
        except Exception as exc:  # BadZipFile (a bad CRC), zlib.error, EOFError: a damaged or truncated member
            self._error = InputError(f"broken zip file: {exc}", source=self.source)
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def chunk(self, k: int) -> bytes | None:
        """The ``k``-th chunk, once inflated; None past the end. Raises the InputError of a broken zip."""
        if self._closed:
            raise ValueError("the file's bytes were closed")
        with self._ready:
            while k >= len(self._chunks) and not self._done:
                self._ready.wait()
            if k < len(self._chunks):
                return self._chunks[k]
        if self._error is not None:
            raise self._error
        return None

    def head(self, size: int) -> bytes:
        """At least the first ``size`` bytes (all of them in a shorter file)."""
        parts: list[bytes] = []
        k = 0
        while sum(map(len, parts)) < size and (chunk := self.chunk(k)) is not None:
            parts.append(chunk)
            k += 1
        return b"".join(parts)

    def whole(self) -> bytes:
        """Every byte (waiting for the inflating thread to finish)."""
        k = 0
        while self.chunk(k) is not None:
            k += 1
        return self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)

    def close(self) -> None:
        """Stop inflating (a reader that failed early does not wait for, nor keep, the rest)."""
        self._closed = True

    def __enter__(self) -> FileBytes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stream(self) -> io.RawIOBase:
        """A binary file reading the bytes from the first, as they are inflated (each read copies its bytes once,
        out of the chunk that holds them)."""
        return _ChunkReader(self)


class _ChunkReader(io.RawIOBase):
    def __init__(self, data: FileBytes) -> None:
        self._data = data
        self._k = 0
        self._at = 0

    def readable(self) -> bool:
        return True

    def _next(self) -> memoryview | None:
        """What is left of the current chunk (the next one's once it is used up), or None at the end."""
        while (chunk := self._data.chunk(self._k)) is not None:
            if self._at < len(chunk):
                return memoryview(chunk)[self._at:]
            self._k, self._at = self._k + 1, 0
        return None

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        left = self._next()
        if left is None or not size:
            return b""
        part = left[:size]
        self._at += len(part)
        return bytes(part)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = self._next()
        if left is None:
            return 0
        n = min(len(buffer), len(left))
        buffer[:n] = left[:n]
        self._at += n
        return n


def open_bytes(path: Path, source: str, *, suffix: str = ".csv") -> FileBytes:
    """The bytes of ``path``, or of the one member ending in ``suffix`` of the zip at ``path`` (inflating in a
    second thread from now on). InputError (naming ``source``) for a file that cannot be read, a zip without
    exactly one such member, or a broken zip."""
    try:
        if not zipfile.is_zipfile(path):
            return FileBytes(source, [path.read_bytes()])
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(suffix) and not m.endswith("/")]
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"broken zip file: {exc}", source=source) from None
    if len(members) != 1:
        raise InputError(f"a zip must hold exactly one {suffix} file, found {len(members)}", source=source)
    data = FileBytes(source)
    data._thread = threading.Thread(target=data._inflate, args=(path, members[0]), name="saylau-inflate",
                                    daemon=True)
    data._thread.start()
    return data
