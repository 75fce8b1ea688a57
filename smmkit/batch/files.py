"""Files a run writes: never half-written (a temporary name, then an atomic rename).

What a run writes beside its finished files is named after the process that writes it,
:func:`owner_tag` (``<host>-<pid>-<start>``: a digest of the host name, the process id and the
process's start time), so that :func:`remove_stale` can tell the leftovers of a killed run (a
process of this host that no longer runs) from the work of a live one, which it never touches:

- ``.<slug>.partial-<tag>``: a client's staging folder (:func:`staging_dir`);
- ``.<name>.old-<tag>``: the folder :func:`publish` moves aside while it replaces it;
- ``.<name>.<pid>.tmp``: a file :func:`write_atomic` is writing.

:func:`locked` serialises the updates of a period folder's shared files (``manifest.json``,
``index.html``, the client folders :func:`publish` replaces) between runs with ``fcntl.flock``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

from smmkit.fsutil import write_atomic

__all__ = ["LOCK_NAME", "locked", "owner_tag", "publish", "remove_stale", "staging_dir", "write_atomic"]


#: The lock file of a period folder (:func:`locked`): present only while a run holds it.
LOCK_NAME = ".smmkit.lock"


def _host() -> str:
    """This host, as 8 hex digits (a file name carries no host name of any length or alphabet)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _started(pid: int) -> int | None:
    """The start time of process ``pid`` (clock ticks since boot, Linux ``/proc``); None when
    the process does not exist or is a zombie, 0 when this system does not tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces and ")"
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def owner_tag(pid: int | None = None) -> str:
    """``<host>-<pid>-<start>`` of process ``pid`` (default: this one), for the names of the
    files and folders it writes beside the finished ones."""
    pid = os.getpid() if pid is None else pid
    return f"{_host()}-{pid}-{_started(pid) or 0}"


def _owner_alive(tag: str) -> bool:
    """Whether the process named by ``tag`` (:func:`owner_tag`, or a bare pid of this host, as
    older versions named them) may still run: True for any other host's process."""
    if tag.isdigit():
        host, pid, start = _host(), int(tag), 0
    else:
        host, pid_text, start_text = tag.split("-")
        pid, start = int(pid_text), int(start_text)
    if host != _host():
        return True
    started = _started(pid)
    return started is not None and (start == 0 or started in (0, start))


def staging_dir(period_dir: Path, slug: str) -> Path:
    """This process's staging folder for ``slug``: ``period_dir/.<slug>.partial-<tag>``."""
    return period_dir / f".{slug}.partial-{owner_tag()}"


def publish(staging: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``staging`` folder (under the folder's :func:`locked`,
    so that two runs publishing the same client at once take turns)."""
    old = final.with_name(f".{final.name}.old-{owner_tag()}")
    with locked(final.parent):
        if final.exists():
            os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)  # before another thread of this process sets one aside


_TAG = r"(?P<tag>[0-9a-f]{8}-\d+-\d+|\d+)"
_STALE = re.compile(rf"^\.(?P<name>.+)\.(?P<kind>partial|old)-{_TAG}$")
_STALE_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<tag>\d+)\.tmp$")


def remove_stale(period_dir: Path) -> list[Path]:
    """Remove what killed runs left in ``period_dir``: staging folders, folders set aside by
    :func:`publish` and temporary files whose process is not running on this host any more.

    A folder set aside by :func:`publish` whose client folder is missing (the run was killed
    between the two renames) is put back in its place rather than removed. Anything of a live
    process, or of another host, is left alone. Returns the paths removed or put back.
    """
    done: list[Path] = []
    if not period_dir.is_dir():
        return done
    for path in sorted(period_dir.iterdir()):
        m = _STALE.match(path.name) or _STALE_TMP.match(path.name)
        if m is None or _owner_alive(m["tag"]):
            continue
        final = period_dir / m["name"]
        with contextlib.suppress(OSError):
            if m.groupdict().get("kind") == "old" and path.is_dir() and not final.exists():
                os.replace(path, final)
            elif path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            done.append(path)
    return done


@contextlib.contextmanager
def locked(folder: Path, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold an exclusive ``fcntl.flock`` on ``folder/name`` (created for the time it is held,
    removed on release), so that runs writing into one folder update its shared files in turn.

    The lock file is removed while still held; a process that opened it meanwhile finds, once
    it holds its lock, that the name no longer points at the file it locked, and tries again.
    Without ``fcntl`` (Windows) the updates are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    path = folder / name
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)  # closing releases the lock
