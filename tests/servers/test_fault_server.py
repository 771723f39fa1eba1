#!/usr/bin/python3
# test_fault_server.py: a quick self-test of the test servers, run by hand:
#
#   /usr/bin/python3 tests/servers/test_fault_server.py [-v] [name ...]
#
# Not part of the meson test suite.  Needs python3-pyftpdlib and vsftpd for
# the "real server" checks (they are skipped otherwise); "big" needs ~6 GiB of
# sparse space in /tmp.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import ftplib
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(HERE, "ferry-test-server.py")
VERBOSE = "-v" in sys.argv


class Server:
  def __init__(self, kind, script=None, files=None, port=0):
    self.tmp = tempfile.mkdtemp(prefix="ferry-selftest-")
    self.root = os.path.join(self.tmp, "root")
    os.mkdir(self.root)
    for name, data in (files or {}).items():
      with open(os.path.join(self.root, name), "wb") as f:
        f.write(data)
    self.log = os.path.join(self.tmp, "commands.log")
    argv = ["/usr/bin/python3", LAUNCHER, kind, "--root", self.root,
            "--port", str(port), "--log", self.log]
    if script is not None:
      path = os.path.join(self.tmp, "script.json")
      with open(path, "w") as f:
        json.dump(script, f)
      argv += ["--script", path]
    t0 = time.monotonic()
    self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    line = self.proc.stdout.readline().decode()
    self.startup = time.monotonic() - t0
    if not line.startswith("READY "):
      err = self.proc.stderr.read().decode()
      raise RuntimeError("server did not start: %r %s" % (line, err))
    self.port = int(line.split()[1])

  def path(self, name):
    return os.path.join(self.root, name)

  def commands(self):
    try:
      with open(self.log, "rb") as f:
        return f.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
      return []

  def stop(self):
    self.proc.stdin.close()
    try:
      self.proc.wait(5)
    except subprocess.TimeoutExpired:
      self.proc.kill()
      self.proc.wait()
      raise AssertionError("server did not stop at stdin EOF")
    self.stderr = self.proc.stderr.read().decode()
    if "Traceback" in self.stderr:
      raise AssertionError("traceback on stderr:\n" + self.stderr)
    shutil.rmtree(self.tmp, ignore_errors=True)
    return self.proc.returncode

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    rc = self.stop()
    if exc[0] is None:
      assert rc == 0, "exit status %d" % rc


class Raw:
  """A tiny FTP client that shows exactly what the server sends."""

  def __init__(self, port, greet=True):
    self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
    self.buf = b""
    if greet:
      self.greeting = self.reply()

  def read_some(self):
    data = self.s.recv(65536)
    if not data:
      raise EOFError("control closed")
    self.buf += data

  def reply(self):
    """Returns (code, full text)."""
    while True:
      lines = self.buf.split(b"\r\n")
      if len(lines) > 1:
        first = lines[0]
        code = first[:3]
        if first[3:4] != b"-":
          self.buf = b"\r\n".join(lines[1:])
          return int(code), first.decode("latin-1")
        for i, l in enumerate(lines[1:-1], 1):
          if l[:3] == code and l[3:4] == b" ":
            self.buf = b"\r\n".join(lines[i + 1:])
            return int(code), b"\n".join(lines[:i + 1]).decode("latin-1")
      self.read_some()

  def cmd(self, line):
    self.s.sendall(line.encode() + b"\r\n")
    return self.reply()

  def login(self):
    assert self.cmd("USER ferry")[0] == 331
    assert self.cmd("PASS secret")[0] == 230
    assert self.cmd("TYPE I")[0] == 200

  def epsv(self):
    code, text = self.cmd("EPSV")
    assert code == 229, text
    port = int(re.search(r"\|\|\|(\d+)\|", text).group(1))
    return socket.create_connection(("127.0.0.1", port), timeout=10)

  def read_all(self, d):
    out = bytearray()
    while True:
      try:
        b = d.recv(1 << 20)
      except ConnectionResetError:
        return bytes(out), "reset"
      if not b:
        return bytes(out), "eof"
      out += b

  def close(self):
    self.s.close()


