#!/usr/bin/python3
# bench.py: ferry-cli against curl, lftp and raw TCP on loopback
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run through bench/run (which installs the tools and builds ferry-cli):
#
#   /usr/bin/python3 bench/bench.py --ferry-cli PATH --rawtcp PATH [--results DIR]
#       [--gui-test PATH --gui-cli PATH --gui-builddir DIR | --gui-skip REASON]
#
# Settings come from the environment (bench/README.md lists them all):
#   FERRY_BENCH_SCALE        full (default) or small
#   FERRY_BENCH_RUNS         runs per tool and case (default 5 full, 3 small; at least 3)
#   FERRY_BENCH_DOWNLOAD_MIB size of the big download (default 2048; small 256)
#   FERRY_BENCH_UPLOAD_MIB   size of the big upload (default 1024; small 256)
#   FERRY_BENCH_FILES        number of small files (default 1000; small 200)
#   FERRY_BENCH_FILE_KIB     size of each small file (default 8)
#   FERRY_BENCH_RSS_MIB      sizes for ferry-cli's RSS curve (default 1,256,4096;
#                            small 1,64,1024); the largest is a sparse file
#   FERRY_BENCH_GUI_MIB      size of the GUI download (default 1024; small 256)
#   FERRY_BENCH_CASES        comma list of download,upload,small,rss,gui,resume
#                            (default all)
#   FERRY_BENCH_TMPDIR       where the server root and the downloads live
#                            (default /tmp)
#
# The gui case runs tests/ui/test-window -p /ui/window/responsiveness under
# xvfb-run: the real window downloads a file from a vsftpd of its own and the
# program times ferry-cli on the same file (see case_gui).
#
# Every server, client and socket is on 127.0.0.1.  Each case runs its tools
# in alternation (A B C A B C ...), the page cache is flushed with sync(2)
# before every timed run, and medians are reported with the ratios that the
# issue's targets are about.  Everything this makes is removed at the end,
# also on Ctrl-C.

import argparse
import datetime
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TEST_SERVER = os.path.join(REPO, "tests", "servers", "ferry-test-server.py")
PYTHON = "/usr/bin/python3"
TIME = "/usr/bin/time"
HOST = "127.0.0.1"
MIB = 1024 * 1024
GIB = 1024 * MIB
RUN_TIMEOUT = 900          # seconds: no single command may take longer
SERVER_TIMEOUT = 20
# curl 7.88 now and then waits a whole second for its resolver thread before
# each data connection (a missed wake-up): 1000 files would take 1000 s.
CURL_SMALL_TIMEOUT = 60
CURL_SIZE = "curl -T, then SIZE"
CASES = ("download", "upload", "small", "rss", "gui", "resume")
GUI_TEST_PATH = "/ui/window/responsiveness"
XVFB_SCREEN = "-screen 0 1280x900x24"

cleanup_paths = []
servers = []


def log(msg):
  sys.stderr.write("bench: %s\n" % msg)
  sys.stderr.flush()


# ------------------------------------------------------------------ settings

class Settings:
  def __init__(self):
    env = os.environ
    self.scale = env.get("FERRY_BENCH_SCALE", "full")
    if self.scale not in ("full", "small"):
      raise SystemExit("FERRY_BENCH_SCALE must be full or small")
    small = self.scale == "small"
    self.runs = max(3, int(env.get("FERRY_BENCH_RUNS", "3" if small else "5")))
    self.download_mib = int(env.get("FERRY_BENCH_DOWNLOAD_MIB", "256" if small else "2048"))
    self.upload_mib = int(env.get("FERRY_BENCH_UPLOAD_MIB", "256" if small else "1024"))
    self.files = int(env.get("FERRY_BENCH_FILES", "200" if small else "1000"))
    self.file_kib = int(env.get("FERRY_BENCH_FILE_KIB", "8"))
    rss = env.get("FERRY_BENCH_RSS_MIB", "1,64,1024" if small else "1,256,4096")
    self.rss_mib = [int(x) for x in rss.split(",") if x.strip()]
    self.gui_mib = int(env.get("FERRY_BENCH_GUI_MIB", "256" if small else "1024"))
    cases = env.get("FERRY_BENCH_CASES", ",".join(CASES))
    self.cases = [c.strip() for c in cases.split(",") if c.strip()]
    self.tmpdir = env.get("FERRY_BENCH_TMPDIR", "/tmp")
    self.notes = []


# ------------------------------------------------------------------- helpers

def make_random_file_fast(path, size):
  with open(path, "wb") as f:
    left = size
    while left > 0:
      chunk = min(left, 4 * MIB)
      f.write(os.urandom(chunk))
      left -= chunk


def warm(path):
  """Reads a file once so that it is in the page cache (the server sends
  from memory, as on a warmed-up server)."""
  with open(path, "rb", buffering=0) as f:
    while f.read(8 * MIB):
      pass


def same_file(a, b):
  with open(a, "rb", buffering=0) as fa, open(b, "rb", buffering=0) as fb:
    while True:
      x = fa.read(4 * MIB)
      y = fb.read(4 * MIB)
      if x != y:
        return False
      if not x:
        return True


def remove(path):
  if os.path.isdir(path) and not os.path.islink(path):
    shutil.rmtree(path, ignore_errors=True)
  else:
    try:
      os.unlink(path)
    except FileNotFoundError:
      pass


def remove_ferry_download(path):
  for p in (path, path + ".ferry-part", path + ".ferry-part.info"):
    remove(p)


def tree_bytes(path):
  total = 0
  count = 0
  for root, dirs, files in os.walk(path):
    for name in files:
      if name.endswith(".ferry-part") or name.endswith(".info"):
        continue
      total += os.path.getsize(os.path.join(root, name))
      count += 1
  return count, total


def tool_version(cmd):
  try:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout
    return out.strip().splitlines()[0] if out.strip() else "?"
  except (OSError, subprocess.SubprocessError):
    return "?"


# ------------------------------------------------------------------- servers

class Server:
  """tests/servers/ferry-test-server.py KIND: READY <port>, stops at stdin EOF."""

  def __init__(self, kind, root, script=None, log_path=None):
    cmd = [PYTHON, TEST_SERVER, kind, "--root", root]
    if script:
      cmd += ["--script", script]
    if log_path:
      cmd += ["--log", log_path]
    self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
    servers.append(self)
    line = self.proc.stdout.readline().decode()
    if not line.startswith("READY "):
      self.stop()
      raise RuntimeError("%s server did not start" % kind)
    self.port = int(line.split()[1])

  def stop(self):
    if self.proc.poll() is None:
      try:
        self.proc.stdin.close()
      except OSError:
        pass
      try:
        self.proc.wait(SERVER_TIMEOUT)
      except subprocess.TimeoutExpired:
        self.proc.terminate()
        try:
          self.proc.wait(5)
        except subprocess.TimeoutExpired:
          self.proc.kill()
          self.proc.wait()
    if self in servers:
      servers.remove(self)


