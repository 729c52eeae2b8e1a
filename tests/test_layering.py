"""The dependency direction is storage <- replication <- sqlserver; this test keeps it."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "storage": {"replication", "sqlserver", "boto3", "mysql_mimic", "sqlglot"},
    "replication": {"sqlserver", "mysql_mimic", "sqlglot"},
}


def imported_packages(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_layers_import_only_downwards():
    problems = []
    for layer, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / layer).rglob("*.py")):
            bad = imported_packages(path) & forbidden
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert problems == []


def test_boto3_lives_in_one_module():
    users = [
        p.relative_to(ROOT)
        for layer in ("storage", "replication", "sqlserver")
        for p in (ROOT / layer).rglob("*.py")
        if "boto3" in imported_packages(p) or "botocore" in imported_packages(p)
    ]
    assert len(users) <= 1, users
