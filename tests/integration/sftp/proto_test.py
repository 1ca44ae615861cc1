#!/usr/bin/python3
"""Protocol-level tests of an SFTP server (msb-sftp-server, or OpenSSH's
sftp-server with --stock to check that the expectations are OpenSSH's).

usage: proto_test.py --dir DIR --home HOME --user NAME [--stock] -- SERVER...

DIR is an empty directory the session user may write, as the server sees
it; HOME is where the session starts. Prints "ok - ..." per check and exits
non-zero on the first failure."""

import argparse
import grp
import os
import shlex
import stat
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sftpraw import *  # noqa: E402,F401,F403

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--home", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--stock", action="store_true")
ap.add_argument("--uid", type=int, help="the session user's uid")
ap.add_argument("--unreadable", help="a file the session user cannot read")
ap.add_argument("--only", default="")
ap.add_argument("server", nargs="+")
opt = ap.parse_args()
D = opt.dir
MSB = not opt.stock
TESTS = []


def test(msb_only=False):
    def deco(fn):
        TESTS.append((fn, msb_only))
        return fn
    return deco


def conn():
    c = Raw(opt.server)
    c.init()
    return c


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_status(r, code, what):
    check(r.type == STATUS and r.status == code,
          "%s: expected status %d, got %r" % (what, code, r))


def p(name):
    return os.path.join(D, name)


def fresh(name):
    """An empty subdirectory for one test."""
    d = p(name)
    os.mkdir(d)
    os.chmod(d, 0o777)
    return d


@test()
def version_and_extensions(c):
    want = [("posix-rename@openssh.com", "1"), ("statvfs@openssh.com", "2"),
            ("fstatvfs@openssh.com", "2"), ("hardlink@openssh.com", "1"),
            ("fsync@openssh.com", "1"), ("lsetstat@openssh.com", "1"),
            ("limits@openssh.com", "1"), ("expand-path@openssh.com", "1"),
            ("copy-data", "1"), ("home-directory", "1"),
            ("users-groups-by-id@openssh.com", "1")]
    check(c.version == 3, "version %r" % c.version)
    check(c.exts == want, "extensions %r" % c.exts)


@test()
def limits(c):
    r = c.ext("limits@openssh.com")
    check(r.type == EXTENDED_REPLY, repr(r))
    mp, mr, mw, mh = r.r.u64(), r.r.u64(), r.r.u64(), r.r.u64()
    check((mp, mr, mw) == (262144, 261120, 261120), "limits %r" %
          ((mp, mr, mw),))
    check(mh >= 64, "max-open-handles %d" % mh)


@test()
def realpath_start_dir(c):
    check(c.name1(c.call(REALPATH, s(""))) == opt.home, "realpath \"\"")
    check(c.name1(c.call(REALPATH, s("."))) == opt.home, "realpath .")
    check(c.name1(c.call(REALPATH, s("nonexistent"))) ==
          os.path.join(opt.home, "nonexistent"), "missing last component")
    expect_status(c.call(REALPATH, s("/nonexistent-dir/x")), NO_SUCH_FILE,
                  "missing middle component")
    check(c.name1(c.call(REALPATH, s(D + "/..//" + os.path.basename(D) +
          "/./"))) == D, "collapse .. // .")


@test()
def expand_path_and_home(c):
    e = c.ext
    check(c.name1(e("expand-path@openssh.com", s("~"))) == opt.home, "~")
    check(c.name1(e("expand-path@openssh.com", s("~/x"))) ==
          os.path.join(opt.home, "x"), "~/x")
    check(c.name1(e("expand-path@openssh.com", s(""))) == opt.home, "\"\"")
    # The expansion goes through realpath, which needs search permission
    # on /root: as a non-root session user (0700 /root) OpenSSH's
    # sftp-server answers "Permission denied" too. The script runs as the
    # session user in this part.
    if os.access("/root", os.X_OK):
        check(c.name1(e("expand-path@openssh.com", s("~root/x"))) ==
              "/root/x", "~root/x")
    else:
        expect_status(e("expand-path@openssh.com", s("~root/x")),
                      PERMISSION_DENIED, "~root/x, /root not searchable")
    expect_status(e("expand-path@openssh.com", s("~nosuchuser9/x")),
                  NO_SUCH_FILE, "~unknown")
    # "" is the session user (OpenSSH PROTOCOL; 9.2's server fails it)
    if MSB:
        check(c.name1(e("home-directory", s(""))) == opt.home,
              "home-directory of self")
    # 9.2's server answers with the session user's home whatever user is
    # named, so there this only holds for a root session.
    if MSB or opt.user == "root":
        check(c.name1(e("home-directory", s("root"))) == "/root",
              "home-directory root")
    expect_status(e("home-directory", s("nosuchuser9")), FAILURE,
                  "home-directory unknown")


