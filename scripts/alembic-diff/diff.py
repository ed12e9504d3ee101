#!/usr/bin/env python3
"""Differential checker: revgraph versus the real Alembic on random histories.

For each seeded random revision graph, the same history is written twice (an
Alembic project with ``.py`` revision scripts and a native revgraph project with
``.sql`` files), Alembic's own answers are computed in-process through its API,
and ``revgraph`` is run (once per project directory) for the same questions.

See README.md in this folder for what is compared and what is skipped.
Run through ``run.sh``; it sets up the venv, builds revgraph and passes
``--revgraph BIN`` plus the user's arguments.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings

warnings.simplefilter("ignore")
sys.dont_write_bytecode = True  # revision files are rewritten in place while shrinking

import alembic  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import HeadMaintainer, MigrationStep  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from alembic.script import revision as alembic_revision  # noqa: E402
from alembic.util import CommandError  # noqa: E402
from sqlalchemy import Column, MetaData, String, Table  # noqa: E402

HEX = "0123456789abcdef"
# Exceptions that are Alembic's own known crashes (not clean errors).
CRASH_TYPES = (AssertionError, KeyError, AttributeError, TypeError, IndexError)


# ---------------------------------------------------------------------------
# Random graphs


class Rev:
    __slots__ = ("id", "down", "labels", "dep", "rank", "empty_down_line")

    def __init__(self, id_, down, labels, dep):
        self.id = id_
        self.down = down  # list of parent ids (declared order)
        self.labels = labels  # list of declared labels (0 or 1 here)
        self.dep = dep  # None, or one revision id / label
        self.rank = 0  # position in load order (file-name prefix)
        self.empty_down_line = False  # .sql base: write "-- down_revision:" empty

    def short(self):
        s = self.id + "<" + ("+".join(self.down) if self.down else "base")
        if self.dep:
            s += " dep:" + self.dep
        if self.labels:
            s += " [" + ",".join(self.labels) + "]"
        return s


class Graph:
    def __init__(self, revs, label_owner):
        self.revs = revs  # creation (topological) order
        self.by_id = {r.id: r for r in revs}
        self.label_owner = label_owner  # label -> declaring revision id
        self.load_order = [r.id for r in sorted(revs, key=lambda r: r.rank)]
        self._anc = {}
        self._vanc = {}

    def dep_id(self, r):
        if r.dep is None:
            return None
        return self.label_owner.get(r.dep, r.dep)

    def full_ancestors(self, rid):
        """Ancestors including self, following down_revision and depends_on."""
        if rid not in self._anc:
            r = self.by_id[rid]
            acc = {rid}
            for p in r.down:
                acc |= self.full_ancestors(p)
            d = self.dep_id(r)
            if d:
                acc |= self.full_ancestors(d)
            self._anc[rid] = acc
        return self._anc[rid]

    def versioned_ancestors(self, rid):
        if rid not in self._vanc:
            acc = {rid}
            for p in self.by_id[rid].down:
                acc |= self.versioned_ancestors(p)
            self._vanc[rid] = acc
        return self._vanc[rid]

    def describe(self):
        return ", ".join(self.by_id[i].short() for i in self.load_order)


def gen_ids(rng, n):
    stems = ["".join(rng.choice(HEX) for _ in range(rng.randint(1, 3)))
             for _ in range(max(1, n // 5))]
    ids, seen = [], set()
    while len(ids) < n:
        length = rng.randint(4, 12)
        if rng.random() < 0.55:
            stem = rng.choice(stems)
            rid = stem + "".join(rng.choice(HEX) for _ in range(max(0, length - len(stem))))
        else:
            rid = "".join(rng.choice(HEX) for _ in range(length))
        if rid in seen:
            continue
        if rng.random() < 0.05 and ids:
            # an id that is a strict prefix/extension of another one
            other = rng.choice(ids)
            if len(other) < 12:
                rid = other + rng.choice(HEX)
                if rid in seen:
                    continue
        seen.add(rid)
        ids.append(rid)
    return ids, stems


LABEL_WORDS = ["alpha", "beta", "gamma", "delta", "feat", "net", "shop", "acct", "br", "x", "lib"]


def gen_label(rng, stems, taken):
    while True:
        r = rng.random()
        if r < 0.3:
            lab = rng.choice(stems) + "lab" + str(rng.randint(0, 9))  # shares a prefix with ids
        elif r < 0.45:
            lab = rng.choice(["b", "br", "ab", "c1"]) + str(rng.randint(0, 9))  # short
        else:
            lab = rng.choice(LABEL_WORDS) + str(rng.randint(0, 99))
        if lab not in taken:
            taken.add(lab)
            return lab


def gen_graph(rng, allow_ancestor_dep=False):
    n = rng.randint(3, 40)
    ids, stems = gen_ids(rng, n)
    taken = set(ids) | {"base", "head", "heads"}
    revs, by_id = [], {}
    vchildren = {}
    label_owner = {}
    g = Graph([], {})

    def full_anc(rid):
        return g.full_ancestors(rid)

    for rid in ids:
        existing = [r.id for r in revs]
        heads = [x for x in existing if not vchildren.get(x)]
        down = []
        if existing and rng.random() > 0.12:
            roll = rng.random()
            k = 1
            if roll < 0.13 and len(existing) >= 2:
                k = 2
            elif roll < 0.19 and len(existing) >= 3:
                k = 3
            for _ in range(k):
                pool = heads if (heads and rng.random() < 0.7) else existing
                cands = [c for c in pool if c not in down and not any(
                    c in g.versioned_ancestors(d) or d in g.versioned_ancestors(c) for d in down)]
                if not cands:
                    cands = [c for c in existing if c not in down and not any(
                        c in g.versioned_ancestors(d) or d in g.versioned_ancestors(c) for d in down)]
                if not cands:
                    break
                down.append(rng.choice(cands))
        labels = []
        if rng.random() < 0.2:
            labels.append(gen_label(rng, stems, taken))
        dep = None
        if existing and rng.random() < 0.2:
            forbidden = set(down)
            if not allow_ancestor_dep:
                for p in down:
                    forbidden |= full_anc(p)
            cands = [c for c in existing if c not in forbidden]
            if cands:
                t = rng.choice(cands)
                tl = by_id[t].labels
                dep = tl[0] if (tl and rng.random() < 0.5) else t
        r = Rev(rid, down, labels, dep)
        if not down and rng.random() < 0.5:
            r.empty_down_line = True
        revs.append(r)
        by_id[rid] = r
        for lab in labels:
            label_owner[lab] = rid
        for p in down:
            vchildren.setdefault(p, []).append(rid)
        g.revs = revs
        g.by_id = by_id
        g.label_owner = label_owner
    ranks = list(range(len(revs)))
    rng.shuffle(ranks)
    for r, k in zip(revs, ranks):
        r.rank = k
    return Graph(revs, label_owner)


# ---------------------------------------------------------------------------
# Writing the two projects

ALEMBIC_TEMPLATE = '''"""rev {id}

