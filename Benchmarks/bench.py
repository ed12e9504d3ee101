#!/usr/bin/env python3
"""revgraph benchmarks: the CLI against Alembic and against `cat`, and the Graph library in memory.

Run through Benchmarks/run.sh, which builds the binaries and prepares Alembic's venv. This
script generates the histories, runs every command in one session, and prints medians and
ratios side by side (optionally as Markdown, for docs/performance.md).
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time


def fail(message):
    print("bench: FAILED: " + message, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------
# Running one command


class Result:
    def __init__(self, seconds, peak_kb, code, timed_out, timeout):
        self.seconds = seconds
        self.peak_kb = peak_kb
        self.code = code
        self.timed_out = timed_out
        self.timeout = timeout


def run_timed(argv, cwd, timeout=None, env=None, stdout=subprocess.DEVNULL):
    """Wall time and peak RSS (from wait4) of one process; kills it after `timeout` seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE
                            if stdout is subprocess.DEVNULL else subprocess.STDOUT,
                            start_new_session=True)
    killed = []

    def kill():
        killed.append(True)
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # Drain stderr in a thread so a chatty process cannot block on a full pipe.
    err = []
    reader = None
    if proc.stderr is not None:
        reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if timer:
        timer.cancel()
    if reader:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    code = proc.returncode
    if killed:
        return Result(elapsed, usage.ru_maxrss, code, True, timeout)
    if code != 0:
        text = (err[0] if err else b"").decode(errors="replace")[-2000:]
        fail("%s (in %s) exited with %d:\n%s" % (" ".join(argv), cwd, code, text))
    return Result(elapsed, usage.ru_maxrss, code, False, timeout)


def output(argv, cwd, env=None):
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        fail("%s (in %s) exited with %d:\n%s" % (" ".join(argv), cwd, proc.returncode, proc.stderr[-2000:]))
    return proc.stdout


class Series:
    """Several runs of one command."""

    def __init__(self, results):
        self.results = results

    @property
    def timed_out(self):
        return any(r.timed_out for r in self.results)

    @property
    def median(self):
        return statistics.median(r.seconds for r in self.results)

    @property
    def peak_mb(self):
        return max(r.peak_kb for r in self.results) / 1024

    def text(self):
        if self.timed_out:
            return "> %.0f s (timed out)" % self.results[0].timeout
        return seconds_text(self.median)


def seconds_text(s):
    if s >= 10:
        return "%.1f s" % s
    if s >= 1:
        return "%.2f s" % s
    return "%.3f s" % s


def series(argv, cwd, runs, timeout=None, env=None, warmup=0):
    """`runs` timed runs, after `warmup` untimed ones (the first run after the files or the
    folder changed also rewrites revgraph's header cache; the page cache warms up)."""
    for _ in range(warmup):
        first = run_timed(argv, cwd, timeout=timeout, env=env)
        if first.timed_out:
            return Series([first])
    results = []
    for _ in range(runs):
        r = run_timed(argv, cwd, timeout=timeout, env=env)
        results.append(r)
        if r.timed_out:
            break
    return Series(results)


# ---------------------------------------------------------------------------
# Histories


def generate(args, size, root):
    out = os.path.join(root, "h%d" % size)
    summary = output([args.generator, "--size", str(size), "--seed", str(args.seed), "--out", out], cwd=root)
    # revgraph's header cache records a file only once it has not changed for 3 s (timestamps
    # are coarse): wait that long, so that the first run below fills the cache.
    time.sleep(3.2)
    return out, json.loads(summary)


def revgraph_env(args, cached):
    """revgraph's environment: its header cache in the work folder, or no cache at all."""
    env = dict(os.environ)
    env["REVGRAPH_CACHE_DIR"] = os.path.join(args.work, "header-cache") if cached else "off"
    return env


def revision_files(directory, ext):
    d = os.path.join(directory, "migrations", "versions")
    return d, sorted(name for name in os.listdir(d) if name.endswith(ext))


def cat_argv(directory, ext):
    """`cat` of every revision file, directory listing included (find ... -exec cat {} +)."""
    d = os.path.join(directory, "migrations", "versions")
    return ["find", d, "-maxdepth", "1", "-name", "*" + ext, "-exec", "cat", "{}", "+"]


