"""The shape readers see in RIS and Robust Links citations: for each file
given, RIS as rispy reads it (how many records, and each record's tags),
HTML as html.parser reads it (each start tag with its attribute names).
Prints one JSON value per file, in order.

python3 ris_html_shape.py FILE.ris|FILE.html ...
"""
import json
import sys
from html.parser import HTMLParser

import rispy


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append([tag, sorted(k for k, _ in attrs)])

    def handle_endtag(self, tag):
        self.tags.append(["/" + tag, []])


for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", newline="").read()
    if path.endswith(".ris"):
        records = rispy.loads(text)
        print(json.dumps([sorted(r.keys()) for r in records]))
    else:
        p = Tags()
        p.feed(text)
        p.close()
        print(json.dumps(p.tags))