@test()
def users_groups_by_id(c):
    uid = os.stat(D).st_uid
    r = c.ext("users-groups-by-id@openssh.com",
              s(u32(0) + u32(4000000000) + u32(uid)) + s(u32(0)))
    check(r.type == EXTENDED_REPLY, repr(r))
    users, groups = Reader(r.r.s()), Reader(r.r.s())
    names = [users.s().decode() for _ in range(3)]
    check(names[0] == "root" and names[1] == "", "users %r" % names)
    check(groups.s() == b"root", "group 0")
    check(users.left() == 0 and groups.left() == 0, "no extra names")


@test()
def open_flag_combinations(c):
    """All 64 pflag combinations on a missing and an existing file; the
    outcome (status, content, size) is recorded for comparison with the
    stock server by the caller, and checked for the basic rules here."""
    d = fresh("flags")
    results = []
    for exist in (0, 1):
        for fl in range(64):
            f = os.path.join(d, "f%d_%d" % (exist, fl))
            if exist:
                with open(f, "wb") as fh:
                    fh.write(b"0123456789")
            h = c.open(f, fl, attrs(perm=0o600))
            if isinstance(h, Reply):
                results.append("%d/%d:status%d" % (exist, fl, h.status))
                if exist == 0:
                    check(not os.path.exists(f) or not fl & F_CREAT,
                          "failed open created %s" % f)
                continue
            w = c.write(h, 2, b"AB")
            rd = c.read(h, 0, 100)
            c.close_h(h)
            content = open(f, "rb").read() if os.path.exists(f) else None
            rs = rd.status if rd.type == STATUS else "data%d" % len(
                rd.r.s())
            results.append("%d/%d:w%s:r%s:%r" % (exist, fl, w.status, rs,
                                                 content))
            if exist and fl & F_EXCL and fl & F_CREAT:
                raise AssertionError("EXCL|CREAT on an existing file opened")
            if exist and fl & F_TRUNC and fl & F_WRITE and w.status == OK \
                    and not fl & F_APPEND:
                check(content == b"\0\0AB", "TRUNC: %r" % content)
            if exist and fl & F_APPEND and fl & F_WRITE and w.status == OK:
                check(content.endswith(b"AB") and len(content) in (2, 12),
                      "APPEND ignores the offset: %r" % content)
    with open(os.path.join(D, "flags.result"), "w") as out:
        out.write("\n".join(results) + "\n")


@test()
def excl_trunc_append_eof(c):
    d = fresh("data")
    f = os.path.join(d, "x")
    h = c.open(f, F_WRITE | F_CREAT | F_EXCL, attrs(perm=0o644))
    check(isinstance(h, bytes), "create %r" % h)
    check(c.write(h, 0, b"hello world").status == OK, "write")
    c.close_h(h)
    r = c.open(f, F_WRITE | F_CREAT | F_EXCL)
    expect_status(r, FAILURE, "O_EXCL on an existing file")
    h = c.open(f, F_WRITE | F_APPEND)
    check(c.write(h, 0, b"!").status == OK, "append")
    c.close_h(h)
    check(open(f, "rb").read() == b"hello world!", "append at end")
    h = c.open(f, F_READ)
    r = c.read(h, 6, 100)
    check(r.type == DATA and r.r.s() == b"world!", "partial final read")
    expect_status(c.read(h, 12, 100), EOF, "read at EOF")
    expect_status(c.read(h, 1000, 100), EOF, "read past EOF")
    r = c.read(h, 0, 0)
    check(r.type == DATA and r.r.s() == b"", "zero-length read")
    r = c.read(h, 0, 1 << 30)
    check(r.type == DATA and r.r.s() == b"hello world!", "huge len clamped")
    expect_status(c.write(h, 0, b"x"), NO_SUCH_FILE,
                  "write on a read-only handle (EBADF)")
    c.close_h(h)
    h = c.open(f, F_WRITE | F_TRUNC)
    c.close_h(h)
    check(os.path.getsize(f) == 0, "TRUNC honoured")


