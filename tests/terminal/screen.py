"""Renders a program's output on a terminal emulator (pyte) and prints the
screen, one JSON string per line, so that a test can compare what a person
would see with what the program wrote. Usage: screen.py COLUMNS < OUTPUT"""
import json
import sys

import pyte

data = sys.stdin.buffer.read()
columns = int(sys.argv[1])
# One screen line per output line, and room to spare: nothing scrolls off.
rows = data.count(b"\n") + 4
screen = pyte.Screen(columns, rows)
# A terminal turns LF into CR LF (the tty's onlcr); pyte does not.
screen.set_mode(pyte.modes.LNM)
stream = pyte.ByteStream(screen)
stream.feed(data)
print(json.dumps({"lines": [line.rstrip() for line in screen.display],
                  "cursor": [screen.cursor.x, screen.cursor.y]}))
