"""List the translatable texts of the core.

They are the literals passed to ``wizard.i18n._`` or marked with ``N_`` (texts translated
later, such as table entries), and the message templates of error classes whose texts are
translated when shown (``TEMPLATE_ARGS``).

``python tools/extract_messages.py --update ru`` adds the missing texts to
``wizard/locale/ru.json`` (with an empty translation) and drops texts no longer used, so a
translator only fills in blanks; the tests fail while any blank or stale text remains.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wizard"
# Callable name → index of the positional argument that holds a translatable text.
TEMPLATE_ARGS = {"_": 0, "N_": 0, "AddressError": 1}


def messages(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Each text passed to ``_()`` as a literal, with where it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        if "gui" in path.relative_to(package).parts:
            continue  # the GUI's texts go through Qt's own translation files
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            index = TEMPLATE_ARGS.get(node.func.id)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(arg.value, []).append(where)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", metavar="LANG", help="update wizard/locale/LANG.json")
    args = parser.parse_args()
    found = messages()
    if not args.update:
        for text, where in sorted(found.items()):
            print(f"{where[0]}: {text}")
        return 0
    path = PACKAGE / "locale" / f"{args.update}.json"
    old = json.loads(path.read_text("utf-8")) if path.exists() else {}
    new = {text: old.get(text, "") for text in sorted(found)}
    path.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", "utf-8")
    blanks = sum(1 for v in new.values() if not v)
    print(f"{path.relative_to(ROOT)}: {len(new)} texts, {blanks} to translate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
