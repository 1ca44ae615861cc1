"""A minimal raw SFTP v3 client for protocol tests: it talks to a server
process over a socketpair (like `sftp -D`) and exposes the wire directly,
so tests can send malformed, oversized and pipelined requests."""

import os
import socket
import struct
import subprocess

INIT, VERSION, OPEN, CLOSE, READ, WRITE, LSTAT, FSTAT, SETSTAT, FSETSTAT = \
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10
OPENDIR, READDIR, REMOVE, MKDIR, RMDIR, REALPATH, STAT, RENAME, READLINK, \
    SYMLINK = 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
STATUS, HANDLE, DATA, NAME, ATTRS = 101, 102, 103, 104, 105
EXTENDED, EXTENDED_REPLY = 200, 201

OK, EOF, NO_SUCH_FILE, PERMISSION_DENIED, FAILURE, BAD_MESSAGE, \
    NO_CONNECTION, CONNECTION_LOST, OP_UNSUPPORTED = range(9)

F_READ, F_WRITE, F_APPEND, F_CREAT, F_TRUNC, F_EXCL = 1, 2, 4, 8, 0x10, 0x20
A_SIZE, A_UIDGID, A_PERM, A_TIME = 1, 2, 4, 8


def u32(v):
    return struct.pack(">I", v)


def u64(v):
    return struct.pack(">Q", v)


def s(v):
    if isinstance(v, str):
        v = v.encode()
    return u32(len(v)) + v


def attrs(size=None, uid=None, gid=None, perm=None, atime=None, mtime=None):
    flags, body = 0, b""
    if size is not None:
        flags |= A_SIZE
        body += u64(size)
    if uid is not None:
        flags |= A_UIDGID
        body += u32(uid) + u32(gid)
    if perm is not None:
        flags |= A_PERM
        body += u32(perm)
    if atime is not None:
        flags |= A_TIME
        body += u32(atime) + u32(mtime)
    return u32(flags) + body


class Reader:
    def __init__(self, data):
        self.d, self.o = data, 0

    def u32(self):
        v = struct.unpack_from(">I", self.d, self.o)[0]
        self.o += 4
        return v

    def u64(self):
        v = struct.unpack_from(">Q", self.d, self.o)[0]
        self.o += 8
        return v

    def s(self):
        n = self.u32()
        v = self.d[self.o:self.o + n]
        if len(v) != n:
            raise ValueError("short string")
        self.o += n
        return v

    def attrs(self):
        a = {"flags": self.u32()}
        if a["flags"] & A_SIZE:
            a["size"] = self.u64()
        if a["flags"] & A_UIDGID:
            a["uid"], a["gid"] = self.u32(), self.u32()
        if a["flags"] & A_PERM:
            a["perm"] = self.u32()
        if a["flags"] & A_TIME:
            a["atime"], a["mtime"] = self.u32(), self.u32()
        return a

    def left(self):
        return len(self.d) - self.o


class Reply:
    def __init__(self, t, rid, body):
        self.type, self.id, self.body = t, rid, body
        self.r = Reader(body)
        if t == STATUS:
            self.status = self.r.u32()
            self.msg = self.r.s().decode(errors="replace")
        else:
            self.status = None

    def __repr__(self):
        if self.type == STATUS:
            return "STATUS(%d %r)" % (self.status, self.msg)
        return "Reply(type=%d id=%d)" % (self.type, self.id)


class ServerGone(Exception):
    pass


class Raw:
    """One server process; send() and recv() packets."""

    def __init__(self, argv, env=None, timeout=20):
        a, b = socket.socketpair()
        self.errlog = open(os.devnull, "w") if os.environ.get(
            "SFTPRAW_QUIET") else None
        self.proc = subprocess.Popen(argv, stdin=b, stdout=b,
                                     stderr=self.errlog, env=env,
                                     close_fds=True)
        b.close()
        self.sock = a
        self.sock.settimeout(timeout)
        self.next_id = 1
        self.version = None
        self.exts = []

    def close(self):
        try:
            self.sock.close()
        finally:
            try:
                return self.proc.wait(timeout=20)
            finally:
                if self.errlog:
                    self.errlog.close()

    def raw(self, data):
        self.sock.sendall(data)

    def send(self, t, payload=b"", rid=None):
        if rid is None:
            rid = self.next_id
            self.next_id += 1
        body = bytes([t]) + (u32(rid) if t != INIT else b"") + payload
        self.raw(u32(len(body)) + body)
        return rid

    def _readn(self, n):
        out = bytearray()
        while len(out) < n:
            x = self.sock.recv(n - len(out))
            if not x:
                raise ServerGone("server closed the connection")
            out += x
        return bytes(out)

    def recv(self):
        n = struct.unpack(">I", self._readn(4))[0]
        if n > 256 * 1024 + 1024:
            raise ValueError("reply of %d bytes is too long" % n)
        body = self._readn(n)
        t = body[0]
        if t == VERSION:
            return Reply(t, 0, body[1:])
        return Reply(t, struct.unpack(">I", body[1:5])[0], body[5:])

    def init(self):
        self.send(INIT, u32(3))
        r = self.recv()
        assert r.type == VERSION, r
        self.version = r.r.u32()
        while r.r.left():
            self.exts.append((r.r.s().decode(), r.r.s().decode()))
        return r

    def call(self, t, payload=b""):
        rid = self.send(t, payload)
        r = self.recv()
        assert r.id == rid, "reply id %d for request %d" % (r.id, rid)
        return r

    def ext(self, name, payload=b""):
        return self.call(EXTENDED, s(name) + payload)

    # helpers that expect success
    def open(self, path, pflags, a=None):
        r = self.call(OPEN, s(path) + u32(pflags) + (a or attrs()))
        if r.type != HANDLE:
            return r
        return r.r.s()

    def close_h(self, h):
        return self.call(CLOSE, s(h))

    def write(self, h, off, data):
        return self.call(WRITE, s(h) + u64(off) + s(data))

    def read(self, h, off, n):
        return self.call(READ, s(h) + u64(off) + u32(n))

    def name1(self, r):
        assert r.type == NAME, r
        assert r.r.u32() == 1
        name = r.r.s().decode()
        r.r.s()
        r.r.attrs()
        return name
