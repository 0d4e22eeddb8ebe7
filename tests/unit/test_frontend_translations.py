"""Every string the community app passes to __() has a German translation (the proof language file),
and the app's source never shows a hard-coded sentence where __() belongs (a cheap check: no text
between tags in the Vue templates that is not an interpolation)."""

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "frontend" / "src"
MESSAGE = re.compile(r"""__\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def frontend_messages() -> set[str]:
	found = set()
	for path in SOURCE.rglob("*"):
		if path.suffix in (".vue", ".js"):
			found |= {a or b for a, b in MESSAGE.findall(path.read_text())}
	return found


def german() -> dict[str, str]:
	with open(ROOT / "peer_support" / "translations" / "de.csv", newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def test_every_message_of_the_app_is_translated_to_german():
	messages = frontend_messages()
	assert len(messages) > 100
	missing = sorted(messages - set(german()))
	assert not missing, missing


def test_the_translations_keep_their_placeholders():
	for source, translated in german().items():
		assert sorted(re.findall(r"{\d+}", source)) == sorted(re.findall(r"{\d+}", translated)), source


def test_templates_have_no_bare_text():
	bare = []
	for path in SOURCE.rglob("*.vue"):
		template = path.read_text().split("<script", 1)[0]
		template = re.sub(r"<!--.*?-->", "", template, flags=re.S)
		for text in re.findall(r">([^<>]+)<", template):
			text = re.sub(r"{{.*?}}", "", text, flags=re.S).strip()
			if re.search(r"[A-Za-z]{2,}", text):
				bare.append(f"{path.name}: {text}")
	assert not bare, bare


def test_the_declared_build_output_is_where_vite_writes_it():
	"""pyproject's [tool.bench.assets] (as frappe/helpdesk declares its desk/) and frontend/vite.config.js
	agree, and the harness leaves that output out of its copies."""
	import tomllib

	assets = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bench"]["assets"]
	vite = (ROOT / "frontend" / "vite.config.js").read_text()
	assert (ROOT / assets["build_dir"]).resolve() == ROOT / "frontend"
	for key, option in (("out_dir", "outDir"), ("index_html_path", "indexHtmlPath")):
		written = re.search(option + r': "([^"]+)"', vite).group(1)
		assert (ROOT / "frontend" / written).resolve() == (ROOT / assets[key]).resolve(), key
	gitignore = (ROOT / ".gitignore").read_text().split()
	assert {"/" + assets[k].removeprefix("./") for k in ("out_dir", "index_html_path")} <= {
		line.rstrip("/") for line in gitignore
	}