def first_words(text):
    return sorted(line.split()[0] for line in text.splitlines() if line.strip())


def check_agreement(args, native, alembic_dir, label, with_alembic):
    """revgraph on both formats (and Alembic, when run) must agree on heads and the resolve target."""
    env = revgraph_env(args, True)
    # The first run of each fills the header cache; the second reads through it; both must
    # agree with a run without the cache.
    rg_native = first_words(output([args.revgraph, "heads"], native, env=env))
    rg_alembic = first_words(output([args.revgraph, "heads"], alembic_dir, env=env))
    for directory, expected in ((native, rg_native), (alembic_dir, rg_alembic)):
        for cached in (True, False):
            if first_words(output([args.revgraph, "heads"], directory, env=revgraph_env(args, cached))) != expected:
                fail("revgraph heads in %s differ with and without the header cache" % directory)
    if rg_native != rg_alembic:
        fail("revgraph heads differ between the native and the Alembic project:\n%s\n%s" % (rg_native, rg_alembic))
    target = "%s@-2" % label
    resolved = first_words(output([args.revgraph, "resolve", target], native, env=env))
    if resolved != first_words(output([args.revgraph, "resolve", target], alembic_dir, env=env)):
        fail("revgraph resolve %s differs between the two projects" % target)
    if with_alembic:
        al = first_words(output([args.alembic, "heads"], alembic_dir))
        if al != rg_native:
            fail("revgraph and Alembic disagree on heads:\nrevgraph: %s\nalembic:  %s" % (rg_native, al))
        shown = [line.split()[1] for line in output([args.alembic, "show", target], alembic_dir).splitlines()
                 if line.startswith("Rev: ")]
        if sorted(shown) != resolved:
            fail("revgraph resolve %s gives %s, alembic show gives %s" % (target, resolved, shown))
    return len(rg_native), resolved


# ---------------------------------------------------------------------------
# The comparisons


COMMANDS = [
    # name, revgraph arguments, Alembic arguments (None: no equivalent), revgraph runs it on .py
    ("heads", ["heads"], ["heads"], True),
    ("history", ["history"], ["history"], True),
    # revgraph renders SQL only from native revisions; Alembic's offline mode runs each script.
    ("upgrade heads --sql", ["upgrade", "heads", "--sql"], ["upgrade", "heads", "--sql"], False),
    # Alembic has no resolve; `show L@-2` resolves the same relative target and prints it.
    ("resolve L@-2", ["resolve", "{L}@-2"], ["show", "{L}@-2"], True),
    # Alembic has no DOT output: revgraph alone (and against cat).
    ("graph --format dot", ["graph", "--format", "dot"], None, True),
]


def alembic_runs(args, size):
    if args.alembic_runs:
        return args.alembic_runs
    return 3 if size <= 1000 else (2 if size <= 10000 else 1)


