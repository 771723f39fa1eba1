#!/usr/bin/python3
# ferry-test-server.py: starts an FTP server on loopback for Ferry's tests
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 ferry-test-server.py KIND --root DIR [--port N]
#                    [--script FILE] [--log FILE] [--no-stdin]
#
# KIND is one of
#   pyftpdlib  Debian's python3-pyftpdlib, in this process; user "ferry",
#              password "secret", permissions "elradfmwMT" on DIR; --log
#              receives the commands in the fault server's format.
#   vsftpd     Debian's /usr/sbin/vsftpd as a child, anonymous login (any
#              password) with uploads, mkdir, rename and delete in DIR; --log
#              receives vsftpd's own protocol log.
#   fault      ferry-fault-server.py in this process, driven by --script;
#              --log receives the command log.
#
# The server binds 127.0.0.1:N (N = 0 picks a free port).  Once it accepts
# connections, this prints exactly one line "READY <port>" on stdout.  It runs
# until stdin reaches EOF (so the server dies with the test that started it;
# --no-stdin disables this for use by hand) or SIGTERM/SIGINT arrives, then
# stops the server and any child and exits 0.  Exit status 77 (and a message
# on stderr) means the KIND cannot run on this machine (package missing).

import argparse
import ctypes
import importlib.util
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"
VSFTPD = "/usr/sbin/vsftpd"
EXIT_UNAVAILABLE = 77
PR_SET_PDEATHSIG = 1

stop_event = threading.Event()


def warn(msg):
  sys.stderr.write("ferry-test-server: %s\n" % msg)
  sys.stderr.flush()


def set_pdeathsig(sig):
  """Ask the kernel to send @sig to this process when its parent dies."""
  try:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
  except (OSError, AttributeError):
    pass


def ready(port):
  sys.stdout.write("READY %d\n" % port)
  sys.stdout.flush()


def watch_stdin():
  try:
    while True:
      data = os.read(0, 4096)
      if not data:
        break
  except OSError:
    pass
  stop_event.set()


def on_signal(signum, frame):
  # Not stop_event.set() here: the handler runs in the main thread, which
  # may be inside stop_event.wait() holding the event's lock, and the lock
  # is not reentrant.  Another thread takes it once the main thread lets go.
  threading.Thread(target=stop_event.set, daemon=True).start()


def wait_for_stop():
  # Signals interrupt the wait on POSIX; their handler sets the event.
  stop_event.wait()


def port_free(port):
  s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
  try:
    s.bind((HOST, port))
    return True
  except OSError:
    return False
  finally:
    s.close()


def free_port():
  s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
  s.bind((HOST, 0))
  port = s.getsockname()[1]
  s.close()
  return port


def free_range(count=20):
  for _ in range(200):
    base = random.randrange(20000, 60000 - count)
    if all(port_free(p) for p in range(base, base + count)):
      return base, base + count - 1
  return 20000, 20000 + count - 1


# ------------------------------------------------------------------- fault

def load_fault_module():
  # Never leave __pycache__ in the source tree.
  sys.dont_write_bytecode = True
  path = os.path.join(HERE, "ferry-fault-server.py")
  spec = importlib.util.spec_from_file_location("ferry_fault_server", path)
  mod = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(mod)
  return mod


def run_fault(args):
  mod = load_fault_module()
  try:
    script = mod.Script.load(args.script)
  except (OSError, ValueError, mod.ScriptError) as e:
    warn("bad script: %s" % e)
    return 2
  server = mod.FaultServer(args.root, HOST, args.port, script, args.log)
  try:
    server.bind()
  except OSError as e:
    warn("cannot listen on %s:%d: %s" % (HOST, args.port, e))
    return 1
  server.start()
  ready(server.port)
  wait_for_stop()
  server.stop()
  return 0


# --------------------------------------------------------------- pyftpdlib

