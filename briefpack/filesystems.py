"""What kind of file system a path is on: SQLite's WAL mode needs shared memory that a
network file system cannot give, and a read-only medium is the only place where opening a
store as immutable is safe.

Windows: a UNC path, or a drive letter whose type is remote (a mapped drive). Linux: the
type of the mount holding the path, from /proc/self/mountinfo. Elsewhere: local.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Linux file system types that are, or may be, a network file system (FUSE: sshfs, rclone…)
NETWORK_TYPES = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p",
                           "ceph", "glusterfs", "lustre", "gpfs", "davfs", "fuse"})
#: Linux file system types of media that cannot change under a reader
FIXED_MEDIA_TYPES = frozenset({"iso9660", "udf", "squashfs", "erofs", "cramfs"})

_DRIVE_REMOTE, _DRIVE_CDROM = 4, 5


def is_unc(path: Path | str) -> bool:
    """A Windows network path, \\\\server\\share\\… (also as //server/share/…)."""
    text = os.fspath(path)
    return text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\"))


def on_network(path: Path | str) -> bool:
    """Whether ``path`` (or, if it does not exist yet, its folder) is on a network drive."""
    if is_unc(path):
        return True
    if sys.platform == "win32":
        return _windows_drive_type(path) == _DRIVE_REMOTE
    fstype = _linux_fstype(path)
    return fstype is not None and (fstype in NETWORK_TYPES or fstype.startswith("fuse."))


def on_fixed_medium(path: Path | str) -> bool:
    """Whether ``path`` is on a medium nobody can write (a CD, a squashfs image)."""
    if sys.platform == "win32":
        return _windows_drive_type(path) == _DRIVE_CDROM
    return _linux_fstype(path) in FIXED_MEDIA_TYPES


def _windows_drive_type(path: Path | str) -> int:
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(path))[0]
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]


def _linux_fstype(path: Path | str, mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """The type of the mount holding ``path`` (the longest mount point above it)."""
    try:
        where = os.path.realpath(path)
        with open(mountinfo, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    best, fstype = "", None
    for line in lines:
        fields = line.split(" ")
        try:
            point = fields[4].encode().decode("unicode_escape")  # \040 for a space
            kind = fields[fields.index("-") + 1]
        except (IndexError, ValueError):
            continue
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, fstype = point, kind
    return fstype
