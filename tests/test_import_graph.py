"""The import graph follows the intended direction and has no cycles.

adapters/cli -> compressor/service -> pipeline -> techniques -> formats/tokens/targets/router/ocr/crop
-> imaging/cache/types/errors. Every import counts, the lazy ones inside functions too (they run
sooner or later); imports under ``if TYPE_CHECKING:`` do not (they never run). A module may import
its own layer or lower ones; a new module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "headroom_middleware"

# Lowest layer first. A module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("_version", "_env", "_units", "errors", "types", "cache", "imaging", "protocols")),
    ("engines", ("formats", "tokens", "targets", "router", "ocr", "crop", "shared_cache")),
    ("techniques", ("pipeline.work", "pipeline.output", "pipeline.preserve", "pipeline.full_low", "pipeline.crop",
                    "pipeline.transcode")),
    ("pipeline", ("pipeline",)),
    ("core", ("compressor", "service")),
    ("hosts", ("", "adapters", "cli", "html_report")),  # "": the package root, a lazy facade over everything
)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for base, prefix in ((ROOT / PACKAGE, PACKAGE), (ROOT / "adapters", f"{PACKAGE}.adapters")):
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([prefix, *parts])] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(sub) for sub in ast.walk(node))
    return skip


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    deps: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                deps.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            deps.update(alias.name for alias in node.names)
    return {d for d in deps if d in modules and d != name}


def _layer(module: str) -> int:
    rel = module[len(PACKAGE) + 1:] if module != PACKAGE else ""
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = rel == prefix or (prefix != "" and rel.startswith(prefix + "."))
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    assert best is not None, f"{module} has no layer: add it to LAYERS in {Path(__file__).name}"
    return best[1]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_imports_point_down_the_layers() -> None:
    upward = []
    for module, deps in _graph().items():
        for dep in deps:
            if _layer(dep) > _layer(module):
                upward.append(f"{module} ({LAYERS[_layer(module)][0]}) imports {dep} ({LAYERS[_layer(dep)][0]})")
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    graph = _graph()
    # Tarjan's strongly connected components: any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_checker_sees_lazy_imports_and_skips_type_checking() -> None:
    # The graph must include imports inside functions and exclude TYPE_CHECKING blocks, else it
    # would miss the lazy edges that make most of the package's real dependencies.
    graph = _graph()
    assert f"{PACKAGE}.pipeline.request" in graph[f"{PACKAGE}.pipeline"]
    assert f"{PACKAGE}.pipeline" in graph[f"{PACKAGE}.compressor"]  # imported inside __init__
    assert f"{PACKAGE}.protocols" not in graph[f"{PACKAGE}.pipeline.request"]  # TYPE_CHECKING only
    assert _layer(f"{PACKAGE}.pipeline.crop") == 2 and _layer(f"{PACKAGE}.crop") == 1
