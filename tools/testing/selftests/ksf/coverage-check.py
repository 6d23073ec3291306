#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""coverage-check.py INFO SRCROOT OBJROOT REASONS MIN_PCT

Checks an lcov trace of kernel/ (coverage.sh --check):
  - line coverage is at least MIN_PCT percent;
  - every line the selftests did not reach is named in REASONS with the
    reason it is not reached.
REASONS (coverage-unreached.txt) is a list of blocks: a line "why: TEXT"
gives the reason of the entries under it; an entry is
  FILE FUNCTION: SOURCE-LINE
(the source line as written, without leading and trailing blanks; every
unreached line of that text in that function matches) or
  FILE FUNCTION: *
(the whole function).  Lines starting with "#" are comments.  Entries that
match no unreached line are listed as reached now (a test reaches them:
delete the entry), not failed: some are reached only when two requests race.
Exit status 0 iff the coverage is high enough and no unreached line is
unnamed.
"""
import sys
from collections import defaultdict


def parse_info(path, objroot):
    """{file: (fn_starts [(line, name)], {line: hits})}"""
    files, cur = {}, None
    for raw in open(path):
        line = raw.rstrip("\n")
        if line.startswith("SF:"):
            name = line[3:]
            if name.startswith(objroot + "/"):
                name = name[len(objroot) + 1:]
            cur = files.setdefault(name, ([], {}))
        elif line.startswith("FN:") and cur is not None:
            ln, fn = line[3:].split(",", 1)
            cur[0].append((int(ln), fn))
        elif line.startswith("DA:") and cur is not None:
            ln, hits = line[3:].split(",")[:2]
            cur[1][int(ln)] = cur[1].get(int(ln), 0) + int(hits)
        elif line == "end_of_record":
            cur = None
    return files


def function_of(fns, ln):
    best = "(file scope)"
    for start, name in sorted(fns):
        if start <= ln:
            best = name
        else:
            break
    return best


def parse_reasons(path):
    """{(file, function): {text or '*': reason}}, errors"""
    entries, errors, why = defaultdict(dict), [], None
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("why:"):
            why = line[4:].strip()
            continue
        head, sep, text = line.partition(": ")
        parts = head.split(None, 1)	# FUNCTION may be "(file scope)"
        if not sep or len(parts) != 2 or not why:
            errors.append(f"{path}:{n}: expected 'FILE FUNCTION: LINE' under a 'why:' line")
            continue
        entries[(parts[0], parts[1])][text.strip()] = why
    return entries, errors


def main():
    info, srcroot, objroot, reasons, min_pct = sys.argv[1:6]
    files = parse_info(info, objroot)
    entries, errors = parse_reasons(reasons)
    used, unnamed, named = set(), [], 0
    found = hit = 0
    for name in sorted(files):
        fns, lines = files[name]
        try:
            src = open(f"{srcroot}/{name}").read().split("\n")
        except OSError:
            errors.append(f"no source for {name}")
            continue
        for ln in sorted(lines):
            found += 1
            if lines[ln]:
                hit += 1
                continue
            fn = function_of(fns, ln)
            text = src[ln - 1].strip() if ln <= len(src) else ""
            e = entries.get((name, fn), {})
            key = text if text in e else "*" if "*" in e else None
            if key is None:
                unnamed.append(f"{name}:{ln} {fn}: {text}")
            else:
                named += 1
                used.add((name, fn, key))
    pct = 100.0 * hit / found if found else 0.0
    stale = [f"{f} {fn}: {t}" for (f, fn), d in sorted(entries.items())
             for t in d if (f, fn, t) not in used]
    nreasons = len({w for d in entries.values() for w in d.values()})
    print(f"coverage: {hit}/{found} lines of kernel/ = {pct:.1f}% (minimum {min_pct}%)")
    print(f"coverage: {found - hit} lines not reached: {named} named in "
          f"{reasons.split('/')[-1]} ({nreasons} reasons), {len(unnamed)} unnamed")
    if stale:
        print(f"coverage: {len(stale)} named entries are reached by this run "
              "(timing-dependent, or a test reaches them now):")
        for s in stale:
            print(f"  reached: {s}")
    for e in errors:
        print(f"coverage: ERROR: {e}")
    if unnamed:
        print("coverage: FAIL: lines no test reaches and no reason names "
              f"(add a test, or a reason to {reasons.split('/')[-1]}):")
        for u in unnamed:
            print(f"  {u}")
    ok = pct >= float(min_pct) and not unnamed and not errors
    print(f"coverage: {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
