"""core/ must stay free of frappe, so that its rules run (and are tested) without a site."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "peer_support" / "core"


def imported_modules(path: Path) -> set[str]:
	modules = set()
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.Import):
			modules.update(alias.name.split(".")[0] for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			modules.add(node.module.split(".")[0])
	return modules


def test_no_core_module_imports_frappe():
	files = sorted(CORE.glob("*.py"))
	assert files, "core/ has no modules"
	offenders = [path.name for path in files if "frappe" in imported_modules(path)]
	assert offenders == []