def ftp(port, user="ferry", password="secret"):
  f = ftplib.FTP()
  f.connect("127.0.0.1", port, timeout=10)
  f.login(user, password)
  return f


def retr(f, name, rest=None):
  b = io.BytesIO()
  f.retrbinary("RETR " + name, b.write, rest=rest)
  return b.getvalue()


DATA = bytes(range(256)) * 4096        # 1 MiB


# ------------------------------------------------------------------ tests

def test_basic_fault():
  script = {"features": ["SIZE", "MDTM", "EPSV", "REST STREAM", "UTF8",
                         "MLST type*;size*;modify*;", "XSHA256", "XMD5",
                         "HASH SHA-256*;SHA-1;MD5"]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    assert s.startup < 1.0, s.startup
    f = ftp(s.port)
    assert retr(f, "a.bin") == DATA
    assert retr(f, "a.bin", rest=1000) == DATA[1000:]
    assert f.sendcmd("XSHA256 a.bin") == "213 " + hashlib.sha256(DATA).hexdigest()
    assert f.sendcmd("XMD5 a.bin") == "213 " + hashlib.md5(DATA).hexdigest()
    r = f.sendcmd("HASH a.bin")
    assert r == "213 SHA-256 0-%d %s a.bin" % (len(DATA) - 1, hashlib.sha256(DATA).hexdigest()), r
    assert f.sendcmd("OPTS HASH SHA-1") == "200 SHA-1"
    assert hashlib.sha1(DATA).hexdigest() in f.sendcmd("HASH a.bin")
    try:
      f.sendcmd("XSHA1 a.bin")
      raise AssertionError("XSHA1 not in FEAT but worked")
    except ftplib.error_perm as e:
      assert str(e).startswith("502")
    f.storbinary("STOR up.bin", io.BytesIO(DATA))
    f.storbinary("APPE up.bin", io.BytesIO(b"tail"))
    assert open(s.path("up.bin"), "rb").read() == DATA + b"tail"
    f.storbinary("STOR up.bin", io.BytesIO(b"XY"), rest=10)
    assert open(s.path("up.bin"), "rb").read() == DATA[:10] + b"XY"
    f.mkd("dir")
    f.rename("up.bin", "dir/moved.bin")
    names = [n for n, facts in f.mlsd("dir")]
    assert names == ["moved.bin"], names
    lines = []
    f.retrlines("LIST dir", lines.append)
    assert lines[0].endswith(" moved.bin") and lines[0].startswith("-rw"), lines
    f.cwd("dir")
    assert f.pwd() == "/dir"
    f.cwd("../..")
    assert f.pwd() == "/"
    f.delete("dir/moved.bin")
    f.rmd("dir")
    assert f.nlst() == ["a.bin"]
    # Passwords are masked, arguments kept.
    f.sendcmd("TYPE A")
    try:
      f.sendcmd("SIZE a.bin")
      raise AssertionError("SIZE in ASCII mode")
    except ftplib.error_perm:
      pass
    f.quit()
    cmds = s.commands()
    assert cmds[:2] == ["USER ferry", "PASS ****"], cmds[:2]
    assert "REST 1000" in cmds and "RETR a.bin" in cmds


def test_multi_connections():
  with Server("fault", None, {"a.bin": DATA}) as s:
    conns = [ftp(s.port) for _ in range(5)]
    for c in conns:
      assert retr(c, "a.bin") == DATA
    for c in conns:
      c.quit()


def test_reset_data_426():
  script = {"faults": [{"command": "RETR", "action": "reset_data", "after_bytes": 100000}]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    d = r.epsv()
    code, _ = r.cmd("RETR a.bin")
    assert code in (125, 150)
    data, how = r.read_all(d)
    assert how == "reset", how
    assert len(data) == 100000, len(data)
    assert r.reply()[0] == 426
    # Second RETR is fine (nth 1 only).
    d = r.epsv()
    r.cmd("RETR a.bin")
    data, how = r.read_all(d)
    assert data == DATA and how == "eof"
    assert r.reply()[0] == 226


def test_reset_data_variants():
  script = {"faults": [
    {"command": "RETR", "nth": 1, "action": "reset_data", "after_bytes": 5000, "final_reply": ""},
    {"command": "RETR", "nth": 2, "action": "reset_data", "after_bytes": 5000,
     "final_reply": "226 Transfer complete."},
  ]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    d = r.epsv()
    r.cmd("RETR a.bin")
    data, how = r.read_all(d)
    assert len(data) == 5000 and how == "reset"
    r.s.settimeout(0.5)
    try:
      r.reply()
      raise AssertionError("a final reply came")
    except socket.timeout:
      pass
    r.s.settimeout(10)
    d = r.epsv()
    r.cmd("RETR a.bin")
    data, how = r.read_all(d)
    assert len(data) == 5000
    assert r.reply()[0] == 226         # the lying server


def test_stor_reset_and_drop():
  script = {"faults": [
    {"command": "STOR", "nth": 1, "action": "reset_data", "after_bytes": 70000},
    {"command": "STOR", "nth": 2, "action": "drop", "after_bytes": 1000},
  ]}
  with Server("fault", script) as s:
    f = ftp(s.port)
    try:
      f.storbinary("STOR up.bin", io.BytesIO(DATA))
      raise AssertionError("STOR should fail")
    except (ftplib.error_temp, ConnectionError) as e:
      pass
    f.close()
    assert os.path.getsize(s.path("up.bin")) == 70000
    f = ftp(s.port)
    try:
      f.storbinary("STOR up2.bin", io.BytesIO(DATA))
      raise AssertionError("STOR should fail")
    except (EOFError, ConnectionError, ftplib.Error):
      pass
    f.close()
    assert os.path.getsize(s.path("up2.bin")) == 1000


def test_drop_retr():
  script = {"faults": [{"command": "RETR", "action": "drop", "after_bytes": 3000}]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    d = r.epsv()
    r.cmd("RETR a.bin")
    data, how = r.read_all(d)
    assert len(data) == 3000
    try:
      r.reply()
      raise AssertionError("reply after drop")
    except (EOFError, ConnectionError):
      pass


def test_stall():
  script = {"faults": [
    {"command": "RETR", "nth": 1, "action": "stall", "after_bytes": 4096, "seconds": 1},
    {"command": "RETR", "nth": 2, "action": "stall", "after_bytes": 0},
  ]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    f = ftp(s.port)
    t0 = time.monotonic()
    assert retr(f, "a.bin") == DATA
    assert time.monotonic() - t0 >= 1.0
    # Stall forever: the client gives up by closing the data connection.
    r = Raw(s.port)
    r.login()
    d = r.epsv()
    assert r.cmd("RETR a.bin")[0] in (125, 150)
    d.settimeout(0.7)
    try:
      d.recv(10)
      raise AssertionError("data during a stall")
    except socket.timeout:
      pass
    d.close()
    assert r.reply()[0] == 426
    assert r.cmd("NOOP")[0] == 200


def test_abor():
  script = {"faults": [{"command": "RETR", "action": "rate", "bytes_per_second": 100000}]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    d = r.epsv()
    r.cmd("RETR a.bin")
    d.recv(1000)
    r.s.sendall(b"ABOR\r\n")
    assert r.reply()[0] == 426
    assert r.reply()[0] == 226
    assert r.cmd("NOOP")[0] == 200
    assert "ABOR" in s.commands()


def test_close_421():
  script = {"faults": [{"command": "CWD", "nth": 2, "action": "close"}]}
  with Server("fault", script) as s:
    os.mkdir(s.path("d"))
    r = Raw(s.port)
    r.login()
    assert r.cmd("CWD d")[0] == 250
    assert r.cmd("CWD /")[0] == 421
    try:
      r.reply()
      raise AssertionError("still open")
    except (EOFError, ConnectionError):
      pass


def test_reply_orders():
  script = {"faults": [
    {"command": "RETR", "nth": 1, "action": "early_226"},
    {"command": "RETR", "nth": 2, "action": "coalesce_150_226"},
    {"command": "RETR", "nth": 3, "action": "skip_150"},
    {"command": "RETR", "nth": 4, "action": "delay_final", "seconds": 0.5},
  ]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    # early 226: both replies come while the data is still unread.
    d = r.epsv()
    r.s.sendall(b"RETR a.bin\r\n")
    assert r.reply()[0] in (125, 150)
    assert r.reply()[0] == 226
    assert r.read_all(d) == (DATA, "eof")
    # 150+226 in one segment, before the data connection is even read.
    d = r.epsv()
    time.sleep(0.1)
    r.s.sendall(b"RETR a.bin\r\n")
    time.sleep(0.2)
    seg = r.s.recv(65536)
    assert re.match(rb"1\d\d [^\r]*\r\n226 [^\r]*\r\n$", seg), seg
    assert r.read_all(d) == (DATA, "eof")
    # skip 150
    d = r.epsv()
    r.s.sendall(b"RETR a.bin\r\n")
    assert r.read_all(d) == (DATA, "eof")
    assert r.reply()[0] == 226
    # delayed 226
    d = r.epsv()
    r.s.sendall(b"RETR a.bin\r\n")
    assert r.reply()[0] in (125, 150)
    t0 = time.monotonic()
    assert r.read_all(d) == (DATA, "eof")
    assert r.reply()[0] == 226
    assert time.monotonic() - t0 >= 0.4


def test_passive_faults():
  script = {"faults": [
    {"command": "EPSV", "every": True, "action": "reply", "reply": "502 EPSV not here"},
    {"command": "PASV", "nth": 1, "action": "pasv_address", "address": "10.99.99.99"},
    {"command": "PASV", "nth": 2, "action": "reply",
     "reply": "227 Entering Passive Mode (127,0,0,300,4,1)"},
  ]}
  with Server("fault", script, {"a.bin": b"hello"}) as s:
    r = Raw(s.port)
    r.login()
    assert r.cmd("EPSV")[0] == 502
    code, text = r.cmd("PASV")
    assert code == 227 and "10,99,99,99" in text, text
    nums = [int(x) for x in re.search(r"\(([\d,]+)\)", text).group(1).split(",")]
    d = socket.create_connection(("127.0.0.1", nums[4] * 256 + nums[5]))
    r.cmd("RETR a.bin")
    assert r.read_all(d) == (b"hello", "eof")
    assert r.reply()[0] == 226
    assert r.cmd("PASV") == (227, "227 Entering Passive Mode (127,0,0,300,4,1)")


def test_scripted_replies():
  script = {"faults": [
    {"command": "SIZE", "nth": 1, "action": "reply", "reply": "213 about 12 bytes"},
    {"command": "SIZE", "nth": 2, "action": "reply", "reply": "213 99999999999999999999999"},
    {"command": "MDTM", "nth": 1, "action": "reply", "reply": "213 20231399999999"},
    {"command": "REST", "every": True, "action": "reply", "reply": "502 No REST"},
    {"command": "PWD", "action": "reply", "reply": "257 \"/a\u0001b\"\n", "raw": True},
    {"command": "SYST", "action": "reply", "reply": "215-multi\n215 UNIX"},
  ]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    r = Raw(s.port)
    r.login()
    assert r.cmd("SIZE a.bin") == (213, "213 about 12 bytes")
    assert r.cmd("SIZE a.bin") == (213, "213 99999999999999999999999")
    assert r.cmd("SIZE a.bin") == (213, "213 %d" % len(DATA))
    assert r.cmd("MDTM a.bin") == (213, "213 20231399999999")
    assert r.cmd("REST 100")[0] == 502
    r.s.sendall(b"PWD\r\n")
    time.sleep(0.2)
    assert r.s.recv(100) == b'257 "/a\x01b"\n'
    assert r.cmd("SYST") == (215, "215-multi\n215 UNIX")
    # REST was refused: a RETR now sends the whole file.
    d = r.epsv()
    r.cmd("RETR a.bin")
    assert r.read_all(d) == (DATA, "eof")


def test_modify_file():
  script = {"faults": [
    {"command": "RETR", "nth": 2, "action": "modify_file", "append": "more"},
    {"command": "RETR", "nth": 3, "action": "modify_file", "flip": [0], "mtime": "keep"},
    {"command": "RETR", "nth": 4, "action": "modify_file", "truncate": 10,
     "mtime": 1700000000},
  ]}
  with Server("fault", script, {"a.bin": DATA}) as s:
    f = ftp(s.port)
    f.sendcmd("TYPE I")
    m0 = f.sendcmd("MDTM a.bin")
    assert retr(f, "a.bin") == DATA
    assert retr(f, "a.bin") == DATA + b"more"
    m1 = f.sendcmd("MDTM a.bin")
    assert m1 != m0, (m0, m1)
    got = retr(f, "a.bin")
    assert got[0] == DATA[0] ^ 0xff and got[1:] == DATA[1:] + b"more"
    assert f.sendcmd("MDTM a.bin") == m1
    assert retr(f, "a.bin") == bytes([DATA[0] ^ 0xff]) + DATA[1:10]
    assert f.sendcmd("MDTM a.bin") == "213 20231114221320"


def test_long_replies():
  script = {"faults": [
    {"command": "FEAT", "action": "long_reply", "code": "211", "size": 70000},
    {"command": "PWD", "action": "long_reply", "code": "257", "style": "endless"},
    {"command": "HELP", "action": "long_reply", "code": "214", "style": "line", "size": 70000},
  ]}
  with Server("fault", script) as s:
    r = Raw(s.port)
    code, text = r.cmd("FEAT")
    assert code == 211 and len(text.encode()) + text.count("\n") >= 70000
    code, text = r.cmd("HELP")
    assert code == 214 and len(text) == 70004
    r.s.sendall(b"USER ferry\r\nPASS secret\r\nPWD\r\n")
    r.reply()
    r.reply()
    got = 0
    while got < 1 << 20:
      got += len(r.s.recv(65536))
    r.close()                   # the server must notice and stop


def test_listing_and_greeting():
  lines = ["-rw-r--r-- 1 a a 5 Jan 01  2020 ../x",
           "-rw-r--r-- 1 a a 5 Jan 01  2020 a/b",
           "-rw-r--r-- 1 a a 5 Jan 01  2020 ctl\u0007char",
           "-rw-r--r-- 1 a a 5 Jan 01  2020 " + "L" * 5000]
  script = {"greeting": "220-Hello\n220-world\n220 Ready",
            "faults": [
              {"command": "LIST", "action": "listing", "lines": lines},
              {"command": "MLSD", "action": "listing", "raw": "type=file; ..\r\nbare\n",
               "encoding": "latin-1"},
              {"command": "CONNECT", "nth": 2, "action": "close"},
            ]}
  with Server("fault", script) as s:
    r = Raw(s.port)
    assert r.greeting == (220, "220-Hello\n220-world\n220 Ready")
    r2 = Raw(s.port)
    assert r2.greeting[0] == 421
    r.login()
    d = r.epsv()
    r.cmd("LIST")
    data, _ = r.read_all(d)
    assert data == "".join(l + "\r\n" for l in lines).encode()
    r.reply()
    d = r.epsv()
    r.cmd("MLSD")
    assert r.read_all(d) == (b"type=file; ..\r\nbare\n", "eof")


def test_rate():
  script = {"faults": [{"command": "RETR", "action": "rate", "bytes_per_second": 2000000}]}
  with Server("fault", script, {"a.bin": DATA * 2}) as s:
    f = ftp(s.port)
    t0 = time.monotonic()
    assert retr(f, "a.bin") == DATA * 2
    dt = time.monotonic() - t0
    assert 0.8 < dt < 1.6, dt


def test_random_disconnects():
  script = {"faults": [{"command": "RETR", "every": True, "times": 8, "action": "reset_data",
                        "random_after_bytes": [1000, 100000], "seed": 1}]}

  def run():
    with Server("fault", script, {"a.bin": DATA}) as s:
      f = ftp(s.port)
      f.sendcmd("TYPE I")
      got = bytearray()
      cuts = []
      attempts = 0
      while len(got) < len(DATA):
        attempts += 1
        before = len(got)
        try:
          f.retrbinary("RETR a.bin", got.extend, rest=len(got) or None)
        except ftplib.error_temp:
          pass
        except ConnectionResetError:
          try:
            f.voidresp()
          except ftplib.error_temp:
            pass
        cuts.append(len(got) - before)
      assert bytes(got) == DATA
      assert attempts == 9 or len(got) == len(DATA)
      return cuts

  a = run()
  b = run()
  assert a == b, (a, b)             # seeded: the same cuts every time
  assert len(set(a)) > 3, a


def test_client_vanishes():
  with Server("fault", None, {"a.bin": DATA * 64}) as s:
    for _ in range(5):
      r = Raw(s.port)
      r.login()
      d = r.epsv()
      r.s.sendall(b"RETR a.bin\r\n")
      d.recv(1000)
      r.s.close()
      d.close()
    r = Raw(s.port, greet=False)
    r.s.close()
    f = ftp(s.port)
    f.voidcmd("NOOP")
    f.quit()
  assert "Traceback" not in s.stderr


def test_big():
  size = 5 * 1024 ** 3 + 12345
  with Server("fault") as s:
    with open(s.path("big.bin"), "wb") as fh:
      fh.truncate(size)
      fh.seek(size - 5)
      fh.write(b"END!!")
    f = ftp(s.port)
    f.sendcmd("TYPE I")
    assert f.sendcmd("SIZE big.bin") == "213 %d" % size
    assert retr(f, "big.bin", rest=size - 100) == b"\0" * 95 + b"END!!"
    # Throughput: 2 GiB from the start, counted and dropped.
    conn = f.transfercmd("RETR big.bin")
    n = 0
    t0 = time.monotonic()
    buf = bytearray(1 << 20)
    while n < 2 * 1024 ** 3:
      k = conn.recv_into(buf)
      if not k:
        break
      n += k
    dt = time.monotonic() - t0
    conn.close()
    try:
      f.voidresp()
    except ftplib.Error:
      pass
    rate = n / dt / 1e6
    if VERBOSE:
      print("  %.0f MB/s" % rate)
    assert rate > 300, rate
    f.close()


def test_fixed_port_restart():
  s = Server("fault", None, {"a.bin": b"x"})
  port = s.port
  f = ftp(port)
  assert retr(f, "a.bin") == b"x"
  s.stop()
  f.close()
  with Server("fault", None, {"a.bin": b"y"}, port=port) as s2:
    assert s2.port == port
    f = ftp(port)
    assert retr(f, "a.bin") == b"y"
    f.quit()


def real_server_checks(kind, user, password):
  with Server(kind, None, {"hello.txt": b"hello\n"}) as s:
    f = ftp(s.port, user, password)
    f.sendcmd("TYPE I")
    assert f.sendcmd("SIZE hello.txt") == "213 6"
    assert f.sendcmd("MDTM hello.txt").startswith("213 ")
    assert retr(f, "hello.txt") == b"hello\n"
    assert retr(f, "hello.txt", rest=2) == b"llo\n"
    f.storbinary("STOR up.bin", io.BytesIO(DATA))
    f.storbinary("APPE up.bin", io.BytesIO(b"tail"))
    assert open(s.path("up.bin"), "rb").read() == DATA + b"tail"
    f.mkd("d")
    f.rename("up.bin", "d/x.bin")
    lines = []
    f.retrlines("LIST d", lines.append)
    assert lines and lines[-1].endswith(" x.bin"), lines
    f.delete("d/x.bin")
    f.rmd("d")
    assert sorted(f.nlst()) == ["hello.txt"]
    f.quit()


def test_pyftpdlib():
  try:
    import pyftpdlib  # noqa
  except ImportError:
    print("  skipped: no pyftpdlib")
    return
  real_server_checks("pyftpdlib", "ferry", "secret")


def test_vsftpd():
  if not os.access("/usr/sbin/vsftpd", os.X_OK):
    print("  skipped: no vsftpd")
    return
  real_server_checks("vsftpd", "anonymous", "ferry@")


def main():
  names = [a for a in sys.argv[1:] if not a.startswith("-")]
  tests = [(n, f) for n, f in sorted(globals().items())
           if n.startswith("test_") and callable(f)]
  failed = 0
  for name, fn in tests:
    if names and name[5:] not in names and name not in names:
      continue
    t0 = time.monotonic()
    try:
      fn()
      print("ok   %s (%.2f s)" % (name, time.monotonic() - t0))
    except Exception as e:
      failed += 1
      import traceback
      print("FAIL %s" % name)
      traceback.print_exc()
  return 1 if failed else 0


if __name__ == "__main__":
  sys.exit(main())
