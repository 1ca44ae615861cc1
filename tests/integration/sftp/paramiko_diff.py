#!/usr/bin/python3
"""paramiko's SFTPClient API, driven the same way against two servers: print
a transcript of every result and error (errno, and the server's message
where paramiko shows it), to be diffed between OpenSSH's sftp-server and
msb-sftp-server.

usage: paramiko_diff.py --dir DIR --out FILE -- SERVER...

DIR is an empty directory the server's user may write, as the server sees
it (the server is started with -d DIR). Status texts differ on purpose (msb
sends the system's error text, sftp-server the status name), so errors are
recorded by errno/class only.
"""

import argparse
import errno
import hashlib
import io
import os
import select
import socket
import stat
import subprocess
import sys

import paramiko

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("server", nargs="+")
opt = ap.parse_args()
D = os.path.realpath(opt.dir)
OUT = []


def emit(s):
    OUT.append(str(s).replace(D, "$D"))


class DirectSock:
    """A socketpair end shaped like a paramiko Channel."""

    def __init__(self, sock):
        self.sock = sock

    def send(self, data):
        return self.sock.send(data)

    def recv(self, n):
        return self.sock.recv(n)

    def close(self):
        self.sock.close()

    def get_name(self):
        return "direct"

    def recv_ready(self):
        return bool(select.select([self.sock], [], [], 0)[0])

    def settimeout(self, t):
        self.sock.settimeout(t)


def connect():
    a, b = socket.socketpair()
    proc = subprocess.Popen(opt.server, stdin=b, stdout=b,
                            stderr=subprocess.DEVNULL, close_fds=True)
    b.close()
    a.settimeout(60)
    return paramiko.SFTPClient(DirectSock(a)), proc, a


def res(what, fn, *args, **kw):
    """Run one call; record its result or its error class and errno."""
    try:
        v = fn(*args, **kw)
    except Exception as e:      # the exception itself is the result
        en = getattr(e, "errno", None)
        emit("%s: %s errno=%s" % (what, type(e).__name__,
                                  errno.errorcode.get(en, en)))
        return None
    emit("%s: %s" % (what, show(v)))
    return v


def show(v):
    if isinstance(v, paramiko.SFTPAttributes):
        return "attrs size=%s mode=%o uid=%s" % (
            v.st_size, v.st_mode or 0, v.st_uid)
    if isinstance(v, bytes):
        return "bytes %d %s" % (len(v), hashlib.sha256(v).hexdigest()[:12])
    if isinstance(v, list):
        return "[%s]" % ", ".join(show(x) for x in v)
    return repr(v)


def p(*names):
    return "/".join([D] + list(names))


