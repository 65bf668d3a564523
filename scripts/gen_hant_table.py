#!/usr/bin/env python3
"""Generate src/hant_table.txt, the conversion data of gongkai::hant.

Usage:
    python3 scripts/gen_hant_table.py [--opencc-dir DIR] [OUTPUT]

Needs Debian's `opencc` package (the `opencc` and `opencc_dict` commands and
the dictionaries in DIR, default /usr/share/opencc). OUTPUT defaults to
src/hant_table.txt in this repository. Python standard library only. The
build itself never needs OpenCC: the output is committed.

What the Traditional copy must equal is `opencc -c s2tw.json`. That
configuration (checked below, so a different one stops this script):

    segmentation: longest match over STPhrases
    step 1:       STPhrases, then STCharacters, first candidate
    step 2:       TWVariants, first candidate

Every TWVariants key is one character, so step 2 is a character map over the
output of step 1, and the whole conversion is: at each position, the longest
STPhrases key that starts there is replaced by its first candidate; a
character that starts none by its first STCharacters candidate (or itself);
then every character of the result goes through TWVariants. This script
writes that as

* [chars]: every character the conversion changes when no phrase covers
  it, already through TWVariants: 发 -> 發, 着 -> 著 (TWVariants only),
  爲 -> 為;
* [phrases]: every STPhrases key, sorted; followed by a tab and its output
  (through TWVariants) only when that is not the character-by-character
  conversion of the key (复印件 -> 複印件; 批准 stays 批准). Keys whose output
  is the character-by-character one still matter: they decide where the
  longest match cuts the text;
* [fold]: the Traditional -> Simplified fold of the search, one character to
  one: each class of characters joined by a conversion (a [chars] line, a
  character of a phrase and the one its output has at that place, a first
  TSCharacters candidate) folds to one of its members, so that folding the
  Traditional copy of a text gives the fold of the text itself;
* [traditional]: characters that are Traditional only (a TSCharacters key
  whose candidates do not include itself and that STCharacters does not
  convert): the keys of a site's own phrases (`[traditional_phrases]`),
  which are Simplified text, may not hold them.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

DICTS = ["STPhrases", "STCharacters", "TWVariants", "TSCharacters"]

# s2tw.json as this script understands it.
EXPECTED_CONFIG = {
    "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "STPhrases.ocd2"}},
    "conversion_chain": [
        {
            "dict": {
                "type": "group",
                "dicts": [
                    {"type": "ocd2", "file": "STPhrases.ocd2"},
                    {"type": "ocd2", "file": "STCharacters.ocd2"},
                ],
            }
        },
        {"dict": {"type": "ocd2", "file": "TWVariants.ocd2"}},
    ],
}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def versions():
    """The CLI's own version line and the Debian package version."""
    cli = next(
        (line.split(":", 1)[1].strip()
         for line in run("opencc", "--version").splitlines() if line.startswith("Version:")),
        "unknown",
    )
    try:
        package = run("dpkg-query", "-W", "-f=${Version}", "opencc")
    except (OSError, subprocess.CalledProcessError):
        package = "unknown"
    return cli, package


def dump(opencc_dir, work):
    """Dump each dictionary to text with OpenCC's own opencc_dict."""
    tables = {}
    for name in DICTS:
        text = work / f"{name}.txt"
        run("opencc_dict", "-i", str(opencc_dir / f"{name}.ocd2"), "-o", str(text),
            "-f", "ocd2", "-t", "text")
        tables[name] = read_table(text)
    return tables


def read_table(path):
    """{key: [candidates]} of one dumped dictionary."""
    table = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        key, tab, values = line.partition("\t")
        candidates = values.split(" ")
        if not tab or not key or not all(candidates) or key in table:
            sys.exit(f"{path}:{number}: unexpected line {line!r}")
        table[key] = candidates
    return table


def check_config(opencc_dir):
    config = json.loads((opencc_dir / "s2tw.json").read_text(encoding="utf-8"))
    for key, expected in EXPECTED_CONFIG.items():
        if config.get(key) != expected:
            sys.exit(f"s2tw.json: {key} is not what this script implements: {config.get(key)}")


def check_shapes(st, phrases, tw):
    """The properties the conversion above and gongkai::hant rely on."""
    for name, table in [("STCharacters", st), ("TWVariants", tw)]:
        bad = [k for k, v in table.items() if len(k) != 1 or any(len(c) != 1 for c in v)]
        if bad:
            sys.exit(f"{name}: entries that are not one character to one: {bad[:5]}")
    for key, candidates in phrases.items():
        if len(key) < 2 or len(candidates[0]) != len(key):
            sys.exit(f"STPhrases: {key} -> {candidates[0]}: not a phrase of the key's length")
        if ord(key[0]) < 0x800 or any(c.isspace() or ord(c) < 0x80 for c in key):
            sys.exit(f"STPhrases: {key}: starts below U+0800 or holds ASCII")
    for c in list(st) + list(tw):
        if not 0x800 <= ord(c) < 0x40000:
            sys.exit(f"{c} U+{ord(c):04X}: outside the dense table (U+0800..U+3FFFF)")


