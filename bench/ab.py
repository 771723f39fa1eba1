#!/usr/bin/python3
# ab.py: several ferry-cli builds head to head, in alternation
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   /usr/bin/python3 bench/ab.py [--mib 2048] [--runs 7] [--sink disk|tmpfs]
#       [--direction get|put] [--curl] LABEL=PATH/TO/ferry-cli ...
#
# For trying an engine change: build the change in a copy of the tree, then
# compare it with the current build on the same vsftpd, same file, runs in
# alternation (A B C A B C ...), sync before each.  Prints median wall time,
# CPU time (user+sys) and peak RSS per build, and the ratio to the first.

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location("ferry_bench", os.path.join(HERE, "bench.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--mib", type=int, default=2048)
  ap.add_argument("--runs", type=int, default=7)
  ap.add_argument("--sink", choices=["disk", "tmpfs"], default="disk")
  ap.add_argument("--direction", choices=["get", "put"], default="get")
  ap.add_argument("--curl", action="store_true", help="add curl as a contender")
  ap.add_argument("builds", nargs="+", help="LABEL=PATH")
  args = ap.parse_args()

  tmp = tempfile.mkdtemp(prefix="ferry-ab-", dir="/tmp")
  bench.cleanup_paths.append(tmp)
  out_dir = tmp
  if args.sink == "tmpfs":
    out_dir = tempfile.mkdtemp(prefix="ferry-ab-", dir="/dev/shm")
    bench.cleanup_paths.append(out_dir)
  root = os.path.join(tmp, "root")
  os.mkdir(root)
  src = os.path.join(root if args.direction == "get" else tmp, "big.bin")
  bench.make_random_file_fast(src, args.mib * bench.MIB)
  bench.warm(src)
  env = dict(os.environ, FERRY_PASSWORD="ab@example.org", LC_ALL="C")
  server = bench.Server("vsftpd", root)
  try:
    url = "ftp://anonymous@127.0.0.1:%d/big.bin" % server.port
    out = os.path.join(out_dir, "out.bin") if args.direction == "get" else os.path.join(root, "big-up.bin")
    tools = []
    for b in args.builds:
      label, path = b.split("=", 1)
      if args.direction == "get":
        cmd = [path, "--progress=never", "get", url, out]
      else:
        cmd = [path, "--progress=never", "put", src,
               "ftp://anonymous@127.0.0.1:%d/big-up.bin" % server.port]
      tools.append(bench.Tool(label, lambda ctx, cmd=cmd: cmd,
                              prepare=lambda: bench.remove_ferry_download(out),
                              check=lambda r: os.path.getsize(out) == args.mib * bench.MIB))
    if args.curl:
      if args.direction == "get":
        cmd = ["curl", "-sS", "-o", out, "ftp://127.0.0.1:%d/big.bin" % server.port]
      else:
        cmd = ["curl", "-sS", "-T", src, "ftp://127.0.0.1:%d/big-up.bin" % server.port]
      tools.append(bench.Tool("curl", lambda ctx, cmd=cmd: cmd,
                              prepare=lambda: bench.remove_ferry_download(out),
                              check=lambda r: os.path.getsize(out) == args.mib * bench.MIB))
    bench.run_case("ab", tools, args.runs, tmp, env)
  finally:
    server.stop()
    bench.stop_all()
  base = None
  print("| build | runs | wall median (s) | min–max | CPU median (s) | user | sys | RSS (MiB) | wall ÷ first | CPU ÷ first |")
  print("|---|---|---|---|---|---|---|---|---|---|")
  for t in tools:
    if not t.runs:
      print("| %s | 0 | failed |" % t.name)
      continue
    w = statistics.median(r.wall for r in t.runs)
    c = statistics.median(r.cpu for r in t.runs)
    if base is None:
      base = (w, c)
    print("| %s | %d | %.3f | %.3f–%.3f | %.3f | %.2f | %.2f | %.1f | %.2f | %.2f |"
          % (t.name, len(t.runs), w, min(r.wall for r in t.runs), max(r.wall for r in t.runs), c,
             statistics.median(r.user for r in t.runs), statistics.median(r.sys for r in t.runs),
             max(r.rss_kib for r in t.runs) / 1024, w / base[0], c / base[1] if base[1] else 0))


if __name__ == "__main__":
  main()
