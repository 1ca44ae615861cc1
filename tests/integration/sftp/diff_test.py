#!/usr/bin/python3
"""Differential SFTP protocol test: run one list of request sequences
against a server and write a normalized transcript of every reply and of
the files each sequence left behind. Run it once against OpenSSH's
sftp-server and once against msb-sftp-server, on the same kind of tree, and
diff the transcripts: any difference is a behaviour a client could notice.

usage: diff_test.py --dir DIR --out FILE [--only a,b] -- SERVER...

The server must start in DIR (sftp-server -d DIR / msb-sftp-server -d DIR).
Each case gets a fresh DIR/<case> prepared here, then talks to a fresh
server process. Where msb differs from sftp-server on purpose (see
msb-sftp-server(8), DIFFERENCES FROM SFTP-SERVER), the case records what
both agree on, or the case is left out here and checked in proto_test.py.
"""

import argparse
import hashlib
import os
import re
import socket
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sftpraw import *  # noqa: E402,F401,F403

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--only", default="")
ap.add_argument("server", nargs="+")
opt = ap.parse_args()
D = os.path.realpath(opt.dir)
FIXED = 1000000000            # mtime given to prepared files
CASES = []
OUT = []


def case(fn):
    CASES.append(fn)
    return fn


def norm(text):
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogateescape")
    text = text.decode("utf-8", "backslashreplace").replace("\n", "\\n")
    text = text.replace(D, "$D")
    # recent times in long names depend on when the test ran
    return re.sub(r"[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}", "RECENT",
                  text)


def emit(line):
    OUT.append(norm(line))


def tm(v):
    return str(v) if v in (FIXED, FIXED + 1, 7, 1234567890) else "T"


def fmt_attrs(a):
    parts = ["flags=%x" % a["flags"]]
    if "size" in a:
        parts.append("size=%d" % a["size"])
    if "uid" in a:
        parts.append("uid=%d gid=%d" % (a["uid"], a["gid"]))
    if "perm" in a:
        parts.append("perm=%o" % a["perm"])
    if "mtime" in a:
        parts.append("atime=%s mtime=%s" % (tm(a["atime"]), tm(a["mtime"])))
    return " ".join(parts)


class Session:
    """A server process plus the handles it gave out, named h1, h2..."""

    def __init__(self, argv=None):
        self.c = Raw(argv or opt.server)
        self.c.init()
        self.handles = {}

    def hname(self, h):
        for k, v in self.handles.items():
            if v == h:
                return k
        return "h?"

    def show(self, what, r, sort_names=False):
        if r.type == STATUS:
            line = "status %d" % r.status
            if r.status in (OK, EOF):
                line += " %s" % r.msg
            emit("%s -> %s" % (what, line))
        elif r.type == HANDLE:
            h = r.r.s()
            name = "h%d" % (len(self.handles) + 1)
            self.handles[name] = h
            emit("%s -> handle %s (len %d)" % (what, name, len(h)))
            return name
        elif r.type == DATA:
            data = r.r.s()
            emit("%s -> data %d %s" % (what, len(data),
                                       hashlib.sha256(data).hexdigest()[:12]))
        elif r.type == ATTRS:
            emit("%s -> attrs %s" % (what, fmt_attrs(r.r.attrs())))
        elif r.type == NAME:
            n = r.r.u32()
            ents = []
            for _ in range(n):
                name, ln, a = r.r.s(), r.r.s(), r.r.attrs()
                ents.append("  %s | %s | %s" % (norm(name), norm(ln),
                                                fmt_attrs(a)))
            emit("%s -> name count %d" % (what, n))
            for e in (sorted(ents) if sort_names else ents):
                emit(e)
        elif r.type == EXTENDED_REPLY:
            emit("%s -> extended-reply %d bytes" % (what, len(r.body)))
        else:
            emit("%s -> type %d" % (what, r.type))
        return r

    def req(self, what, t, payload=b""):
        return self.show(what, self.c.call(t, payload))

    def ext(self, what, name, payload=b""):
        return self.show(what, self.c.ext(name, payload))

    def h(self, name):
        return s(self.handles.get(name, b"\xff\xff\xff\xfe"))

    def close(self):
        try:
            self.c.close()
        except Exception:
            pass


def P(*parts):
    return "/".join([D] + list(parts))


def mkfile(path, data=b"0123456789", mode=0o644):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)
    os.utime(path, (FIXED, FIXED))


