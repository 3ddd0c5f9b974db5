"""design.md §5: no code in edu/ reads or replaces a private name of another package (Flask, Flask-Login,
Flask-Limiter, Flask-WTF, SQLAlchemy, ...). A private name is one with a leading underscore reached through an
object another package made: a module or object imported from it, or one of the extensions declared in
edu/extensions.py (db, limiter, login_manager, csrf, babel). Flask's hook tables (`*_funcs`) count too."""

from __future__ import annotations

import ast
from pathlib import Path

EDU = Path(__file__).resolve().parents[2] / "edu"
# Documented names that happen to start with an underscore.
ALLOWED = {"_get_current_object", "_mapping", "_replace", "_asdict", "_fields", "_make"}
EXTENSIONS = {"db", "limiter", "login_manager", "csrf", "babel", "migrate"}


def _foreign_names(tree: ast.Module) -> set[str]:
    """Names this module binds to another package's modules and objects (and to the shared extensions)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names
                      if not alias.name.startswith("edu")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if not node.module.startswith("edu"):
                names |= {alias.asname or alias.name for alias in node.names}
            elif node.module == "edu.extensions":
                names |= {alias.asname or alias.name for alias in node.names if alias.name in EXTENSIONS}
    return names


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _name_read(call: ast.Call, foreign: set[str]) -> str | None:
    """The name in getattr/hasattr/setattr(obj, "_x"), or in obj.get("_x") / obj.pop("_x") on another package's
    object (Flask's g or session)."""
    position = None
    if isinstance(call.func, ast.Name) and call.func.id in ("getattr", "hasattr", "setattr", "delattr"):
        position = 1
    elif (isinstance(call.func, ast.Attribute) and call.func.attr in ("get", "pop", "setdefault")
          and _root(call.func) in foreign):
        position = 0
    if position is None or len(call.args) <= position:
        return None
    argument = call.args[position]
    return argument.value if isinstance(argument, ast.Constant) and isinstance(argument.value, str) else None


def private_uses(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    foreign = _foreign_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith("edu"):
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
        name = _name_read(node, foreign) if isinstance(node, ast.Call) else None
        if name is not None and name.startswith("_") and not name.startswith("__"):
            found.append((node.lineno, f"{ast.unparse(node.func)}({name!r})"))
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr.endswith("_funcs"):
            found.append((node.lineno, f"….{node.attr} (a framework's hook table)"))
        elif (node.attr.startswith("_") and not node.attr.startswith("__") and node.attr not in ALLOWED
              and _root(node) in foreign):
            found.append((node.lineno, f"{_root(node)}….{node.attr}"))
    return found


def test_the_check_finds_private_names_of_other_packages():
    source = """
from flask import g, current_app
from flask_login.utils import _create_identifier
from edu.extensions import limiter
import sqlalchemy
g._login_user
g.get("_login_user")
getattr(request, "_limiter_request_context", None)
limiter._check_request_limit
sqlalchemy.engine._private
app.before_request_funcs[None]
current_app._get_current_object()
self._own = 1
"""
    assert sorted(text for _line, text in private_uses(source)) == sorted([
        "from flask_login.utils import _create_identifier", "g…._login_user", "g.get('_login_user')",
        "getattr('_limiter_request_context')",
        "limiter…._check_request_limit", "sqlalchemy…._private", "….before_request_funcs (a framework's hook table)"])


def test_edu_uses_no_private_name_of_another_package():
    found = [f"{path.relative_to(EDU.parent)}:{line}: {text}"
             for path in sorted(EDU.rglob("*.py")) for line, text in private_uses(path.read_text())]
    assert found == [], "private names of other packages (use their documented API):\n" + "\n".join(found)
