"""Checks provseal's citation files with the parsers people's tools use.

python3 validate.py SCHEMA.json CASE_DIR...

For each directory of citation files (as tests/golden/citations/<case>/):
- citation.csl.json validates against the CSL-JSON schema (jsonschema);
- citation.ris parses with rispy into the expected fields, with CRLF lines;
- citation.bibtex.bib parses with pybtex as one @misc entry;
- citation.robust-links.html parses as HTML, and each link carries
  data-originalurl, data-versiondate and data-versionurl.
Prints one line per check and exits 1 if any failed.
"""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import rispy
from pybtex.database import parse_string

failures = []


def check(case, what, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {case}: {what}{' - ' + detail if detail and not ok else ''}")
    if not ok:
        failures.append(f"{case}: {what}: {detail}")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def main():
    schema = json.loads(Path(sys.argv[1]).read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for d in map(Path, sys.argv[2:]):
        case = d.name
        csl = json.loads((d / "citation.csl.json").read_text())
        errors = [e.message for e in validator.iter_errors(csl)]
        check(case, "CSL-JSON validates against the schema", not errors, "; ".join(errors))
        item = csl[0]
        custom = item["custom"]

        raw = (d / "citation.ris").read_bytes()
        check(case, "RIS lines end in CRLF", b"\n" not in raw.replace(b"\r\n", b""))
        entries = rispy.loads(raw.decode("utf-8"))
        check(case, "RIS holds one record", len(entries) == 1, str(len(entries)))
        r = entries[0]
        want = {
            "type_of_reference": "NEWS",
            "title": item["title"],
            "urls": [item["URL"]],
            "name_of_database": item["archive"],
            "accession_number": item["archive_location"],
        }
        for key, value in want.items():
            check(case, f"RIS {key}", r.get(key) == value, f"{r.get(key)!r} != {value!r}")
        check(case, "RIS access date", r.get("access_date", "").startswith(custom["captured_at"][:10].replace("-", "/")), str(r.get("access_date")))
        if "issued" in item:
            y, m, day = item["issued"]["date-parts"][0]
            check(case, "RIS DA and PY", r.get("date") == f"{y:04}/{m:02}/{day:02}" and r.get("year") == f"{y:04}", f"{r.get('date')} {r.get('year')}")
        else:
            check(case, "RIS has no date when none is known", "date" not in r and "year" not in r)
        notes = " ".join(r.get("notes", []))
        for evidence in [custom["bundle_id"], custom["captured_at"]] + custom["repost_urls"]:
            check(case, f"RIS N1 carries {evidence[:24]}", evidence in notes)
        if custom.get("signer_key_id"):
            check(case, "RIS N1 carries the signer", custom["signer_key_id"] in notes)

        bib = parse_string((d / "citation.bibtex.bib").read_text(), "bibtex")
        check(case, "BibTeX parses as one entry", len(bib.entries) == 1, str(len(bib.entries)))
        (key, entry), = bib.entries.items()
        check(case, "BibTeX entry is @misc", entry.type == "misc", entry.type)
        check(case, "BibTeX note carries the bundle id", custom["bundle_id"] in entry.fields.get("note", ""))
        check(case, "BibTeX authors", len(entry.persons.get("author", [])) == len(item.get("author", [])))

        html = (d / "citation.robust-links.html").read_text()
        parser = Links()
        parser.feed(html)
        parser.close()
        expected = 1 + len(custom["repost_urls"])
        check(case, f"Robust Links has {expected} links", len(parser.links) == expected, str(len(parser.links)))
        for a in parser.links:
            ok = (
                a.get("href") == a.get("data-originalurl")
                and re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.get("data-versiondate", "")) is not None
                and a.get("data-versionurl", "").startswith("https://")
            )
            check(case, f"Robust Link to {a.get('href')} is decorated", ok, json.dumps(a))
        if custom["original_url"]:
            check(case, "Robust Links cite the original first", parser.links[0]["href"] == custom["original_url"])
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)


main()