def file_hash(path):
    """Hash of the first 4 MiB and the last 64 KiB (files may be sparse
    and huge)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read(4 << 20))
        size = os.fstat(f.fileno()).st_size
        if size > 4 << 20:
            f.seek(max(size - 65536, 4 << 20))
            h.update(f.read())
    return h.hexdigest()[:12]


def snapshot(top):
    """The tree under top, one line per entry, with everything a client
    could observe (content by hash)."""
    lines = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(root, n)
            st = os.lstat(p)
            rel = os.path.relpath(p, top)
            if stat.S_ISLNK(st.st_mode):
                desc = "link -> %s" % os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                desc = "file %d %s" % (st.st_size, file_hash(p))
            elif stat.S_ISDIR(st.st_mode):
                desc = "dir"
            else:
                desc = "other %o" % stat.S_IFMT(st.st_mode)
            lines.append("  %s: %s mode %o nlink %d uid %d mtime %s" % (
                rel, desc, stat.S_IMODE(st.st_mode), st.st_nlink, st.st_uid,
                tm(int(st.st_mtime)) if not stat.S_ISDIR(st.st_mode) else
                "-"))
    return lines


def run_case(fn):
    top = P(fn.__name__)
    os.mkdir(top)
    os.chmod(top, 0o777)
    emit("== %s" % fn.__name__)
    sess = None
    try:
        sess = Session()
        fn(sess, top, fn.__name__)
    except ServerGone:
        emit("server exited")
    except socket.timeout:
        emit("server timed out")
    finally:
        if sess is not None:
            sess.close()
    emit("-- tree")
    for line in snapshot(top):
        emit(line)


# ---------------------------------------------------------------- cases

@case
def realpath(c, top, n):
    os.mkdir(top + "/d")
    mkfile(top + "/f")
    os.symlink("d", top + "/ld")
    os.symlink("nowhere", top + "/dangling")
    os.symlink("loop2", top + "/loop1")
    os.symlink("loop1", top + "/loop2")
    os.symlink(top + "/d/", top + "/abs-slash")
    for p in ("", ".", "..", "/", "//", "/.", "/..", n, n + "/", n + "//d/.",
              n + "/d/..", n + "/f/", n + "/f/..", n + "/f/x", n + "/ld",
              n + "/ld/..", n + "/ld/x", n + "/dangling", n + "/dangling/x",
              n + "/loop1", n + "/missing", n + "/missing/",
              n + "/missing/x", n + "/missing/..", n + "/abs-slash/x",
              "~", "~/x", top + "/./d/../f", "x" * 255, "x" * 256,
              n + "/" + "y" * 256 + "/z", "/" + "a/" * 2100,
              top + "/d" + "/." * 2100):
        c.req("realpath %r" % norm(p)[:60], REALPATH, s(p))


@case
def stat_lstat(c, top, n):
    os.mkdir(top + "/d")
    os.utime(top + "/d", (FIXED, FIXED))
    mkfile(top + "/f", mode=0o4751)
    os.symlink("f", top + "/lf")
    os.symlink("nowhere", top + "/dangling")
    os.symlink("loop2", top + "/loop1")
    os.symlink("loop1", top + "/loop2")
    os.mkfifo(top + "/fifo")
    os.utime(top + "/fifo", (FIXED, FIXED))
    for p in ("d", "f", "lf", "dangling", "loop1", "fifo", "missing", "f/",
              "f/x", "d/", "", "/dev/null", "y" * 256):
        for t, nm in ((STAT, "stat"), (LSTAT, "lstat")):
            c.req("%s %s" % (nm, p), t, s(top + "/" + p if p and p[0] != "/"
                                          else p))


@case
def read_write_edges(c, top, n):
    mkfile(top + "/f", b"hello world")
    h = c.show("open f r", c.c.call(OPEN, s(top + "/f") + u32(F_READ) +
                                    attrs()))
    for off, ln in ((0, 0), (0, 5), (6, 100), (11, 10), (12, 1),
                    (1 << 40, 10), ((1 << 63) - 1, 10), (1 << 63, 10),
                    ((1 << 64) - 1, 1), (0, 1 << 31), (0, 0xffffffff)):
        c.req("read %d %d" % (off, ln), READ, c.h(h) + u64(off) + u32(ln))
    c.req("write on read handle", WRITE, c.h(h) + u64(0) + s(b"x"))
    w = c.show("open f w", c.c.call(OPEN, s(top + "/f") + u32(F_WRITE) +
                                    attrs()))
    c.req("read on write handle", READ, c.h(w) + u64(0) + u32(10))
    for off, data in ((0, b"HE"), (20, b"gap"), (0, b""),
                      ((1 << 63) - 2, b"x"), ((1 << 63) - 1, b"xy"),
                      (1 << 63, b"x"), ((1 << 64) - 1, b"x")):
        c.req("write %d %r" % (off, data), WRITE, c.h(w) + u64(off) +
              s(data))
    a = c.show("open f append", c.c.call(OPEN, s(top + "/f") +
                                         u32(F_WRITE | F_APPEND) + attrs()))
    c.req("append write at 0", WRITE, c.h(a) + u64(0) + s(b"END"))
    c.req("append write at 2^63", WRITE, c.h(a) + u64(1 << 63) + s(b"!"))
    for x in (h, w, a):
        c.req("close", CLOSE, c.h(x))
    c.req("close again", CLOSE, c.h(h))
    c.req("read closed", READ, c.h(h) + u64(0) + u32(1))
    c.req("write closed", WRITE, c.h(h) + u64(0) + s(b"x"))


@case
def open_special(c, top, n):
    os.mkdir(top + "/d")
    mkfile(top + "/ro", mode=0o444)
    os.symlink("nowhere", top + "/dangling")
    os.symlink("ro", top + "/lro")
    for p, fl in (("d", F_READ), ("d", F_WRITE), ("d", F_READ | F_CREAT),
                  ("missing/x", F_WRITE | F_CREAT), ("dangling", F_READ),
                  ("dangling", F_WRITE | F_CREAT),
                  ("dangling", F_WRITE | F_CREAT | F_EXCL),
                  ("lro", F_READ), ("", F_READ), ("ro/", F_READ),
                  ("new/", F_WRITE | F_CREAT), ("y" * 256, F_READ),
                  ("d/new", F_WRITE | F_CREAT | F_TRUNC | F_EXCL)):
        r = c.c.call(OPEN, s(top + "/" + p if p else "") + u32(fl) +
                     attrs(perm=0o600))
        hn = c.show("open %s %x" % (p, fl), r)
        if r.type == HANDLE:
            c.req("  read", READ, c.h(hn) + u64(0) + u32(100))
            c.req("  fstat", FSTAT, c.h(hn))
            c.req("  close", CLOSE, c.h(hn))
    # the mode: perm with file type bits, and none (0666 & ~umask)
    for nm, a in (("typebits", attrs(perm=0o100755)), ("noperm", attrs()),
                  ("suid", attrs(perm=0o4755)),
                  ("withsize", attrs(size=5, perm=0o640))):
        r = c.c.call(OPEN, s(top + "/" + nm) + u32(F_WRITE | F_CREAT) + a)
        hn = c.show("create %s" % nm, r)
        if r.type == HANDLE:
            c.req("  close", CLOSE, c.h(hn))


@case
def setstat_family(c, top, n):
    os.mkdir(top + "/d")
    mkfile(top + "/f")
    mkfile(top + "/g")
    os.symlink("g", top + "/lg")
    os.symlink("nowhere", top + "/dangling")
    uid, gid = os.getuid(), os.getgid()
    for p, a, what in (("f", attrs(), "empty"),
                       ("f", attrs(perm=0o100600), "perm with type bits"),
                       ("f", attrs(perm=0o7777), "perm 7777"),
                       ("f", attrs(size=3), "size"),
                       ("f", attrs(size=1 << 40), "size 1TiB"),
                       ("f", attrs(size=1 << 63), "size 2^63"),
                       ("f", attrs(atime=FIXED + 1, mtime=FIXED + 1),
                        "times"),
                       ("f", attrs(uid=uid, gid=gid), "owner self"),
                       ("d", attrs(size=0), "size on dir"),
                       ("d", attrs(perm=0o700, atime=7, mtime=7),
                        "dir perm+times"),
                       ("lg", attrs(perm=0o640), "through symlink"),
                       ("dangling", attrs(perm=0o600), "dangling"),
                       ("missing", attrs(perm=0o600), "missing"),
                       ("f/", attrs(perm=0o600), "trailing slash"),
                       ("f", attrs(size=1 << 63, perm=0o611),
                        "bad size + good perm")):
        c.req("setstat %s (%s)" % (p, what), SETSTAT, s(top + "/" + p) + a)
    for p, a, what in (("lg", attrs(perm=0o600), "perm on link"),
                       ("lg", attrs(atime=7, mtime=7), "times on link"),
                       ("lg", attrs(uid=uid, gid=gid), "owner on link"),
                       ("lg", attrs(size=0), "size on link"),
                       ("f", attrs(perm=0o640), "perm on file"),
                       ("dangling", attrs(atime=7, mtime=7),
                        "times on dangling"),
                       ("missing", attrs(atime=7, mtime=7), "missing")):
        c.ext("lsetstat %s (%s)" % (p, what), "lsetstat@openssh.com",
              s(top + "/" + p) + a)
    h = c.show("open g r", c.c.call(OPEN, s(top + "/g") + u32(F_READ) +
                                    attrs()))
    for a, what in ((attrs(size=2), "size on read-only"),
                    (attrs(perm=0o604), "perm"),
                    (attrs(atime=FIXED, mtime=FIXED), "times"),
                    (attrs(uid=uid, gid=gid), "owner")):
        c.req("fsetstat (%s)" % what, FSETSTAT, c.h(h) + a)
    c.req("fstat", FSTAT, c.h(h))
    c.req("close", CLOSE, c.h(h))
    c.req("fsetstat closed", FSETSTAT, c.h(h) + attrs(perm=0o600))
    c.req("fstat closed", FSTAT, c.h(h))


@case
def directories(c, top, n):
    os.mkdir(top + "/d")
    for i in range(250):
        mkfile(top + "/d/e%03d" % i, b"x" * i)
    os.symlink("e001", top + "/d/link")
    os.mkdir(top + "/d/sub")
    os.utime(top + "/d/sub", (FIXED, FIXED))
    os.mkdir(top + "/empty")
    mkfile(top + "/f")
    os.symlink("d", top + "/ld")
    for p in ("f", "missing", "ld", "f/", "", "empty/"):
        r = c.c.call(OPENDIR, s(top + "/" + p if p else ""))
        hn = c.show("opendir %s" % p, r)
        if r.type == HANDLE:
            c.req("  close", CLOSE, c.h(hn))
    hn = c.show("opendir d", c.c.call(OPENDIR, s(top + "/d")))
    names = []
    while True:
        r = c.c.call(READDIR, c.h(hn))
        if r.type != NAME:
            c.show("readdir end", r)
            break
        for _ in range(r.r.u32()):
            nm, ln, a = r.r.s(), r.r.s(), r.r.attrs()
            if nm in (b".", b".."):
                ln = re.sub(rb" +[0-9]+ ", b" N ", ln, count=2)
                ln = re.sub(rb" [0-9]+ [A-Z]", b" S X", ln)
                a = {"flags": a["flags"], "perm": a["perm"]}
            names.append("  %s | %s | %s" % (norm(nm), norm(ln),
                                             fmt_attrs(a)))
    emit("readdir d: %d entries" % len(names))
    for x in sorted(names):
        emit(x)
    c.req("readdir after EOF", READDIR, c.h(hn))
    c.req("read on dir handle", READ, c.h(hn) + u64(0) + u32(10))
    c.req("write on dir handle", WRITE, c.h(hn) + u64(0) + s(b"x"))
    c.req("close dir", CLOSE, c.h(hn))
    c.req("readdir closed", READDIR, c.h(hn))
    fh = c.show("open f", c.c.call(OPEN, s(top + "/f") + u32(F_READ) +
                                   attrs()))
    c.req("readdir on file handle", READDIR, c.h(fh))
    c.req("close f", CLOSE, c.h(fh))


@case
def mkdir_rmdir_remove(c, top, n):
    os.mkdir(top + "/full")
    mkfile(top + "/full/x")
    os.mkdir(top + "/empty")
    mkfile(top + "/f")
    os.symlink("empty", top + "/lempty")
    os.symlink("nowhere", top + "/dangling")
    for p, a in (("new", attrs(perm=0o700)), ("new", attrs()),
                 ("typebits", attrs(perm=0o40750)), ("noperm", attrs()),
                 ("sticky", attrs(perm=0o1777)), ("f", attrs()),
                 ("dangling", attrs()), ("missing/x", attrs()),
                 ("f/x", attrs()), ("new2/", attrs(perm=0o755)),
                 ("", attrs()), ("y" * 256, attrs())):
        c.req("mkdir %s" % p, MKDIR, s(top + "/" + p if p else "") + a)
    for p in ("full", "f", "missing", "lempty", ".", "empty/.",
              "new2/", "empty"):
        c.req("rmdir %s" % p, RMDIR, s(top + "/" + p))
    for p in ("full", "lempty", "dangling", "missing", "f/", "f"):
        c.req("remove %s" % p, REMOVE, s(top + "/" + p))


@case
def renames(c, top, n):
    for x in ("a", "b", "c", "e", "g", "k"):
        mkfile(top + "/" + x, x.encode())
    for x in ("dir1", "dir2", "dir3", "full", "dir5"):
        os.mkdir(top + "/" + x)
    mkfile(top + "/full/in")
    os.symlink("a", top + "/la")
    os.symlink("nowhere", top + "/dangling")
    os.symlink("nowhere2", top + "/dangling2")
    for o, nw in (("a", "a2"), ("b", "c"), ("c", "dir1"), ("dir1", "dir2"),
                  ("dir2", "dir2b"), ("missing", "x"), ("e", "e"),
                  ("la", "la2"), ("la2", "g"), ("g", "dangling"),
                  ("dir3", "dangling2"), ("dir5", "dir5/sub"),
                  ("e", "missing/x"), ("k", "k/"), ("full", "e")):
        c.req("rename %s %s" % (o, nw), RENAME, s(top + "/" + o) +
              s(top + "/" + nw))
    for x in ("p", "q", "r"):
        mkfile(top + "/" + x, x.encode())
    for x in ("pd", "qd", "rd"):
        os.mkdir(top + "/" + x)
    mkfile(top + "/rd/in")
    for o, nw in (("p", "q"), ("q", "pd"), ("pd", "qd"), ("qd", "rd"),
                  ("r", "r"), ("qd", "qd/sub"), ("missing", "z"),
                  ("rd", "p")):
        c.ext("posix-rename %s %s" % (o, nw), "posix-rename@openssh.com",
              s(top + "/" + o) + s(top + "/" + nw))


@case
def links(c, top, n):
    mkfile(top + "/f")
    os.mkdir(top + "/d")
    for t, l in (("f", "s1"), ("nowhere", "s2"), ("", "s3"),
                 ("f", "s1"), ("f", "d"), ("f", "missing/s"),
                 ("/abs/target", "s4"), ("a\nb", "s5")):
        c.req("symlink %r %s" % (t, l), SYMLINK, s(t) + s(top + "/" + l))
    for p in ("s1", "s2", "s4", "s5", "f", "d", "missing"):
        c.req("readlink %s" % p, READLINK, s(top + "/" + p))
    for o, nw in (("f", "h1"), ("f", "h1"), ("d", "hd"), ("missing", "h2"),
                  ("s2", "h3"), ("f", "missing/h")):
        c.ext("hardlink %s %s" % (o, nw), "hardlink@openssh.com",
              s(top + "/" + o) + s(top + "/" + nw))


@case
def extensions(c, top, n):
    os.mkdir(top + "/d")
    mkfile(top + "/f")
    r = c.c.ext("limits@openssh.com")
    vals = [r.r.u64() for _ in range(4)]
    emit("limits %d %d %d handles>=64:%s" % (vals[0], vals[1], vals[2],
                                             vals[3] >= 64))
    for p in ("~", "~/", "~/x", "", ".", "x/../y", "/..", "~root",
              "~root/x", "~nosuchuser9", "~nosuchuser9/x", n + "/d/../f",
              n + "/missing/x", "/"):
        c.ext("expand-path %r" % p, "expand-path@openssh.com", s(p))
    for u in ("root", "nosuchuser9"):
        c.ext("home-directory %r" % u, "home-directory", s(u))
    r = c.c.ext("statvfs@openssh.com", s(top))
    emit("statvfs type %d" % r.type)
    c.ext("statvfs missing", "statvfs@openssh.com", s(top + "/missing"))
    h = c.show("open f", c.c.call(OPEN, s(top + "/f") + u32(F_READ) +
                                  attrs()))
    r = c.c.ext("fstatvfs@openssh.com", c.h(h))
    emit("fstatvfs type %d" % r.type)
    c.ext("fsync read handle", "fsync@openssh.com", c.h(h))
    c.req("close", CLOSE, c.h(h))
    c.ext("fsync closed", "fsync@openssh.com", c.h(h))
    c.ext("fstatvfs closed", "fstatvfs@openssh.com", c.h(h))
    r = c.c.ext("users-groups-by-id@openssh.com",
                s(u32(0) + u32(4000000000)) + s(u32(0) + u32(4000000001)))
    rd = Reader(r.r.s())
    gd = Reader(r.r.s())
    emit("users-groups-by-id: %r %r" % ([rd.s(), rd.s()], [gd.s(), gd.s()]))
    c.ext("users-groups-by-id odd length", "users-groups-by-id@openssh.com",
          s(b"\0\0\0") + s(b""))
    c.ext("unknown extension", "nosuch@example.com", s("x"))


@case
def copy_data(c, top, n):
    blob = bytes(range(256)) * 1000          # 256000 bytes
    mkfile(top + "/src", blob)
    mkfile(top + "/ro", b"read only", 0o644)
    r = c.show("open src", c.c.call(OPEN, s(top + "/src") + u32(F_READ) +
                                    attrs()))
    ro = c.show("open ro", c.c.call(OPEN, s(top + "/ro") + u32(F_READ) +
                                    attrs()))
    for i, (roff, rlen, woff) in enumerate((
            (0, 0, 0), (10, 5, 1), (0, 300000, 0), (255990, 100, 0),
            (0, 256000 + 70000, 0), (300000, 10, 0), (300000, 0, 0),
            (0, 1000, 1 << 40))):
        w = c.show("open dst%d" % i, c.c.call(
            OPEN, s(top + "/dst%d" % i) + u32(F_WRITE | F_CREAT | F_TRUNC) +
            attrs(perm=0o644)))
        c.ext("copy-data %d %d %d" % (roff, rlen, woff), "copy-data",
              c.h(r) + u64(roff) + u64(rlen) + c.h(w) + u64(woff))
        c.req("close dst%d" % i, CLOSE, c.h(w))
        os.truncate(top + "/dst%d" % i, min(os.path.getsize(
            top + "/dst%d" % i), 1 << 20))
    c.ext("copy-data to a read-only handle", "copy-data",
          c.h(r) + u64(0) + u64(0) + c.h(ro) + u64(0))
    c.ext("copy-data same handle", "copy-data",
          c.h(r) + u64(0) + u64(0) + c.h(r) + u64(0))
    a = c.show("open dst0 append", c.c.call(
        OPEN, s(top + "/dst0") + u32(F_WRITE | F_APPEND) + attrs()))
    c.ext("copy-data to append", "copy-data",
          c.h(r) + u64(0) + u64(7) + c.h(a) + u64(0))
    d = c.show("opendir", c.c.call(OPENDIR, s(top)))
    c.ext("copy-data from a dir handle", "copy-data",
          c.h(d) + u64(0) + u64(0) + c.h(a) + u64(0))
    for x in (r, ro, a, d):
        c.req("close", CLOSE, c.h(x))


@case
def odd_names(c, top, n):
    names = [b"sp ace", b"new\nline", b"back\\slash", b"-dash", b"*star",
             b"\xff\xfe-latin1", "ünïcödé".encode(), b"q\"uote", b"..."]
    for nm in names:
        h = c.show("create %r" % nm, c.c.call(
            OPEN, s(top.encode() + b"/" + nm) + u32(F_WRITE | F_CREAT) +
            attrs(perm=0o644)))
        c.req("  write", WRITE, c.h(h) + u64(0) + s(nm))
        c.req("  close", CLOSE, c.h(h))
        os.utime(top.encode() + b"/" + nm, (FIXED, FIXED))
    os.utime(top, (FIXED, FIXED))
    hn = c.show("opendir", c.c.call(OPENDIR, s(top)))
    while True:
        r = c.c.call(READDIR, c.h(hn))
        if r.type != NAME:
            break
        c.show("readdir", r, sort_names=True)
    c.req("closedir", CLOSE, c.h(hn))
    c.req("realpath odd", REALPATH, s(top.encode() + b"/new\nline/../\xff"))


def main():
    only = set(x for x in opt.only.split(",") if x)
    old = os.umask(0o022)
    for fn in CASES:
        if only and fn.__name__ not in only:
            continue
        run_case(fn)
    os.umask(old)
    with open(opt.out, "w") as f:
        f.write("\n".join(OUT) + "\n")


main()
