#!/usr/bin/env python3
"""Write the seed corpora of the fuzz harnesses (fuzz/corpus/NAME/seed-*).

Valid messages of every kind (PROTOCOL.md), so that the fuzzers start from
the interesting paths. Run from anywhere: python3 fuzz/seeds.py
"""
import os
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def u8(v): return struct.pack(">B", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v)
def s(b): b = b.encode() if isinstance(b, str) else b; return u32(len(b)) + b
def strv(v): return u32(len(v)) + b"".join(s(x) for x in v)


HELLO = s("msb-agent") + u32(1) + u32(1) + u8(1) + s("")
HELLO_FS = s("msb-agent") + u32(1) + u32(2) + u8(2) + s("app")
HELLO_OK = u32(1) + s("devbox") + s("msb-agent 0.1.0")
PTY = (s("xterm-256color") + u32(24) + u32(80) + u32(0) + u32(0) +
       u32(0x500) + u32(5) + u32(0xbf) + u32(0x8a3b) + u32(15) + u32(15) +
       s(bytes(range(32))))
EXEC = s("") + u32(0) + s("/tmp") + strv(["ls", "-l", "/"]) + \
    strv(["LANG=C", "TERM=dumb", "LANG=C.UTF-8"])
EXEC_PTY = s("app") + u32(1) + s("") + strv(["sh", "-c", "echo hi"]) + \
    strv(["LC_ALL=C"]) + PTY
EXEC_LOGIN = s("root") + u32(3) + s("") + strv([]) + strv([]) + PTY
EXITED = [u8(0) + u32(3) + u8(0), u8(1) + u32(15) + u8(1)]
ACCOUNTS = s("root") + u32(2) + s("root") + u32(0) + u32(0) + s("/root") + \
    s("/bin/sh") + s("app") + u32(1000) + u32(1000) + s("/home/app") + \
    s("/bin/bash")
ERROR = u32(2) + s("unknown user 'bob'")
ATTRS = u64(2049) + u64(12) + u32(0o100644) + u32(1) + u32(0) + u32(0) + \
    u64(0) + u64(4096) + u64(8) + u64(1700000000) + u32(5) + \
    u64(1700000001) + u32(6) + u64(1700000002) + u32(7)
SETATTRS = u32(0x1f) + u64(10) + u32(0o644) + u32(1000) + u32(1000) + \
    u64(1) + u32(2) + u64(3) + u32(4)
STATVFS = b"".join(u64(v) for v in range(1, 12))

# type ids (lib/msb/proto.h)
T_HELLO, T_HELLO_OK, T_ERROR, T_OK = 1, 2, 3, 4
T_EXEC, T_STARTED, T_EXITED, T_SIGNAL, T_ACC, T_ACC_REPLY = \
    0x10, 0x11, 0x12, 0x13, 0x15, 0x16


def frame(t, ident, payload):
    return u32(5 + len(payload)) + u8(t) + u32(ident) + payload


PASSWD = (b"root:x:0:0:root:/root:/bin/bash\n"
          b"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          b"# comment\n+nis\n"
          b"app:x:1000:1000:App,,,:/home/app:/bin/sh\n"
          b"bad line\n"
          b"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
GROUP = (b"root:x:0:\ntty:x:5:app\nusers:x:100:app,root\n"
         b"app:x:1000:\nnogroup:x:65534:\n")


def sftp_pkt(t, ident, body):
    return u32(5 + len(body)) + u8(t) + u32(ident) + body


def keys():
    out = []
    with tempfile.TemporaryDirectory() as d:
        for kind, bits in (("ed25519", None), ("ecdsa", "256"),
                           ("rsa", "1024")):
            f = os.path.join(d, kind)
            cmd = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C",
                   "user@host", "-f", f]
            if bits:
                cmd += ["-b", bits]
            try:
                subprocess.run(cmd, check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError):
                continue
            with open(f + ".pub", "rb") as fh:
                out.append(fh.read().strip())
        ca = os.path.join(d, "ed25519")
        if os.path.exists(ca):
            try:
                subprocess.run(["ssh-keygen", "-q", "-s", ca, "-I", "id",
                                "-O", "force-command=/bin/true",
                                ca + ".pub"], check=True, capture_output=True)
                with open(ca + "-cert.pub", "rb") as fh:
                    out.append(fh.read().strip())
            except (OSError, subprocess.CalledProcessError):
                pass
    return out


