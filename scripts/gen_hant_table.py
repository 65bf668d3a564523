#!/usr/bin/env python3
"""Generate src/hant_table.txt, the character tables of gongkai::hant.

Usage:
    python3 scripts/gen_hant_table.py [--forms taiwan|opencc] DICTIONARY_DIR [OUTPUT]

DICTIONARY_DIR holds OpenCC's STCharacters.txt, TSCharacters.txt and
TWVariants.txt: in the npm package `opencc` (`npm pack opencc@1.4.2`) it is
`package/data/dictionary`. OUTPUT defaults to src/hant_table.txt in this
repository. Python standard library only.

What it makes, and why:

* s2t (Simplified -> Traditional): for every STCharacters.txt key, its first
  candidate (OpenCC's default), except the few in OVERRIDES. Characters only:
  OpenCC's phrase tables are not read (DESIGN: no vocabulary rewriting).
  With `--forms taiwan` (the default) that candidate is then written in the
  form of Taiwan's standard (OpenCC's TWVariants.txt, a character table):
  为 becomes 為 rather than OpenCC's own 爲, 群众 群眾 rather than 羣衆, 里 裡
  rather than 裏: forms that readers in Taiwan, Hong Kong and Macau see every
  day, where OpenCC's look old-fashioned. `--forms opencc` keeps OpenCC's.
  Converting must be idempotent, so a mapping whose source is itself the
  result of another mapping is dropped (that character is Traditional already
  and stays as written).
* t2s (Traditional -> Simplified fold, for search): every character is folded
  to a representative of its class, the classes joining each character with
  its s2t result and with its first TSCharacters.txt candidate. So
  fold(to_traditional(c)) == fold(c) for every c, and fold(fold(c)) == fold(c),
  which is what a search index that folds both the text and the query needs.
  The representative is the character OpenCC most often keeps or folds to,
  which for the common characters is TSCharacters.txt's first candidate.
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

SOURCE = "OpenCC 1.4.2 (npm package `opencc` 1.4.2, data/dictionary)"

# Characters whose first OpenCC candidate is right only inside set phrases,
# which OpenCC fixes with STPhrases.txt (not used here). Each override is one
# of OpenCC's own candidates for that character.
OVERRIDES = {
    # 岳阳 岳麓 岳父 and the surname are 岳; 嶽 is only the mountain sense (五嶽).
    "岳": "岳",
    # 吃 is the standard form in Taiwan and Hong Kong; 喫 is archaic (with
    # --forms taiwan, TWVariants.txt gives 吃 as well).
    "吃": "吃",
    # 分钟 时钟 钟表 are 鐘; 鍾 is the surname and 鍾情.
    "钟": "鐘",
}


def read_table(path):
    """Return {key: [candidates]} of one OpenCC character table."""
    table = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        candidates = values.split(" ")
        if len(key) != 1 or not values or any(len(c) != 1 for c in candidates):
            sys.exit(f"{path}:{number}: not a character mapping: {line!r}")
        if key in table:
            sys.exit(f"{path}:{number}: {key} listed twice")
        table[key] = candidates
    return table


def simplified_to_traditional(st, forms):
    """First candidates with OVERRIDES, in the chosen forms, made idempotent.

    `forms` maps a Traditional character to the form to write instead; it is
    applied to conversion results only, so a character already written in
    Traditional stays as it is.
    """
    s2t = {}
    for key, candidates in st.items():
        choice = OVERRIDES.get(key, candidates[0])
        if choice not in candidates:
            sys.exit(f"override {key}->{choice} is not an OpenCC candidate")
        choice = forms.get(choice, [choice])[0]
        if choice != key:
            s2t[key] = choice
    unused = set(OVERRIDES) - set(st)
    if unused:
        sys.exit(f"overrides of unknown characters: {sorted(unused)}")
    dropped = sorted(k for k in s2t if k in set(s2t.values()))
    for key in dropped:
        del s2t[key]
    return s2t, dropped


def traditional_fold(st, s2t, ts):
    """Fold every character of a class to one representative (see module doc)."""
    parent = {}

    def find(c):
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a, b):
        parent[find(a)] = find(b)

    for key, value in s2t.items():
        union(key, value)
    for key, candidates in ts.items():
        if candidates[0] != key:
            union(key, candidates[0])

    classes = defaultdict(list)
    for c in list(parent):
        classes[find(c)].append(c)

    # How often OpenCC names each character as the form to keep or to fold
    # to: a first TSCharacters.txt candidate, or a character that both tables
    # keep as it is (托 stays 托, 託 folds to 托).
    votes = defaultdict(int)
    for candidates in ts.values():
        votes[candidates[0]] += 1
    for key, candidates in st.items():
        if candidates[0] == key:
            votes[key] += 1

    t2s = {}
    for members in classes.values():
        # Most votes wins, then a character that converting changes (a
        # Simplified one), then the lowest code point, for determinism.
        def rank(c):
            return (-votes[c], c not in s2t, ord(c))

        representative = min(members, key=rank)
        for c in members:
            if c != representative:
                t2s[c] = representative
    return t2s


def check(s2t, t2s):
    """The properties gongkai::hant relies on; stop on any violation."""
    def to_t(c):
        return s2t.get(c, c)

    def fold(c):
        return t2s.get(c, c)

    for c in set(s2t) | set(s2t.values()) | set(t2s) | set(t2s.values()):
        if to_t(to_t(c)) != to_t(c):
            sys.exit(f"s2t not idempotent at {c}")
        if fold(fold(c)) != fold(c):
            sys.exit(f"fold not idempotent at {c}")
        if fold(to_t(c)) != fold(c):
            sys.exit(f"fold(s2t({c})) != fold({c})")
        # The dense tables cover U+0800..U+3FFFF (three- and four-byte UTF-8).
        if not 0x800 <= ord(c) < 0x40000:
            sys.exit(f"{c} U+{ord(c):04X} out of range")


def write(path, s2t, t2s, dropped, form_name):
    forms = {
        "taiwan": "in Taiwan's standard forms (TWVariants.txt)",
        "opencc": "in OpenCC's own forms",
    }[form_name]
    overrides = " ".join(f"{k}->{v}" for k, v in OVERRIDES.items())
    lines = [
        "# Character tables of gongkai::hant, generated by scripts/gen_hant_table.py:",
        "# do not edit by hand, rerun the script.",
        f"# Source: {SOURCE}:",
        "# STCharacters.txt, TSCharacters.txt and TWVariants.txt, Apache License 2.0",
        "# (copy in LICENSES/OpenCC-Apache-2.0.txt). Changed from the source:",
        f"# s2t keeps one candidate per character, the first but {overrides},",
        f"# written {forms};",
        f"# s2t mapping dropped for {' '.join(dropped)} (already Traditional);"
        if dropped
        else "# no s2t mapping dropped;",
        "# t2s folds each character to one of its class (see the script).",
        "# Each mapping line is two characters: from, to.",
        f"[s2t] {len(s2t)}",
    ]
    lines += [k + v for k, v in sorted(s2t.items(), key=lambda kv: ord(kv[0]))]
    lines.append(f"[t2s] {len(t2s)}")
    lines += [k + v for k, v in sorted(t2s.items(), key=lambda kv: ord(kv[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--forms", choices=["taiwan", "opencc"], default="taiwan")
    parser.add_argument("dictionary_dir", type=Path)
    default = Path(__file__).resolve().parent.parent / "src" / "hant_table.txt"
    parser.add_argument("output", type=Path, nargs="?", default=default)
    args = parser.parse_args()
    source, output = args.dictionary_dir, args.output
    st = read_table(source / "STCharacters.txt")
    ts = read_table(source / "TSCharacters.txt")
    forms = read_table(source / "TWVariants.txt") if args.forms == "taiwan" else {}
    s2t, dropped = simplified_to_traditional(st, forms)
    t2s = traditional_fold(st, s2t, ts)
    check(s2t, t2s)
    write(output, s2t, t2s, dropped, args.forms)
    plain = sum(1 for k, v in ts.items() if v[0] != k and t2s.get(k) == v[0])
    print(f"{output}: s2t {len(s2t)} characters, t2s {len(t2s)} characters")
    print(f"  dropped from s2t: {' '.join(dropped) or 'none'}")
    print(f"  t2s equal to TSCharacters' first candidate: {plain}")


if __name__ == "__main__":
    main()