Revision ID: {id}
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = {rev!r}
down_revision: Union[str, Sequence[str], None] = {down}
branch_labels: Union[str, Sequence[str], None] = {labels}
depends_on: Union[str, Sequence[str], None] = {dep}


def upgrade() -> None:
    """Upgrade schema."""
    pass


def downgrade() -> None:
    """Downgrade schema."""
    pass
'''


def write_projects(g, root):
    adir = os.path.join(root, "alembic")
    ndir = os.path.join(root, "native")
    os.makedirs(os.path.join(adir, "mig", "versions"))
    os.makedirs(os.path.join(ndir, "mig", "versions"))
    with open(os.path.join(adir, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/mig\npath_separator = os\n")
    with open(os.path.join(adir, "mig", "env.py"), "w") as f:
        f.write("# not executed by the checker\n")
    with open(os.path.join(ndir, "revgraph.toml"), "w") as f:
        f.write('script_location = "mig"\n')
    width = 3
    for r in g.revs:
        prefix = str(r.rank).zfill(width)
        if not r.down:
            down = "None"
        elif len(r.down) == 1:
            down = repr(r.down[0])
        else:
            down = repr(tuple(r.down))
        labels = repr(tuple(r.labels)) if r.labels else "None"
        dep = repr(r.dep) if r.dep else "None"
        with open(os.path.join(adir, "mig", "versions", "%s_%s_r.py" % (prefix, r.id)), "w") as f:
            f.write(ALEMBIC_TEMPLATE.format(id=r.id, rev=r.id, down=down, labels=labels, dep=dep))
        lines = ["-- revision: %s" % r.id]
        if r.down:
            lines.append("-- down_revision: %s" % ", ".join(r.down))
        elif r.empty_down_line:
            lines.append("-- down_revision:")
        if r.labels:
            lines.append("-- branch_labels: %s" % ", ".join(r.labels))
        if r.dep:
            lines.append("-- depends_on: %s" % r.dep)
        lines.append("-- message: rev %s" % r.id)
        lines += ["", "-- +upgrade", "-- +downgrade", ""]
        with open(os.path.join(ndir, "mig", "versions", "%s_%s.sql" % (prefix, r.id)), "w") as f:
            f.write("\n".join(lines))
    return adir, ndir


# ---------------------------------------------------------------------------
# Alembic's answers


def classify_exception(exc):
    """Map an Alembic exception to (status, detail).

    status: "error" with a set of acceptable revgraph kinds, or "crash".
    """
    orig = exc
    if isinstance(exc, CommandError) and isinstance(exc.__cause__, alembic_revision.RevisionError):
        orig = exc.__cause__
    msg = str(orig.args[0]) if orig.args else str(orig)
    name = type(orig).__name__
    text = "%s: %s" % (name, msg)
    if isinstance(orig, CRASH_TYPES):
        return "crash", text, None
    if isinstance(orig, alembic_revision.MultipleHeads):
        return "error", text, {"multiple-heads"}
    if isinstance(orig, alembic_revision.RangeNotAncestorError):
        return "error", text, {"range-not-ancestor"}
    if isinstance(orig, alembic_revision.ResolutionError):
        if msg.startswith("Multiple revisions start with"):
            return "error", text, {"ambiguous-revision"}
        return "error", text, {"unknown-revision"}
    if isinstance(orig, alembic_revision.RevisionError) or isinstance(orig, CommandError):
        if "overlaps" in msg:
            return "error", text, {"overlapping-targets"}
        if "Ambiguous walk" in msg or "Ambiguous upgrade" in msg:
            return "error", text, {"ambiguous-revision"}
        if "Walked too far" in msg or "didn't produce" in msg:
            return "error", text, {"relative-out-of-range"}
        if "is not a valid downgrade target" in msg or "Not a valid downgrade target" in msg:
            # D32 ("Not a valid downgrade target from current heads") is a plain
            # RevisionError; the contract names no kind for it.
            return "error", text, {"range-not-ancestor", "invalid-target"}
        return "error", text, None  # unmapped: any error kind accepted
    return "crash", text, None


_VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


class _FakeImpl:
    def _exec(self, *a, **kw):
        return None  # no result: HeadMaintainer then skips its row-count check


class _FakeDialect:
    supports_sane_rowcount = True


class FakeContext:
    """Just enough of MigrationContext for Alembic's real HeadMaintainer.

    HeadMaintainer keeps the rows in its own ``heads`` set; the SQL it builds is
    handed to ``impl._exec``, which discards it.
    """

    impl = _FakeImpl()
    _version = _VERSION_TABLE
    as_sql = False
    dialect = _FakeDialect()
    version_table = "alembic_version"


def normalize_rows(g, rows):
    """The rows reduced to the tips of their ancestor closure (sorted)."""
    return sorted(x for x in rows if not any(o != x and x in g.full_ancestors(o) for o in rows))


def rev_ident(x):
    if isinstance(x, alembic_revision.Revision):
        return x.revision
    if x is None:
        return None
    return str(x)  # the symbol "base" from a -N walk


class AlembicSide:
    def __init__(self, adir, graph):
        self.g = graph
        self.script = ScriptDirectory.from_config(Config(os.path.join(adir, "alembic.ini")))
        self.rm = self.script.revision_map

    def overview(self):
        rm = self.rm
        revs = {}
        for rid in rm._revision_map:
            r = rm._revision_map[rid]
            if r is None or r.revision != rid:
                continue
            revs[rid] = {
                "down_revisions": list(r._versioned_down_revisions),
                "depends_on": list(alembic.util.to_tuple(r.dependencies, default=())),
                "branch_labels": sorted(r.branch_labels),
                "message": r.doc,
                "is_head": bool(r.is_head),
                "is_base": bool(r.is_base),
                "is_merge_point": bool(r.is_merge_point),
                "is_branch_point": bool(r.is_branch_point),
            }
        return {
            "heads": list(rm.heads),
            "real_heads": list(rm._real_heads),
            "history": [s.revision for s in self.script.walk_revisions()],
            "revisions": revs,
        }

    def resolve(self, target):
        try:
            res = self.rm.get_revisions(target)
        except Exception as exc:  # noqa: BLE001
            return classify_exception(exc)
        ids = [rev_ident(x) for x in res]
        if None in ids:
            # a -N walk that went past the symbol "base" yields None: not a usable answer
            return "crash", "get_revisions returned %r" % (ids,), None
        # a -N walk ending exactly at the root yields the symbol "base", which (like the
        # target "base") means "no revision"
        return "ok", [x for x in ids if x != "base"], None

    def plan(self, direction, target, current):
        try:
            if direction == "upgrade":
                steps = self.script._upgrade_revs(target, tuple(current))
            else:
                steps = self.script._downgrade_revs(target, tuple(current))
        except Exception as exc:  # noqa: BLE001
            return classify_exception(exc)
        return self._bookkeeping(steps, current)

    def label_base_downgrade(self, label, current):
        """revgraph's documented `downgrade label@base` (D08), built from Alembic's parts.

        Roots: the revisions carrying the label (propagated) whose versioned parents do
        not; then as Alembic's downgrade: their descendants (dependents included) that are
        applied, in Alembic's topological order, with Alembic's version-table bookkeeping.
        """
        rm = self.rm
        revs = [r for r in rm._revision_map.values() if r is not None]
        revs = list({r.revision: r for r in revs}.values())
        starts = [r for r in revs if label in r.branch_labels and not any(
            label in rm.get_revision(p).branch_labels for p in r._versioned_down_revisions)]
        return self.downgrade_from_roots(starts, current)

    def root_stepped_below(self, qualifier, steps, current):
        """For `downgrade [Q@]-N`: the root the walk steps below, or None.

        The start is found as Alembic does (the row on Q's lineage, else the applied
        tips on it; without Q the first row); None when the walk does not end at base.
        """
        rm = self.rm
        try:
            if qualifier:
                cands = list(rm.filter_for_lineage(tuple(current), qualifier))
                if not cands:
                    tips = rm._get_all_current(tuple(current))
                    cands = [r.revision for r in rm.filter_for_lineage(tips, qualifier)]
                if len(cands) != 1:
                    return None
                start = rm.get_revision(cands[0])
            else:
                if len(current) != 1:
                    return None
                start = rm.get_revision(current[0])
            if rm._walk(start, steps=-steps) != "base":
                return None
            root = start if steps == 1 else rm._walk(start, steps=-(steps - 1))
        except Exception:  # noqa: BLE001
            return None
        return root if isinstance(root, alembic_revision.Revision) else None

    def downgrade_from_roots(self, roots, current):
        """Alembic's downgrade (descendants of roots that are applied, its order and
        bookkeeping) for roots given directly."""
        rm = self.rm
        heads = rm.get_revisions(tuple(current))
        drop = set(rm._get_descendant_nodes(roots, include_dependencies=True, omit_immediate_dependencies=False))
        drop &= set(rm._get_ancestor_nodes(heads, include_dependencies=True))
        order = list(rm._topological_sort(drop, heads))
        steps = [MigrationStep.downgrade_from_script(rm, rm.get_revision(n)) for n in order]
        return self._bookkeeping(steps, current)

    def _bookkeeping(self, steps, current):
        ids = [s.revision.revision for s in steps]
        hm = HeadMaintainer(FakeContext(), tuple(current))
        tables = []
        try:
            for s in steps:
                hm.update_to_step(s)
                tables.append(sorted(hm.heads))
        except Exception as exc:  # noqa: BLE001
            return "crash", "bookkeeping %s: %s" % (type(exc).__name__, exc), ids
        steps_out = [{"revision": i, "version_table": t} for i, t in zip(ids, tables)]
        # A table where one row is an ancestor of another (through down_revision or
        # depends_on) is not a valid version table: the next upgrade would fail with
        # "overlaps" (cases D11/E03). Alembic's merge/unmerge bookkeeping produces such
        # tables when a merge has a parent that another parent depends on.
        bad = [t for t in tables if normalize_rows(self.g, t) != t]
        if bad:
            return "ok", steps_out, {"bad_tables": True,
                                     "normalized": [normalize_rows(self.g, t) for t in tables]}
        return "ok", steps_out, None


# ---------------------------------------------------------------------------
# Queries


def rand_prefix(rng, s, lo=1, hi=6):
    return s[: rng.randint(lo, min(hi, len(s)))]


def resolve_targets(g, rng, m):
    ids = [r.id for r in g.revs]
    labels = list(g.label_owner)
    lab = (lambda: rng.choice(labels)) if labels else (lambda: "nolabel")
    gens = [
        lambda: rng.choice(ids),
        lambda: rand_prefix(rng, rng.choice(ids)),
        lambda: rand_prefix(rng, rng.choice(ids)),
        lambda: "".join(rng.choice(HEX) for _ in range(rng.randint(1, 6))),
        lambda: lab(),
        lambda: rand_prefix(rng, lab(), 1, 5),
        lambda: "head",
        lambda: "heads",
        lambda: "base",
        lambda: lab() + "@head",
        lambda: lab() + "@heads",
        lambda: lab() + "@base",
        lambda: rng.choice(ids) + "@head",
        lambda: rng.choice(ids) + "@heads",
        lambda: lab() + "@" + rand_prefix(rng, rng.choice(ids)),
        lambda: rng.choice(ids) + "@" + rand_prefix(rng, rng.choice(ids), 2, 8),
        lambda: "-1",
        lambda: "-" + str(rng.randint(1, 3)),
        lambda: lab() + "@-1",
        lambda: "nolabel@head",
        lambda: "zzzz",
        lambda: rng.choice(ids) + "@base",
        lambda: "nolabel@base",
        # not SYM+N / SYM-N: Alembic's get_revisions does not accept them (only -N and
        # Q@-N), while revgraph's resolve documents them as walks; plans cover them.
    ]
    return [rng.choice(gens)() for _ in range(m)]


def random_state(g, rng):
    if rng.random() < 0.2:
        return []
    picks = rng.sample([r.id for r in g.revs], rng.randint(1, min(3, len(g.revs))))
    closure = set()
    for p in picks:
        closure |= g.full_ancestors(p)
    rows = [x for x in closure if not any(o != x and x in g.full_ancestors(o) for o in closure)]
    rows.sort(key=g.load_order.index)
    rng.shuffle(rows)
    return rows


def plan_target(g, rng, direction):
    ids = [r.id for r in g.revs]
    labels = list(g.label_owner)
    lab = (lambda: rng.choice(labels)) if labels else (lambda: "nolabel")
    common = [
        lambda: rng.choice(ids),
        lambda: rng.choice(ids),
        lambda: rand_prefix(rng, rng.choice(ids), 1, 6),
        lambda: lab(),
        lambda: lab() + "@head",
        lambda: lab() + "@base",
        lambda: rng.choice(ids) + "@base",
        lambda: rng.choice(ids) + "@head",
        lambda: "base",
        lambda: "heads",
        lambda: "head",
        lambda: "+1",
        lambda: "+2",
        lambda: "-1",
        lambda: "-2",
        lambda: lab() + "@+1",
        lambda: lab() + "@-1",
        lambda: rng.choice(ids) + "+1",
        lambda: rng.choice(ids) + "-1",
        lambda: rng.choice(ids) + "+2",
        lambda: rand_prefix(rng, rng.choice(ids), 4, 6) + "-1",
        lambda: "head-1",
        lambda: "base+1",
        lambda: "base+2",
        lambda: lab() + "@head-1",
        lambda: lab() + "@" + rng.choice(ids),
    ]
    if direction == "downgrade":
        common += [lambda: "base", lambda: lab() + "@base", lambda: "-1", lambda: lab() + "@-1"]
    return rng.choice(common)()


# ---------------------------------------------------------------------------
# revgraph


def strip_paths(obj):
    if isinstance(obj, dict):
        return {k: strip_paths(v) for k, v in obj.items() if k != "path"}
    if isinstance(obj, list):
        return [strip_paths(v) for v in obj]
    return obj


def run_revgraph(binary, cwd, args, timeout=60):
    try:
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return ("crash", "timeout after %ss" % timeout)
    out = p.stdout.strip()
    try:
        data = json.loads(out) if out else None
    except ValueError:
        data = None
    if p.returncode == 0:
        if data is None:
            return ("crash", "exit 0 but stdout is not JSON: %r / stderr %r" % (out[:300], p.stderr[-300:]))
        return ("ok", data)
    if isinstance(data, dict) and isinstance(data.get("error"), dict) and "kind" in data["error"]:
        return ("error", data["error"])
    return ("crash", "exit %d, stdout %r, stderr %r" % (p.returncode, out[:300], p.stderr[-500:]))


def run_both(binary, dirs, args):
    """Runs revgraph in both project dirs; returns (result, format_mismatch_text_or_None)."""
    ra = run_revgraph(binary, dirs[0], args)
    rn = run_revgraph(binary, dirs[1], args)
    mismatch = None
    if ra[0] != rn[0]:
        mismatch = "alembic-format dir: %s; native dir: %s" % (fmt_rg(ra), fmt_rg(rn))
    elif ra[0] == "ok" and strip_paths(ra[1]) != strip_paths(rn[1]):
        mismatch = "JSON differs between formats:\n      .py : %s\n      .sql: %s" % (
            json.dumps(strip_paths(ra[1]))[:800], json.dumps(strip_paths(rn[1]))[:800])
    elif ra[0] == "error" and ra[1].get("kind") != rn[1].get("kind"):
        mismatch = "error kind differs between formats: .py %s, .sql %s" % (ra[1], rn[1])
    return rn, mismatch


def fmt_rg(r):
    if r[0] == "ok":
        return "ok " + json.dumps(r[1])[:600]
    if r[0] == "error":
        return "error %s (%s)" % (r[1].get("kind"), r[1].get("message"))
    return "CRASH " + r[1]


# ---------------------------------------------------------------------------
# Comparison


class Stats:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.crash = 0
        self.skipped = {}
        self.by_cat = {}
        self.failures = []

    def add(self, cat, status):
        c = self.by_cat.setdefault(cat, {})
        c[status] = c.get(status, 0) + 1
        if status == "passed":
            self.passed += 1
        elif status == "failed":
            self.failed += 1
        else:
            self.crash += 1
            self.skipped[status] = self.skipped.get(status, 0) + 1


def compare_error_or_list(al, rg, extract):
    """Generic comparison of an Alembic answer with revgraph's result.

    al: (status, value, extra); rg: (status, data). Returns (status, note).
    """
    ast, aval, aextra = al
    if ast == "crash":
        if rg[0] in ("ok", "error"):
            if aextra is not None and rg[0] == "ok":
                # the plan itself was computed; only bookkeeping crashed: compare ids
                got = [s.get("revision") for s in rg[1].get("steps", [])]
                if got != aextra:
                    return "failed", "step order differs (Alembic bookkeeping crashed after computing %s)" % aextra
            return "alembic-crash", None
        return "failed", "revgraph crashed where Alembic crashed too"
    if ast == "error":
        if rg[0] != "error":
            return "failed", "Alembic fails, revgraph does not"
        if aextra is not None and rg[1].get("kind") not in aextra:
            return "failed", "error kind differs (expected %s)" % "/".join(sorted(aextra))
        return "passed", None
    if rg[0] != "ok":
        return "failed", "Alembic succeeds, revgraph does not"
    got = extract(rg[1])
    if got != aval:
        if isinstance(got, list) and isinstance(aval, list) and sorted(map(json.dumps, got)) == sorted(map(json.dumps, aval)):
            return "failed", "same items, different order"
        return "failed", "answers differ"
    return "passed", None


def fmt_al(al):
    st, val, extra = al
    if st == "ok":
        return "ok " + json.dumps(val)
    if st == "error":
        return "error %s -> %s" % (val, "/".join(sorted(extra)) if extra else "(any kind)")
    return "CRASH " + str(val)


# Query specs: ("heads",), ("realheads",), ("history",), ("attrs", rid),
# ("resolve", target), ("upgrade"|"downgrade", target, state).


def argv_for(spec):
    kind = spec[0]
    if kind == "heads":
        return ["heads", "--format", "json"]
    if kind == "realheads":
        return ["heads", "--resolve-dependencies", "--format", "json"]
    if kind in ("history", "attrs"):
        return ["history", "--format", "json"]
    # The target goes last. revgraph takes "-1" there as a target; it does not accept "--".
    if kind == "resolve":
        return ["resolve", "--format", "json", spec[1]]
    state = spec[2]
    return [kind, "--plan", "--from", ",".join(state) if state else "base", "--format", "json", spec[1]]


def query_text(spec):
    kind = spec[0]
    if kind == "heads":
        return "revgraph heads"
    if kind == "realheads":
        return "revgraph heads --resolve-dependencies"
    if kind == "history":
        return "revgraph history (order)"
    if kind == "attrs":
        return "revgraph history: attributes of %s" % spec[1]
    if kind == "resolve":
        return "revgraph resolve %s" % spec[1]
    return "revgraph %s %s --plan --from %s" % (kind, spec[1], ",".join(spec[2]) or "base")


CATEGORY = {"heads": "heads", "realheads": "heads", "history": "history", "attrs": "revision-attributes",
            "resolve": "resolve", "upgrade": "upgrade", "downgrade": "downgrade"}


def rev_ids(d):
    return [x.get("revision") for x in d.get("revisions", [])]


def judge(al_side, ov, spec, rg):
    """Compares one query. Returns (status, note, alembic_text, revgraph_text, signature)."""
    kind = spec[0]
    if kind in ("heads", "realheads", "history"):
        want = {"heads": ov["heads"], "realheads": ov["real_heads"], "history": ov["history"]}[kind]
        al = ("ok", want, None)
        st, note = compare_error_or_list(al, rg, rev_ids)
        rg_text = ("ok " + json.dumps(rev_ids(rg[1]))) if rg[0] == "ok" else fmt_rg(rg)
        return st, note, json.dumps(want), rg_text, (kind, note, rg[0])
    if kind == "attrs":
        rid = spec[1]
        want = ov["revisions"].get(rid)
        if want is None:
            return "passed", None, "-", "-", None
        if rg[0] != "ok":
            return "failed", "history failed", json.dumps(want), fmt_rg(rg), (kind, "history failed", rg[0])
        got = None
        for x in rg[1].get("revisions", []):
            if x.get("revision") == rid:
                got = x
        if got is None:
            return "failed", "revision not listed", json.dumps(want), "missing", (kind, "missing")
        diffs, keys = [], []
        for k, v in want.items():
            gv = got.get(k)
            if k == "branch_labels" and isinstance(gv, list):
                gv = sorted(gv)
            if gv != v:
                diffs.append("%s %s" % (k, json.dumps(v)))
                keys.append(k)
        if diffs:
            got_txt = "; ".join("%s %s" % (k, json.dumps(got.get(k))) for k in keys)
            return "failed", "attributes differ: " + ", ".join(keys), "; ".join(diffs), got_txt, (kind, tuple(keys))
        return "passed", None, "", "", None
    if kind == "resolve":
        al = al_side.resolve(spec[1])
        dev = documented_deviation(al_side, kind, spec[1], None, al, rg)
        if dev is not None:
            return dev[0], dev[1], fmt_al(al), fmt_rg(rg), (kind, dev[1], al[0], rg[0])
        st, note = compare_error_or_list(al, rg, lambda d: d.get("revisions"))
        return st, note, fmt_al(al), fmt_rg(rg), (kind, note, al[0], rg[0])
    target, state = spec[1], spec[2]
    al = al_side.plan(kind, target, state)
    dev = documented_deviation(al_side, kind, target, state, al, rg)
    if dev is not None:
        st, note = dev
        return st, note, fmt_plan(al), fmt_rg_plan(rg), (kind, note, al[0], rg[0])

    def extract(dd):
        return [{"revision": s.get("revision"), "version_table": sorted(s.get("version_table") or [])}
                for s in dd.get("steps", [])]

    bad_tables = al[0] == "ok" and al[2] and al[2].get("bad_tables")
    if bad_tables:
        # Alembic's tables overlap (see AlembicSide.plan): compare the steps, and the
        # tables with Alembic's rows reduced to their tips (same applied revisions).
        al = ("ok", [{"revision": s_["revision"], "version_table": t}
                     for s_, t in zip(al[1], al[2]["normalized"])], None)
    st, note = compare_error_or_list(al, rg, extract)
    if st == "failed" and al[0] == "ok" and rg[0] == "ok" and note == "answers differ":
        want_ids = [s["revision"] for s in al[1]]
        got_ids = [s.get("revision") for s in rg[1].get("steps", [])]
        if want_ids == got_ids:
            note = "same steps, different version tables"
        elif sorted(want_ids) == sorted(got_ids):
            note = "same revisions, different order"
        else:
            note = "different revisions"
    if bad_tables:
        if st == "passed":
            st = "alembic-bad-table"
        elif note:
            note += " (Alembic's own tables overlap; compared with their tips)"
    return st, note, fmt_plan(al), fmt_rg_plan(rg), (kind, note, al[0], rg[0])


RELATIVE = re.compile(r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)")  # Alembic's _relative_destination


def _qualifier_error_kind(al_side, qualifier):
    """None if Alembic resolves the branch qualifier, else the revgraph kind expected for it."""
    try:
        al_side.rm._resolve_branch(qualifier)
        return None
    except alembic_revision.ResolutionError as exc:
        cause = exc.__cause__
        if cause is not None and str(cause).startswith("Multiple revisions start with"):
            return "ambiguous-revision"
        return "unknown-revision"


def _matches_plan(want, rg):
    if want[0] == "ok" and want[2] and want[2].get("bad_tables"):
        want = ("ok", [{"revision": x["revision"], "version_table": t}
                       for x, t in zip(want[1], want[2]["normalized"])], None)
    st, _ = compare_error_or_list(want, rg, lambda dd: [
        {"revision": x.get("revision"), "version_table": sorted(x.get("version_table") or [])}
        for x in dd.get("steps", [])])
    return st == "passed", want


def documented_deviation(al_side, kind, target, state, al, rg):
    """Cases listed in docs/targets.md ("Where revgraph deliberately differs from Alembic").

    Returns None when the case is not one of them, else (status, note): status is
    "documented-deviation" when revgraph gives its documented answer, "failed" otherwise.
    """
    m = RELATIVE.match(target)
    if kind == "upgrade":
        if m and m.group(2) is not None and al[0] == "crash" and str(al[1]).startswith("AssertionError"):
            # D14: an upgrade `SYM+N` / `SYM-N` walking off the history is an
            # AssertionError in Alembic and relative-out-of-range in revgraph.
            if rg[0] == "error" and rg[1].get("kind") == "relative-out-of-range":
                return "documented-deviation-D14", "D14"
            return "failed", "D14: revgraph documents relative-out-of-range where Alembic asserts"
        return None
    if kind == "resolve":
        if m and m.group(1) is not None and m.group(2) is None and m.group(3).startswith("-"):
            want = _qualifier_error_kind(al_side, m.group(1))
            if want is not None:
                # "resolve nolabel@-1": Alembic filters the heads by label and finds
                # nothing; revgraph reports the unknown label.
                if rg[0] == "error" and rg[1].get("kind") == want:
                    return "documented-deviation-unknown-label", "unknown label in Q@-N"
                return "failed", "documented: %s for the unknown qualifier %r" % (want, m.group(1))
        return None
    if kind != "downgrade":
        return None
    if m and m.group(2) is None and m.group(3).startswith("-") and not (m.group(1) is None and len(state) > 1):
        root = al_side.root_stepped_below(m.group(1), abs(int(m.group(3))), state)
        if root is not None:
            # `[Q@]-N` stepping below the database's root: revgraph reverts only that
            # root's line; Alembic every base (below Q's revision) and what is above.
            if al[0] == "ok" and rg[0] == "ok" and [x["revision"] for x in al[1]] == [
                    x.get("revision") for x in rg[1].get("steps", [])]:
                return None
            ok, want = _matches_plan(al_side.downgrade_from_roots([root], state), rg)
            if ok:
                return "documented-deviation-root-line", "root line"
            return "failed", "documented: stepping below root %s reverts only its line (expected %s)" % (
                root.revision, fmt_plan(want))
    if m and m.group(1) is None and m.group(2) is None and m.group(3).startswith("-") and len(state) > 1:
        # D04: `downgrade -N` with several rows. Alembic warns and walks from the first
        # database row; revgraph refuses with ambiguous-revision.
        if rg[0] == "error" and rg[1].get("kind") == "ambiguous-revision":
            return "documented-deviation-D04", "D04"
        return "failed", "D04: revgraph documents ambiguous-revision for -N with several rows"
    if not m and "@" in target:
        qualifier, symbol = target.rsplit("@", 1)
        want = _qualifier_error_kind(al_side, qualifier)
        if want is not None:
            # D24: Alembic ignores an unknown branch qualifier on an absolute downgrade
            # target; revgraph reports it.
            if al[0] == "error" and al[2] and want in al[2] and rg[0] == "error" and rg[1].get("kind") == want:
                return None  # same answer anyway
            if rg[0] == "error" and rg[1].get("kind") == want:
                return "documented-deviation-D24", "D24"
            return "failed", "D24: revgraph documents %s for the unknown qualifier %r" % (want, qualifier)
        if symbol == "base" and qualifier in al_side.g.label_owner:
            # D08: `label@base` reverts only that branch in revgraph; Alembic reverts
            # everything above the roots below the label (with one root: everything).
            # Checked against that documented meaning, computed with Alembic's own parts.
            if al[0] == "ok" and rg[0] == "ok" and [x["revision"] for x in al[1]] == [
                    x.get("revision") for x in rg[1].get("steps", [])]:
                return None  # same steps as Alembic: compare as usual
            if rg[0] == "error" and al[0] == "error":
                return None
            ok, want = _matches_plan(al_side.label_base_downgrade(qualifier, state), rg)
            if ok:
                return "documented-deviation-D08", "D08"
            return "failed", "D08: revgraph's label@base plan differs from its documented meaning " \
                "(expected %s)" % fmt_plan(want)
    return None


def fmt_plan(al):
    if al[0] != "ok":
        return fmt_al(al)
    return "ok " + " ".join("%s%s" % (s["revision"], "{" + ",".join(s["version_table"]) + "}") for s in al[1]) \
        if al[1] else "ok (no steps)"


def fmt_rg_plan(rg):
    if rg[0] != "ok":
        return fmt_rg(rg)
    steps = rg[1].get("steps", [])
    if not steps:
        return "ok (no steps)"
    return "ok " + " ".join("%s%s" % (s.get("revision"), "{" + ",".join(sorted(s.get("version_table") or [])) + "}")
                            for s in steps)


class GraphCheck:
    def __init__(self, gi, g, root, args, stats):
        self.gi = gi
        self.g = g
        self.root = root
        self.args = args
        self.stats = stats
        self.dirs = write_projects(g, root)
        self.al = AlembicSide(self.dirs[0], g)

    def record(self, spec, status, note, al_text, rg_text, signature, category=None):
        cat = category or CATEGORY[spec[0]]
        self.stats.add(cat, status)
        show = self.args.show_skipped
        if status not in ("passed", "failed") and show is not None and show in status:
            print("SKIP [%s] graph %s: %s\n    graph:    %s\n    alembic:  %s\n    revgraph: %s" % (
                status, self.gi, query_text(spec), self.g.describe(), al_text, rg_text))
        if status != "failed":
            return
        rec = {
            "graph": self.gi, "describe": self.g.describe(), "category": cat, "query": query_text(spec),
            "alembic": al_text, "revgraph": rg_text, "note": note,
            "spec": list(spec[:2]) + ([list(spec[2])] if len(spec) > 2 else []), "signature": repr(signature),
        }
        self.stats.failures.append(rec)
        self.stats.failure_objs.append((rec, self.g, spec, signature, category))
        if self.args.verbose:
            print_failure(rec)

    def run(self, pool, rng):
        a = self.args
        ov = self.al.overview()
        specs = [("heads",), ("realheads",), ("history",)]
        specs += [("resolve", t) for t in resolve_targets(self.g, rng, a.queries)]
        for d in ("upgrade", "downgrade"):
            for _ in range(a.queries):
                specs.append((d, plan_target(self.g, rng, d), random_state(self.g, rng)))

        if a.alembic_only:
            print("graph %d: %s" % (self.gi, self.g.describe()))
            print("  heads %s real %s" % (ov["heads"], ov["real_heads"]))
            print("  history %s" % ov["history"])
            for rid, info in ov["revisions"].items():
                if info["branch_labels"]:
                    print("  labels %s %s" % (rid, info["branch_labels"]))
            for spec in specs:
                if spec[0] == "resolve":
                    print("  resolve %-20s %s" % (spec[1], fmt_al(self.al.resolve(spec[1]))))
                elif spec[0] in ("upgrade", "downgrade"):
                    print("  %s %-14s from %-30s %s" % (spec[0], spec[1], ",".join(spec[2]) or "base",
                                                        fmt_plan(self.al.plan(*spec))))
            return

        futures = [pool.submit(run_both, a.revgraph, self.dirs, argv_for(s)) for s in specs]
        for spec, fut in zip(specs, futures):
            rg, mismatch = fut.result()
            if mismatch:
                self.record(spec, "failed", "the .py and .sql projects give different answers", "-", mismatch,
                            ("format", spec[0]), category="format-consistency")
            if spec[0] == "history":
                for rid in ov["revisions"]:
                    self.record(("attrs", rid), *judge(self.al, ov, ("attrs", rid), rg))
            self.record(spec, *judge(self.al, ov, spec, rg))


# ---------------------------------------------------------------------------
# Shrinking a failure to a small graph


def clone_graph(g):
    revs = []
    for r in g.revs:
        c = Rev(r.id, list(r.down), list(r.labels), r.dep)
        c.rank = r.rank
        c.empty_down_line = r.empty_down_line
        revs.append(c)
    return Graph(revs, {lab: r.id for r in revs for lab in r.labels})


def normalize_state(g, rows):
    rows = [x for x in rows if x in g.by_id]
    closure = set()
    for x in rows:
        closure |= g.full_ancestors(x)
    keep = [x for x in rows if not any(o != x and x in g.full_ancestors(o) for o in closure)]
    out = []
    for x in keep:
        if x not in out:
            out.append(x)
    return out


def without_revision(g, rid, spec):
    """g minus rid (its children get rid's parents instead); None if that makes an invalid graph."""
    g2 = clone_graph(g)
    gone = g2.by_id[rid]
    gone_names = {rid} | set(gone.labels)
    revs = [r for r in g2.revs if r.id != rid]
    for r in revs:
        if rid in r.down:
            new = []
            for p in r.down:
                for q in ([p] if p != rid else gone.down):
                    if q not in new:
                        new.append(q)
            r.down = new
        if r.dep in gone_names:
            r.dep = None
    g3 = Graph(revs, {lab: r.id for r in revs for lab in r.labels})
    for r in revs:  # parents must not be ancestors of each other
        for p in r.down:
            for q in r.down:
                if p != q and p in g3.versioned_ancestors(q):
                    return None
    spec2 = spec
    if len(spec) > 2:
        rows = []
        for x in spec[2]:
            rows += gone.down + ([gone.dep] if gone.dep else []) if x == rid else [x]
        rows = [g3.label_owner.get(x, x) for x in rows]
        spec2 = (spec[0], spec[1], normalize_state(g3, rows))
    if spec[0] == "attrs" and spec[1] == rid:
        return None
    return g3, spec2


def shrink_candidates(g, spec):
    # try removing heads first (cheap, rarely changes the rest), then everything else
    order = sorted(g.revs, key=lambda r: -g.revs.index(r))
    for r in (order if len(g.revs) > 1 else []):
        res = without_revision(g, r.id, spec)
        if res:
            yield res
    for r in g.revs:
        if r.labels:
            g2 = clone_graph(g)
            lab = r.labels[0]
            if any(x.dep == lab for x in g2.revs):
                continue
            g2.by_id[r.id].labels = []
            yield Graph(g2.revs, {l: x.id for x in g2.revs for l in x.labels}), spec
        if r.dep:
            g2 = clone_graph(g)
            g2.by_id[r.id].dep = None
            g2 = Graph(g2.revs, g2.label_owner)
            yield g2, (spec if len(spec) < 3 else (spec[0], spec[1], normalize_state(g2, spec[2])))


def evaluate(g, spec, args, workdir, category):
    """Re-checks one query on graph g; returns the failure signature or None."""
    root = tempfile.mkdtemp(dir=workdir)
    try:
        dirs = write_projects(g, root)
        al = AlembicSide(dirs[0], g)
        ov = al.overview()
        rg, mismatch = run_both(args.revgraph, dirs, argv_for(spec))
        if category == "format-consistency":
            return ("format", spec[0]) if mismatch else None, None
        st, note, al_text, rg_text, sig = judge(al, ov, spec, rg)
        return (sig if st == "failed" else None), (note, al_text, rg_text)
    except Exception:  # noqa: BLE001
        return None, None
    finally:
        shutil.rmtree(root, ignore_errors=True)


def shrink(g, spec, signature, category, args, workdir, budget=400):
    tries = 0
    detail = None
    improved = True
    while improved and tries < budget:
        improved = False
        for g2, spec2 in shrink_candidates(g, spec):
            tries += 1
            if tries >= budget:
                break
            sig, det = evaluate(g2, spec2, args, workdir, category)
            if sig == signature:
                g, spec, detail = g2, spec2, det
                improved = True
                break
    return g, spec, detail


def print_failure(rec):
    print("FAIL [%s] graph %s: %s" % (rec["category"], rec["graph"], rec["query"]))
    print("    graph:    %s" % rec["describe"])
    print("    alembic:  %s" % rec["alembic"])
    print("    revgraph: %s" % rec["revgraph"])
    if rec["note"]:
        print("    note:     %s" % rec["note"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", type=int, default=30, help="number of random graphs (default 30)")
    ap.add_argument("--queries", type=int, default=20,
                    help="per graph: this many resolve, upgrade and downgrade queries each (default 20)")
    ap.add_argument("--seed", default="1", help="seed (any string; default 1)")
    ap.add_argument("--only-graph", type=int, default=None, help="run only graph number K of the seed")
    ap.add_argument("--revgraph", default=os.environ.get("REVGRAPH_BIN"), help="revgraph binary")
    ap.add_argument("--alembic-only", action="store_true", help="print Alembic's answers, do not run revgraph")
    ap.add_argument("--allow-ancestor-deps", action="store_true",
                    help="allow depends_on naming an ancestor of the revision's parent (D28 territory)")
    ap.add_argument("--jobs", type=int, default=max(2, (os.cpu_count() or 2)), help="parallel revgraph processes")
    ap.add_argument("--keep", action="store_true", help="keep the generated projects (path is printed)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure as it is found")
    ap.add_argument("--max-print", type=int, default=25, help="failures printed in the final report (default 25)")
    ap.add_argument("--shrink", type=int, default=8,
                    help="shrink up to this many distinct kinds of failure to a minimal graph (default 8; 0: off)")
    ap.add_argument("--show-skipped", metavar="TEXT", default=None,
                    help="print skipped queries whose status contains TEXT (e.g. D08, crash, '' for all)")
    ap.add_argument("--failures-json", default=None, help="write all failures to this JSON file")
    a = ap.parse_args(argv)
    if not a.alembic_only and not a.revgraph:
        ap.error("--revgraph BIN (or REVGRAPH_BIN) is required unless --alembic-only")
    if a.revgraph:
        a.revgraph = os.path.abspath(a.revgraph)

    tmp = tempfile.mkdtemp(prefix="revgraph-alembic-diff-")
    stats = Stats()
    stats.failure_objs = []
    graphs_done = 0
    print("alembic-diff: Alembic %s, seed %s, %d graphs x %d queries per kind" % (
        alembic.__version__, a.seed, a.graphs, a.queries))
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            indices = [a.only_graph] if a.only_graph is not None else range(a.graphs)
            for gi in indices:
                rng = random.Random("revgraph-alembic-diff:%s:%d" % (a.seed, gi))
                g = gen_graph(rng, allow_ancestor_dep=a.allow_ancestor_deps)
                gc = GraphCheck(gi, g, os.path.join(tmp, "g%03d" % gi), a, stats)
                try:
                    gc.run(pool, rng)
                except Exception:  # noqa: BLE001
                    print("checker error on graph %d (%s):" % (gi, g.describe()))
                    traceback.print_exc()
                    stats.add("checker-error", "failed")
                graphs_done += 1

        if a.alembic_only:
            print("alembic-diff: alembic-only run, %d graphs" % graphs_done)
            return 0
        if stats.failures and not a.verbose:
            for rec in stats.failures[: a.max_print]:
                print_failure(rec)
            if len(stats.failures) > a.max_print:
                print("... %d more failures (use -v or --failures-json FILE)" % (len(stats.failures) - a.max_print))
        if a.failures_json:
            with open(a.failures_json, "w") as f:
                json.dump(stats.failures, f, indent=1)

        # distinct kinds of failure, each shrunk to a small reproduction
        seen = {}
        for rec, g, spec, sig, cat in stats.failure_objs:
            seen.setdefault((rec["category"], repr(sig)), (rec, g, spec, sig, cat, 0))
            r0 = seen[(rec["category"], repr(sig))]
            seen[(rec["category"], repr(sig))] = r0[:5] + (r0[5] + 1,)
        if seen:
            print("distinct kinds of failure: %d" % len(seen))
        for n, (key, (rec, g, spec, sig, cat, count)) in enumerate(seen.items()):
            print("[%d] %s x%d, signature %s" % (n + 1, rec["category"], count, key[1]))
            if n < a.shrink:
                g2, spec2, det = shrink(g, spec, sig, cat, a, tmp)
                if det is None:
                    det = (rec["note"], rec["alembic"], rec["revgraph"])
                print("    minimal graph (load order): %s" % g2.describe())
                print("    query:    %s" % query_text(spec2))
                print("    alembic:  %s" % det[1])
                print("    revgraph: %s" % det[2])
                print("    note:     %s" % det[0])
            else:
                print("    graph %s: %s; %s" % (rec["graph"], rec["query"], rec["note"]))
    finally:
        if a.keep:
            print("projects kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("per category:")
    for cat, c in sorted(stats.by_cat.items()):
        extra = ", ".join("%d %s" % (v, k) for k, v in sorted(c.items()) if k not in ("passed", "failed"))
        print("  %-22s %5d passed %5d failed%s" % (cat, c.get("passed", 0), c.get("failed", 0),
                                                 (", skipped: " + extra) if extra else ""))
    print("alembic-diff: %d graphs; %d queries skipped (%s)" % (
        graphs_done, stats.crash, ", ".join("%d %s" % (v, k) for k, v in sorted(stats.skipped.items())) or "none"))
    print("alembic-diff: %d passed, %d failed" % (stats.passed, stats.failed))
    return 1 if stats.failed else 0


if __name__ == "__main__":
    sys.exit(main())
