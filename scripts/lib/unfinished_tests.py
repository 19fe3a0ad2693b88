"""Names the Swift tests a log shows started but never finished (a hang or a crash)."""
import re
import sys

text = open(sys.argv[1], errors="replace").read()
started = re.findall(r"◇ Test ((?!case passing).+?) started\.", text)
unfinished = [
    name for name in started
    if name != "run"
    and not re.search(r"[✔✘] Test " + re.escape(name) + r"( with \d+ test cases?)? (passed|failed)", text)
]
if unfinished:
    print("== tests started and not finished:")
    for name in unfinished:
        print("   " + name)
