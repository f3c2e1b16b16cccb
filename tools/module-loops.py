#!/usr/bin/env python3
"""Lists the import loops between provseal's modules.

A module is a file or directory directly under src/, or, inside the
group directories (src/format/, src/archive/, src/cli/), a file or
directory directly under the group, since those are the rooms a reader
navigates. An edge A -> B is any `crate::B` (or, in the binary,
`provseal::B`, and `super::B` between siblings of a group) path written in
A's code outside its `#[cfg(test)]` module. Prints every strongly connected
component with more than one module, and every edge from the format layer
(src/format/) to a module outside it, since the format must stand alone;
exits 1 if there is either.
"""
import os, re, sys

SRC = os.path.join(os.path.dirname(__file__), "..", "src")

def unit_of(path):
    rel = os.path.relpath(path, SRC).replace(os.sep, "/")
    parts = rel.split("/")
    if parts[0] in GROUPS and len(parts) > 1 and parts[1] != "mod.rs":
        return parts[0] + "/" + parts[1].removesuffix(".rs")
    return parts[0].removesuffix(".rs")

GROUPS = ("format", "archive", "cli")

def names(text, prefix):
    """The modules that `prefix::name` paths (and `prefix::{a, b}` groups)
    name in text."""
    found = set()
    for m in re.finditer(re.escape(prefix) + r"::\{([^;]*?)\};", text, re.S):
        for name in re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)\s*(?:::|,|\}|$)", m.group(1)):
            found.add(name)
    for m in re.finditer(re.escape(prefix) + r"::([a-z_][a-z0-9_]*)", text):
        found.add(m.group(1))
    return found

def non_test(text):
    i = text.find("#[cfg(test)]\nmod tests")
    return text if i < 0 else text[:i]

units, edges = set(), {}
files = []
for d, _, fs in os.walk(SRC):
    for f in fs:
        if f.endswith(".rs"):
            files.append(os.path.join(d, f))
for f in files:
    units.add(unit_of(f))
for f in files:
    u = unit_of(f)
    text = non_test(open(f, encoding="utf-8").read())
    text = re.sub(r"//[^\n]*", "", text)
    targets = set()
    lib_root = "provseal" if u.startswith("cli") or u == "main" else "crate"
    for name in names(text, lib_root):
        targets.add(name)
        if name in GROUPS:
            targets |= {name + "/" + n for n in names(text, lib_root + "::" + name)}
    group = u.split("/")[0] if "/" in u else None
    depth = os.path.relpath(f, SRC).count("/")
    if group and (depth == 1 or f.endswith("mod.rs")):
        # `super::x` from a file directly in a group names a sibling
        targets |= {group + "/" + n for n in names(text, "super")}
    for t in targets:
        if t in units and t != u:
            edges.setdefault(u, set()).add(t)

# Tarjan's strongly connected components
index, low, stack, on, out = {}, {}, [], set(), []
def visit(v, counter=[0]):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: out.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(units):
    if v not in index:
        visit(v)
layering = sorted(
    (a, b) for a in edges for b in edges[a]
    if a.startswith("format/") and not b.startswith("format/") and b != "format"
)
for a, b in layering:
    print(f"layering: {a} -> {b} (the format must not depend on the rest)")
for comp in out:
    print("loop:", " <-> ".join(comp))
    for a in comp:
        for b in sorted(edges.get(a, ())):
            if b in comp:
                print(f"  {a} -> {b}")
print(f"{len(units)} modules, {sum(len(v) for v in edges.values())} edges, "
      f"{len(out)} loops, {len(layering)} layering breaks")
sys.exit(1 if out or layering else 0)
