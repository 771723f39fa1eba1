#!/usr/bin/python3
# ferry-fault-server.py: Ferry's scriptable, misbehaving FTP server
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real FTP server (Python standard library only, one thread per control
# connection, passive mode only) that serves the files under --root and can be
# told, by a JSON script, to misbehave in the ways PROTOCOL.md lists.  Run it
# through ferry-test-server.py (which prints "READY <port>") or directly:
#
#   /usr/bin/python3 ferry-fault-server.py --root DIR [--port N]
#                    [--script FILE] [--log FILE] [--host 127.0.0.1]
#
# Logins: user "ferry" password "secret", and "anonymous"/"ftp" with any
# password unless the script says "anonymous": false.
#
# Command log (--log): every command line received is appended, one per line,
# flushed at once, exactly as received except that "PASS x" is written
# "PASS ****" and control characters inside a line are written as \xNN.
# Lines the server rejects as too long are logged as "<line too long>".
#
# SCRIPT FORMAT
# =============
#
#   {
#     "features":  ["SIZE", "MDTM", ...],   FEAT lines (default: DEFAULT_FEATURES)
#     "anonymous": true,                    allow anonymous logins (default true)
#     "greeting":  "220 text",              greeting for every connection
#                                           ("\n" = next line, CRLF added)
#     "data_timeout": 30,                   seconds to wait for the data connection
#     "faults":    [ FAULT, ... ]
#   }
#
# Unknown keys (in the script or in a fault) are an error: the server exits
# with status 2 before READY and says why on stderr.
#
# Default behaviour (no fault): the session starts in TYPE A (SIZE answers
# 550 in ASCII mode, like pyftpdlib); passive mode only (PASV/EPSV; PORT and
# EPRT get 502); a transfer gets "125" when the data connection was already
# open, "150" otherwise, then "226" after the data EOF; REST n applies to the
# next RETR/STOR/APPE/LIST/NLST/MLSD and is then reset; RETR beyond the end
# answers 554; REST + STOR truncates the file at n and writes from there;
# APPE appends.  Commands that have a FEAT entry only work when their
# feature is listed (otherwise "502 Command not implemented"): SIZE, MDTM,
# MFMT, MLSD/MLST ("MLST ..."), EPSV, OPTS UTF8 ("UTF8"), XSHA256, XSHA1,
# XSHA512, XMD5, XCRC ("213 <hex>"), HASH ("HASH ..."; "213 SHA-256 0-<size-1>
# <hex> <path>"; OPTS HASH picks SHA-256, SHA-1, SHA-512, MD5 or CRC32).  REST
# always works; "REST STREAM" only changes FEAT.  ABOR during a transfer:
# the data connection is closed, then "426" and "226".  A client closing the
# data connection early gets "426".  CONNECT (below) is not logged.
#
# A FAULT is an object:
#
#   "command": "RETR"      the verb it applies to (upper case); "*" = any
#                          command; "CONNECT" = the moment a client connects
#                          (the greeting: use "reply", "close", "drop",
#                          "no_reply", "long_reply", "delay")
#   "arg":     "big*"      optional fnmatch pattern the argument must match
#   "nth":     1           which matching occurrence it applies to (1-based,
#                          counted over all connections of the server's
#                          lifetime, per fault); a list [2, 3] is allowed.
#                          Default 1.
#   "every":   true        apply to every matching occurrence instead,
#   "from":    2           ... starting with the 2nd one (default 1),
#   "times":   20          ... at most this many times (default unlimited)
#   "action":  "..."       what to do, with the action's own parameters
#
# Several faults may apply to one command: all of them are combined, in
# script order (e.g. "modify_file" + "rate" + "reset_data" on one RETR).
#
# Actions that replace the command (it is logged but not executed):
#   reply        {"reply": "550 No", "raw": false, "close": false,
#                 "encoding": "utf-8"}
#                Sends the text.  Not raw: each "\n" becomes CRLF and a final
#                CRLF is added ("213-a\n213 b" is a multi-line reply).  Raw:
#                the exact text (may lack CRLF, may use bare LF).  "encoding"
#                "latin-1" allows any byte 0-255 via \u0000-\u00ff.
#                "close": true closes the control connection afterwards.
#                Covers: EPSV/REST/SIZE/MDTM refused, junk SIZE/MDTM, bad
#                227/229 replies, 425/450 errors, wrong hashes...
#   close        {"reply": "421 Service not available, closing control connection."}
#                Reply (default 421) and close the control connection.
#   drop         On a non-transfer command: close the control connection
#                without any reply.
#   no_reply     Say nothing at all, keep the connection (client timeouts).
#   long_reply   {"code": "211", "size": 70000, "style": "multiline"}
#                Default code: 211 (220 on CONNECT).
#                style "multiline": "211-..." + lines of 76 "x" up to size
#                bytes + "211 End"; "line": one line of size bytes then CRLF;
#                "endless": "211-" then "x" forever (no CRLF) until the client
#                closes the connection.
#
# Actions that run before the command (then it proceeds):
#   delay        {"seconds": 2}
#   modify_file  {"path": "f.bin", "append": "text", "append_bytes": 100,
#                 "seed": 1, "flip": 10 | [10, 20], "truncate": 5,
#                 "write_at": [offset, "text"], "mtime": 1700000000 | "keep"}
#                Path defaults to the command's argument.  Steps run in the
#                order truncate, write_at, flip (XOR 0xff), append,
#                append_bytes (pseudo-random).  Afterwards the mtime is set to
#                "mtime" (Unix seconds), or kept unchanged with "keep", or by
#                default bumped to max(now, old + 1 s) so that MDTM changes.
#
# Actions on transfers (RETR, STOR, STOU, APPE, LIST, NLST, MLSD; where they
# make no sense they are ignored):
#   reset_data   {"after_bytes": 100000, "random_after_bytes": [lo, hi],
#                 "seed": 1, "final_reply": "426 Connection reset"}
#                After N bytes sent (RETR) or received (STOR/APPE, the N bytes
#                are written to the file), reset the data connection (RST via
#                SO_LINGER 0) and send final_reply (default "426 Connection
#                closed; transfer aborted.").  "final_reply": "" sends no
#                reply at all; "226 Transfer complete." makes a lying server.
#                Before the RST the server waits (at most 2 s) until the
#                client has acknowledged all N bytes, so a client that keeps
#                reading receives exactly N bytes.
#                random_after_bytes draws N in [lo, hi] from a per-fault PRNG
#                seeded with "seed": with "every"/"times" this gives random
#                disconnections.
#   drop         {"after_bytes": N, "random_after_bytes": ..., "control_rst": false}
#                After N bytes, reset the data connection and close the
#                control connection without a reply (RST too if control_rst).
#   stall        {"after_bytes": N, "seconds": 5, "then": "continue"}
#                After N bytes stop sending/reading, keep both connections
#                open for "seconds" (omitted/null = until the client gives up:
#                it closes the control or (RETR) data connection, or sends
#                ABOR).  "then" after the seconds: "continue" (finish the
#                transfer), "reset" (as reset_data) or "drop".
#                after_bytes 0 on RETR = "150 then silence".
#   rate         {"bytes_per_second": 65536}   slow data in both directions.
#   skip_150     no 1yz reply: data, then 226.
#   early_226    150, then 226, then the data, then EOF.
#   coalesce_150_226  "150 ...\r\n226 ...\r\n" in one send() before the data.
#   final_reply  {"reply": "226 Done"}  replaces the 226 of a complete
#                transfer ("" = no final reply).
#   delay_final  {"seconds": 1}   data EOF, wait, then the 226.
#   listing      {"lines": ["-rw-r--r-- 1 a a 5 Jan 01 2020 ../x", ...],
#                 "raw": "exact data", "encoding": "utf-8"}
#                LIST/NLST/MLSD data replaced: lines each end in CRLF; or
#                "raw" sent exactly.
#
# Actions on PASV:
#   pasv_address {"address": "10.99.99.99"}  the 227 names that address while
#                the listener stays on the server's own address.
#
# Examples:
#   {"command": "RETR", "action": "reset_data", "after_bytes": 100000}
#   {"command": "RETR", "action": "reset_data", "after_bytes": 1000, "final_reply": ""}
#   {"command": "RETR", "action": "reset_data", "after_bytes": 1000,
#    "final_reply": "226 Transfer complete."}
#   {"command": "STOR", "action": "drop", "after_bytes": 65536}
#   {"command": "RETR", "action": "stall", "after_bytes": 4096, "seconds": 3}
#   {"command": "CWD", "nth": 2, "action": "close"}
#   {"command": "RETR", "action": "early_226"}
#   {"command": "RETR", "action": "coalesce_150_226"}
#   {"command": "LIST", "every": true, "action": "skip_150"}
#   {"command": "EPSV", "every": true, "action": "reply", "reply": "502 No EPSV"}
#   {"command": "PASV", "every": true, "action": "pasv_address", "address": "10.99.99.99"}
#   {"command": "PASV", "action": "reply",
#    "reply": "227 Entering Passive Mode (127,0,0,300,4,1)"}
#   {"command": "EPSV", "action": "reply", "reply": "229 Entering Extended Passive Mode (|||70000|)"}
#   {"command": "SIZE", "every": true, "action": "reply", "reply": "213 about 12 bytes"}
#   {"command": "MDTM", "every": true, "action": "reply", "reply": "213 20231399999999"}
#   {"command": "REST", "every": true, "action": "reply", "reply": "502 No REST"}
#   {"command": "RETR", "nth": 2, "action": "modify_file", "append": "more"}
#   {"command": "PWD", "action": "reply", "reply": "257 \"/a\u0001b\""}
#   {"command": "FEAT", "action": "long_reply", "code": "211", "size": 70000}
#   {"command": "PWD", "action": "long_reply", "code": "257", "style": "endless"}
#   {"command": "MLSD", "action": "listing", "lines": ["type=file;size=1; ../x"]}
#   {"command": "CONNECT", "action": "reply", "reply": "220-Hello\n220-world\n220 Ready"}
#   {"command": "CONNECT", "nth": 2, "action": "close"}
#   {"command": "RETR", "action": "rate", "bytes_per_second": 100000}
#   {"command": "RETR", "every": true, "times": 20, "action": "reset_data",
#    "random_after_bytes": [1000, 900000], "seed": 1}

import argparse
import calendar
import array
import errno
import fcntl
import fnmatch
import hashlib
import json
import os
import posixpath
import random
import select
import socket
import stat
import struct
import sys
import termios
import threading
import time
import zlib

DEFAULT_FEATURES = [
  "EPSV",
  "MDTM",
  "MFMT",
  "MLST type*;size*;modify*;perm*;unique*;",
  "PASV",
  "REST STREAM",
  "SIZE",
  "TVFS",
  "UTF8",
]

USER = "ferry"
PASSWORD = "secret"

CHUNK = 256 * 1024
SENDFILE_CHUNK = 4 * 1024 * 1024
MAX_LINE = 8192
IDLE_TIMEOUT = 600.0

REPLACING_ACTIONS = {"reply", "close", "drop", "no_reply", "long_reply"}
PRE_ACTIONS = {"delay", "modify_file"}
TRANSFER_ACTIONS = {"reset_data", "drop", "stall", "rate", "skip_150",
                    "early_226", "coalesce_150_226", "final_reply",
                    "delay_final", "listing"}
PASV_ACTIONS = {"pasv_address"}
ALL_ACTIONS = REPLACING_ACTIONS | PRE_ACTIONS | TRANSFER_ACTIONS | PASV_ACTIONS

FAULT_KEYS = {
  "command", "arg", "nth", "every", "from", "times", "action", "comment",
  "reply", "raw", "close", "encoding", "control_rst", "code", "size", "style",
  "seconds", "path", "append", "append_bytes", "seed", "flip", "truncate",
  "write_at", "mtime", "after_bytes", "random_after_bytes", "final_reply",
  "then", "bytes_per_second", "lines", "address",
}
SCRIPT_KEYS = {"features", "anonymous", "greeting", "data_timeout", "faults", "comment"}

TRANSFER_COMMANDS = {"RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD"}
NO_LOGIN_COMMANDS = {"USER", "PASS", "QUIT", "FEAT", "SYST", "NOOP", "OPTS",
                     "HELP", "AUTH"}

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

HASH_ALGOS = {
  "SHA-256": "sha256",
  "SHA-1": "sha1",
  "SHA-512": "sha512",
  "MD5": "md5",
  "CRC32": "crc32",
}


def warn(msg):
  try:
    sys.stderr.write("ferry-fault-server: %s\n" % msg)
    sys.stderr.flush()
  except Exception:
    pass


class ScriptError(Exception):
  pass


class ControlClosed(Exception):
  """The control connection is gone (or we closed it): end the session."""


class TransferAborted(Exception):
  """The transfer ended early; the final reply was already dealt with."""


class Fault:
  def __init__(self, spec, index):
    if not isinstance(spec, dict):
      raise ScriptError("fault %d is not an object" % index)
    unknown = set(spec) - FAULT_KEYS
    if unknown:
      raise ScriptError("fault %d: unknown key(s) %s" % (index, ", ".join(sorted(unknown))))
    self.spec = spec
    self.index = index
    self.command = str(spec.get("command", "")).upper()
    if not self.command:
      raise ScriptError("fault %d has no \"command\"" % index)
    self.action = spec.get("action")
    if self.action not in ALL_ACTIONS:
      raise ScriptError("fault %d: unknown action %r (known: %s)"
                        % (index, self.action, ", ".join(sorted(ALL_ACTIONS))))
    self.arg = spec.get("arg")
    self.every = bool(spec.get("every", False)) or spec.get("nth") == "every"
    nth = spec.get("nth", 1)
    if self.every:
      self.nth = None
    elif isinstance(nth, int):
      self.nth = {nth}
    elif isinstance(nth, list) and all(isinstance(n, int) for n in nth):
      self.nth = set(nth)
    else:
      raise ScriptError("fault %d: bad \"nth\" %r" % (index, nth))
    self.start = int(spec.get("from", 1))
    times = spec.get("times")
    self.times = None if times is None else int(times)
    self.applied = 0
    self.count = 0
    self.rng = random.Random(spec.get("seed", 0))
    rab = spec.get("random_after_bytes")
    if rab is not None and (not isinstance(rab, list) or len(rab) != 2):
      raise ScriptError("fault %d: random_after_bytes must be [lo, hi]" % index)

  def matches(self, verb, arg):
    """Called with the script lock held; counts and decides."""
    if self.command != "*" and self.command != verb:
      return False
    if self.command == "*" and verb == "CONNECT":
      return False
    if self.arg is not None and not fnmatch.fnmatchcase(arg, self.arg):
      return False
    self.count += 1
    if self.times is not None and self.applied >= self.times:
      return False
    if self.every:
      ok = self.count >= self.start
    else:
      ok = self.count in self.nth
    if ok:
      self.applied += 1
    return ok

  def instance(self):
    """The parameters for one application (random values drawn now)."""
    params = dict(self.spec)
    rab = self.spec.get("random_after_bytes")
    if rab is not None:
      params["after_bytes"] = self.rng.randint(int(rab[0]), int(rab[1]))
    return params


class Script:
  def __init__(self, data=None):
    data = data or {}
    if not isinstance(data, dict):
      raise ScriptError("the script must be a JSON object")
    unknown = set(data) - SCRIPT_KEYS
    if unknown:
      raise ScriptError("unknown key(s) %s" % ", ".join(sorted(unknown)))
    self.features = list(data.get("features", DEFAULT_FEATURES))
    self.anonymous = bool(data.get("anonymous", True))
    self.greeting = data.get("greeting", "220 Ferry fault server ready.")
    self.data_timeout = float(data.get("data_timeout", 30))
    self.faults = [Fault(f, i) for i, f in enumerate(data.get("faults", []))]
    self.lock = threading.Lock()

  @classmethod
  def load(cls, path):
    if path is None:
      return cls()
    with open(path, "r", encoding="utf-8") as f:
      return cls(json.load(f))

  def has_feature(self, name):
    name = name.upper()
    for feat in self.features:
      word = feat.split(" ", 1)[0].upper()
      if word == name:
        return True
    return False

  def feature_line(self, name):
    for feat in self.features:
      if feat.split(" ", 1)[0].upper() == name.upper():
        return feat
    return None

  def faults_for(self, verb, arg):
    with self.lock:
      return [(f.action, f.instance()) for f in self.faults if f.matches(verb, arg)]


class Plan:
  """What the faults decided for one transfer."""

  def __init__(self):
    self.cut = None           # params of reset_data / drop / stall
    self.rate = None
    self.skip_150 = False
    self.early_226 = False
    self.coalesce = False
    self.final_reply = None   # None = default, "" = none
    self.delay_final = 0.0
    self.listing = None       # bytes
    self.pasv_address = None


def encode_text(text, params):
  enc = params.get("encoding", "utf-8")
  if enc.lower() in ("latin-1", "latin1", "iso-8859-1"):
    return text.encode("latin-1")
  return text.encode("utf-8", "surrogateescape")


def format_reply(text, raw=False, params=None):
  params = params or {}
  if raw:
    return encode_text(text, params)
  lines = text.split("\n")
  lines = [l[:-1] if l.endswith("\r") else l for l in lines]
  return encode_text("\r\n".join(lines) + "\r\n", params)


def mdtm_string(t):
  return time.strftime("%Y%m%d%H%M%S", time.gmtime(t))


def set_linger_rst(sock):
  try:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
  except OSError:
    pass


def drain(sock, timeout=2.0):
  """Waits until the peer has acknowledged everything sent (the queue of
  unacknowledged bytes is empty), so that a reset after N bytes means the
  client really got N bytes.  Gives up after @timeout (peer not reading)."""
  deadline = time.monotonic() + timeout
  buf = array.array("i", [0])
  while time.monotonic() < deadline:
    try:
      fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, buf, True)
    except OSError:
      return
    if buf[0] == 0:
      return
    time.sleep(0.002)