@test()
def large_sparse_file(c):
    d = fresh("large")
    f = os.path.join(d, "sparse")
    off = 5 << 30
    h = c.open(f, F_WRITE | F_READ | F_CREAT)
    check(c.write(h, off, b"tail-data").status == OK, "write at 5 GiB")
    r = c.call(FSTAT, s(h))
    check(r.type == ATTRS and r.r.attrs()["size"] == off + 9, "fstat size")
    r = c.read(h, off + 5, 100)
    check(r.type == DATA and r.r.s() == b"data", "read back above 4 GiB")
    r = c.read(h, (4 << 30) + 7, 4)
    check(r.type == DATA and r.r.s() == b"\0\0\0\0", "hole reads zeros")
    c.close_h(h)
    st = os.stat(f)
    check(st.st_size == off + 9 and st.st_blocks * 512 < (1 << 20),
          "sparse on disk")
    os.unlink(f)


@test()
def pipelined_reads_and_writes(c):
    d = fresh("pipe")
    f = os.path.join(d, "p")
    blob = os.urandom(64 * 32768 + 1234)
    h = c.open(f, F_WRITE | F_CREAT | F_TRUNC)
    ids = {}
    for i in range(0, len(blob), 32768):
        ids[c.send(WRITE, s(h) + u64(i) + s(blob[i:i + 32768]))] = i
    for _ in range(len(ids)):
        r = c.recv()
        check(r.id in ids and r.status == OK, "pipelined write %r" % r)
        del ids[r.id]
    c.close_h(h)
    check(open(f, "rb").read() == blob, "pipelined write content")
    h = c.open(f, F_READ)
    want = {}
    for i in range(0, len(blob), 65536):
        want[c.send(READ, s(h) + u64(i) + u32(65536))] = i
    got = bytearray(len(blob))
    for _ in range(len(want)):
        r = c.recv()
        check(r.id in want and r.type == DATA, "pipelined read %r" % r)
        chunk = r.r.s()
        got[want[r.id]:want[r.id] + len(chunk)] = chunk
        del want[r.id]
    check(bytes(got) == blob, "pipelined read content")
    # far more maximal reads (100 MiB) than the server buffers: flow
    # control must hold the rest back, then serve them, never stall.
    # Sent from a thread while this one reads, as paramiko's prefetch does.
    offs = [(i * 4096) % (len(blob) - 261120) for i in range(400)]
    ids = {}

    def sender():
        for off in offs:
            rid = c.next_id
            ids[rid] = off
            c.send(READ, s(h) + u64(off) + u32(261120), rid=rid)
            c.next_id += 1
    th = threading.Thread(target=sender)
    th.start()
    for _ in range(len(offs)):
        r = c.recv()
        check(r.type == DATA, "big read %r" % r)
        off = ids.pop(r.id)
        check(r.r.s() == blob[off:off + 261120], "big read content")
    th.join()
    c.close_h(h)


@test()
def per_handle_order(c):
    """FSETSTAT(size 0) then WRITE, pipelined: the write lands after the
    truncation, as the client asked."""
    d = fresh("order")
    f = os.path.join(d, "o")
    with open(f, "wb") as fh:
        fh.write(b"x" * 1000)
    h = c.open(f, F_WRITE)
    a = c.send(FSETSTAT, s(h) + attrs(size=0))
    b = c.send(WRITE, s(h) + u64(0) + s(b"new"))
    cl = c.send(CLOSE, s(h))
    got = {}
    for _ in range(3):
        r = c.recv()
        got[r.id] = r.status
    check(got == {a: OK, b: OK, cl: OK}, "statuses %r" % got)
    check(open(f, "rb").read() == b"new", "order kept: %r" %
          open(f, "rb").read()[:20])


