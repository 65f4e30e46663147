"""The layers of portal/layers.py hold: every import under portal/ and kiosk/
(at the top of a module or inside a function, absolute or relative) goes
from a package to one of a lower layer, there is no import cycle between
packages, and every package is declared.

portal/core is held to less still: no database, no app, no feature — only
the modules below it that need neither.
"""
import ast
from collections import defaultdict
from pathlib import Path

import pytest

from portal import layers

ROOT = Path(__file__).resolve().parents[2]
TOPS = ("portal", "kiosk")
# What portal/core may import besides itself (no Flask app, no database).
CORE_MAY_IMPORT = {"portal.extensions", "portal.timeutil", "portal.i18n", "portal.validation", "portal.text",
                   "portal.layers"}


# --- reading the imports ------------------------------------------------------------------------

def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name, root):
    """`name` (dotted) is a module or package on disk under `root`."""
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(tree, module, is_package, root=ROOT):
    """(dotted name, line) of every module `tree` imports, wherever the
    import statement stands (ast.walk reaches imports inside functions).
    `from a import b` names a.b when that is a module, else a."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                yield (candidate if alias.name != "*" and _is_module(candidate, root) else source), node.lineno


def unit_of(name):
    """The declared unit a module belongs to: "portal" (portal/__init__.py),
    "portal.<x>" (a package or module under portal/), "kiosk"; None outside."""
    parts = name.split(".")
    if parts[0] == "kiosk":
        return "kiosk"
    if parts[0] != "portal":
        return None
    return "portal" if len(parts) == 1 else f"portal.{parts[1]}"


def read_graph(root=ROOT, tops=TOPS):
    """{(importer, imported): ["file:line", …]} between units, and every unit
    that has a file."""
    edges = defaultdict(list)
    units = set()
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            module = module_name(path, root)
            source = unit_of(module)
            units.add(source)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for name, line in imported_modules(tree, module, path.name == "__init__.py", root):
                target = unit_of(name)
                place = f"{path.relative_to(root)}:{line}"
                if target is not None and target != source and place not in edges[(source, target)]:
                    edges[(source, target)].append(place)
    return edges, units


# --- judging them ---------------------------------------------------------------------------

def cycles(edges):
    """The strongly connected groups of more than one unit (Tarjan), each sorted."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if node not in index:
            visit(node)
    return sorted(found)


def problems(edges, units, declared_layers, allowed=frozenset()):
    """Readable lines for every broken rule; none when the graph keeps the layers."""
    layer_of, name_of = {}, {}
    found = []
    for position, (name, packages) in enumerate(declared_layers):
        for package in packages:
            if package in layer_of:
                found.append(f"{package} is declared twice (layers {name_of[package]!r} and {name!r})")
            layer_of[package], name_of[package] = position, name
    for unit in sorted(units - set(layer_of)):
        found.append(f"{unit} is in no layer: add it to LAYERS in portal/layers.py")
    for unit in sorted(set(layer_of) - units):
        found.append(f"{unit} is declared in portal/layers.py but has no file")
    for (source, target), places in sorted(edges.items()):
        if source not in layer_of or target not in layer_of:
            continue
        where = ", ".join(places[:3]) + (f" (+{len(places) - 3} more)" if len(places) > 3 else "")
        if layer_of[source] < layer_of[target]:
            found.append(f"upward import: {source} (layer {name_of[source]!r}) imports {target} "
                         f"(layer {name_of[target]!r}, higher) at {where}")
        elif layer_of[source] == layer_of[target] and (source, target) not in allowed:
            found.append(f"same-layer import: {source} imports {target} (both in layer {name_of[source]!r}) "
                         f"at {where}; not in ALLOWED")
    for group in cycles(edges):
        steps = "; ".join(f"{s} -> {t} at {edges[(s, t)][0]}" for s in group for t in group if (s, t) in edges)
        found.append(f"import cycle between {', '.join(group)}: {steps}")
    return found


# --- the portal ----------------------------------------------------------------------------------