def close_quietly(sock, rst=False, graceful=False):
  if sock is None:
    return
  try:
    if rst:
      set_linger_rst(sock)
    elif graceful:
      sock.shutdown(socket.SHUT_WR)
  except OSError:
    pass
  try:
    sock.close()
  except OSError:
    pass


def wait_io(read=(), write=(), timeout=None):
  """poll() over sockets; returns (readable, writable) lists."""
  p = select.poll()
  fds = {}
  for s in read:
    fds.setdefault(s.fileno(), [s, 0])[1] |= select.POLLIN
  for s in write:
    fds.setdefault(s.fileno(), [s, 0])[1] |= select.POLLOUT
  for fd, (s, ev) in fds.items():
    p.register(fd, ev)
  try:
    events = p.poll(None if timeout is None else int(timeout * 1000))
  except InterruptedError:
    events = []
  r, w = [], []
  bad = select.POLLERR | select.POLLHUP | select.POLLNVAL
  for fd, ev in events:
    s = fds[fd][0]
    if ev & (select.POLLIN | bad) and fds[fd][1] & select.POLLIN:
      r.append(s)
    if ev & (select.POLLOUT | bad) and fds[fd][1] & select.POLLOUT:
      w.append(s)
  return r, w


class FaultServer:
  def __init__(self, root, host="127.0.0.1", port=0, script=None, log_path=None):
    self.root = os.path.realpath(root)
    self.host = host
    self.port = port
    self.script = script or Script()
    self.log_file = open(log_path, "ab", buffering=0) if log_path else None
    self.log_lock = threading.Lock()
    self.stopping = threading.Event()
    self.sessions = set()
    self.sessions_lock = threading.Lock()
    self.sock = None
    self.thread = None

  def log_command(self, line):
    if self.log_file is None:
      return
    with self.log_lock:
      try:
        self.log_file.write(line + b"\n")
      except OSError as e:
        warn("cannot write the log: %s" % e)

  def bind(self):
    family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
    last = None
    # A fixed port may still be held by the server we replace: retry a bit.
    for _ in range(50):
      s = socket.socket(family, socket.SOCK_STREAM)
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      try:
        s.bind((self.host, self.port))
        s.listen(64)
        self.sock = s
        self.port = s.getsockname()[1]
        return
      except OSError as e:
        s.close()
        last = e
        if self.port == 0 or e.errno != errno.EADDRINUSE:
          break
        time.sleep(0.1)
    raise last

  def start(self):
    if self.sock is None:
      self.bind()
    self.thread = threading.Thread(target=self.serve, name="accept", daemon=True)
    self.thread.start()

  def serve(self):
    while not self.stopping.is_set():
      try:
        r, _ = wait_io([self.sock], timeout=0.25)
        if not r:
          continue
        conn, addr = self.sock.accept()
      except OSError:
        if self.stopping.is_set():
          break
        time.sleep(0.05)
        continue
      session = Session(self, conn, addr)
      with self.sessions_lock:
        self.sessions.add(session)
      t = threading.Thread(target=session.run, name="session", daemon=True)
      session.thread = t
      t.start()

  def forget(self, session):
    with self.sessions_lock:
      self.sessions.discard(session)

  def stop(self):
    self.stopping.set()
    try:
      # Wakes the accept thread's poll() at once (Linux).
      self.sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):
      pass
    with self.sessions_lock:
      sessions = list(self.sessions)
    for s in sessions:
      s.kill()
    if self.thread is not None:
      self.thread.join(2)
    close_quietly(self.sock)
    for s in sessions:
      if s.thread is not None:
        s.thread.join(2)
    if self.log_file is not None:
      try:
        self.log_file.close()
      except OSError:
        pass