def bench_size(args, size, root, rows):
    directory, summary = generate(args, size, root)
    native = os.path.join(directory, "native")
    alembic_dir = os.path.join(directory, "alembic")
    label = summary["labels"][0]
    with_alembic = not args.skip_alembic
    check_alembic = with_alembic and size <= args.check_limit
    heads, resolved = check_agreement(args, native, alembic_dir, label, check_alembic)
    print("\n== %d revisions: %d heads, %d merge points (%d three-way), %d branch points, %d bases, "
          "%d depends_on; %s@-2 -> %s%s"
          % (size, heads, summary["merge_points"], summary["three_way_merges"], summary["branch_points"],
             summary["bases"], summary["depends_on"], label, ", ".join(resolved),
             " (heads and resolve checked against Alembic)" if check_alembic else ""), flush=True)

    cat_sql = series(cat_argv(native, ".sql"), native, args.runs, warmup=args.warmup)
    cat_py = series(cat_argv(alembic_dir, ".py"), alembic_dir, args.runs, warmup=args.warmup)
    print("  cat *.sql %s   cat *.py %s" % (cat_sql.text(), cat_py.text()), flush=True)
    timeout = args.alembic_timeout if size > 10000 else None
    for name, rg_args, al_args, on_py in COMMANDS:
        rg_args = [a.replace("{L}", label) for a in rg_args]
        warm, cold = revgraph_env(args, True), revgraph_env(args, False)
        rg_sql = series([args.revgraph] + rg_args, native, args.runs, env=warm, warmup=args.warmup)
        rg_cold = series([args.revgraph] + rg_args, native, args.runs, env=cold, warmup=args.warmup)
        rg_py = (series([args.revgraph] + rg_args, alembic_dir, args.runs, env=warm, warmup=args.warmup)
                 if on_py else None)
        # Against Alembic: revgraph on the very same .py files where it can read them.
        rg_same = rg_py or rg_sql
        al = None
        if with_alembic and al_args is not None:
            al_args = [a.replace("{L}", label) for a in al_args]
            al = series([args.alembic] + al_args, alembic_dir, alembic_runs(args, size), timeout=timeout)
        row = {
            "size": size, "command": name,
            "rg_sql": rg_sql.median, "rg_sql_mb": rg_sql.peak_mb, "cat_sql": cat_sql.median,
            "rg_cold": rg_cold.median, "rg_cold_mb": rg_cold.peak_mb,
            "rg_py": rg_py.median if rg_py else None, "rg_py_mb": rg_py.peak_mb if rg_py else 0,
            "cat_py": cat_py.median, "rg_same": rg_same.median,
            "alembic": None if al is None else al.median, "alembic_text": None if al is None else al.text(),
            "alembic_timed_out": False if al is None else al.timed_out,
            "alembic_args": None if al_args is None else " ".join(al_args), "alembic_runs": 0 if al is None else len(al.results),
        }
        rows.append(row)
        py = "n/a" if rg_py is None else "%-9s (%4.1f× cat)" % (seconds_text(rg_py.median), rg_py.median / cat_py.median)
        print("  %-22s revgraph .sql %-9s (%4.1f× cat, %3.0f MB; %s without the cache)   .py %-22s   alembic %s%s"
              % (name, seconds_text(rg_sql.median), rg_sql.median / cat_sql.median, rg_sql.peak_mb,
                 seconds_text(rg_cold.median), py,
                 "n/a" if al is None else al.text(),
                 "" if al is None or al.timed_out else "  (%.0f× revgraph)" % (al.median / rg_same.median)),
              flush=True)
    return directory


def version_rows(path, table):
    with sqlite3.connect(path) as db:
        return sorted(r[0] for r in db.execute("SELECT version_num FROM %s" % table))


