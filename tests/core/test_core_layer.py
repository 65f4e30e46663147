"""portal/core is the base layer: it imports no feature package, only the
standard library, third-party libraries, itself and portal.extensions,
portal.timeutil, portal.i18n and portal.validation (which import no feature either). No Flask
app, no database."""
import ast
from pathlib import Path

import portal

PORTAL = Path(portal.__file__).parent
BASE = {"portal.core", "portal.extensions", "portal.timeutil", "portal.i18n", "portal.validation"}


def portal_imports(path, package):
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
                found |= {name} if node.module else {f"{base}.{a.name}" for a in node.names}
            elif node.module and node.module.split(".")[0] == "portal":
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "portal"}
    return found


def test_core_and_its_base_import_no_feature():
    modules = {f"portal.core.{p.stem}": p for p in (PORTAL / "core").glob("*.py")}
    modules |= {f"portal.{name}": PORTAL / f"{name}.py" for name in ("extensions", "timeutil", "i18n", "validation")}
    for module, path in modules.items():
        package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
        for imported in portal_imports(path, package):
            assert any(imported == b or imported.startswith(b + ".") for b in BASE), (module, imported)