@test()
def stat_setstat_lsetstat(c):
    d = fresh("st")
    f = os.path.join(d, "f")
    open(f, "wb").close()
    os.symlink("f", os.path.join(d, "l"))
    r = c.call(SETSTAT, s(f) + attrs(perm=0o640, atime=1000000000,
                                     mtime=1100000000))
    expect_status(r, OK, "setstat")
    st = os.stat(f)
    check(stat.S_IMODE(st.st_mode) == 0o640 and st.st_mtime == 1100000000,
          "setstat applied")
    a = c.call(STAT, s(os.path.join(d, "l"))).r.attrs()
    check(stat.S_ISREG(a["perm"]) and a["mtime"] == 1100000000, "stat")
    a = c.call(LSTAT, s(os.path.join(d, "l"))).r.attrs()
    check(stat.S_ISLNK(a["perm"]), "lstat")
    r = c.ext("lsetstat@openssh.com", s(os.path.join(d, "l")) +
              attrs(atime=5, mtime=7))
    expect_status(r, OK, "lsetstat times")
    check(os.lstat(os.path.join(d, "l")).st_mtime == 7 and
          os.stat(f).st_mtime == 1100000000, "lsetstat changed the link only")
    expect_status(c.ext("lsetstat@openssh.com", s(f) + attrs(size=0)),
                  BAD_MESSAGE, "lsetstat size")
    expect_status(c.call(SETSTAT, s(os.path.join(d, "none")) +
                         attrs(perm=0o600)), NO_SUCH_FILE, "setstat missing")
    r = c.call(SETSTAT, s(f) + attrs(size=12345))
    check(os.path.getsize(f) == 12345 and r.status == OK, "setstat size")


@test()
def rename_link_symlink_remove(c):
    d = fresh("ren")
    for n in ("a", "b"):
        with open(os.path.join(d, n), "w") as fh:
            fh.write(n)
    A, B = os.path.join(d, "a"), os.path.join(d, "b")
    expect_status(c.call(RENAME, s(A) + s(B)), FAILURE, "rename onto file")
    check(open(A).read() == "a" and open(B).read() == "b", "nothing moved")
    expect_status(c.ext("posix-rename@openssh.com", s(A) + s(B)), OK,
                  "posix-rename")
    check(not os.path.exists(A) and open(B).read() == "a", "replaced")
    expect_status(c.call(RENAME, s(B) + s(A)), OK, "rename to free name")
    expect_status(c.ext("hardlink@openssh.com", s(A) + s(B)), OK, "hardlink")
    check(os.stat(A).st_ino == os.stat(B).st_ino, "same inode")
    L = os.path.join(d, "sym")
    expect_status(c.call(SYMLINK, s("a") + s(L)), OK, "symlink target,link")
    check(os.readlink(L) == "a", "target stored as given")
    check(c.name1(c.call(READLINK, s(L))) == "a", "readlink")
    expect_status(c.call(REMOVE, s(d)), FAILURE, "remove a directory")
    expect_status(c.call(RMDIR, s(d)), FAILURE, "rmdir non-empty")
    expect_status(c.call(MKDIR, s(os.path.join(d, "sub")) + attrs(perm=0o700)),
                  OK, "mkdir")
    check(stat.S_IMODE(os.stat(os.path.join(d, "sub")).st_mode) == 0o700,
          "mkdir mode")
    expect_status(c.call(MKDIR, s(os.path.join(d, "sub")) + attrs()),
                  FAILURE, "mkdir existing")
    expect_status(c.call(OPENDIR, s(A)), NO_SUCH_FILE, "opendir on a file")


@test()
def readdir_lists_everything(c):
    d = fresh("ls")
    names = {"plain", "with space", "ünïcödé", "-dash"}
    for n in names:
        open(os.path.join(d, n), "w").close()
    for i in range(1500):
        open(os.path.join(d, "n%04d" % i), "w").close()
    names |= {"n%04d" % i for i in range(1500)}
    group = grp.getgrgid(os.stat(os.path.join(d, "plain")).st_gid).gr_name
    h = c.call(OPENDIR, s(d)).r.s()
    seen = []
    while True:
        r = c.call(READDIR, s(h))
        if r.type == STATUS:
            expect_status(r, EOF, "end of directory")
            break
        for _ in range(r.r.u32()):
            name = r.r.s().decode()
            ln = r.r.s().decode()
            a = r.r.attrs()
            check(a["flags"] == 15, "full attrs")
            f = ln.split(None, 8)
            check(ln.endswith(" " + name) and ln[0] in "-d" and
                  f[2] == opt.user and f[3] == group, "longname %r" % ln)
            seen.append(name)
    expect_status(c.close_h(h), OK, "closedir")
    check(len(seen) == len(set(seen)), "no duplicates")
    check(set(seen) == names | {".", ".."}, "all names, . and ..")


