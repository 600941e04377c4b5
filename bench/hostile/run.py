#!/usr/bin/env python3
"""The hostile-input suite: every case is a small repository built by a function in a
`cases_*.py` file beside this one. Each is scanned by a release build of rootguard, and each
must end within the time and memory bounds, with the exit code and diagnostics it names.

    python3 bench/hostile/run.py --binary target/release/rootguard [--filter TEXT] [--table]

Exit status 1 when any case breaks its expectations or a bound. `--table` prints the results as
a Markdown table (for README.md and bench/README.md).
"""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile import CASES  # noqa: E402

WALL_BOUND = 1.0  # seconds
RSS_BOUND = 200 * 1024 * 1024  # bytes
KILL_AFTER = 20.0  # a case past this is killed and reported


def load_cases():
    for f in sorted(HERE.glob("cases_*.py")):
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    return CASES


# A small process that starts the case and reports its wall time, peak RSS and exit code. The
# harness does not start the case itself: a child's peak RSS counts what it shared with its
# parent before exec, and this interpreter (no site, nothing built) is far smaller than the
# harness once it has generated the large cases.
MEASURE = """
import os, sys, time
out = sys.argv[1]
t = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write("%f %d %d" % (time.monotonic() - t, usage.ru_maxrss, os.waitstatus_to_exitcode(status)))
"""


def run_case(binary, c, work):
    root = work / c.name
    root.mkdir(parents=True)
    repo = root / "repo"
    repo.mkdir()
    c.build(repo)
    args = [str(binary)] + [a.replace("{repo}", str(repo)).replace("{root}", str(root)) for a in c.args]
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.update(c.env)
    cwd = repo if c.cwd == "repo" else root
    out_path, err_path = root / "stdout", root / "stderr"
    measured = root / "measured"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        p = subprocess.Popen([sys.executable, "-S", "-c", MEASURE, str(measured)] + args, cwd=cwd, stdout=out,
                             stderr=err, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        killed = False
        try:
            p.wait(timeout=KILL_AFTER)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            p.wait()
            killed = True
    if measured.exists():
        w, kb, code = measured.read_text().split()
        wall, rss, code = float(w), int(kb) * 1024, int(code)
    else:
        wall, rss, code = time.monotonic() - start, 0, -9
    stdout = out_path.read_bytes().decode("utf-8", "replace")
    stderr = err_path.read_bytes().decode("utf-8", "replace")
    problems = []
    if killed:
        problems.append(f"killed after {KILL_AFTER:.0f} s")
    if wall > WALL_BOUND:
        problems.append(f"took {wall:.2f} s (bound {WALL_BOUND} s)")
    if rss > RSS_BOUND:
        problems.append(f"peak RSS {rss / 2**20:.0f} MB (bound {RSS_BOUND / 2**20:.0f} MB)")
    if c.exit is not None and code not in c.exit:
        problems.append(f"exit {code}, expected {' or '.join(map(str, c.exit))}")
    both = stdout + "\n" + stderr
    for text in c.expect:
        if text not in both:
            problems.append(f"output lacks {text!r}")
    for text in c.reject:
        if text in both:
            problems.append(f"output has {text!r}")
    if code < 0 or code > 2:
        problems.append(f"abnormal exit {code}")
    if c.check is not None:
        why = c.check(stdout, stderr, code)
        if why:
            problems.append(why)
    return wall, rss, code, problems, stdout, stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--filter", default="")
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    binary = Path(a.binary).resolve()
    cases = [c for c in load_cases() if a.filter in c.name]
    work = Path(tempfile.mkdtemp(prefix="rootguard-hostile-"))
    failed = 0
    rows = []
    try:
        for c in cases:
            wall, rss, code, problems, stdout, stderr = run_case(binary, c, work)
            rows.append((c, wall, rss, code, problems))
            if problems:
                failed += 1
                print(f"FAIL {c.name}: {'; '.join(problems)}", file=sys.stderr)
                if a.verbose:
                    print(stdout[-4000:], file=sys.stderr)
                    print(stderr[-4000:], file=sys.stderr)
            elif not a.table:
                print(f"ok   {c.name} ({wall:.3f} s, {rss / 2**20:.0f} MB, exit {code})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if a.table:
        print("| case | what it tries | wall (s) | peak RSS (MB) | exit |")
        print("|---|---|---:|---:|---:|")
        for c, wall, rss, code, problems in rows:
            mark = "" if not problems else " **FAIL**"
            print(f"| `{c.name}` | {c.what} | {wall:.3f} | {rss / 2**20:.0f} | {code}{mark} |")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