def bench_online(args, directory, size):
    """Applies every revision to a fresh SQLite file: revgraph upgrade heads vs alembic upgrade heads."""
    native = os.path.join(directory, "native")
    alembic_dir = os.path.join(directory, "alembic")
    rg_db = os.path.join(directory, "revgraph.db")
    al_db = os.path.join(alembic_dir, "alembic.db")
    rg = []
    for _ in range(args.runs):
        for p in (rg_db, rg_db + "-journal", rg_db + "-wal", rg_db + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        rg.append(run_timed([args.revgraph, "upgrade", "heads", "--url", "sqlite:///" + rg_db], native,
                            env=revgraph_env(args, True)))
    rg = Series(rg)
    rg_rows = version_rows(rg_db, "revgraph_version")
    result = {"size": size, "revgraph": rg.median, "revgraph_mb": rg.peak_mb, "rows": len(rg_rows),
              "alembic": None, "alembic_text": None}
    print("\n== online upgrade of an empty SQLite database through %d revisions" % size)
    print("  revgraph upgrade heads   %s (%d rows in the version table)" % (rg.text(), len(rg_rows)), flush=True)
    if not args.skip_alembic:
        al = []
        for _ in range(args.alembic_online_runs):
            if os.path.exists(al_db):
                os.remove(al_db)
            al.append(run_timed([args.alembic, "upgrade", "heads"], alembic_dir, timeout=args.alembic_timeout))
            if al[-1].timed_out:
                break
        al = Series(al)
        result["alembic"] = al.median
        result["alembic_text"] = al.text()
        result["alembic_timed_out"] = al.timed_out
        if not al.timed_out:
            al_rows = version_rows(al_db, "alembic_version")
            if al_rows != rg_rows:
                fail("after upgrade heads the version tables differ:\nrevgraph: %s\nalembic:  %s" % (rg_rows, al_rows))
            print("  alembic upgrade heads    %s (%.0f× revgraph; same %d version rows)"
                  % (al.text(), al.median / rg.median, len(al_rows)), flush=True)
        else:
            print("  alembic upgrade heads    %s" % al.text(), flush=True)
        if os.path.exists(al_db):
            os.remove(al_db)
    return result


def psql(args, url, sql):
    """Rows of `sql` on `url` through psql (unaligned, tuples only)."""
    proc = subprocess.run([args.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail("psql %s: %s" % (sql, proc.stderr.strip()))
    return [line for line in proc.stdout.splitlines() if line]


def database_url(server, name):
    """The server's postgresql:// URL with its database replaced by `name`."""
    base, _, query = server.partition("?")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return "%s://%s/%s%s" % (scheme, host, name, "?" + query if query else "")


def fresh_database(args, name):
    psql(args, args.postgresql_url, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
    psql(args, args.postgresql_url, "CREATE DATABASE %s" % name)
    return database_url(args.postgresql_url, name)


def bench_postgresql(args, directory, size):
    """Applies every revision to an empty PostgreSQL database: revgraph upgrade heads vs alembic
    upgrade heads (psycopg2), then `current` on the result."""
    native = os.path.join(directory, "native")
    alembic_dir = os.path.join(directory, "alembic")
    print("\n== online upgrade of an empty PostgreSQL database through %d revisions" % size, flush=True)
    rg = []
    for _ in range(args.postgresql_runs):
        url = fresh_database(args, "bench_revgraph")
        rg.append(run_timed([args.revgraph, "upgrade", "heads", "--url", url], native, env=revgraph_env(args, True)))
    rg = Series(rg)
    rg_rows = sorted(psql(args, url, "SELECT version_num FROM revgraph_version"))
    current = Series([run_timed([args.revgraph, "current", "--url", url], native, env=revgraph_env(args, True))
                      for _ in range(args.runs)])
    result = {"size": size, "revgraph": rg.median, "rows": len(rg_rows), "current": current.median,
              "alembic": None, "alembic_text": None, "alembic_current": None}
    print("  revgraph upgrade heads   %s (%d rows in the version table)" % (rg.text(), len(rg_rows)))
    print("  revgraph current         %s" % current.text(), flush=True)
    psql(args, args.postgresql_url, "DROP DATABASE IF EXISTS bench_revgraph WITH (FORCE)")
    if args.skip_alembic:
        return result
    al_url = fresh_database(args, "bench_alembic")
    ini = os.path.join(alembic_dir, "alembic-postgresql.ini")
    with open(os.path.join(alembic_dir, "alembic.ini")) as f:
        text = f.read()
    with open(ini, "w") as f:
        f.write(text.replace("sqlalchemy.url = sqlite:///%(here)s/alembic.db",
                             "sqlalchemy.url = " + al_url.replace("postgresql://", "postgresql+psycopg2://", 1)))
    al = Series([run_timed([args.alembic, "-c", ini, "upgrade", "heads"], alembic_dir, timeout=args.alembic_timeout)])
    result["alembic"] = al.median
    result["alembic_text"] = al.text()
    result["alembic_timed_out"] = al.timed_out
    if al.timed_out:
        print("  alembic upgrade heads    %s" % al.text(), flush=True)
    else:
        al_rows = sorted(psql(args, al_url, "SELECT version_num FROM alembic_version"))
        if al_rows != rg_rows:
            fail("after upgrade heads on PostgreSQL the version tables differ:\nrevgraph: %s\nalembic:  %s"
                 % (rg_rows, al_rows))
        print("  alembic upgrade heads    %s (%.1f× revgraph; same %d version rows)"
              % (al.text(), al.median / rg.median, len(al_rows)))
        al_current = Series([run_timed([args.alembic, "-c", ini, "current"], alembic_dir,
                                       timeout=args.alembic_timeout)])
        result["alembic_current"] = al_current.median
        print("  alembic current          %s (%.1f× revgraph)" % (al_current.text(), al_current.median / current.median),
              flush=True)
    psql(args, args.postgresql_url, "DROP DATABASE IF EXISTS bench_alembic WITH (FORCE)")
    os.remove(ini)
    return result


def bench_memory(args):
    path = os.path.join(args.work, "graph-bench.json")
    argv = [args.graph_bench, "--sizes", ",".join(map(str, args.memory_sizes)), "--runs", str(args.memory_runs),
            "--seed", str(args.seed), "--json", path]
    print("\n== Graph library in memory (%s)" % " ".join(argv[1:]), flush=True)
    proc = subprocess.run(argv)
    if proc.returncode != 0:
        fail("graph-bench exited with %d" % proc.returncode)
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------------------
# Markdown


def ratio(a, b):
    return "%.1f×" % (a / b) if b else "—"


def markdown(args, rows, online, postgresql, memory, machine):
    out = ["<!-- written by Benchmarks/bench.py --markdown -->", ""]
    out.append("Machine: " + machine)
    out.append("")
    if rows:
        out.append("| revisions | command | revgraph (.sql) | no cache | cat .sql | ÷ cat | revgraph (.py) | cat .py "
                   "| ÷ cat | Alembic (.py) | Alembic ÷ revgraph | revgraph peak RSS |")
        out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        if r["alembic_text"] is None:
            al, al_ratio = "n/a", "—"
        elif r["alembic_timed_out"]:
            al = r["alembic_text"]
            al_ratio = "> %.0f×" % (r["alembic"] / r["rg_same"])
        else:
            al = "%s (`%s`)" % (seconds_text(r["alembic"]), r["alembic_args"])
            al_ratio = ratio(r["alembic"], r["rg_same"])
        py = ("n/a", "—") if r["rg_py"] is None else (seconds_text(r["rg_py"]), ratio(r["rg_py"], r["cat_py"]))
        out.append("| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f MB |" % (
            "{:,}".format(r["size"]), r["command"], seconds_text(r["rg_sql"]), seconds_text(r["rg_cold"]),
            seconds_text(r["cat_sql"]),
            ratio(r["rg_sql"], r["cat_sql"]), py[0], seconds_text(r["cat_py"]), py[1], al, al_ratio,
            max(r["rg_sql_mb"], r["rg_py_mb"], r["rg_cold_mb"])))
    if online:
        out += ["", "| online upgrade, empty SQLite database | revgraph `upgrade heads` | Alembic `upgrade heads` "
                "| Alembic ÷ revgraph | version rows |", "| ---: | ---: | ---: | ---: | ---: |"]
        for o in online:
            al = o["alembic_text"] or "n/a"
            al_ratio = ratio(o["alembic"], o["revgraph"]) if o["alembic"] and not o.get("alembic_timed_out") else "—"
            out.append("| %s revisions | %s | %s | %s | %d (same in both) |" % (
                "{:,}".format(o["size"]), seconds_text(o["revgraph"]), al, al_ratio, o["rows"]))
    if postgresql:
        out += ["", "| online upgrade, empty PostgreSQL database | revgraph `upgrade heads` | Alembic `upgrade heads` "
                "(psycopg2) | Alembic ÷ revgraph | revgraph `current` | Alembic `current` | Alembic ÷ revgraph |",
                "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for o in postgresql:
            done = o["alembic"] and not o.get("alembic_timed_out")
            out.append("| %s revisions | %s | %s | %s | %s | %s | %s |" % (
                "{:,}".format(o["size"]), seconds_text(o["revgraph"]), o["alembic_text"] or "n/a",
                ratio(o["alembic"], o["revgraph"]) if done else "—", seconds_text(o["current"]),
                seconds_text(o["alembic_current"]) if o["alembic_current"] else "n/a",
                ratio(o["alembic_current"], o["current"]) if o["alembic_current"] else "—"))
    if memory:
        out += ["", "| in memory | phase | median | peak RSS after it | |", "| ---: | --- | ---: | ---: | --- |"]
        for s in memory["sizes"]:
            for p in s["phases"]:
                out.append("| %s | %s | %s | %d MiB | %s |" % (
                    "{:,}".format(s["size"]), p["phase"], seconds_text(p["median_s"]), p["peak_bytes"] >> 20,
                    p["note"]))
    return "\n".join(out) + "\n"


def machine_line(args):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = "%.0f GiB" % (kb / 1048576)
    except (OSError, ValueError, IndexError):
        pass
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift = swift[0] if swift else "swift ?"
    al = "not run"
    if not args.skip_alembic:
        al = output([args.alembic, "--version"], args.work).strip()
    return "%d cores (%s), %s, %s, %s, SQLite %s, Python %s" % (
        os.cpu_count() or 0, cpu, mem, swift.strip(), al, sqlite3.sqlite_version, sys.version.split()[0])


# ---------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--revgraph", required=True, help="the release-built revgraph binary")
    p.add_argument("--generator", required=True, help="Benchmarks' history-generator binary")
    p.add_argument("--graph-bench", required=True, help="Benchmarks' graph-bench binary")
    p.add_argument("--alembic", help="the alembic executable (of the venv)")
    p.add_argument("--work", required=True, help="scratch directory for the histories")
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--runs", type=int, default=5, help="runs per revgraph and cat command (median)")
    p.add_argument("--warmup", type=int, default=1,
                   help="untimed runs before each revgraph and cat series (default 1)")
    p.add_argument("--alembic-runs", type=int, default=0,
                   help="runs per Alembic command (default: 3 at 1k, 2 at 10k, 1 above)")
    p.add_argument("--alembic-timeout", type=float, default=150,
                   help="seconds per Alembic command above 10k revisions and for the online upgrade (default 150)")
    p.add_argument("--alembic-online-runs", type=int, default=1)
    p.add_argument("--check-limit", type=int, default=10000,
                   help="check heads and resolve against Alembic up to this size (default 10000)")
    p.add_argument("--upgrade-size", type=int, default=10000, help="revisions for the online upgrade (0: skip)")
    p.add_argument("--postgresql-url",
                   help="a PostgreSQL server's URL (run.sh starts a throwaway one); the online PostgreSQL "
                   "benchmark creates and drops databases bench_revgraph and bench_alembic on it")
    p.add_argument("--postgresql-sizes", default="1000,10000",
                   help="revisions for the online PostgreSQL upgrade ('' skips; needs --postgresql-url)")
    p.add_argument("--postgresql-runs", type=int, default=3, help="revgraph runs of the PostgreSQL upgrade (median)")
    p.add_argument("--psql", default="psql", help="the psql client")
    p.add_argument("--memory-sizes", default="100000,1000000", help="in-memory sizes ('' to skip)")
    p.add_argument("--memory-runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-alembic", action="store_true")
    p.add_argument("--markdown", help="also write the tables as Markdown to this file")
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.memory_sizes = [int(s) for s in args.memory_sizes.split(",") if s]
    args.postgresql_sizes = [int(s) for s in args.postgresql_sizes.split(",") if s] if args.postgresql_url else []
    if not args.skip_alembic and not args.alembic:
        p.error("--alembic is required unless --skip-alembic")
    os.makedirs(args.work, exist_ok=True)

    machine = machine_line(args)
    print("bench: " + machine, flush=True)
    started = time.time()
    rows, online = [], []
    directories = {}
    for size in args.sizes:
        directories[size] = bench_size(args, size, args.work, rows)
    if args.upgrade_size:
        directory = directories.get(args.upgrade_size)
        if directory is None:
            directory, _ = generate(args, args.upgrade_size, args.work)
        online.append(bench_online(args, directory, args.upgrade_size))
    postgresql = []
    for size in args.postgresql_sizes:
        directory = directories.get(size)
        if directory is None:
            directory, _ = generate(args, size, args.work)
            directories[size] = directory
        postgresql.append(bench_postgresql(args, directory, size))
    memory = bench_memory(args) if args.memory_sizes else None
    print("\nbench: done in %.0f s" % (time.time() - started))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(args, rows, online, postgresql, memory, machine))
        print("bench: Markdown tables in " + args.markdown)
    for directory in directories.values():
        shutil.rmtree(directory, ignore_errors=True)
    shutil.rmtree(os.path.join(args.work, "header-cache"), ignore_errors=True)


if __name__ == "__main__":
    main()