def write(name, items):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for i, data in enumerate(items):
        with open(os.path.join(d, "seed-%02d" % i), "wb") as f:
            f.write(data)


def main():
    # fuzz-agent-msg: selector byte (decoder = sel % 8, see the harness)
    write("agent-msg", [
        u8(0) + HELLO, u8(0) + HELLO_FS, u8(1) + HELLO_OK,
        u8(2 | 8) + EXEC, u8(2) + EXEC_PTY, u8(2) + EXEC_LOGIN,
        u8(3) + EXITED[0], u8(3) + EXITED[1], u8(4) + ACCOUNTS,
        u8(5 | 0 << 3) + u32(42), u8(5 | 1 << 3) + u32(15),
        u8(5 | 2 << 3) + ERROR, u8(5 | 3 << 3) + ATTRS,
        u8(5 | 4 << 3) + SETATTRS, u8(5 | 5 << 3) + STATVFS,
        u8(5 | 6 << 3) + PTY,
    ])
    write("frame", [
        frame(T_HELLO, 0, HELLO), frame(T_HELLO_OK, 0, HELLO_OK),
        frame(T_EXEC, 1, EXEC_PTY), frame(T_STARTED, 1, u32(7)),
        frame(T_EXITED, 1, EXITED[1]), frame(T_SIGNAL, 2, u32(2)),
        frame(T_ACC, 1, b""), frame(T_ACC_REPLY, 1, ACCOUNTS),
        frame(T_ERROR, 1, ERROR), frame(T_OK, 3, b""),
    ])
    write("passwd", [PASSWD + b"\0" + GROUP, b"root:x:0:0::/:\n\0",
                     b"a:x:1:1:a:/a:/bin/sh\n\0a:x:1:a,a,a\n"])
    write("exec-plan", [PASSWD + b"\0\1" + EXEC, PASSWD + b"\0\0" + EXEC_PTY,
                        PASSWD + b"\0\0" + EXEC_LOGIN])
    ks = keys()
    items = []
    for k in ks:
        items += [u8(0) + k, u8(0) + b'restrict,command="ls -l",from="10.0.0.1" '
                  + k, u8(1) + k + b"\n# c\n\n" + k + b"\n",
                  u8(2) + b'no-pty ' + k + b"\nbroken line\n" + k + b"\n"]
    items += [u8(3) + b'restrict,pty,environment="A=b",permitopen="h:1"',
              u8(3) + b'command="echo \\"x\\"",no-agent-forwarding']
    write("keys", items)
    open_body = s("/tmp/f") + u32(0x1a) + u32(0x4) + u32(0o644)
    write("sftp", [
        u8(0) + sftp_pkt(3, 1, open_body),                       # pua
        u8(1) + sftp_pkt(4, 2, s(b"\0\0\0\1")),                  # h
        u8(2) + sftp_pkt(5, 3, s(b"h1") + u64(0) + u32(32768)),  # hqu
        u8(3) + sftp_pkt(6, 4, s(b"h1") + u64(9) + s(b"data")),  # hqd
        u8(7) + sftp_pkt(18, 5, s("/a") + s("/b")),              # pp
        u8(5) + sftp_pkt(9, 6, s("/x") + u32(0xf) + u64(1) + u32(0) +
                         u32(0) + u32(0o755) + u32(1) + u32(2)),  # pa
        u8(11) + sftp_pkt(200, 7, s(b"h1") + u64(0) + u64(10) +
                          s(b"h2") + u64(5)),                    # hqqhq
        u8(0x80) + u32(0x80000004) + u32(0o644) + u32(1) + s("a") + s("b"),
    ])


if __name__ == "__main__":
    main()