def main():
    sftp, proc, sock = connect()
    blob = bytes(range(256)) * 4096 + b"tail"        # 1 MiB + 4
    # paths, cwd
    res("normalize .", lambda: sftp.normalize(".") == D)
    res("normalize ''", sftp.normalize, "")
    res("normalize missing/x", sftp.normalize, p("missing", "x"))
    res("getcwd", sftp.getcwd)
    res("chdir", sftp.chdir, D)
    res("getcwd after chdir", sftp.getcwd)
    res("chdir to a file", sftp.chdir, "/etc/hostname")
    res("chdir missing", sftp.chdir, p("missing"))
    sftp.chdir(D)
    # writing: put/putfo with confirm, pipelined writes, seek/tell
    res("putfo", lambda: sftp.putfo(io.BytesIO(blob), "blob").st_size)
    with sftp.open("w.bin", "w") as f:
        f.set_pipelined(True)
        for i in range(0, len(blob), 20000):
            f.write(blob[i:i + 20000])
        res("tell after writes", f.tell)
        f.seek(10)
        f.write(b"SEEK")
        res("tell after seek+write", f.tell)
        res("file.stat size", lambda: f.stat().st_size)
        res("file.truncate", f.truncate, 100000)
        res("file.chmod", f.chmod, 0o640)
        res("file.utime", f.utime, (1000000000, 1100000000))
        res("file.chown self", f.chown, os.getuid(), os.getgid())
        res("file.flush", f.flush)
    res("stat w.bin", lambda: sftp.stat("w.bin"))
    res("stat w.bin mtime", lambda: sftp.stat("w.bin").st_mtime)
    # reading: getfo with prefetch, readv, readline, seek
    buf = io.BytesIO()
    res("getfo", lambda: sftp.getfo("blob", buf) and buf.getvalue())
    with sftp.open("blob", "rb") as f:
        f.prefetch()
        res("prefetch read", f.read)
    with sftp.open("blob", "rb") as f:
        res("readv", lambda: list(f.readv([(0, 5), (1048570, 100),
                                           (2000000, 10), (500000, 70000)])))
        f.seek(-4, 2)
        res("seek from end", f.read)
        f.seek(0)
        res("readline", f.readline)
        res("read past EOF", lambda: f.seek(5 << 20) or f.read(10))
    with sftp.open("empty", "w"):
        pass
    with sftp.open("empty", "r") as f:
        f.prefetch()
        res("prefetch empty", f.read)
    res("check-file", lambda: sftp.open("blob").check("sha1"))
    # modes of sftp.open
    for mode in ("r", "r+", "w", "w+", "a", "a+", "x", "x+"):
        res("open existing %s" % mode, lambda m=mode: sftp.open("blob2" if
            False else "w.bin", m).close())
        res("open missing %s" % mode, lambda m=mode: sftp.open(
            "new-%s" % m.replace("+", "p"), m).close())
    # metadata
    res("chmod", sftp.chmod, "w.bin", 0o600)
    res("chmod missing", sftp.chmod, "missing", 0o600)
    res("utime None", lambda: sftp.utime("w.bin", None))
    res("utime", sftp.utime, "w.bin", (5, 7))
    res("lstat mtime", lambda: sftp.lstat("w.bin").st_mtime)
    res("truncate", sftp.truncate, "w.bin", 10)
    res("truncate dir", sftp.truncate, D, 10)
    res("chown to root", sftp.chown, "w.bin", 0, 0)
    # directories
    res("mkdir", sftp.mkdir, "d", 0o750)
    res("mkdir existing", sftp.mkdir, "d")
    res("mkdir missing parent", sftp.mkdir, "nope/d")
    res("rmdir missing", sftp.rmdir, "nope")
    sftp.putfo(io.BytesIO(b"x"), "d/inner")
    res("rmdir non-empty", sftp.rmdir, "d")
    res("remove a dir", sftp.remove, "d")
    res("remove missing", sftp.remove, "missing")
    res("listdir", lambda: sorted(sftp.listdir(".")))
    res("listdir missing", sftp.listdir, "missing")
    res("listdir a file", sftp.listdir, "w.bin")
    res("listdir_attr", lambda: sorted((a.filename, a.st_size,
                                        stat.S_IFMT(a.st_mode))
                                       for a in sftp.listdir_attr(".")))
    res("listdir_iter", lambda: sorted(a.filename for a in
                                       sftp.listdir_iter(".")))
    for i in range(300):
        sftp.open("d/n%03d" % i, "w").close()
    res("listdir 301", lambda: len(sftp.listdir("d")))
    # links and renames
    res("symlink dangling", sftp.symlink, "nowhere", "dang")
    res("readlink", sftp.readlink, "dang")
    res("stat dangling", sftp.stat, "dang")
    res("lstat dangling", lambda: stat.S_ISLNK(sftp.lstat("dang").st_mode))
    res("symlink existing", sftp.symlink, "x", "dang")
    res("readlink a file", sftp.readlink, "w.bin")
    res("rename free", sftp.rename, "empty", "empty2")
    res("rename onto file", sftp.rename, "empty2", "w.bin")
    res("rename onto dir", sftp.rename, "empty2", "d")
    res("rename missing", sftp.rename, "missing", "x")
    res("posix_rename onto file", sftp.posix_rename, "empty2", "w.bin")
    res("posix_rename onto non-empty dir", sftp.posix_rename, "dang", "d")
    res("posix_rename dir onto file", sftp.posix_rename, "d", "blob")
    res("stat after renames", lambda: sftp.stat("w.bin").st_size)
    res("open a dir for writing", sftp.open, "d", "w")
    res("open a dir for reading", lambda: sftp.open("d", "r").read())
    # big offsets
    with sftp.open("sparse", "w") as f:
        f.seek(6 << 30)
        f.write(b"x")
    res("sparse size", lambda: sftp.stat("sparse").st_size)
    with sftp.open("sparse", "r") as f:
        f.seek((6 << 30) - 2)
        res("read across 6 GiB", f.read, 100)
    sftp.remove("sparse")
    # a file truncated while being read
    with sftp.open("blob", "r") as f:
        first = f.read(100000)
        os.truncate(p("blob"), 150000)
        rest = f.read()
        res("read of a file truncated meanwhile", lambda: (len(first),
                                                           len(rest)))
    res("statvfs", lambda: sftp.statvfs(".").f_bsize > 0)
    sftp.close()
    sock.close()
    proc.wait(timeout=20)
    with open(opt.out, "w") as f:
        f.write("\n".join(OUT) + "\n")


main()
