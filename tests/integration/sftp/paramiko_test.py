#!/usr/bin/python3
"""SFTP through paramiko (Debian's python3-paramiko), a client that is not
OpenSSH's: every open mode, pipelined writes and prefetched reads,
stat/lstat/setstat, listdir_attr, symlink/readlink, statvfs, posix-rename.

usage: paramiko_test.py --dir RDIR --home HOME --user NAME
           (--direct SERVER... | --ssh HOST --ssh-config FILE)

RDIR is an empty directory as the server sees it; NAME is the session user
(also the SSH login name with --ssh)."""

import argparse
import hashlib
import io
import os
import select
import shlex
import socket
import stat
import subprocess
import sys
import time

import paramiko
from paramiko.sftp import CMD_EXTENDED

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--home", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--ssh")
ap.add_argument("--ssh-config")
ap.add_argument("--direct", nargs=argparse.REMAINDER)
opt = ap.parse_args()
D = opt.dir
failures = 0


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class DirectSock:
    """The server's end of a socketpair, shaped like a paramiko Channel."""

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


def connect():
    if opt.direct:
        a, b = socket.socketpair()
        proc = subprocess.Popen(opt.direct, stdin=b, stdout=b,
                                stderr=subprocess.DEVNULL, close_fds=True)
        b.close()
        return paramiko.SFTPClient(DirectSock(a)), (proc, a)
    cfg = paramiko.SSHConfig.from_path(opt.ssh_config).lookup(opt.ssh)
    cli = paramiko.SSHClient()
    cli.load_host_keys(cfg["userknownhostsfile"].strip('"'))
    cli.set_missing_host_key_policy(paramiko.RejectPolicy())
    cli.connect(cfg["hostname"], username=opt.user,
                key_filename=cfg["identityfile"],
                sock=paramiko.ProxyCommand(cfg["proxycommand"]),
                allow_agent=False, look_for_keys=False, timeout=30)
    return cli.open_sftp(), (cli,)


def close(sftp, extra):
    sftp.close()
    if opt.direct:
        proc, sock = extra
        sock.close()
        proc.wait(timeout=20)
    else:
        extra[0].close()


def run(name, fn, sftp):
    global failures
    try:
        fn(sftp)
        print("ok - paramiko: %s" % name, flush=True)
    except Exception as e:
        print("FAIL: paramiko: %s: %s: %s" % (name, type(e).__name__, e),
              flush=True)
        failures += 1


def r(name):
    return D + "/" + name


def t_normalize(sftp):
    check(sftp.normalize(".") == opt.home, "normalize . = %r" %
          sftp.normalize("."))


def t_modes(sftp):
    """Every paramiko open mode on a missing and an existing file."""
    modes = {  # mode: (works on missing, works on existing, truncates)
        "r": (False, True, False), "r+": (False, True, False),
        "w": (True, True, True), "w+": (True, True, True),
        "a": (True, True, False), "a+": (True, True, False),
        "x": (True, False, False), "x+": (True, False, False),
    }
    for mode, (missing_ok, exist_ok, trunc) in modes.items():
        for exists in (False, True):
            path = r("mode-%s-%d" % (mode.replace("+", "p"), exists))
            if exists:
                with sftp.open(path, "w") as f:
                    f.write(b"0123456789")
            try:
                f = sftp.open(path, mode)
            except IOError:
                check(not (exist_ok if exists else missing_ok),
                      "open %r (exists=%d) failed" % (mode, exists))
                continue
            check(exist_ok if exists else missing_ok,
                  "open %r (exists=%d) should fail" % (mode, exists))
            with f:
                if "r" in mode or "+" in mode:
                    data = f.read()
                    # paramiko starts an "a" file at its end
                    want = b"" if trunc or not exists or mode[0] == "a" \
                        else b"0123456789"
                    check(data == want, "%r read %r" % (mode, data))
                writes = mode not in ("r", "x")   # paramiko: x is not +w
                if writes:
                    f.seek(0)
                    f.write(b"AB")
            with sftp.open(path, "r") as f:
                got = f.read()
            if mode == "r":
                want = b"0123456789"
            elif mode == "x":
                want = b""
            elif mode.startswith("a"):
                want = (b"0123456789" if exists else b"") + b"AB"
            elif trunc or not exists:
                want = b"AB"
            else:
                want = b"AB23456789"
            check(got == want, "mode %r exists=%d gave %r" % (mode, exists,
                                                               got))


