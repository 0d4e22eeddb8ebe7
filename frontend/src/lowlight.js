// frappe-ui's code block highlights with lowlight's `common` set (37 languages, ~400 KB). Answers to
// IT questions quote shell commands, scripts and config files: these languages are kept, the rest
// of the set is not bundled (vite.config.js aliases "lowlight" to this file).
import { createLowlight } from "../node_modules/lowlight/lib/index.js";
import bash from "highlight.js/lib/languages/bash";
import ini from "highlight.js/lib/languages/ini";
import json from "highlight.js/lib/languages/json";
import plaintext from "highlight.js/lib/languages/plaintext";
import powershell from "highlight.js/lib/languages/powershell";
import python from "highlight.js/lib/languages/python";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

export { createLowlight };
export const common = { bash, ini, json, plaintext, powershell, python, shell, sql, xml, yaml };
export const all = common;