class FileSource:
  """Sends a region of a file with sendfile()."""

  def __init__(self, f, offset, size):
    self.f = f
    self.pos = offset
    self.end = size

  def done(self):
    return self.pos >= self.end

  def send(self, sock, maxn):
    n = min(maxn, self.end - self.pos)
    sent = os.sendfile(sock.fileno(), self.f.fileno(), self.pos, n)
    if sent == 0:
      # The file shrank under us.
      self.end = self.pos
    self.pos += sent
    return sent


class BytesSource:
  def __init__(self, data):
    self.data = memoryview(data)
    self.pos = 0

  def done(self):
    return self.pos >= len(self.data)

  def send(self, sock, maxn):
    n = sock.send(self.data[self.pos:self.pos + maxn])
    self.pos += n
    return n


class AsciiFileSource:
  """TYPE A download: LF becomes CRLF."""

  def __init__(self, f, offset):
    self.f = f
    self.f.seek(offset)
    self.pending = b""
    self.eof = False

  def done(self):
    return self.eof and not self.pending

  def send(self, sock, maxn):
    if not self.pending and not self.eof:
      data = self.f.read(CHUNK)
      if not data:
        self.eof = True
        return 0
      self.pending = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    n = sock.send(self.pending[:maxn])
    self.pending = self.pending[n:]
    return n


