# SPDX-License-Identifier: MIT
"""Runs every `$ slope ...` example of the given Markdown files and compares what the command
prints (standard output, then standard error) with the lines shown under it, exactly.

Usage: docs_examples.py SLOPE FILE.md...
An example is a line `$ slope ARGS` in a fenced block; its output is every line after it up to
the next `$ ` line or the end of the block. Commands that write files (`--out NAME`) run in a
scratch folder; pipes into other programs (`| grep`) and programs other than slope are skipped.
Prints each difference and exits 1 if there is one.
"""
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

slope, files = sys.argv[1], sys.argv[2:]


def examples(path):
    """(line number, command, expected output) for each example of the file."""
    fence, block = None, []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        stripped = line.lstrip("`")
        ticks = len(line) - len(stripped)
        if fence is None and ticks >= 3:
            fence, block = ticks, []
        elif fence is not None and ticks == fence and not stripped.strip():
            yield from commands(block)
            fence = None
        elif fence is not None:
            block.append((number, line))


def commands(block):
    for i, (number, line) in enumerate(block):
        if not line.startswith("$ slope"):
            continue
        out = []
        for _, following in block[i + 1:]:
            if following.startswith("$ "):
                break
            out.append(following)
        yield number, line[2:], "\n".join(out)


failures = count = 0
with tempfile.TemporaryDirectory() as scratch:
    for path in files:
        for number, command, expected in examples(path):
            if "|" in shlex.split(command):
                continue
            args = shlex.split(command)[1:]
            run = subprocess.run([slope] + args, capture_output=True, text=True, cwd=scratch)
            got = (run.stdout + run.stderr).rstrip("\n")
            count += 1
            if got != expected.rstrip("\n"):
                failures += 1
                print(f"{os.path.basename(path)}:{number}: {command}")
                for line in difflib.unified_diff(expected.split("\n"), got.split("\n"),
                                                 "shown", "printed", lineterm="", n=1):
                    print("   ", line)
print(f"{count} examples run, {failures} differ from what the docs show")
sys.exit(1 if failures or count == 0 else 0)