def run_pyftpdlib(args):
  try:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer
  except ImportError as e:
    warn("pyftpdlib is not available (apt install python3-pyftpdlib): %s" % e)
    return EXIT_UNAVAILABLE

  logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                      format="pyftpdlib: %(message)s")
  logging.getLogger("pyftpdlib").setLevel(logging.WARNING)

  log_file = open(args.log, "ab", buffering=0) if args.log else None
  log_lock = threading.Lock()

  class Handler(FTPHandler):
    banner = "Ferry test server (pyftpdlib) ready."

    def pre_process_command(self, line, cmd, arg):
      if log_file is not None:
        text = line
        if cmd == "PASS":
          text = "PASS ****"
        out = "".join(c if ord(c) >= 0x20 and c != "\x7f" else "\\x%02x" % ord(c)
                      for c in text)
        with log_lock:
          log_file.write(out.encode("utf-8", "surrogateescape") + b"\n")
      return super().pre_process_command(line, cmd, arg)

  authorizer = DummyAuthorizer()
  authorizer.add_user("ferry", "secret", os.path.realpath(args.root), perm="elradfmwMT")
  Handler.authorizer = authorizer
  Handler.permit_foreign_addresses = False

  server = None
  last = None
  for _ in range(50):
    try:
      server = FTPServer((HOST, args.port), Handler)
      break
    except OSError as e:
      last = e
      if args.port == 0:
        break
      time.sleep(0.1)
  if server is None:
    warn("cannot listen on %s:%d: %s" % (HOST, args.port, last))
    return 1
  ready(server.address[1])
  try:
    while not stop_event.is_set():
      server.ioloop.loop(0.05, False)
  finally:
    server.close_all()
    if log_file is not None:
      log_file.close()
  return 0


# ------------------------------------------------------------------ vsftpd

VSFTPD_CONF = """\
listen=YES
listen_ipv6=NO
listen_address={host}
listen_port={port}
background=NO
run_as_launching_user=YES
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
anonymous_enable=YES
anon_root={root}
no_anon_password=YES
anon_world_readable_only=NO
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_umask=022
local_enable=NO
pasv_enable=YES
pasv_min_port={pasv_min}
pasv_max_port={pasv_max}
port_enable=NO
use_sendfile=YES
use_localtime=NO
hide_ids=NO
dirlist_enable=YES
force_dot_files=YES
download_enable=YES
max_clients=0
max_per_ip=0
idle_session_timeout=600
data_connection_timeout=120
connect_from_port_20=NO
xferlog_enable=YES
xferlog_std_format=NO
dual_log_enable=NO
log_ftp_protocol=YES
vsftpd_log_file={log}
secure_chroot_dir={empty}
ftpd_banner=Ferry test server (vsftpd) ready.
"""


def preexec_child():
  set_pdeathsig(signal.SIGKILL)
  os.setpgid(0, 0)


def greeting_ok(port, deadline):
  while time.monotonic() < deadline:
    try:
      with socket.create_connection((HOST, port), timeout=1) as s:
        data = b""
        while b"\n" not in data:
          chunk = s.recv(1024)
          if not chunk:
            break
          data += chunk
        if data.startswith(b"220"):
          try:
            s.sendall(b"QUIT\r\n")
          except OSError:
            pass
          return True
        return False
    except OSError:
      time.sleep(0.02)
  return False


def child_pids(pid):
  pids = []
  for entry in os.listdir("/proc"):
    if not entry.isdigit():
      continue
    try:
      with open("/proc/%s/stat" % entry) as f:
        stat = f.read()
    except OSError:
      continue
    # pid (comm) state ppid ...: comm may hold spaces, so split after ")".
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) > 1 and fields[1] == str(pid) and fields[0] != "Z":
      pids.append(int(entry))
  return pids


def kill_sessions(proc):
  """vsftpd's session processes call setsid(): end them first, while the
  listener is alive to reap them (no zombies left behind)."""
  sessions = child_pids(proc.pid)
  for pid in sessions:
    try:
      os.kill(pid, signal.SIGKILL)
    except OSError:
      pass
  deadline = time.monotonic() + 1
  while sessions and time.monotonic() < deadline:
    sessions = [p for p in sessions if p in child_pids(proc.pid)]
    time.sleep(0.01)


