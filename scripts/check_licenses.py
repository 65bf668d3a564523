#!/usr/bin/env python3
"""Fail if any dependency's licence does not allow MIT/Apache-2.0-compatible use.

Reads `cargo metadata` (all targets, all platforms, dev-dependencies included)
and accepts an SPDX expression when some way of satisfying it uses only the
permissive licences below. Python standard library only.
"""
import json
import re
import subprocess
import sys

ALLOWED = {
    "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "0BSD",
    "Unlicense", "CC0-1.0", "BSL-1.0", "Unicode-3.0", "Unicode-DFS-2016",
    # MIT without its attribution clause (borrow-or-share, a test-only
    # dependency of the JSON Schema validator).
    "MIT-0",
    # The Mozilla root certificates in webpki-roots (HTTPS for the portal's
    # member fetcher); sharing them needs the agreement's text beside them:
    # LICENSES/webpki-roots-CDLA-Permissive-2.0.txt, named in NOTICE.
    "CDLA-Permissive-2.0",
}
ALLOWED_EXCEPTIONS = {"LLVM-exception"}
OWN = {"gongkai", "gongkai-fuzz"}


def tokens(expr):
    return re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expr.replace("/", " OR "))


def satisfiable(toks):
    """Parse `a OR b AND (c OR d)`; return whether an allowed choice exists."""
    pos = 0

    def primary():
        nonlocal pos
        if toks[pos] == "(":
            pos += 1
            value = disjunction()
            pos += 1  # ')'
            return value
        name = toks[pos]
        pos += 1
        if pos < len(toks) and toks[pos] == "WITH":
            exception = toks[pos + 1]
            pos += 2
            return name in ALLOWED and exception in ALLOWED_EXCEPTIONS
        return name in ALLOWED

    def conjunction():
        nonlocal pos
        value = primary()
        while pos < len(toks) and toks[pos] == "AND":
            pos += 1
            value = primary() and value
        return value

    def disjunction():
        nonlocal pos
        value = conjunction()
        while pos < len(toks) and toks[pos] == "OR":
            pos += 1
            value = conjunction() or value
        return value

    return disjunction()


def main():
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True, capture_output=True, text=True).stdout)
    bad = []
    for package in metadata["packages"]:
        if package["name"] in OWN:
            continue
        licence = package.get("license")
        if not licence or not satisfiable(tokens(licence)):
            bad.append(f"{package['name']} {package['version']}: {licence or 'no licence field'}")
    for line in sorted(bad):
        print("licence not allowed:", line)
    print(f"licences: {len(metadata['packages']) - len(bad)} packages checked, {len(bad)} not allowed")
    return 1 if bad else 0


if __name__ == "__main__":
    assert satisfiable(tokens("MIT OR Apache-2.0 OR LGPL-2.1-or-later"))
    assert not satisfiable(tokens("GPL-3.0-only"))
    assert not satisfiable(tokens("MIT AND GPL-2.0"))
    assert satisfiable(tokens("(MIT OR Apache-2.0) AND Unicode-3.0"))
    assert satisfiable(tokens("Apache-2.0 WITH LLVM-exception OR MIT"))
    sys.exit(main())