def test_the_portal_keeps_its_layers():
    edges, units = read_graph()
    found = problems(edges, units, layers.LAYERS, layers.ALLOWED)
    assert not found, "\n".join(["portal/layers.py is broken:"] + found)


def test_the_allowances_are_between_packages_of_one_layer():
    layer_of = {p: i for i, (_name, packages) in enumerate(layers.LAYERS) for p in packages}
    for source, target in layers.ALLOWED:
        assert layer_of[source] == layer_of[target], (source, target)


def test_core_needs_no_app_and_no_database():
    """portal/core imports no feature and nothing that needs an app or a
    database: only the standard library, third-party libraries, itself and
    CORE_MAY_IMPORT."""
    edges, _units = read_graph()
    wrong = {target: places for (source, target), places in edges.items()
             if source == "portal.core" and target not in CORE_MAY_IMPORT}
    assert not wrong, wrong


def test_imports_inside_functions_count(tmp_path):
    """A lazy import in a function body is read like one at the top."""
    (tmp_path / "portal" / "low").mkdir(parents=True)
    (tmp_path / "portal" / "__init__.py").write_text("")
    (tmp_path / "portal" / "low" / "__init__.py").write_text("")
    (tmp_path / "portal" / "high.py").write_text("")
    (tmp_path / "portal" / "low" / "work.py").write_text(
        "def later():\n    if True:\n        from ..high import thing\n        import portal.high\n")
    edges, units = read_graph(tmp_path, ("portal",))
    assert edges == {("portal.low", "portal.high"): ["portal/low/work.py:3", "portal/low/work.py:4"]}
    assert units == {"portal", "portal.low", "portal.high"}


# --- the checker can fail ------------------------------------------------------------------------

def test_the_checker_finds_an_upward_import_a_cycle_and_an_undeclared_package():
    declared = (("base", frozenset({"portal.core"})), ("features", frozenset({"portal.low", "portal.high"})),
                ("top", frozenset({"portal"})))
    edges = {
        ("portal.core", "portal.low"): ["portal/core/x.py:3"],   # upward
        ("portal.low", "portal.high"): ["portal/low/a.py:1"],    # same layer, and a cycle with the next
        ("portal.high", "portal.low"): ["portal/high/b.py:9"],
        ("portal", "portal.core"): ["portal/__init__.py:2"],     # fine: downward
    }
    units = {"portal", "portal.core", "portal.low", "portal.high", "portal.stray"}
    found = problems(edges, units, declared)
    assert found == [
        "portal.stray is in no layer: add it to LAYERS in portal/layers.py",
        "upward import: portal.core (layer 'base') imports portal.low (layer 'features', higher) "
        "at portal/core/x.py:3",
        "same-layer import: portal.high imports portal.low (both in layer 'features') at portal/high/b.py:9; "
        "not in ALLOWED",
        "same-layer import: portal.low imports portal.high (both in layer 'features') at portal/low/a.py:1; "
        "not in ALLOWED",
        "import cycle between portal.high, portal.low: portal.high -> portal.low at portal/high/b.py:9; "
        "portal.low -> portal.high at portal/low/a.py:1",
    ]
    # An allowance lifts the same-layer rule, never the cycle.
    found = problems(edges, units - {"portal.stray"}, declared,
                     allowed={("portal.low", "portal.high"), ("portal.high", "portal.low")})
    assert [line.split(":")[0] for line in found] == ["upward import", "import cycle between portal.high, portal.low"]


@pytest.mark.parametrize("edges, expected", [
    ({("a", "b"): ["x"], ("b", "c"): ["x"], ("c", "a"): ["x"]}, [["a", "b", "c"]]),
    ({("a", "b"): ["x"], ("b", "c"): ["x"]}, []),
    ({("a", "b"): ["x"], ("b", "a"): ["x"], ("c", "d"): ["x"], ("d", "c"): ["x"]}, [["a", "b"], ["c", "d"]]),
])
def test_cycles(edges, expected):
    assert cycles(edges) == expected