def kill_group(proc):
  if proc is None:
    return
  if proc.poll() is None:
    kill_sessions(proc)
  if proc.poll() is not None:
    try:
      os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):
      pass
    return
  try:
    os.killpg(proc.pid, signal.SIGTERM)
  except OSError:
    pass
  try:
    proc.wait(3)
  except subprocess.TimeoutExpired:
    pass
  try:
    # Session processes live in the same process group.
    os.killpg(proc.pid, signal.SIGKILL)
  except OSError:
    pass
  try:
    proc.wait(2)
  except subprocess.TimeoutExpired:
    pass


def run_vsftpd(args):
  if not os.access(VSFTPD, os.X_OK):
    warn("%s is not available (apt install vsftpd)" % VSFTPD)
    return EXIT_UNAVAILABLE
  tmp = tempfile.mkdtemp(prefix="ferry-vsftpd-")
  empty = os.path.join(tmp, "empty")
  os.mkdir(empty, 0o555)
  conf = os.path.join(tmp, "vsftpd.conf")
  log = args.log or os.path.join(tmp, "vsftpd.log")
  proc = None
  try:
    for attempt in range(10):
      port = args.port or free_port()
      pasv_min, pasv_max = free_range()
      with open(conf, "w") as f:
        f.write(VSFTPD_CONF.format(host=HOST, port=port, root=os.path.realpath(args.root),
                                   pasv_min=pasv_min, pasv_max=pasv_max,
                                   log=log, empty=empty))
      os.chmod(conf, 0o600)
      proc = subprocess.Popen([VSFTPD, conf], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              preexec_fn=preexec_child, close_fds=True)
      deadline = time.monotonic() + 5
      ok = False
      while time.monotonic() < deadline:
        if proc.poll() is not None:
          break
        if greeting_ok(port, min(deadline, time.monotonic() + 0.5)):
          ok = True
          break
      if ok and proc.poll() is None:
        break
      err = b""
      if proc.poll() is not None:
        err = proc.stderr.read() or b""
      kill_group(proc)
      proc = None
      warn("vsftpd did not start on port %d (attempt %d): %s"
           % (port, attempt + 1, err.decode("utf-8", "replace").strip()))
      time.sleep(0.1 if args.port == 0 else 0.3)
    if proc is None:
      return 1
    # Forward vsftpd's own complaints, if any, without blocking on them.
    threading.Thread(target=forward_stderr, args=(proc,), daemon=True).start()
    ready(port)
    while not stop_event.wait(0.2):
      if proc.poll() is not None:
        warn("vsftpd exited with status %d" % proc.returncode)
        break
    return 0
  finally:
    kill_group(proc)
    shutil.rmtree(tmp, ignore_errors=True)


def forward_stderr(proc):
  try:
    for line in proc.stderr:
      warn("vsftpd: %s" % line.decode("utf-8", "replace").rstrip())
  except (OSError, ValueError):
    pass


# -------------------------------------------------------------------- main

def main():
  ap = argparse.ArgumentParser(description="Starts an FTP server for Ferry's tests")
  ap.add_argument("kind", choices=["pyftpdlib", "vsftpd", "fault"])
  ap.add_argument("--root", required=True)
  ap.add_argument("--port", type=int, default=0)
  ap.add_argument("--script")
  ap.add_argument("--log")
  ap.add_argument("--no-stdin", action="store_true",
                  help="do not stop at stdin EOF (for use by hand)")
  args = ap.parse_args()

  if not os.path.isdir(args.root):
    warn("--root %s is not a directory" % args.root)
    return 2

  set_pdeathsig(signal.SIGTERM)
  signal.signal(signal.SIGTERM, on_signal)
  signal.signal(signal.SIGINT, on_signal)
  signal.signal(signal.SIGPIPE, signal.SIG_IGN)
  if not args.no_stdin:
    threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()

  if args.kind == "fault":
    return run_fault(args)
  if args.kind == "pyftpdlib":
    return run_pyftpdlib(args)
  return run_vsftpd(args)


if __name__ == "__main__":
  status = main()
  sys.stdout.flush()
  sys.stderr.flush()
  # Connection threads may sit in a stall the script asked for: do not wait
  # for them, or the test that stops this server waits too.
  os._exit(status or 0)
