"""What BibTeX readers make of a .bib file: for each entry, its type, its
field names and how many names each name list holds, as JSON
{key: {"type": …, "fields": [...]}}. An injected field, an entry split in
two or a name list that grew shows up here.

python3 bib_fields.py pybtex FILE.bib
python3 bib_fields.py biber FILE.bib      (runs biber --tool, reads its biblatexml)
"""

import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def with_pybtex(path):
    from pybtex.database import parse_file

    db = parse_file(path, bib_format="bibtex")
    out = {}
    for key, e in db.entries.items():
        fields = sorted(f.lower() for f in e.fields.keys())
        fields += sorted(f"{role.lower()}:{len(p)}" for role, p in e.persons.items())
        out[key] = {"type": e.type.lower(), "fields": fields}
    return out


def with_biber(path):
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.bib"
        src.write_bytes(Path(path).read_bytes())
        out = Path(d) / "out.bltxml"
        r = subprocess.run(
            ["biber", "--tool", "--output-format=biblatexml", "--output-file", str(out), str(src)],
            cwd=d, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("biber failed:\n" + r.stdout + r.stderr)
        ns = {"b": "http://biblatex-biber.sourceforge.net/biblatexml"}
        root = ET.parse(out).getroot()
        result = {}
        for e in root.findall("b:entry", ns):
            fields = []
            for child in e:
                tag = child.tag.split("}")[1]
                if tag == "names":
                    fields.append(f"{child.get('type')}:{len(child.findall('b:name', ns))}")
                else:
                    fields.append(tag)
            result[e.get("id")] = {"type": e.get("entrytype"), "fields": sorted(fields)}
        return result


mode, path = sys.argv[1], sys.argv[2]
print(json.dumps(with_pybtex(path) if mode == "pybtex" else with_biber(path), sort_keys=True))