class RawServer:
  """bench/rawtcp serve-send|serve-recv for one connection."""

  def __init__(self, rawtcp, mode, path):
    self.proc = subprocess.Popen([rawtcp, mode, path], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
    servers.append(self)
    line = self.proc.stdout.readline().decode()
    if not line.startswith("PORT "):
      self.stop()
      raise RuntimeError("rawtcp %s did not start" % mode)
    self.port = int(line.split()[1])

  def stop(self, timeout=SERVER_TIMEOUT):
    if self.proc.poll() is None:
      try:
        self.proc.wait(timeout)
      except subprocess.TimeoutExpired:
        self.proc.kill()
        self.proc.wait()
    if self in servers:
      servers.remove(self)


def stop_all():
  for s in list(servers):
    try:
      if isinstance(s, RawServer):
        s.stop(timeout=0.1)
      else:
        s.stop()
    except Exception:
      pass
  for p in cleanup_paths:
    remove(p)


# --------------------------------------------------------------- measurement

class Run:
  def __init__(self, wall, user, sys_, rss_kib, rc):
    self.wall = wall
    self.user = user
    self.sys = sys_
    self.cpu = user + sys_
    self.rss_kib = rss_kib
    self.rc = rc


def measure(cmd, tmp, stdout=None, env=None, cwd=None, timeout=RUN_TIMEOUT):
  """Runs @cmd under /usr/bin/time; wall time from this side (finer than
  time's 10 ms), CPU time and peak RSS from time."""
  tfile = os.path.join(tmp, "time.out")
  remove(tfile)
  full = [TIME, "-f", "%U %S %M", "-o", tfile] + cmd
  out = stdout if stdout is not None else subprocess.DEVNULL
  t0 = time.perf_counter()
  # A session of its own, so that a timeout or Ctrl-C ends the tool as well
  # as /usr/bin/time.
  proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE,
                          env=env, cwd=cwd, start_new_session=True)
  try:
    _, err = proc.communicate(timeout=timeout)
    rc = proc.returncode
    err = err.decode("utf-8", "replace")
  except subprocess.TimeoutExpired:
    kill_group(proc)
    rc = -1
    err = "timed out after %d s" % timeout
  except BaseException:
    kill_group(proc)
    raise
  wall = time.perf_counter() - t0
  user = sys_ = 0.0
  rss = 0
  try:
    with open(tfile) as f:
      lines = [l for l in f.read().splitlines() if l.strip()]
    fields = lines[-1].split()
    user, sys_, rss = float(fields[0]), float(fields[1]), int(fields[2])
  except (OSError, IndexError, ValueError):
    pass
  if rc != 0:
    log("command failed (%s): %s\n%s" % (rc, " ".join(cmd), err.strip()[-2000:]))
  return Run(wall, user, sys_, rss, rc)


def kill_group(proc):
  try:
    os.killpg(proc.pid, signal.SIGKILL)
  except OSError:
    pass
  try:
    proc.wait(10)
  except subprocess.TimeoutExpired:
    pass


def session_pids(sid):
  """The live processes of session @sid (ours: started with
  start_new_session, so the session id is the pid we started)."""
  pids = []
  for entry in os.listdir("/proc"):
    if not entry.isdigit():
      continue
    try:
      with open("/proc/%s/stat" % entry) as f:
        stat = f.read()
    except OSError:
      continue
    # pid (comm) state ppid pgrp session ...: comm may hold spaces.
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) > 3 and fields[3] == str(sid) and fields[0] != "Z":
      pids.append(int(entry))
  return pids


def end_session(proc, grace=3.0):
  """Ends @proc and everything left in its session: SIGTERM (so that Xvfb
  removes its lock file), then SIGKILL after @grace seconds."""
  for sig in (signal.SIGTERM, signal.SIGKILL):
    pids = session_pids(proc.pid)
    if proc.poll() is None and proc.pid not in pids:
      pids.append(proc.pid)
    if not pids:
      break
    for pid in pids:
      try:
        os.kill(pid, sig)
      except OSError:
        pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
      proc.poll()
      if not session_pids(proc.pid):
        break
      time.sleep(0.05)
  try:
    proc.wait(5)
  except subprocess.TimeoutExpired:
    pass


class Tool:
  """One contender in a case: prepare() before each run (not timed),
  command() the timed command line, check() after it."""

  def __init__(self, name, command, prepare=None, check=None, finish=None, stdout=None,
               timeout=RUN_TIMEOUT):
    self.name = name
    self.timeout = timeout
    self.timeouts = 0
    self.command = command
    self.prepare = prepare or (lambda: None)
    self.check = check or (lambda r: True)
    self.finish = finish or (lambda ctx: None)
    self.stdout = stdout
    self.runs = []
    self.failed = 0


def run_case(title, tools, runs, tmp, env):
  log("%s: %d runs each of %s" % (title, runs, ", ".join(t.name for t in tools)))
  for r in range(runs):
    for tool in tools:
      ctx = tool.prepare()
      os.sync()
      cmd = tool.command(ctx)
      stdout = None
      if tool.stdout == "null":
        stdout = subprocess.DEVNULL
      run = measure(cmd, tmp, stdout=stdout, env=env, timeout=tool.timeout)
      if run.rc == -1:
        tool.timeouts += 1
      tool.finish(ctx)
      ok = run.rc == 0 and tool.check(r)
      if ok:
        tool.runs.append(run)
      else:
        tool.failed += 1
        log("%s: %s run %d failed (rc %s)" % (title, tool.name, r + 1, run.rc))
  return tools


def med(values):
  return statistics.median(values) if values else float("nan")


# ---------------------------------------------------------------- the bench