@test()
def copy_data(c):
    d = fresh("copy")
    src, dst = os.path.join(d, "src"), os.path.join(d, "dst")
    blob = os.urandom(300000)
    open(src, "wb").write(blob)
    rh = c.open(src, F_READ)
    wh = c.open(dst, F_WRITE | F_CREAT | F_TRUNC)
    expect_status(c.ext("copy-data", s(rh) + u64(0) + u64(0) + s(wh) + u64(0)),
                  OK, "copy to EOF")
    check(open(dst, "rb").read() == blob, "copied")
    expect_status(c.ext("copy-data", s(rh) + u64(10) + u64(5) + s(wh) +
                        u64(1)), OK, "copy range")
    check(open(dst, "rb").read()[1:6] == blob[10:15], "range copied")
    expect_status(c.ext("copy-data", s(rh) + u64(0) + u64(0) + s(rh) +
                        u64(0)), FAILURE, "same handle")
    rh2 = c.open(src, F_WRITE)
    expect_status(c.ext("copy-data", s(rh) + u64(0) + u64(0) + s(rh2) +
                        u64(0)), FAILURE, "same inode")
    c.close_h(wh)
    ah = c.open(dst, F_WRITE | F_APPEND)
    expect_status(c.ext("copy-data", s(rh) + u64(0) + u64(3) + s(ah) +
                        u64(0)), OK, "copy to an append handle")
    check(open(dst, "rb").read()[-3:] == blob[:3], "appended")
    for hh in (rh, rh2, ah):
        c.close_h(hh)


@test()
def handles_fsync_statvfs(c):
    d = fresh("h")
    f = os.path.join(d, "f")
    h = c.open(f, F_WRITE | F_CREAT)
    expect_status(c.ext("fsync@openssh.com", s(h)), OK, "fsync")
    r = c.ext("fstatvfs@openssh.com", s(h))
    check(r.type == EXTENDED_REPLY, "fstatvfs %r" % r)
    vals = [r.r.u64() for _ in range(11)]
    sv = os.statvfs(d)
    check(vals[0] == sv.f_bsize and vals[10] == sv.f_namemax, "fstatvfs")
    r = c.ext("statvfs@openssh.com", s(d))
    check(r.type == EXTENDED_REPLY and r.r.u64() == sv.f_bsize, "statvfs")
    expect_status(c.close_h(h), OK, "close")
    expect_status(c.close_h(h), NO_SUCH_FILE, "close twice")
    expect_status(c.ext("fsync@openssh.com", s(h)), NO_SUCH_FILE,
                  "fsync stale handle")
    dh = c.call(OPENDIR, s(d)).r.s()
    # OpenSSH refuses (NO_SUCH_FILE); msb syncs the directory
    expect_status(c.ext("fsync@openssh.com", s(dh)), OK if MSB else
                  NO_SUCH_FILE, "fsync dir handle")
    expect_status(c.read(dh, 0, 10), FAILURE, "read dir handle")
    expect_status(c.read(b"x" * 300, 0, 10), FAILURE, "300-byte handle")
    expect_status(c.read(b"", 0, 10), FAILURE, "empty handle")
    expect_status(c.call(READDIR, s(b"\xff\xff\xff\xff")), FAILURE,
                  "unknown handle")
    c.close_h(dh)


@test()
def unknown_extension(c):
    expect_status(c.ext("no-such-extension@example.com", s("x")),
                  OP_UNSUPPORTED, "unknown extension")


@test(msb_only=True)
def unknown_type_and_malformed(c):
    expect_status(c.call(77, s("x")), OP_UNSUPPORTED, "unknown type")
    expect_status(c.call(OPEN, s("x")), BAD_MESSAGE, "truncated OPEN")
    expect_status(c.call(OPEN, u32(100) + b"abc"), BAD_MESSAGE,
                  "string past the end")
    expect_status(c.call(STAT, s(b"a\0b")), BAD_MESSAGE, "NUL in a path")
    expect_status(c.call(SETSTAT, s("x") + u32(0x80000000) + u32(0xffffffff)),
                  BAD_MESSAGE, "huge extended count")
    expect_status(c.call(STAT, s("a" * 5000)), BAD_MESSAGE, "path too long")
    r = c.call(REALPATH, s("."))
    check(r.type == NAME, "still serving after bad messages")