def conversion(st, phrases, tw):
    """The [chars] map and the [phrases] list (key, output or None)."""
    def variant(text):
        return "".join(tw.get(c, [c])[0] for c in text)

    chars = {}
    for c in set(st) | set(tw):
        to = variant(st.get(c, [c])[0])
        if to != c:
            chars[c] = to

    def per_char(text):
        return "".join(chars.get(c, c) for c in text)

    entries = []
    for key in sorted(phrases):
        output = variant(phrases[key][0])
        entries.append((key, None if output == per_char(key) else output))
    return chars, entries


def traditional_fold(chars, entries, st, ts):
    """One representative per class (see the module doc); returns {from: to}."""
    parent = {}

    def find(c):
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a, b):
        parent[find(a)] = find(b)

    for key, value in chars.items():
        union(key, value)
    for key, output in entries:
        for a, b in zip(key, output or ""):
            if a != b:
                union(a, b)
    for key, candidates in ts.items():
        if candidates[0] != key:
            union(key, candidates[0])

    classes = defaultdict(list)
    for c in list(parent):
        classes[find(c)].append(c)
    # How often OpenCC names a character as the form to fold to or to keep:
    # a first TSCharacters candidate, or an STCharacters key kept as it is.
    votes = defaultdict(int)
    for candidates in ts.values():
        votes[candidates[0]] += 1
    for key, candidates in st.items():
        if candidates[0] == key:
            votes[key] += 1
    fold = {}
    for members in classes.values():
        # Most votes, then a character the conversion changes (a Simplified
        # one), then the lowest code point, for a result that never varies.
        representative = min(members, key=lambda c: (-votes[c], c not in chars, ord(c)))
        for c in members:
            if c != representative:
                fold[c] = representative
    return fold


def check_fold(chars, entries, fold):
    def f(text):
        return "".join(fold.get(c, c) for c in text)

    for c in set(fold) | set(fold.values()) | set(chars) | set(chars.values()):
        if f(f(c)) != f(c):
            sys.exit(f"fold not idempotent at {c}")
        if f(chars.get(c, c)) != f(c):
            sys.exit(f"fold of the conversion of {c} differs from the fold of {c}")
    for key, output in entries:
        if output is not None and f(output) != f(key):
            sys.exit(f"fold of {output} differs from the fold of {key}")


def write(path, cli, package, chars, entries, fold, traditional):
    def pairs(mapping):
        return [k + v for k, v in sorted(mapping.items(), key=lambda kv: ord(kv[0]))]

    lines = [
        "# Conversion data of gongkai::hant, generated by scripts/gen_hant_table.py:",
        "# do not edit by hand, rerun the script.",
        f"# Source: OpenCC, Debian package opencc {package} (its CLI says {cli}):",
        "# s2tw.json with STPhrases, STCharacters, TWVariants and TSCharacters,",
        "# dumped with opencc_dict. Apache License 2.0, copy in",
        "# LICENSES/OpenCC-Apache-2.0.txt. Rewritten from the source: first",
        "# candidates only, TWVariants applied, phrase outputs only where they",
        "# differ from the character conversion; the fold and the Traditional-only",
        "# list are derived (see the script).",
        f"[chars] {len(chars)}",
        *pairs(chars),
        f"[phrases] {len(entries)}",
        *(key if output is None else f"{key}\t{output}" for key, output in entries),
        f"[fold] {len(fold)}",
        *pairs(fold),
        f"[traditional] {len(traditional)}",
    ]
    ordered = "".join(sorted(traditional, key=ord))
    lines += [ordered[i:i + 64] for i in range(0, len(ordered), 64)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--opencc-dir", type=Path, default=Path("/usr/share/opencc"))
    default = Path(__file__).resolve().parent.parent / "src" / "hant_table.txt"
    parser.add_argument("output", type=Path, nargs="?", default=default)
    args = parser.parse_args()
    check_config(args.opencc_dir)
    cli, package = versions()
    with tempfile.TemporaryDirectory() as work:
        tables = dump(args.opencc_dir, Path(work))
    st, phrases = tables["STCharacters"], tables["STPhrases"]
    tw, ts = tables["TWVariants"], tables["TSCharacters"]
    check_shapes(st, phrases, tw)
    chars, entries = conversion(st, phrases, tw)
    fold = traditional_fold(chars, entries, st, ts)
    check_fold(chars, entries, fold)
    traditional = {c for c, v in ts.items() if c not in v and c not in st}
    write(args.output, cli, package, chars, entries, fold, traditional)
    spelled = sum(1 for _, output in entries if output is not None)
    print(f"{args.output}: {len(chars)} characters, {len(entries)} phrases "
          f"({spelled} with their own output), fold {len(fold)}, "
          f"Traditional-only {len(traditional)}; opencc {package}, CLI {cli}")


if __name__ == "__main__":
    main()