class Session:
  def __init__(self, server, conn, addr):
    self.server = server
    self.script = server.script
    self.conn = conn
    self.addr = addr
    self.thread = None
    self.buf = bytearray()
    self.discarding = False     # inside an overlong command line
    self.cwd = "/"
    self.user = None
    self.logged_in = False
    self.binary = False
    self.rest = 0
    self.rename_from = None
    self.pasv = None            # listening socket
    self.data = None            # data connection
    self.epsv_all = False
    self.hash_algo = "SHA-256"
    self.closed = False

  # ---------------------------------------------------------------- control

  def kill(self):
    self.closed = True
    for s in (self.conn, self.pasv):
      try:
        if s is not None:
          s.shutdown(socket.SHUT_RDWR)
      except OSError:
        pass

  def send_bytes(self, data):
    try:
      self.conn.sendall(data)
    except OSError as e:
      raise ControlClosed(str(e))

  def reply(self, text):
    self.send_bytes(format_reply(text))

  def read_line(self):
    """One command line (bytes, without the line end), or ControlClosed."""
    idle = time.monotonic()
    while True:
      i = self.buf.find(b"\n")
      if i >= 0 and self.discarding:
        # The end of an overlong line: drop it.
        del self.buf[:i + 1]
        self.discarding = False
        continue
      if i >= 0:
        line = bytes(self.buf[:i])
        del self.buf[:i + 1]
        if line.endswith(b"\r"):
          line = line[:-1]
        return line
      if len(self.buf) > MAX_LINE:
        self.buf.clear()
        if not self.discarding:
          self.discarding = True
          self.server.log_command(b"<line too long>")
          self.reply("500 Command line too long.")
        continue
      if self.server.stopping.is_set() or self.closed:
        raise ControlClosed("server stopping")
      r, _ = wait_io([self.conn], timeout=0.25)
      if not r:
        if time.monotonic() - idle > IDLE_TIMEOUT:
          self.reply("421 Idle timeout, closing control connection.")
          raise ControlClosed("idle")
        continue
      try:
        data = self.conn.recv(65536)
      except OSError as e:
        raise ControlClosed(str(e))
      if not data:
        raise ControlClosed("eof")
      self.buf += data

  def poll_control(self):
    """During a transfer: read what the client sent on the control
    connection.  Returns True when an ABOR arrived (removed from the buffer,
    logged); raises ControlClosed on EOF.  Other commands wait."""
    try:
      data = self.conn.recv(65536, socket.MSG_DONTWAIT)
    except BlockingIOError:
      data = None
    except OSError as e:
      raise ControlClosed(str(e))
    if data is not None:
      if not data:
        raise ControlClosed("eof")
      self.buf += data
    start = 0
    while True:
      i = self.buf.find(b"\n", start)
      if i < 0:
        return False
      line = bytes(self.buf[start:i]).rstrip(b"\r")
      clean = strip_telnet(line)
      if clean.upper().strip() == b"ABOR":
        del self.buf[start:i + 1]
        self.log_line(line)
        return True
      start = i + 1

  def log_line(self, line):
    clean = strip_telnet(line)
    if clean[:5].upper() == b"PASS ":
      clean = clean[:4] + b" ****"
    out = bytearray()
    for b in clean:
      if b < 0x20 or b == 0x7f:
        out += b"\\x%02x" % b
      else:
        out.append(b)
    self.server.log_command(bytes(out))

  # ------------------------------------------------------------------ paths

  def vpath(self, arg):
    p = arg if arg.startswith("/") else posixpath.join(self.cwd, arg)
    p = posixpath.normpath(p)
    if p.startswith("//"):
      p = "/" + p.lstrip("/")
    if not p.startswith("/"):
      p = "/" + p
    return p

  def fspath(self, vpath):
    rel = vpath.lstrip("/")
    return os.path.join(self.server.root, rel) if rel else self.server.root

  def resolve(self, arg):
    return self.fspath(self.vpath(arg))

  # --------------------------------------------------------------- sessions

  def run(self):
    try:
      self.conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
      if self.greet():
        self.loop()
    except ControlClosed:
      pass
    except Exception as e:  # never spew a traceback per client
      warn("session error: %s: %s" % (type(e).__name__, e))
    finally:
      close_quietly(self.data, rst=True)
      close_quietly(self.pasv)
      self.pasv = None
      close_quietly(self.conn)
      self.server.forget(self)

  def greet(self):
    faults = self.script.faults_for("CONNECT", "")
    for action, p in faults:
      if action == "delay":
        time.sleep(float(p.get("seconds", 1)))
    for action, p in faults:
      if action in REPLACING_ACTIONS:
        return self.replace(action, p, "220")
    self.send_bytes(format_reply(self.script.greeting))
    return True

  def loop(self):
    while True:
      line = self.read_line()
      self.log_line(line)
      clean = strip_telnet(line).decode("utf-8", "surrogateescape")
      verb, _, arg = clean.partition(" ")
      verb = verb.upper()
      if not verb:
        self.reply("500 Empty command.")
        continue
      faults = self.script.faults_for(verb, arg)
      if not self.handle(verb, arg, faults):
        break

  def replace(self, action, p, code):
    """Returns False when the connection must end."""
    if action == "reply":
      self.send_bytes(format_reply(str(p.get("reply", "")), p.get("raw", False), p))
      if p.get("close", False):
        raise ControlClosed("scripted close")
      return True
    if action == "close":
      self.send_bytes(format_reply(
        str(p.get("reply", "421 Service not available, closing control connection.")),
        p.get("raw", False), p))
      raise ControlClosed("scripted close")
    if action == "drop":
      if p.get("control_rst", False):
        set_linger_rst(self.conn)
      raise ControlClosed("scripted drop")
    if action == "no_reply":
      return True
    if action == "long_reply":
      self.long_reply(p, code)
      return True
    return True

  def long_reply(self, p, default_code):
    code = str(p.get("code", default_code))
    size = int(p.get("size", 70000))
    style = p.get("style", "multiline")
    if style == "line":
      self.send_bytes(("%s " % code).encode() + b"x" * size + b"\r\n")
    elif style == "endless":
      self.send_bytes(("%s-" % code).encode())
      block = b"x" * 65536
      while not self.server.stopping.is_set() and not self.closed:
        _, w = wait_io(write=[self.conn], timeout=0.25)
        if w:
          try:
            self.conn.send(block, socket.MSG_DONTWAIT)
          except BlockingIOError:
            pass
          except OSError:
            raise ControlClosed("client gone")
        try:
          if self.conn.recv(65536, socket.MSG_DONTWAIT) == b"":
            raise ControlClosed("client gone")
        except BlockingIOError:
          pass
        except OSError:
          raise ControlClosed("client gone")
    else:
      out = [("%s-Here comes a long reply" % code).encode()]
      total = len(out[0])
      line = b" " + b"x" * 76
      while total < size:
        out.append(line)
        total += len(line) + 2
      out.append(("%s End" % code).encode())
      self.send_bytes(b"\r\n".join(out) + b"\r\n")

  def handle(self, verb, arg, faults):
    """Returns False to end the session."""
    for action, p in faults:
      if action == "delay":
        time.sleep(float(p.get("seconds", 1)))
      elif action == "modify_file":
        self.modify_file(p, arg)
    replacing = [(a, p) for a, p in faults if a in REPLACING_ACTIONS and
                 not (a == "drop" and verb in TRANSFER_COMMANDS)]
    if replacing:
      if verb in ("RETR", "STOR", "STOU", "APPE"):
        self.rest = 0
      return self.replace(replacing[0][0], replacing[0][1], "211")

    plan = Plan()
    for action, p in faults:
      if action in ("reset_data", "drop", "stall"):
        plan.cut = dict(p, action=action)
      elif action == "rate":
        plan.rate = max(1, int(p.get("bytes_per_second", 65536)))
      elif action == "skip_150":
        plan.skip_150 = True
      elif action == "early_226":
        plan.early_226 = True
      elif action == "coalesce_150_226":
        plan.coalesce = True
      elif action == "final_reply":
        plan.final_reply = str(p.get("reply", ""))
      elif action == "delay_final":
        plan.delay_final = float(p.get("seconds", 1))
      elif action == "listing":
        if "raw" in p:
          plan.listing = encode_text(str(p["raw"]), p)
        else:
          plan.listing = b"".join(encode_text(str(l), p) + b"\r\n"
                                  for l in p.get("lines", []))
      elif action == "pasv_address":
        plan.pasv_address = str(p.get("address", "10.99.99.99"))

    if not self.logged_in and verb not in NO_LOGIN_COMMANDS:
      self.reply("530 Please login with USER and PASS.")
      return True

    method = getattr(self, "cmd_" + verb, None)
    if method is None:
      self.reply("500 Unknown command.")
      return True
    try:
      return method(arg, plan) is not False
    except TransferAborted:
      return True
    except OSError as e:
      self.reply("550 %s." % (e.strerror or str(e)))
      return True
    except ValueError:
      # A NUL byte in a path, for one.
      self.reply("501 Invalid argument.")
      return True

  # ------------------------------------------------------------ fault bits

  def modify_file(self, p, arg):
    path = self.resolve(str(p.get("path", arg)))
    try:
      st = os.stat(path)
      old_mtime = st.st_mtime
      with open(path, "r+b") as f:
        if "truncate" in p:
          f.truncate(int(p["truncate"]))
        if "write_at" in p:
          off, text = p["write_at"]
          f.seek(int(off))
          f.write(encode_text(str(text), p))
        flips = p.get("flip")
        if flips is not None:
          for off in (flips if isinstance(flips, list) else [flips]):
            f.seek(int(off))
            b = f.read(1)
            if b:
              f.seek(int(off))
              f.write(bytes([b[0] ^ 0xff]))
        f.seek(0, os.SEEK_END)
        if "append" in p:
          f.write(encode_text(str(p["append"]), p))
        if "append_bytes" in p:
          rng = random.Random(p.get("seed", 0))
          left = int(p["append_bytes"])
          while left > 0:
            n = min(left, CHUNK)
            f.write(rng.randbytes(n))
            left -= n
      mtime = p.get("mtime")
      if mtime == "keep":
        os.utime(path, (st.st_atime, old_mtime))
      elif mtime is not None:
        os.utime(path, (float(mtime), float(mtime)))
      else:
        new = max(time.time(), old_mtime + 1)
        os.utime(path, (new, new))
    except OSError as e:
      warn("modify_file %s: %s" % (path, e))

  # ------------------------------------------------------------ data channel

  def open_pasv(self):
    close_quietly(self.pasv)
    self.pasv = None
    family = self.conn.family
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((self.conn.getsockname()[0], 0))
    s.listen(1)
    self.pasv = s
    return s.getsockname()[1]

  def accept_data(self):
    """Accepts the passive connection; replies 425 and raises
    TransferAborted if it does not come."""
    if self.pasv is None:
      self.reply("425 Use PASV or EPSV first.")
      raise TransferAborted()
    deadline = time.monotonic() + self.script.data_timeout
    listener = self.pasv
    try:
      while True:
        if self.server.stopping.is_set() or self.closed:
          raise ControlClosed("stopping")
        r, _ = wait_io([listener, self.conn], timeout=0.25)
        if listener in r:
          data, _ = listener.accept()
          data.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
          data.setblocking(False)
          self.data = data
          return data
        if self.conn in r and self.poll_control():
          self.reply("426 Transfer aborted.")
          self.reply("226 Abort successful.")
          raise TransferAborted()
        if time.monotonic() > deadline:
          self.reply("425 Can't open data connection.")
          raise TransferAborted()
    finally:
      close_quietly(listener)
      if self.pasv is listener:
        self.pasv = None

  def data_pending(self):
    if self.pasv is None:
      return False
    r, _ = wait_io([self.pasv], timeout=0)
    return bool(r)

  def begin_transfer(self, plan, what):
    """Preliminary replies and the data connection; returns (data socket,
    final_already_sent)."""
    final = False
    if plan.skip_150:
      data = self.accept_data()
    elif plan.coalesce:
      data = self.accept_data() if self.data_pending() else None
      self.send_bytes(format_reply("150 Opening data connection for %s." % what) +
                      format_reply("226 Transfer complete."))
      final = True
      if data is None:
        data = self.accept_data()
    else:
      if self.data_pending():
        data = self.accept_data()
        self.reply("125 Data connection already open; transfer starting.")
      else:
        self.reply("150 Opening %s mode data connection for %s."
                   % ("BINARY" if self.binary else "ASCII", what))
        data = self.accept_data()
    if plan.early_226 and not final:
      self.reply("226 Transfer complete.")
      final = True
    return data, final

  def finish_ok(self, data, plan, final_sent):
    close_quietly(data, graceful=True)
    self.data = None
    if final_sent:
      return
    if plan.delay_final:
      time.sleep(plan.delay_final)
    text = "226 Transfer complete." if plan.final_reply is None else plan.final_reply
    if text:
      self.send_bytes(format_reply(text))

  def apply_cut(self, data, cut, kind, final_sent):
    """reset_data / drop after the byte limit was reached."""
    drain(data)
    close_quietly(data, rst=True)
    self.data = None
    if kind == "drop":
      if cut.get("control_rst", False):
        set_linger_rst(self.conn)
      raise ControlClosed("scripted drop")
    if "final_reply" in cut:
      # An explicit final reply is sent even after an early 226.
      text = str(cut["final_reply"])
    else:
      text = "" if final_sent else "426 Connection closed; transfer aborted."
    if text:
      self.send_bytes(format_reply(text, cut.get("raw", False), cut))
    raise TransferAborted()

  def client_abort(self, data, final_sent, how):
    """The client sent ABOR or closed the data connection."""
    close_quietly(data, rst=True)
    self.data = None
    if how == "abor":
      self.reply("426 Transfer aborted.")
      self.reply("226 Abort successful.")
    elif not final_sent:
      self.reply("426 Connection closed; transfer aborted.")
    raise TransferAborted()

  def stall(self, data, cut, final_sent, sending):
    """Keeps everything open; returns when the stall is over ("continue")."""
    seconds = cut.get("seconds")
    deadline = None if seconds is None else time.monotonic() + float(seconds)
    while True:
      if self.server.stopping.is_set() or self.closed:
        raise ControlClosed("stopping")
      if deadline is not None and time.monotonic() >= deadline:
        break
      watch = [self.conn, data] if sending else [self.conn]
      r, _ = wait_io(watch, timeout=0.25)
      if self.conn in r and self.poll_control():
        self.client_abort(data, final_sent, "abor")
      if data in r:
        try:
          got = data.recv(65536)
        except BlockingIOError:
          got = None
        except OSError:
          got = b""
        if got == b"":
          self.client_abort(data, final_sent, "closed")
    then = cut.get("then", "continue")
    if then in ("reset", "reset_data"):
      self.apply_cut(data, cut, "reset_data", final_sent)
    elif then == "drop":
      self.apply_cut(data, cut, "drop", final_sent)

  def pace(self, plan, started, moved):
    """Sleeps to respect the rate; returns the largest chunk allowed now.
    @started is (time, bytes moved then)."""
    if plan.rate is None:
      return SENDFILE_CHUNK
    chunk = max(1, min(CHUNK, plan.rate // 20))
    due = started[0] + (moved - started[1]) / plan.rate
    now = time.monotonic()
    if due > now:
      time.sleep(min(due - now, 0.25))
    return chunk

  def cut_limit(self, plan):
    if plan.cut is None:
      return None
    return int(plan.cut.get("after_bytes", 0))

  def send_data(self, data, source, plan, final_sent):
    limit = self.cut_limit(plan)
    sent = 0
    started = (time.monotonic(), 0)
    idle = time.monotonic()
    while True:
      if limit is not None and sent >= limit:
        cut = plan.cut
        action = cut["action"]
        if action == "stall":
          self.stall(data, cut, final_sent, sending=True)
          limit = None
          started = (time.monotonic(), sent)
          continue
        self.apply_cut(data, cut, action, final_sent)
      if source.done():
        break
      if self.server.stopping.is_set() or self.closed:
        raise ControlClosed("stopping")
      maxn = self.pace(plan, started, sent)
      if limit is not None:
        maxn = min(maxn, limit - sent)
      r, w = wait_io([self.conn], [data], timeout=0.25)
      if self.conn in r and self.poll_control():
        self.client_abort(data, final_sent, "abor")
      if not w:
        if time.monotonic() - idle > IDLE_TIMEOUT:
          self.client_abort(data, final_sent, "closed")
        continue
      try:
        n = source.send(data, maxn)
      except BlockingIOError:
        continue
      except OSError:
        self.client_abort(data, final_sent, "closed")
      sent += n
      idle = time.monotonic()
    self.finish_ok(data, plan, final_sent)

  def recv_data(self, data, f, plan, final_sent):
    limit = self.cut_limit(plan)
    got = 0
    started = (time.monotonic(), 0)
    idle = time.monotonic()
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    ascii_mode = not self.binary
    while True:
      if limit is not None and got >= limit:
        cut = plan.cut
        action = cut["action"]
        if action == "stall":
          self.stall(data, cut, final_sent, sending=False)
          limit = None
          started = (time.monotonic(), got)
          continue
        f.flush()
        self.apply_cut(data, cut, action, final_sent)
      if self.server.stopping.is_set() or self.closed:
        raise ControlClosed("stopping")
      maxn = min(CHUNK, self.pace(plan, started, got))
      if limit is not None:
        maxn = min(maxn, limit - got)
      r, _ = wait_io([self.conn, data], timeout=0.25)
      if self.conn in r and self.poll_control():
        f.flush()
        self.client_abort(data, final_sent, "abor")
      if data not in r:
        if time.monotonic() - idle > IDLE_TIMEOUT:
          self.client_abort(data, final_sent, "closed")
        continue
      try:
        n = data.recv_into(view[:maxn])
      except BlockingIOError:
        continue
      except OSError:
        f.flush()
        self.client_abort(data, final_sent, "closed")
      if n == 0:
        break
      chunk = view[:n]
      if ascii_mode:
        f.write(bytes(chunk).replace(b"\r\n", b"\n"))
      else:
        f.write(chunk)
      got += n
      idle = time.monotonic()
    f.flush()
    self.finish_ok(data, plan, final_sent)

  # --------------------------------------------------------------- listings

  def list_entries(self, arg, strip_options=True):
    """Returns (directory fspath or None, [(name, fspath)]) or raises."""
    words = arg
    if strip_options:
      parts = arg.split(" ")
      while parts and parts[0].startswith("-"):
        parts.pop(0)
      words = " ".join(parts)
    path = self.resolve(words) if words else self.fspath(self.cwd)
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
      names = sorted(os.listdir(path))
      return [(n, os.path.join(path, n)) for n in names]
    return [(os.path.basename(path), path)]

  @staticmethod
  def ls_line(name, path):
    st = os.lstat(path)
    t = st.st_mtime
    tm = time.gmtime(t)
    if abs(time.time() - t) < 180 * 86400:
      when = "%s %2d %02d:%02d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min)
    else:
      when = "%s %2d  %d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_year)
    line = "%s %3d ferry    ferry    %12d %s %s" % (
      stat.filemode(st.st_mode), st.st_nlink, st.st_size, when, name)
    if stat.S_ISLNK(st.st_mode):
      try:
        line += " -> " + os.readlink(path)
      except OSError:
        pass
    return line

  @staticmethod
  def mlsx_facts(path):
    try:
      st = os.stat(path)
      kind = "dir" if stat.S_ISDIR(st.st_mode) else "file"
    except OSError:
      st = os.lstat(path)
      kind = "OS.unix=slink"
    if kind == "dir":
      perm = "elcdfmp"
    else:
      perm = "adfrw"
    facts = "type=%s;size=%d;modify=%s;perm=%s;unique=%xg%x;" % (
      kind, st.st_size, mdtm_string(st.st_mtime), perm, st.st_dev, st.st_ino)
    return facts

  def do_listing(self, arg, plan, kind):
    self.rest = 0
    if plan.listing is not None:
      payload = plan.listing
    else:
      try:
        if kind == "MLSD":
          path = self.resolve(arg) if arg else self.fspath(self.cwd)
          if not os.path.isdir(path):
            self.reply("501 Not a directory.")
            return
          entries = [(n, os.path.join(path, n)) for n in sorted(os.listdir(path))]
        else:
          entries = self.list_entries(arg)
      except OSError as e:
        self.reply("550 %s." % (e.strerror or "No such file or directory"))
        return
      lines = []
      for name, path in entries:
        try:
          if kind == "LIST":
            lines.append(self.ls_line(name, path))
          elif kind == "NLST":
            lines.append(name)
          else:
            lines.append(self.mlsx_facts(path) + " " + name)
        except OSError:
          continue
      payload = "".join(l + "\r\n" for l in lines).encode("utf-8", "surrogateescape")
    data, final = self.begin_transfer(plan, "file list")
    self.send_data(data, BytesSource(payload), plan, final)

  def cmd_LIST(self, arg, plan):
    self.do_listing(arg, plan, "LIST")

  def cmd_NLST(self, arg, plan):
    self.do_listing(arg, plan, "NLST")

  def cmd_MLSD(self, arg, plan):
    if not self.script.has_feature("MLST"):
      return self.not_implemented()
    self.do_listing(arg, plan, "MLSD")

  def cmd_MLST(self, arg, plan):
    if not self.script.has_feature("MLST"):
      return self.not_implemented()
    vp = self.vpath(arg) if arg else self.cwd
    path = self.fspath(vp)
    if not os.path.lexists(path):
      self.reply("550 No such file or directory.")
      return
    self.reply("250-Listing %s\n %s %s\n250 End." % (arg or vp, self.mlsx_facts(path), vp))

  # --------------------------------------------------------------- transfers

  def take_rest(self):
    rest = self.rest
    self.rest = 0
    return rest

  def cmd_RETR(self, arg, plan):
    rest = self.take_rest()
    path = self.resolve(arg)
    try:
      f = open(path, "rb")
    except OSError as e:
      self.reply("550 %s." % (e.strerror or "Can't open file"))
      return
    with f:
      st = os.fstat(f.fileno())
      if stat.S_ISDIR(st.st_mode):
        self.reply("550 Is a directory.")
        return
      size = st.st_size
      if rest > size:
        self.reply("554 Restart offset %d is beyond the file size %d." % (rest, size))
        return
      if self.binary:
        source = FileSource(f, rest, size)
      else:
        source = AsciiFileSource(f, rest)
      data, final = self.begin_transfer(plan, "%s (%d bytes)" % (arg, size))
      self.send_data(data, source, plan, final)

  def store(self, arg, plan, mode):
    rest = self.take_rest()
    vp = self.vpath(arg)
    path = self.fspath(vp)
    if os.path.isdir(path):
      self.reply("553 Is a directory.")
      return
    try:
      if mode == "append":
        f = open(path, "ab")
      elif rest > 0:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        f = os.fdopen(fd, "wb")
        if rest > os.fstat(fd).st_size:
          f.close()
          self.reply("554 Restart offset beyond the end of the file.")
          return
        f.truncate(rest)
        f.seek(rest)
      else:
        f = open(path, "wb")
    except OSError as e:
      self.reply("553 %s." % (e.strerror or "Can't create file"))
      return
    with f:
      if mode == "unique":
        what = "FILE: %s" % posixpath.basename(vp)
      else:
        what = vp
      data, final = self.begin_transfer(plan, what)
      self.recv_data(data, f, plan, final)

  def cmd_STOR(self, arg, plan):
    self.store(arg, plan, "store")

  def cmd_APPE(self, arg, plan):
    self.store(arg, plan, "append")

  def cmd_STOU(self, arg, plan):
    base = arg or "stou"
    n = 0
    while True:
      name = "%s.%d" % (base, n)
      if not os.path.lexists(self.resolve(name)):
        break
      n += 1
    self.store(name, plan, "unique")

  def cmd_REST(self, arg, plan):
    try:
      n = int(arg)
      if n < 0 or not arg.strip().isdigit():
        raise ValueError()
    except ValueError:
      self.reply("501 REST needs a non-negative integer.")
      return
    self.rest = n
    self.reply("350 Restarting at %d. Send STORE or RETRIEVE to initiate transfer." % n)

  def cmd_ABOR(self, arg, plan):
    self.reply("225 No transfer to abort.")

  # ------------------------------------------------------------ passive mode

  def cmd_PASV(self, arg, plan):
    if self.epsv_all:
      self.reply("501 PASV not allowed after EPSV ALL.")
      return
    if self.conn.family != socket.AF_INET:
      self.reply("522 Network protocol not supported, use EPSV (2).")
      return
    port = self.open_pasv()
    addr = plan.pasv_address or self.conn.getsockname()[0]
    self.reply("227 Entering Passive Mode (%s,%d,%d)."
               % (addr.replace(".", ","), port >> 8, port & 0xff))

  def cmd_EPSV(self, arg, plan):
    if not self.script.has_feature("EPSV"):
      return self.not_implemented()
    if arg.upper() == "ALL":
      self.epsv_all = True
      self.reply("200 EPSV ALL ok.")
      return
    port = self.open_pasv()
    self.reply("229 Entering Extended Passive Mode (|||%d|)" % port)

  def cmd_PORT(self, arg, plan):
    self.reply("502 Active mode is not supported.")

  def cmd_EPRT(self, arg, plan):
    self.reply("502 Active mode is not supported.")

  # -------------------------------------------------------------- login etc

  def not_implemented(self):
    self.reply("502 Command not implemented.")

  def cmd_USER(self, arg, plan):
    self.logged_in = False
    self.user = arg
    if arg.lower() in ("anonymous", "ftp"):
      if not self.script.anonymous:
        self.reply("530 Anonymous logins are not allowed.")
        self.user = None
        return
      self.reply("331 Guest login ok, send your e-mail address as password.")
    else:
      self.reply("331 Password required for %s." % arg)

  def cmd_PASS(self, arg, plan):
    if self.user is None:
      self.reply("503 Login with USER first.")
      return
    if self.user.lower() in ("anonymous", "ftp") or \
       (self.user == USER and arg == PASSWORD):
      self.logged_in = True
      self.cwd = "/"
      self.reply("230 Login successful.")
    else:
      self.user = None
      self.reply("530 Login incorrect.")

  def cmd_QUIT(self, arg, plan):
    self.reply("221 Goodbye.")
    return False

  def cmd_NOOP(self, arg, plan):
    self.reply("200 NOOP ok.")

  def cmd_SYST(self, arg, plan):
    self.reply("215 UNIX Type: L8")

  def cmd_HELP(self, arg, plan):
    self.reply("214 Help is not available.")

  def cmd_AUTH(self, arg, plan):
    self.reply("502 TLS is not supported.")

  def cmd_FEAT(self, arg, plan):
    if not self.script.features:
      self.reply("211 No features.")
      return
    self.reply("211-Features:\n" +
               "".join(" %s\n" % f for f in self.script.features) +
               "211 End")

  def cmd_OPTS(self, arg, plan):
    name, _, value = arg.partition(" ")
    name = name.upper()
    if name == "UTF8" and self.script.has_feature("UTF8"):
      self.reply("200 UTF8 mode %s." % ("enabled" if value.upper() != "OFF" else "disabled"))
    elif name == "MLST" and self.script.has_feature("MLST"):
      self.reply("200 MLST OPTS %s" % value)
    elif name == "HASH" and self.script.has_feature("HASH"):
      if not value:
        self.reply("200 %s" % self.hash_algo)
      elif value.upper() in HASH_ALGOS:
        self.hash_algo = value.upper()
        self.reply("200 %s" % self.hash_algo)
      else:
        self.reply("501 Unknown algorithm.")
    else:
      self.reply("501 Option not understood.")

  def cmd_TYPE(self, arg, plan):
    t = arg.upper().split(" ")
    if t[0] == "I" or (t[0] == "L" and t[1:] == ["8"]):
      self.binary = True
      self.reply("200 Type set to I.")
    elif t[0] == "A" and (len(t) == 1 or t[1] == "N"):
      self.binary = False
      self.reply("200 Type set to A.")
    else:
      self.reply("504 Type not supported.")

  def cmd_MODE(self, arg, plan):
    if arg.upper() == "S":
      self.reply("200 Mode set to S.")
    else:
      self.reply("504 Mode not supported.")

  def cmd_STRU(self, arg, plan):
    if arg.upper() == "F":
      self.reply("200 Structure set to F.")
    else:
      self.reply("504 Structure not supported.")

  def cmd_ALLO(self, arg, plan):
    self.reply("202 No storage allocation necessary.")

  def cmd_STAT(self, arg, plan):
    if arg:
      self.reply("502 STAT with an argument is not supported.")
    else:
      self.reply("211-Ferry fault server status\n Logged in as %s\n211 End of status"
                 % (self.user or "nobody"))

  # ------------------------------------------------------------- navigation

  @staticmethod
  def quote(path):
    return '"%s"' % path.replace('"', '""')

  def cmd_PWD(self, arg, plan):
    self.reply("257 %s is the current directory." % self.quote(self.cwd))

  cmd_XPWD = cmd_PWD

  def cmd_CWD(self, arg, plan):
    vp = self.vpath(arg)
    if os.path.isdir(self.fspath(vp)):
      self.cwd = vp
      self.reply('250 Directory changed to %s.' % self.quote(vp))
    else:
      self.reply("550 No such directory.")

  cmd_XCWD = cmd_CWD

  def cmd_CDUP(self, arg, plan):
    self.cwd = self.vpath("..")
    self.reply("250 Directory changed to %s." % self.quote(self.cwd))

  cmd_XCUP = cmd_CDUP

  def cmd_MKD(self, arg, plan):
    vp = self.vpath(arg)
    try:
      os.mkdir(self.fspath(vp), 0o755)
    except OSError as e:
      self.reply("550 %s." % (e.strerror or "Can't create directory"))
      return
    self.reply("257 %s created." % self.quote(vp))

  cmd_XMKD = cmd_MKD

  def cmd_RMD(self, arg, plan):
    vp = self.vpath(arg)
    if vp == "/":
      self.reply("550 Can't remove the root directory.")
      return
    os.rmdir(self.fspath(vp))
    self.reply("250 Directory removed.")

  cmd_XRMD = cmd_RMD

  def cmd_DELE(self, arg, plan):
    path = self.resolve(arg)
    if os.path.isdir(path) and not os.path.islink(path):
      self.reply("550 Is a directory.")
      return
    os.unlink(path)
    self.reply("250 File deleted.")

  def cmd_RNFR(self, arg, plan):
    path = self.resolve(arg)
    if not os.path.lexists(path):
      self.rename_from = None
      self.reply("550 No such file or directory.")
      return
    self.rename_from = path
    self.reply("350 Ready for RNTO.")

  def cmd_RNTO(self, arg, plan):
    if self.rename_from is None:
      self.reply("503 Bad sequence of commands: RNFR first.")
      return
    src, self.rename_from = self.rename_from, None
    os.rename(src, self.resolve(arg))
    self.reply("250 Rename successful.")

  # --------------------------------------------------------- file attributes

  def regular_file(self, arg):
    path = self.resolve(arg)
    try:
      st = os.stat(path)
    except OSError:
      self.reply("550 No such file.")
      return None, None
    if not stat.S_ISREG(st.st_mode):
      self.reply("550 Not a regular file.")
      return None, None
    return path, st

  def cmd_SIZE(self, arg, plan):
    if not self.script.has_feature("SIZE"):
      return self.not_implemented()
    path, st = self.regular_file(arg)
    if path is None:
      return
    if not self.binary:
      self.reply("550 SIZE not allowed in ASCII mode.")
      return
    self.reply("213 %d" % st.st_size)

  def cmd_MDTM(self, arg, plan):
    if not self.script.has_feature("MDTM"):
      return self.not_implemented()
    path, st = self.regular_file(arg)
    if path is None:
      return
    self.reply("213 %s" % mdtm_string(st.st_mtime))

  def cmd_MFMT(self, arg, plan):
    if not self.script.has_feature("MFMT"):
      return self.not_implemented()
    stamp, _, name = arg.partition(" ")
    try:
      t = time.strptime(stamp[:14], "%Y%m%d%H%M%S")
    except ValueError:
      self.reply("501 Bad time value.")
      return
    path, st = self.regular_file(name)
    if path is None:
      return
    secs = calendar.timegm(t)
    os.utime(path, (st.st_atime, secs))
    self.reply("213 Modify=%s; %s" % (stamp[:14], name))

  def file_digest(self, path, algo):
    if algo == "crc32":
      crc = 0
      with open(path, "rb") as f:
        while True:
          b = f.read(1024 * 1024)
          if not b:
            break
          crc = zlib.crc32(b, crc)
      return "%08x" % crc
    h = hashlib.new(algo)
    with open(path, "rb") as f:
      while True:
        b = f.read(1024 * 1024)
        if not b:
          break
        h.update(b)
    return h.hexdigest()

  def x_hash(self, arg, feature, algo):
    if not self.script.has_feature(feature):
      return self.not_implemented()
    path, st = self.regular_file(arg)
    if path is None:
      return
    self.reply("213 %s" % self.file_digest(path, algo))

  def cmd_XSHA256(self, arg, plan):
    self.x_hash(arg, "XSHA256", "sha256")

  def cmd_XSHA1(self, arg, plan):
    self.x_hash(arg, "XSHA1", "sha1")

  def cmd_XSHA512(self, arg, plan):
    self.x_hash(arg, "XSHA512", "sha512")

  def cmd_XMD5(self, arg, plan):
    self.x_hash(arg, "XMD5", "md5")

  def cmd_XCRC(self, arg, plan):
    self.x_hash(arg, "XCRC", "crc32")

  def cmd_HASH(self, arg, plan):
    if not self.script.has_feature("HASH"):
      return self.not_implemented()
    path, st = self.regular_file(arg)
    if path is None:
      return
    digest = self.file_digest(path, HASH_ALGOS[self.hash_algo])
    end = max(0, st.st_size - 1)
    self.reply("213 %s 0-%d %s %s" % (self.hash_algo, end, digest, arg))


def strip_telnet(line):
  # Telnet IP / Synch sequences some clients put in front of ABOR.
  for seq in (b"\xff\xf4", b"\xff\xf2", b"\xff\xff"):
    line = line.replace(seq, b"")
  return line.lstrip(b"\xf2")


def main(argv=None):
  ap = argparse.ArgumentParser(description="Ferry's scriptable misbehaving FTP server")
  ap.add_argument("--root", required=True)
  ap.add_argument("--host", default="127.0.0.1")
  ap.add_argument("--port", type=int, default=0)
  ap.add_argument("--script")
  ap.add_argument("--log")
  args = ap.parse_args(argv)
  try:
    script = Script.load(args.script)
  except (OSError, ValueError, ScriptError) as e:
    warn("bad script: %s" % e)
    return 2
  server = FaultServer(args.root, args.host, args.port, script, args.log)
  server.start()
  print("READY %d" % server.port, flush=True)
  try:
    while True:
      time.sleep(3600)
  except KeyboardInterrupt:
    pass
  server.stop()
  return 0


if __name__ == "__main__":
  sys.exit(main())