class Bench:
  def __init__(self, args, settings):
    self.args = args
    self.s = settings
    self.ferry = os.path.realpath(args.ferry_cli)
    self.rawtcp = os.path.realpath(args.rawtcp)
    self.tmp = tempfile.mkdtemp(prefix="ferry-bench-", dir=settings.tmpdir)
    cleanup_paths.append(self.tmp)
    self.mem = tempfile.mkdtemp(prefix="ferry-bench-", dir="/dev/shm") \
      if os.path.isdir("/dev/shm") else None
    if self.mem:
      cleanup_paths.append(self.mem)
    self.root = os.path.join(self.tmp, "root")     # the servers' files
    self.local = os.path.join(self.tmp, "local")   # the clients' files
    os.mkdir(self.root)
    os.mkdir(self.local)
    self.env = dict(os.environ)
    self.env["FERRY_PASSWORD"] = "bench@example.org"
    self.env["LC_ALL"] = "C"
    self.env.pop("http_proxy", None)
    self.env.pop("ftp_proxy", None)
    self.env.pop("all_proxy", None)
    self.vsftpd = None
    self.results = {}    # case -> list of Tool
    self.extra = {}      # misc figures

  # --- urls
  def curl_url(self, path):
    return "ftp://%s:%d/%s" % (HOST, self.vsftpd.port, path)

  def ferry_url(self, path, port=None):
    return "ftp://anonymous@%s:%d/%s" % (HOST, port or self.vsftpd.port, path)

  def lftp(self, commands):
    return ["lftp", "-c", "set cmd:interactive off; set xfer:clobber on; set net:max-retries 3; "
            "open -u anonymous,bench ftp://%s:%d; %s" % (HOST, self.vsftpd.port, commands)]

  def ferry_cmd(self, *args):
    return [self.ferry, "--progress=never"] + list(args)

  # --- space
  def check_space(self):
    s = self.s
    # The gui case holds three copies at once: the server's, the window's
    # download and ferry-cli's.
    need = (s.download_mib * 2 + s.upload_mib * 2 + 2 * max(s.rss_mib + [0])
            + (3 * s.gui_mib if "gui" in s.cases else 0)) * MIB
    st = os.statvfs(self.tmp)
    free = st.f_bavail * st.f_frsize
    if free < need:
      factor = free / need * 0.8
      s.notes.append("Only %.1f GiB free in %s (%.1f GiB wanted): sizes scaled by %.2f."
                     % (free / GIB, s.tmpdir, need / GIB, factor))
      s.download_mib = max(16, int(s.download_mib * factor))
      s.upload_mib = max(16, int(s.upload_mib * factor))
      s.rss_mib = [max(1, int(m * factor)) if m > 1 else m for m in s.rss_mib]
      s.gui_mib = max(16, int(s.gui_mib * factor))
    if self.mem:
      st = os.statvfs(self.mem)
      # Only the download case puts a big file there; the small case one tree.
      mem_need = s.download_mib * MIB * 1.5 if "download" in s.cases else \
        2 * s.files * s.file_kib * 1024 + 16 * MIB
      if st.f_bavail * st.f_frsize < mem_need:
        s.notes.append("/dev/shm is too small for the in-memory (tmpfs) cases: skipped.")
        cleanup_paths.remove(self.mem)
        remove(self.mem)
        self.mem = None

  # --- data
  def make_data(self):
    """Makes the files of the requested cases only (the gui case makes its
    own)."""
    s = self.s
    log("making the test files in %s" % self.root)
    self.big = os.path.join(self.root, "big.bin")
    if "download" in s.cases or "resume" in s.cases:
      make_random_file_fast(self.big, s.download_mib * MIB)
    self.up_src = os.path.join(self.local, "up-src.bin")
    if "upload" in s.cases:
      make_random_file_fast(self.up_src, s.upload_mib * MIB)
    os.mkdir(os.path.join(self.root, "small"))
    self.small_local = os.path.join(self.local, "small-src")
    os.mkdir(self.small_local)
    for i in range(s.files if "small" in s.cases else 0):
      data = os.urandom(s.file_kib * 1024)
      for d in (os.path.join(self.root, "small"), self.small_local):
        with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
          f.write(data)
    self.rss_files = []
    for mib in (s.rss_mib if "rss" in s.cases else []):
      p = os.path.join(self.root, "rss-%d.bin" % mib)
      if mib == max(s.rss_mib) and mib > 256:
        with open(p, "wb") as f:
          f.truncate(mib * MIB)             # sparse: costs no disk on the server
      else:
        make_random_file_fast(p, mib * MIB)
      self.rss_files.append((mib, p))
    for p in (self.big, self.up_src):
      if os.path.exists(p):
        warm(p)
    os.sync()

  # --- cases
  def case_download(self):
    s = self.s
    size = s.download_mib * MIB
    sinks = [("disk", self.local)]
    if self.mem:
      sinks.append(("tmpfs", self.mem))
    sinks.append(("null", None))
    for sink, where in sinks:
      tools = []

      def out(name, where=where):
        return os.path.join(where, "dl-%s.bin" % name) if where else "/dev/null"

      def size_check(path):
        def check(r):
          if path == "/dev/null":
            return True
          ok = os.path.getsize(path) == size
          if ok and r == 0:
            ok = same_file(path, self.big)
          if not ok:
            log("wrong download %s" % path)
          return ok
        return check

      # raw TCP: sendfile(2) server, read(2)+write(2) client
      raw_out = out("raw")
      raw_server = {}

      def raw_prepare(raw_out=raw_out, raw_server=raw_server):
        remove(raw_out) if raw_out != "/dev/null" else None
        raw_server["s"] = RawServer(self.rawtcp, "serve-send", self.big)
        return raw_server["s"].port

      def raw_finish(ctx, raw_server=raw_server):
        raw_server["s"].stop()

      tools.append(Tool("raw TCP", lambda port, o=raw_out: [self.rawtcp, "fetch", str(port), o],
                        prepare=raw_prepare, finish=raw_finish, check=size_check(raw_out)))

      socat_out = out("socat")
      socat_server = {}

      def socat_prepare(o=socat_out, st=socat_server):
        remove(o) if o != "/dev/null" else None
        st["s"] = RawServer(self.rawtcp, "serve-send", self.big)
        return st["s"].port

      def socat_finish(ctx, st=socat_server):
        st["s"].stop()

      if shutil.which("socat"):
        tools.append(Tool("socat -b 128K", lambda port, o=socat_out:
                          ["socat", "-u", "-b", "131072", "TCP:%s:%d" % (HOST, port),
                           ("OPEN:%s,creat,trunc" % o) if o != "/dev/null" else "OPEN:/dev/null,wronly"],
                          prepare=socat_prepare, finish=socat_finish, check=size_check(socat_out)))

      curl_out = out("curl")
      tools.append(Tool("curl", lambda ctx, o=curl_out: ["curl", "-sS", "-o", o, self.curl_url("big.bin")],
                        prepare=lambda o=curl_out: remove(o) if o != "/dev/null" else None,
                        check=size_check(curl_out)))

      if where:
        lftp_out = out("lftp")
        tools.append(Tool("lftp", lambda ctx, o=lftp_out: self.lftp("get big.bin -o %s" % o),
                          prepare=lambda o=lftp_out: remove(o), check=size_check(lftp_out)))
      else:
        # lftp's get would set the mtime of /dev/null: its cat to stdout instead.
        tools.append(Tool("lftp (cat)", lambda ctx: self.lftp("cat big.bin"), stdout="null"))

      # ferry-cli always writes NAME.ferry-part and renames it, so it needs a
      # real file: on tmpfs for the "null" sink too.
      ferry_dir = where or self.mem
      if ferry_dir:
        f_out = os.path.join(ferry_dir, "dl-ferry.bin")
        tools.append(Tool("ferry-cli" if where else "ferry-cli (tmpfs)",
                          lambda ctx, o=f_out: self.ferry_cmd("get", self.ferry_url("big.bin"), o),
                          prepare=lambda o=f_out: remove_ferry_download(o), check=size_check(f_out)))
      run_case("download to %s" % sink, tools, s.runs, self.tmp, self.env)
      self.results["download-%s" % sink] = (size, tools)
      for name in ("dl-ferry.bin", "dl-raw.bin", "dl-socat.bin", "dl-curl.bin", "dl-lftp.bin"):
        for d in (self.local, self.mem):
          if d:
            remove_ferry_download(os.path.join(d, name))

  def case_upload(self):
    s = self.s
    size = s.upload_mib * MIB
    remote = os.path.join(self.root, "up.bin")
    tools = []

    def check(r):
      ok = os.path.exists(remote) and os.path.getsize(remote) == size
      if ok and r == 0:
        ok = same_file(remote, self.up_src)
      if not ok:
        log("wrong upload")
      return ok

    raw_server = {}

    def raw_prepare():
      remove(remote)
      raw_server["s"] = RawServer(self.rawtcp, "serve-recv", remote)
      return raw_server["s"].port

    tools.append(Tool("raw TCP", lambda port: [self.rawtcp, "push", str(port), self.up_src],
                      prepare=raw_prepare, finish=lambda ctx: raw_server["s"].stop(), check=check))
    tools.append(Tool("curl", lambda ctx: ["curl", "-sS", "-T", self.up_src, self.curl_url("up.bin")],
                      prepare=lambda: remove(remote), check=check))
    # ferry-cli checks each finished upload with SIZE on the control
    # connection; curl does not.  A '-' quote command runs after the transfer
    # on the same connection, and curl fails (exit 21) unless it gets a 2xx.
    tools.append(Tool(CURL_SIZE, lambda ctx: ["curl", "-sS", "-T", self.up_src, self.curl_url("up.bin"),
                                              "-Q", "-SIZE up.bin"],
                      prepare=lambda: remove(remote), check=check))
    tools.append(Tool("lftp", lambda ctx: self.lftp("put %s -o up.bin" % self.up_src),
                      prepare=lambda: remove(remote), check=check))
    tools.append(Tool("ferry-cli", lambda ctx: self.ferry_cmd("put", self.up_src, self.ferry_url("up.bin")),
                      prepare=lambda: remove(remote), check=check))
    run_case("upload", tools, s.runs, self.tmp, self.env)
    remove(remote)
    self.results["upload"] = (size, tools)

  def case_small(self):
    s = self.s
    n = s.files
    total = n * s.file_kib * 1024
    names = ["f%05d.bin" % i for i in range(n)]
    down = os.path.join(self.local, "small-down")
    curl_cfg = os.path.join(self.tmp, "curl-down.cfg")
    with open(curl_cfg, "w") as f:
      for name in names:
        f.write('url = "%s"\noutput = "%s/%s"\n' % (self.curl_url("small/" + name), down, name))

    def down_prepare():
      remove(down)
      os.mkdir(down)

    def down_prepare_ferry():
      remove(down)           # ferry-cli get -r creates it

    def down_check(r):
      count, nbytes = tree_bytes(down)
      ok = count == n and nbytes == total
      if not ok:
        log("small download: %d files, %d bytes" % (count, nbytes))
      return ok

    tools = [
      Tool("curl (1 process, sequential)", lambda ctx: ["curl", "-sS", "-K", curl_cfg],
           prepare=down_prepare, check=down_check, timeout=CURL_SMALL_TIMEOUT),
      Tool("lftp mirror -P4", lambda ctx: self.lftp("mirror -P4 small %s" % down),
           prepare=down_prepare, check=down_check),
      Tool("ferry-cli get -r -P 4", lambda ctx: self.ferry_cmd("get", "-r", "-P", "4",
                                                                 self.ferry_url("small"), down),
           prepare=down_prepare_ferry, check=down_check),
    ]
    run_case("%d small files down" % n, tools, s.runs, self.tmp, self.env)
    remove(down)
    self.results["small-down"] = (total, tools)

    # The same download into tmpfs: on disk, ext4's inode allocation after
    # the previous run's rm -rf dominates and is noisy.
    if self.mem:
      down_mem = os.path.join(self.mem, "small-down")

      def mem_prepare():
        remove(down_mem)
        os.mkdir(down_mem)

      def mem_check(r):
        count, nbytes = tree_bytes(down_mem)
        ok = count == n and nbytes == total
        if not ok:
          log("small download to tmpfs: %d files, %d bytes" % (count, nbytes))
        return ok

      tools = [
        Tool("lftp mirror -P4", lambda ctx: self.lftp("mirror -P4 small %s" % down_mem),
             prepare=mem_prepare, check=mem_check),
        Tool("ferry-cli get -r -P 4", lambda ctx: self.ferry_cmd("get", "-r", "-P", "4",
                                                                   self.ferry_url("small"), down_mem),
             prepare=lambda: remove(down_mem), check=mem_check),
      ]
      run_case("%d small files down to tmpfs" % n, tools, s.runs, self.tmp, self.env)
      remove(down_mem)
      self.results["small-down-tmpfs"] = (total, tools)

    remote_up = os.path.join(self.root, "small-up")
    curl_cfg_up = os.path.join(self.tmp, "curl-up.cfg")
    with open(curl_cfg_up, "w") as f:
      for name in names:
        f.write('upload-file = "%s/%s"\nurl = "%s"\n'
                % (self.small_local, name, self.curl_url("small-up/" + name)))

    def up_prepare():
      remove(remote_up)

    def up_check(r):
      count, nbytes = tree_bytes(remote_up)
      ok = count == n and nbytes == total
      if not ok:
        log("small upload: %d files, %d bytes" % (count, nbytes))
      return ok

    tools = [
      Tool("curl (1 process, sequential)", lambda ctx: ["curl", "-sS", "--ftp-create-dirs", "-K", curl_cfg_up],
           prepare=up_prepare, check=up_check, timeout=CURL_SMALL_TIMEOUT),
      Tool("lftp mirror -R -P4", lambda ctx: self.lftp("mirror -R -P4 %s small-up" % self.small_local),
           prepare=up_prepare, check=up_check),
      Tool("ferry-cli put -r -P 4", lambda ctx: self.ferry_cmd("put", "-r", "-P", "4", self.small_local,
                                                                 self.ferry_url("small-up")),
           prepare=up_prepare, check=up_check),
    ]
    run_case("%d small files up" % n, tools, s.runs, self.tmp, self.env)
    remove(remote_up)
    self.results["small-up"] = (total, tools)

  def case_gui(self):
    """tests/ui/test-window -p /ui/window/responsiveness under xvfb-run: the
    real window downloads FERRY_TEST_RESPONSIVE_MIB MiB from a vsftpd that the
    program starts itself, while a 1 ms timeout on the main loop measures its
    worst lateness; the program also times `ferry-cli get` of the same file
    from the same server, before or after (FERRY_TEST_RESPONSIVE_ORDER), and
    prints `# BENCH gui S cli S lateness_ms MS`.  Runs with GTK's default
    renderer and with GSK_RENDERER=cairo, alternating; the order alternates
    run by run, since the run after a big write is slower."""
    s = self.s
    a = self.args
    renderers = (("default", None), ("cairo", "cairo"))
    res = {"size": s.gui_mib * MIB, "skip": None,
           "rows": {name: {"runs": [], "failed": 0, "skipped": []} for name, _ in renderers}}
    self.results["gui"] = res
    skip = a.gui_skip
    if not skip and not a.gui_test:
      skip = "no --gui-test given (bench/run builds the GTK test program)"
    if not skip and not shutil.which("xvfb-run"):
      skip = "xvfb-run is not installed"
    if skip:
      res["skip"] = skip
      s.notes.append("gui case skipped: %s." % skip)
      log("gui: skipped: %s" % skip)
      return
    test = os.path.realpath(a.gui_test)
    builddir = os.path.realpath(a.gui_builddir or os.path.dirname(os.path.dirname(os.path.dirname(test))))
    cli = os.path.realpath(a.gui_cli or os.path.join(builddir, "src", "cli", "ferry-cli"))
    res["cli"] = cli
    # Its own TMPDIR: the test's server root, downloads and xvfb-run's auth
    # file land in the bench's directory and go with it, also on Ctrl-C.
    gtmp = os.path.join(self.tmp, "gui")
    os.mkdir(gtmp)
    env = dict(self.env)
    for k in ("GSK_RENDERER", "WAYLAND_DISPLAY", "DISPLAY", "G_MESSAGES_DEBUG"):
      env.pop(k, None)
    env.update({
      # What tests/meson.build and tests/ui/meson.build give the test (less
      # G_DEBUG=gc-friendly and MALLOC_CHECK_, which cost time).
      "GSETTINGS_SCHEMA_DIR": os.path.join(builddir, "data"),
      "GDK_BACKEND": "x11",
      "GSETTINGS_BACKEND": "memory",
      "NO_AT_BRIDGE": "1",
      "FERRY_TEST_SERVERS": os.path.join(REPO, "tests", "servers"),
      "G_TEST_SRCDIR": os.path.join(REPO, "tests"),
      "G_TEST_BUILDDIR": os.path.join(builddir, "tests"),
      "FERRY_TEST_RESPONSIVE_MIB": str(s.gui_mib),
      "FERRY_TEST_RESPONSIVE_SERVER": "vsftpd",
      "FERRY_TEST_RESPONSIVE_CLI": cli,
      "TMPDIR": gtmp,
    })
    cmd = ["xvfb-run", "-a", "-s", XVFB_SCREEN, test, "-p", GUI_TEST_PATH]
    bench_re = re.compile(r"^# BENCH gui ([0-9.]+) cli ([0-9.]+) lateness_ms ([0-9.]+)\s*$", re.M)
    skip_re = re.compile(r"^ok \d+ .*# SKIP ?(.*)$", re.M)
    log("gui: %d runs each with the default renderer and GSK_RENDERER=cairo, %d MiB, %s"
        % (s.runs, s.gui_mib, " ".join(cmd)))
    for r in range(s.runs):
      order = "gui-first" if r % 2 == 0 else "cli-first"
      for name, renderer in renderers:
        row = res["rows"][name]
        e = dict(env)
        e["FERRY_TEST_RESPONSIVE_ORDER"] = order
        if renderer:
          e["GSK_RENDERER"] = renderer
        os.sync()
        # Output to files, not pipes: a test server left behind by a crashed
        # test would hold a pipe open.  Then whatever is left in the run's
        # session (a server, Xvfb) is ended.
        out_path = os.path.join(self.tmp, "gui.out")
        err_path = os.path.join(self.tmp, "gui.err")
        with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
          proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                  env=e, cwd=gtmp, start_new_session=True)
        timed_out = False
        try:
          rc = proc.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
          timed_out = True
          rc = -1
        finally:
          end_session(proc)
        with open(out_path, "rb") as fo, open(err_path, "rb") as fe:
          out = fo.read().decode("utf-8", "replace")
          err = fe.read().decode("utf-8", "replace")
        if timed_out:
          err += "\ntimed out after %d s" % RUN_TIMEOUT
        # What the run left behind (normally the test removes it all).
        for leftover in os.listdir(gtmp):
          remove(os.path.join(gtmp, leftover))
        m = bench_re.search(out)
        sk = skip_re.search(out)
        if rc == 0 and m:
          row["runs"].append((order, float(m.group(1)), float(m.group(2)), float(m.group(3))))
          continue
        if rc == 0 and sk:
          row["skipped"].append(sk.group(1).strip() or "skipped")
          log("gui: %s run %d skipped by the test: %s" % (name, r + 1, sk.group(1).strip()))
          continue
        row["failed"] += 1
        tail = "\n".join(l for l in (out + "\n" + err).splitlines()
                         if "-DEBUG:" not in l)[-2000:]
        log("gui: %s run %d failed (rc %s%s):\n%s" % (name, r + 1, rc,
                                                     "" if m else ", no BENCH line", tail.strip()))

  def case_rss(self):
    tools = []
    for mib, path in self.rss_files:
      name = os.path.basename(path)
      o = os.path.join(self.local, "rss-out.bin")

      def check(r, o=o, mib=mib):
        ok = os.path.getsize(o) == mib * MIB
        remove_ferry_download(o)
        return ok

      tools.append(Tool("ferry-cli get %s" % self.human(mib * MIB),
                        lambda ctx, name=name, o=o: self.ferry_cmd("get", self.ferry_url(name), o),
                        prepare=lambda o=o: remove_ferry_download(o), check=check))
    runs = 3
    run_case("ferry-cli peak RSS", tools, runs, self.tmp, self.env)
    self.results["rss"] = (None, tools)

  def case_resume(self):
    """Uninterrupted vs interrupted at 50 % then resumed, two ways:
    (a) vsftpd: ferry-cli gets SIGTERM at 50 % (it pauses and exits 3,
        keeping NAME.ferry-part) and the same command runs again;
    (b) fault server: the data connection is reset at 50 % and ferry-cli
        reconnects and resumes by itself (with its 1 s retry delay)."""
    s = self.s
    size = s.download_mib * MIB
    half = size // 2
    o = os.path.join(self.local, "resume.bin")
    rows = {"vsftpd: uninterrupted": [], "vsftpd: SIGTERM at 50 %, rerun": [],
            "fault server: uninterrupted": [], "fault server: reset at 50 %, auto-resume": []}
    killed_at = []
    cmd_v = self.ferry_cmd("get", self.ferry_url("big.bin"), o)
    script = os.path.join(self.tmp, "reset-half.json")
    with open(script, "w") as f:
      f.write('{"faults":[{"command":"RETR","action":"reset_data","after_bytes":%d}]}' % half)
    log("resume: %d runs each" % s.runs)
    for r in range(s.runs):
      # (a) uninterrupted
      remove_ferry_download(o)
      os.sync()
      t0 = time.perf_counter()
      rc = subprocess.run(cmd_v, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT).returncode
      t = time.perf_counter() - t0
      if rc == 0 and os.path.getsize(o) == size:
        rows["vsftpd: uninterrupted"].append(t)
      # (a) interrupted
      remove_ferry_download(o)
      os.sync()
      part = o + ".ferry-part"
      t0 = time.perf_counter()
      proc = subprocess.Popen(cmd_v, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
      deadline = time.monotonic() + RUN_TIMEOUT
      while proc.poll() is None and time.monotonic() < deadline:
        try:
          if os.path.getsize(part) >= half:
            proc.send_signal(signal.SIGTERM)
            break
        except OSError:
          pass
        time.sleep(0.0005)
      rc1 = proc.wait(RUN_TIMEOUT)
      t1 = time.perf_counter() - t0
      got = os.path.getsize(part) if os.path.exists(part) else -1
      t0 = time.perf_counter()
      rc2 = subprocess.run(cmd_v, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT).returncode
      t2 = time.perf_counter() - t0
      ok = rc1 == 3 and rc2 == 0 and os.path.getsize(o) == size and (r > 0 or same_file(o, self.big))
      if ok:
        rows["vsftpd: SIGTERM at 50 %, rerun"].append(t1 + t2)
        killed_at.append(got / size)
      else:
        log("resume (a) run %d failed: rc %s then %s" % (r + 1, rc1, rc2))
      remove_ferry_download(o)
      # (b) fault server, one server per run (the fault fires on its first RETR)
      for label, scr in (("fault server: uninterrupted", None),
                         ("fault server: reset at 50 %, auto-resume", script)):
        srv = Server("fault", self.root, script=scr)
        try:
          cmd_f = self.ferry_cmd("get", self.ferry_url("big.bin", srv.port), o)
          remove_ferry_download(o)
          os.sync()
          t0 = time.perf_counter()
          rc = subprocess.run(cmd_f, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT).returncode
          t = time.perf_counter() - t0
        finally:
          srv.stop()
        if rc == 0 and os.path.getsize(o) == size and (r > 0 or same_file(o, self.big)):
          rows[label].append(t)
        else:
          log("resume (b) %s run %d failed: rc %s" % (label, r + 1, rc))
        remove_ferry_download(o)
    self.results["resume"] = (size, rows)
    self.extra["killed_at"] = killed_at

  # --- report
  @staticmethod
  def human(n):
    if n >= GIB and n % GIB == 0:
      return "%d GiB" % (n // GIB)
    if n >= MIB:
      return "%d MiB" % (n // MIB)
    return "%d KiB" % (n // 1024)

  def report(self, partial=False):
    s = self.s
    L = []
    intro_end = 0
    now = datetime.datetime.now()
    L.append("# Ferry benchmark: ferry-cli against curl, lftp and raw TCP")
    L.append("")
    if partial:
      L.append("**Partial: the run is still going (or died); cases so far: %s.**"
               % ", ".join(self.results))
      L.append("")
    commit = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    L.append("- date: %s; commit %s; scale %s; %d runs per tool and case, alternating "
             "(A B C A B C ...); medians" % (now.strftime("%Y-%m-%d %H:%M"), commit or "?",
                                            s.scale, s.runs))
    cpu = "?"
    try:
      with open("/proc/cpuinfo") as f:
        for line in f:
          if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    except OSError:
      pass
    L.append("- machine: %s, %d cores, kernel %s; everything on 127.0.0.1; "
             "server vsftpd (use_sendfile=YES) from tests/servers/ferry-test-server.py"
             % (cpu, os.cpu_count(), platform.release()))
    L.append("- tools: %s; %s; %s; %s" % (tool_version(["curl", "--version"]),
                                          tool_version(["lftp", "--version"]),
                                          tool_version([self.ferry, "--version"]),
                                          tool_version(["socat", "-V"]).replace("socat by Gerhard Rieger and contributors - see www.dest-unreach.org", "socat") if shutil.which("socat") else "no socat"))
    L.append("- sizes: download %s, upload %s, %d × %d KiB files%s; disk = %s, tmpfs = /dev/shm"
             % (self.human(s.download_mib * MIB), self.human(s.upload_mib * MIB), s.files,
                s.file_kib, (", GUI download %s" % self.human(s.gui_mib * MIB))
                if "gui" in s.cases else "", s.tmpdir))
    L.append("- raw TCP = bench/rawtcp.c: the sending side uses sendfile(2) like vsftpd, the "
             "receiving side read(2)+write(2) with a 1 MiB buffer; no protocol, one connection")
    L.append("- wall = whole client process (connect, login, transfer, close); CPU = user+sys of "
             "the client process only; RSS = its peak resident set (GNU time %M)")
    for n in s.notes:
      L.append("- NOTE: " + n)
    L.append("")
    intro_end = len(L)

    targets = []

    def tool_by(tools, prefix, exact=False):
      for t in tools:
        if (t.name == prefix if exact else t.name.startswith(prefix)) and t.runs:
          return t
      return None

    def table(title, size, tools, ferry_prefix="ferry-cli"):
      L.append("## " + title)
      L.append("")
      L.append("| tool | runs ok | wall median (s) | min–max (s) | MiB/s | CPU median (s) | CPU s/GiB | peak RSS (MiB) | ferry-cli ÷ tool |")
      L.append("|---|---|---|---|---|---|---|---|---|")
      ferry = tool_by(tools, ferry_prefix)
      fw = med([r.wall for r in ferry.runs]) if ferry else None
      for t in tools:
        if not t.runs:
          why = ("timed out (> %d s) %d×" % (t.timeout, t.timeouts)) if t.timeouts else "failed"
          L.append("| %s | 0/%d | %s | | | | | | |" % (t.name, t.failed, why))
          continue
        w = med([r.wall for r in t.runs])
        c = med([r.cpu for r in t.runs])
        rss = max(r.rss_kib for r in t.runs) / 1024
        rate = size / MIB / w if size else float("nan")
        cpg = c / (size / GIB) if size else float("nan")
        ratio = ("%.2f" % (fw / w)) if fw else "–"
        L.append("| %s | %d/%d | %.3f | %.3f–%.3f | %.0f | %.3f | %.3f | %.1f | %s |"
                 % (t.name, len(t.runs), len(t.runs) + t.failed, w, min(r.wall for r in t.runs),
                    max(r.wall for r in t.runs), rate, c, cpg, rss, ratio))
      L.append("")
      return ferry

    def add_target(what, value, limit, unit="×", lower_is_better=True, detail=""):
      if value is None:
        targets.append((what, "–", "–", "NOT MEASURED", detail))
        return
      met = value <= limit if lower_is_better else value >= limit
      targets.append((what, ("%.2f" % value) + (unit if unit else ""),
                      ("≤ %.2f" % limit) + (unit if unit else ""),
                      "MET" if met else "MISSED", detail))

    def ratio(tools, a, b, cpu=False, exact_b=False):
      ta, tb = tool_by(tools, a), tool_by(tools, b, exact=exact_b)
      if not ta or not tb:
        return None
      if cpu:
        return med([r.cpu for r in ta.runs]) / med([r.cpu for r in tb.runs])
      return med([r.wall for r in ta.runs]) / med([r.wall for r in tb.runs])

    for key, label in (("download-disk", "Download %s to disk"), ("download-tmpfs", "Download %s to tmpfs"),
                       ("download-null", "Download %s to /dev/null")):
      if key in self.results:
        size, tools = self.results[key]
        table(label % self.human(size), size, tools)
        if key == "download-null":
          L.append("ferry-cli cannot write to /dev/null (it writes NAME.ferry-part and renames it "
                   "into place), so its row here writes to tmpfs; lftp's row is `cat` to a "
                   "stdout on /dev/null, as its `get` would set /dev/null's mtime.")
          L.append("")
          continue
        sink = key.split("-")[1]
        add_target("download to %s: wall ferry ÷ curl" % sink, ratio(tools, "ferry", "curl"), 0.75)
        add_target("download to %s: wall ferry ÷ raw TCP" % sink, ratio(tools, "ferry", "raw"), 1.05)
        if sink == "disk":
          add_target("download to disk: CPU ferry ÷ curl", ratio(tools, "ferry", "curl", cpu=True),
                     1.0, detail="target: lower than curl (< 1)")
    if "upload" in self.results:
      size, tools = self.results["upload"]
      table("Upload %s (server writes to disk)" % self.human(size), size, tools)
      L.append("vsftpd receives with read(2) of 64 KiB (strace), the raw TCP server with 1 MiB "
               "reads: the three FTP clients are bound by vsftpd's receive loop, not by their own "
               "send path, so the raw TCP row is a floor no FTP client reaches against vsftpd.")
      L.append("")
      L.append("\"%s\" is `curl -T FILE URL -Q \"-SIZE up.bin\"`: the same upload, then "
               "the SIZE check that ferry-cli makes after every upload, on the same control "
               "connection. vsftpd sends its 226 before it close(2)s the file, and its STOR "
               "truncates the file first, so ext4 (auto_da_alloc) flushes the file at that "
               "close and the SIZE waits for it (about 0.3 s per GiB); plain curl exits at the "
               "226. That row is the like-for-like comparison." % CURL_SIZE)
      L.append("")
      add_target("upload: wall ferry ÷ curl", ratio(tools, "ferry", "curl", exact_b=True), 0.75)
      add_target("upload: wall ferry ÷ (%s)" % CURL_SIZE,
                 ratio(tools, "ferry", CURL_SIZE, exact_b=True), 0.75,
                 detail="informative: the like-for-like comparison (both check SIZE)")
      add_target("upload: wall ferry ÷ raw TCP", ratio(tools, "ferry", "raw"), 1.05)
      add_target("upload: CPU ferry ÷ curl", ratio(tools, "ferry", "curl", cpu=True, exact_b=True), 1.0,
                 detail="target: lower than curl (< 1)")
    for key, label, what in (("small-down", "%d × %d KiB files down", "small files down"),
                             ("small-down-tmpfs", "%d × %d KiB files down to tmpfs",
                              "small files down to tmpfs"),
                             ("small-up", "%d × %d KiB files up", "small files up")):
      if key in self.results:
        size, tools = self.results[key]
        table(label % (s.files, s.file_kib), size, tools)
        curl = tool_by(tools, "curl")
        ct = [t for t in tools if t.name.startswith("curl")]
        if ct and (ct[0].timeouts or (curl and max(r.wall for r in curl.runs) > 5 * min(r.wall for r in curl.runs))):
          L.append("curl's runs vary wildly: curl 7.88 now and then waits a whole second for its "
                   "resolver thread before a data connection (a missed wake-up, seen with strace "
                   "as a 1000 ms poll on its socketpair), so its median is not a network figure.")
          L.append("")
        if key == "small-down-tmpfs":
          L.append("The same download into tmpfs (/dev/shm): on disk, ext4's inode allocation "
                   "after the previous run's rm -rf dominates and is noisy.")
          L.append("")
        add_target("%s: wall ferry ÷ lftp mirror -P4" % what, ratio(tools, "ferry", "lftp"), 1.0)
    rss_all = []
    if "rss" in self.results:
      _, tools = self.results["rss"]
      L.append("## ferry-cli peak RSS by file size (download to disk)")
      L.append("")
      L.append("| file | runs ok | peak RSS median (MiB) | max (MiB) | wall median (s) |")
      L.append("|---|---|---|---|---|")
      for t in tools:
        if not t.runs:
          L.append("| %s | 0 | failed | | |" % t.name)
          continue
        rs = [r.rss_kib / 1024 for r in t.runs]
        rss_all.append(med(rs))
        L.append("| %s | %d/%d | %.1f | %.1f | %.2f |" % (t.name.replace("ferry-cli get ", ""),
                                                           len(t.runs), len(t.runs) + t.failed,
                                                           med(rs), max(rs), med([r.wall for r in t.runs])))
      L.append("")
      if len(self.rss_files) and self.rss_files[-1][0] > 256:
        L.append("The largest file is sparse on the server (zeros), written for real to the local disk.")
        L.append("")
    peak = []
    rss_keys = [k for k in ("download-disk", "download-tmpfs", "download-null", "upload", "small-down",
                            "small-down-tmpfs", "small-up", "rss") if k in self.results]
    for key in rss_keys:
      for t in self.results[key][1]:
        if t.name.startswith("ferry") and t.runs:
          peak.append(max(r.rss_kib for r in t.runs) / 1024)
    if rss_keys:   # not for a run of only the gui or resume case
      add_target("ferry-cli peak RSS, all cases", max(peak) if peak else None, 16.0, unit=" MiB")
    if len(rss_all) >= 2:
      growth = max(rss_all) - min(rss_all)
      add_target("ferry-cli RSS growth %s → %s" % (self.human(self.rss_files[0][0] * MIB),
                                                    self.human(self.rss_files[-1][0] * MIB)),
                 growth, max(1.0, 0.1 * min(rss_all)), unit=" MiB",
                 detail="flat = within max(1 MiB, 10 %)")
    if "gui" in self.results:
      self.report_gui(L, add_target)
    if "resume" in self.results:
      size, rows = self.results["resume"]
      L.append("## Resumed download of %s (ferry-cli)" % self.human(size))
      L.append("")
      L.append("| scenario | runs ok | time to finish, median (s) | ratio to uninterrupted |")
      L.append("|---|---|---|---|")
      base = {"vsftpd": med(rows["vsftpd: uninterrupted"]),
              "fault": med(rows["fault server: uninterrupted"])}
      for label, vals in rows.items():
        b = base["vsftpd" if label.startswith("vsftpd") else "fault"]
        L.append("| %s | %d/%d | %.3f | %.2f |" % (label, len(vals), s.runs, med(vals),
                                                   med(vals) / b if vals else float("nan")))
      L.append("")
      ka = self.extra.get("killed_at") or []
      L.append("SIGTERM came when the part file held %s of the file (median); the rerun resumes "
               "there after checking the 64 KiB before the resume point. The fault server's "
               "figure includes ferry-cli's fixed 1 s delay before it reconnects (the CLI has no "
               "flag for it)." % ("%.0f %%" % (100 * med(ka)) if ka else "?"))
      L.append("")
      if rows["vsftpd: SIGTERM at 50 %, rerun"]:
        r = med(rows["vsftpd: SIGTERM at 50 %, rerun"]) / base["vsftpd"]
        add_target("resume after 50 % (vsftpd, kill + rerun): time ÷ uninterrupted", r, 1.10,
                   detail="informative bound: ≤ 1.10")
      if rows["fault server: reset at 50 %, auto-resume"]:
        r = (med(rows["fault server: reset at 50 %, auto-resume"]) - 1.0) / base["fault"]
        add_target("resume after 50 % (fault server, auto), less the 1 s retry delay: ÷ uninterrupted",
                   r, 1.10, detail="informative bound: ≤ 1.10")

    head = ["## Targets", "", "| target | measured | limit | verdict | |", "|---|---|---|---|---|"]
    for what, val, lim, verdict, detail in targets:
      head.append("| %s | %s | %s | **%s** | %s |" % (what, val, lim, verdict, detail))
    head.append("")
    # Targets first, details after.
    L = L[:intro_end] + head + L[intro_end:]
    return "\n".join(L) + "\n"

  def report_gui(self, L, add_target):
    res = self.results["gui"]
    size = res["size"]
    what = "GUI %s download ÷ ferry-cli" % self.human(size)
    late_what = "GUI worst main-loop lateness (default renderer)"
    L.append("## GUI: %s download through the window, against ferry-cli" % self.human(size))
    L.append("")
    if res["skip"]:
      L.append("Skipped: %s." % res["skip"])
      L.append("")
      for t in ("%s (default renderer)" % what, "%s (GSK_RENDERER=cairo)" % what, late_what):
        add_target(t, None, 0, detail="skipped: " + res["skip"])
      return
    L.append("| renderer | runs ok | GUI median (s) | GUI min–max (s) | ferry-cli median (s) "
             "| ferry-cli min–max (s) | GUI ÷ ferry-cli (medians) | lateness median (ms) "
             "| lateness worst (ms) |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    figures = {}
    for name, row in res["rows"].items():
      label = "default" if name == "default" else "GSK_RENDERER=cairo"
      runs = row["runs"]
      total = len(runs) + row["failed"] + len(row["skipped"])
      if not runs:
        why = "skipped by the test" if row["skipped"] else "failed"
        L.append("| %s | 0/%d | %s | | | | | | |" % (label, total, why))
        continue
      g = [x[1] for x in runs]
      c = [x[2] for x in runs]
      late = [x[3] for x in runs]
      figures[name] = (med(g) / med(c), max(late))
      L.append("| %s | %d/%d | %.3f | %.3f–%.3f | %.3f | %.3f–%.3f | %.2f | %.1f | %.1f |"
               % (label, len(runs), total, med(g), min(g), max(g), med(c), min(c), max(c),
                  med(g) / med(c), med(late), max(late)))
    L.append("")
    for name, row in res["rows"].items():
      if row["runs"]:
        L.append("- %s, each run (order: GUI s / ferry-cli s / lateness ms): %s"
                 % (name, "; ".join("%s %.3f / %.3f / %.1f" % x for x in row["runs"])))
      if row["skipped"]:
        L.append("- %s: the test skipped %d run(s): %s" % (name, len(row["skipped"]),
                                                         row["skipped"][0]))
    L.append("")
    L.append("tests/ui/test-window -p %s under `xvfb-run -a -s \"%s\"`: the real window "
             "downloads the file from a vsftpd of its own to disk (%s); GUI = from activating "
             "the download to the transfer's done state; ferry-cli = the whole `ferry-cli get` "
             "process (%s), same server, same file, each run before or "
             "after the window's download in turn; lateness = the worst delay of a 1 ms timeout "
             "on the main loop during the GUI download. The default renderer is GTK's GL "
             "renderer, which without a GPU runs on llvmpipe (software GL) and competes for the "
             "same cores; the cairo rows show the window without it."
             % (GUI_TEST_PATH, XVFB_SCREEN, self.s.tmpdir, os.path.relpath(res["cli"], REPO)
                if res["cli"].startswith(REPO) else res["cli"]))
    L.append("")
    d = figures.get("default")
    cairo = figures.get("cairo")
    add_target("%s (default renderer)" % what, d[0] if d else None, 1.15,
               detail="" if d else "no run ok")
    add_target("%s (GSK_RENDERER=cairo)" % what, cairo[0] if cairo else None, 1.15,
               detail="informative: software rendering without GL" + ("" if cairo else "; no run ok"))
    add_target(late_what, d[1] if d else None, 50.0, unit=" ms",
               detail="never blocked > 50 ms: the worst of all runs" + ("" if d else "; no run ok"))

  def run(self):
    s = self.s
    self.check_space()
    self.make_data()
    self.vsftpd = Server("vsftpd", self.root)
    log("vsftpd on port %d" % self.vsftpd.port)
    try:
      for case in s.cases:
        getattr(self, "case_" + case)()
        # The report so far, so that a long run that dies keeps its figures.
        write_results(self.args.results, self.report(partial=True), None)
    finally:
      self.vsftpd.stop()
    return self.report()


def write_results(where, text, scale):
  os.makedirs(where, exist_ok=True)
  names = ["latest.md"]
  if scale:
    names.append("%s-%s.md" % (datetime.datetime.now().strftime("%Y-%m-%d-%H%M"), scale))
  for name in names:
    with open(os.path.join(where, name), "w") as f:
      f.write(text)


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--ferry-cli", required=True)
  ap.add_argument("--rawtcp", required=True)
  ap.add_argument("--results", default=os.path.join(HERE, "results"))
  ap.add_argument("--gui-test", help="tests/ui/test-window of a GUI-enabled build")
  ap.add_argument("--gui-cli", help="ferry-cli to time beside it (default: the same build's)")
  ap.add_argument("--gui-builddir", help="that build (default: derived from --gui-test)")
  ap.add_argument("--gui-skip", help="skip the gui case, giving this reason in the report")
  args = ap.parse_args()
  settings = Settings()
  for c in settings.cases:
    if c not in CASES:
      raise SystemExit("unknown case %s" % c)

  def on_signal(signum, frame):
    raise KeyboardInterrupt()

  signal.signal(signal.SIGTERM, on_signal)
  try:
    bench = Bench(args, settings)
    text = bench.run()
  except KeyboardInterrupt:
    log("interrupted")
    stop_all()
    return 130
  finally:
    stop_all()
  sys.stdout.write(text)
  write_results(args.results, text, settings.scale)
  log("written %s" % os.path.join(args.results, "latest.md"))
  return 0


if __name__ == "__main__":
  sys.exit(main())
