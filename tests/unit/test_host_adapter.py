"""The host adapter is the only way into Helpdesk: no other module of the app imports `helpdesk`."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "peer_support"
ADAPTER = PACKAGE / "host.py"


def imported_modules(path: Path) -> set[str]:
	names = set()
	for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
		if isinstance(node, ast.Import):
			names.update(alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
			names.add(node.module)
	return names


def test_only_the_host_adapter_imports_helpdesk():
	offenders = sorted(
		str(path.relative_to(PACKAGE))
		for path in PACKAGE.rglob("*.py")
		if path != ADAPTER
		and any(name == "helpdesk" or name.startswith("helpdesk.") for name in imported_modules(path))
	)
	assert offenders == []


def test_the_adapter_does_import_helpdesk():
	assert any(name.startswith("helpdesk") for name in imported_modules(ADAPTER))


def test_helpdesk_method_paths_are_named_in_the_adapter_alone():
	"""Strings naming Helpdesk's Python paths (hooks, overrides) come from the adapter's constants, except
	in hooks.py, which Frappe reads as data."""
	offenders = sorted(
		str(path.relative_to(PACKAGE))
		for path in PACKAGE.rglob("*.py")
		if path not in (ADAPTER, PACKAGE / "hooks.py") and '"helpdesk.' in path.read_text()
	)
	assert offenders == []