def t_pipelined(sftp):
    blob = os.urandom(8 * 1024 * 1024 + 777)
    with sftp.open(r("big"), "w") as f:
        f.set_pipelined(True)
        for i in range(0, len(blob), 32768):
            f.write(blob[i:i + 32768])
    check(sftp.stat(r("big")).st_size == len(blob), "size after write")
    with sftp.open(r("big"), "r") as f:
        f.prefetch()
        got = f.read()
    check(got == blob, "prefetched read")
    with sftp.open(r("big"), "r") as f:
        chunks = list(f.readv([(0, 10), (5000000, 100000), (len(blob) - 7,
                                                            7)]))
    check(chunks == [blob[0:10], blob[5000000:5100000], blob[-7:]], "readv")
    buf = io.BytesIO()
    sftp.getfo(r("big"), buf)
    check(hashlib.sha256(buf.getvalue()).digest() ==
          hashlib.sha256(blob).digest(), "getfo sha256")
    sftp.putfo(io.BytesIO(blob[:1000000]), r("big2"))
    check(sftp.stat(r("big2")).st_size == 1000000, "putfo")


def t_stat_setstat(sftp):
    with sftp.open(r("st"), "w") as f:
        f.write(b"x" * 100)
        check(f.stat().st_size == 100, "fstat")
        f.chmod(0o640)
        f.truncate(50)
    sftp.chmod(r("st"), 0o604)
    sftp.utime(r("st"), (1000000000, 1200000000))
    st = sftp.stat(r("st"))
    check(stat.S_IMODE(st.st_mode) == 0o604, "chmod %o" % st.st_mode)
    check(st.st_mtime == 1200000000 and st.st_atime == 1000000000, "utime")
    check(st.st_size == 50, "ftruncate")
    sftp.truncate(r("st"), 10)
    check(sftp.stat(r("st")).st_size == 10, "truncate")
    sftp.chown(r("st"), st.st_uid, st.st_gid)
    try:
        sftp.stat(r("missing"))
        raise AssertionError("stat of a missing file")
    except FileNotFoundError:
        pass


def t_links_and_dirs(sftp):
    sftp.mkdir(r("dir"), 0o750)
    check(stat.S_IMODE(sftp.stat(r("dir")).st_mode) == 0o750, "mkdir mode")
    sftp.symlink("st", r("lnk"))
    check(sftp.readlink(r("lnk")) == "st", "readlink")
    check(stat.S_ISLNK(sftp.lstat(r("lnk")).st_mode), "lstat")
    check(stat.S_ISREG(sftp.stat(r("lnk")).st_mode), "stat follows")
    sftp.rename(r("st"), r("st2"))
    with sftp.open(r("other"), "w") as f:
        f.write(b"o")
    try:
        sftp.rename(r("st2"), r("other"))
        raise AssertionError("rename onto an existing file succeeded")
    except IOError:
        pass
    sftp.posix_rename(r("st2"), r("other"))
    check(sftp.stat(r("other")).st_size == 10, "posix_rename replaced")
    entries = {a.filename: a for a in sftp.listdir_attr(D)}
    check({"dir", "lnk", "other", "big"} <= set(entries), "listdir_attr %r"
          % sorted(entries))
    check("." not in sftp.listdir(D), "paramiko hides . and ..")
    a = entries["dir"]
    check(stat.S_ISDIR(a.st_mode) and a.longname.startswith("drwxr-x---"),
          "longname %r" % a.longname)
    check((" %s " % opt.user) in a.longname, "owner name in %r" % a.longname)
    check(entries["lnk"].longname.startswith("l"), "symlink longname")
    sftp.remove(r("lnk"))
    sftp.rmdir(r("dir"))
    check("dir" not in sftp.listdir(D), "rmdir")


def t_large_offsets(sftp):
    """A sparse file past 4 GiB: 64-bit offsets both ways."""
    off = 5 << 30
    with sftp.open(r("sparse"), "w") as f:
        f.seek(off)
        f.write(b"beyond-4GiB")
    check(sftp.stat(r("sparse")).st_size == off + 11, "size")
    with sftp.open(r("sparse"), "r") as f:
        f.seek(off + 7)
        check(f.read(100) == b"4GiB", "read back above 4 GiB (partial)")
        f.seek((4 << 30) - 2)
        check(f.read(4) == b"\0\0\0\0", "hole")
    sftp.remove(r("sparse"))


def t_statvfs(sftp):
    t, msg = sftp._request(CMD_EXTENDED, "statvfs@openssh.com", D)
    vals = [msg.get_int64() for _ in range(11)]
    check(vals[0] > 0 and vals[2] > 0 and vals[10] > 0, "statvfs %r" % vals)


def main():
    sftp, extra = connect()
    for name, fn in [("normalize", t_normalize), ("open modes", t_modes),
                     ("pipelined transfers", t_pipelined),
                     ("stat and setstat", t_stat_setstat),
                     ("links and directories", t_links_and_dirs),
                     ("offsets beyond 4 GiB", t_large_offsets),
                     ("statvfs", t_statvfs)]:
        run(name, fn, sftp)
    close(sftp, extra)
    sys.exit(1 if failures else 0)


main()