@test()
def session_user_permissions(c):
    """The worker runs as the session user: the kernel decides."""
    if opt.unreadable:
        r = c.open(opt.unreadable, F_READ)
        expect_status(r, PERMISSION_DENIED, "open an unreadable file")
    d = fresh("owner")
    f = os.path.join(d, "mine")
    h = c.open(f, F_WRITE | F_CREAT)
    c.close_h(h)
    expect_status(c.call(MKDIR, s(os.path.join(d, "sub")) + attrs()), OK,
                  "mkdir")
    if opt.uid is not None:
        check(os.stat(f).st_uid == opt.uid, "created file owned by uid %d"
              % opt.uid)
        check(os.stat(os.path.join(d, "sub")).st_uid == opt.uid,
              "created dir owned by the session user")
    if opt.uid not in (None, 0):
        expect_status(c.call(SETSTAT, s(f) + attrs(uid=0, gid=0)),
                      PERMISSION_DENIED, "chown to root")
        os.chmod(d, 0o555)
        expect_status(c.call(MKDIR, s(os.path.join(d, "no")) + attrs()),
                      PERMISSION_DENIED, "mkdir in a read-only dir")
        os.chmod(d, 0o777)


def policy_server(*flags):
    cc = Raw(opt.server + list(flags))
    cc.init()
    return cc


@test(msb_only=True)
def readonly_and_request_lists(c):
    d = fresh("policy")
    f = os.path.join(d, "f")
    open(f, "w").write("data")
    ro = policy_server("-R")
    names = [n for n, _ in ro.exts]
    check("posix-rename@openssh.com" not in names and "copy-data" not in
          names and "statvfs@openssh.com" in names, "-R extensions %r" % names)
    expect_status(ro.open(f, F_WRITE), PERMISSION_DENIED, "-R write open")
    expect_status(ro.open(f, F_READ | F_TRUNC), PERMISSION_DENIED,
                  "-R TRUNC open")
    h = ro.open(f, F_READ)
    check(isinstance(h, bytes), "-R read open")
    expect_status(ro.call(REMOVE, s(f)), PERMISSION_DENIED, "-R remove")
    expect_status(ro.call(SETSTAT, s(f) + attrs(perm=0o600)),
                  PERMISSION_DENIED, "-R setstat")
    ro.close()
    dn = policy_server("-P", "remove,posix-rename")
    expect_status(dn.call(REMOVE, s(f)), PERMISSION_DENIED, "-P remove")
    check("posix-rename@openssh.com" not in [n for n, _ in dn.exts],
          "-P hides the extension")
    expect_status(dn.call(MKDIR, s(os.path.join(d, "x")) + attrs()), OK,
                  "-P leaves others")
    dn.close()
    al = policy_server("-p", "open,close,read,realpath,limits")
    check([n for n, _ in al.exts] == ["limits@openssh.com"], "-p exts")
    check(al.name1(al.call(REALPATH, s("."))) == opt.home, "-p realpath")
    expect_status(al.call(STAT, s(f)), PERMISSION_DENIED, "-p stat refused")
    al.close()
    check(os.path.exists(f), "nothing removed")


def expect_exit(what, data):
    c = Raw(opt.server)
    c.raw(data)
    try:
        while True:
            c.recv()
    except ServerGone:
        pass
    except OSError as e:
        raise AssertionError("%s: %s (no clean exit)" % (what, e))
    rc = c.close()
    check(rc not in (None, 0) and rc > 0, "%s: exit status %r" % (what, rc))


@test()
def framing_errors_end_session(c):
    c.close()
    expect_exit("request before INIT", u32(9) + bytes([REALPATH]) + u32(1) +
                s(""))
    big = u32(300000) + bytes([WRITE]) + u32(1) + b"x" * 100
    expect_exit("oversized packet", u32(5) + bytes([INIT]) + u32(3) + big)
    expect_exit("packet too short", u32(5) + bytes([INIT]) + u32(3) +
                u32(2) + b"\x05\x00")


def main():
    failed = 0
    for fn, msb_only in TESTS:
        if opt.only and fn.__name__ not in opt.only.split(","):
            continue
        if msb_only and not MSB:
            continue
        c = conn()
        try:
            fn(c)
            print("ok - %s" % fn.__name__.replace("_", " "))
        except Exception as e:
            print("FAIL: %s: %s: %s" % (fn.__name__, type(e).__name__, e))
            failed += 1
        finally:
            try:
                c.close()
            except Exception:
                pass
    sys.exit(1 if failed else 0)


main()
