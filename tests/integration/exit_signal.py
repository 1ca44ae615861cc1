#!/usr/bin/python3
"""Run one command over SSH with paramiko and print how it ended.

OpenSSH's ssh ignores the exit-signal channel request (it exits 255), so
this client records it: paramiko 2.12 does not parse exit-signal itself
(it logs "Unhandled channel request"), hence the small hook below.

usage: exit_signal.py PROXYCOMMAND KEYFILE KNOWN_HOSTS HOST USER COMMAND
prints "exit-signal NAME core=0|1" or "exit-status N"; exit 0 if the
session ended either way, 1 on errors.
"""
import sys
import threading

import paramiko
from paramiko.channel import Channel
from paramiko.common import MSG_CHANNEL_REQUEST

_orig_handle_request = Channel._handle_request


def _handle_request(self, m):
    pos = m.packet.tell()
    key = m.get_text()
    if key == "exit-signal":
        m.get_boolean()                 # want reply (always false)
        self.msb_exit_signal = m.get_text()
        self.msb_core = m.get_boolean()
        m.get_text()                    # error message
        m.get_text()                    # language tag
        self.status_event.set()
        return
    m.packet.seek(pos)
    _orig_handle_request(self, m)


# The transport dispatches through a table captured at import time.
paramiko.Transport._channel_handler_table[MSG_CHANNEL_REQUEST] = _handle_request


def main():
    proxy, keyfile, known_hosts, host, user, command = sys.argv[1:7]
    client = paramiko.SSHClient()
    client.load_host_keys(known_hosts)           # pinned: no prompt, no TOFU
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username=user, key_filename=keyfile,
                   sock=paramiko.ProxyCommand(proxy), allow_agent=False,
                   look_for_keys=False, timeout=30, banner_timeout=30,
                   auth_timeout=30)
    chan = client.get_transport().open_session(timeout=30)
    chan.msb_exit_signal = None
    chan.exec_command(command)
    done = threading.Event()

    def drain():
        while chan.recv(65536) or chan.recv_stderr(65536):
            pass
        done.set()
    threading.Thread(target=drain, daemon=True).start()
    if not chan.status_event.wait(30):
        print("no exit-status or exit-signal within 30 s")
        return 1
    if chan.msb_exit_signal is not None:
        print("exit-signal %s core=%d" % (chan.msb_exit_signal,
                                          int(chan.msb_core)))
    else:
        print("exit-status %d" % chan.exit_status)
    client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
