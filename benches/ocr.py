#!/usr/bin/env python3
"""Legibility by OCR (issue 29): how much of what a page should say
`tesseract -l chi_sim` reads back from its PNG.

    python3 benches/ocr.py PNG_DIR [PNG_DIR ...]

reads `1920x1080/list-red-2026-11.png` and `1920x1080/notice-winter-2026.png`
under each PNG_DIR (the golden images' layout: `tests/golden`, or a copy of
an older commit's from `git archive`), and prints for each the share of
the characters the page shows (from the embedded demo feed) that tesseract
read back, spaces ignored: for the red list, the characters of the cells
(number, name, place, reason) found whole in the output; for the notice,
the longest common subsequence of its title and body with the output
(line breaks fall anywhere in a paragraph); and for the red list, the
share of the characters of its places and reasons read anywhere (issue
29's figure). Header and footer text that the
feed does not hold count for nothing either way. Needs `apt-get install tesseract-ocr tesseract-ocr-chi-sim`.
"""
import json
import subprocess
import sys
from pathlib import Path

FEED = Path(__file__).resolve().parent.parent / "assets/demo/feed-linjiang-2026-11.json"


def expected(page: str) -> list:
    """The strings the page shows, each to be found in the OCR output."""
    feed = json.loads(FEED.read_text(encoding="utf-8"))
    if page == "list-red-2026-11":
        red = next(l for l in feed["lists"] if l["kind"] == "red")
        rows = red["entries"][:16]  # page 1 of 3 at 1920x1080: two tables of 8
        parts = []
        for i, e in enumerate(rows):
            parts += [str(i + 1), e["name"], e.get("place") or "", e.get("reason") or ""]
        return [p for p in parts if p]
    notice = feed["notices"][0]
    return [notice["title"] + notice["body"]]


def ocr(png: Path) -> str:
    out = subprocess.run(
        ["tesseract", str(png), "-", "-l", "chi_sim", "--psm", "3"],
        capture_output=True, text=True, check=True,
    ).stdout
    return out


def common(a: str, b: str) -> int:
    """The length of the longest common subsequence of `a` and `b`."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def accuracy(want: list, got: str) -> float:
    clean = lambda s: "".join(s.split())
    got = clean(got)
    if len(want) == 1:
        text = clean(want[0])
        return common(text, got) / len(text)
    cells = [clean(w) for w in want]
    return sum(len(c) for c in cells if c in got) / sum(len(c) for c in cells)


def recall(want: list, got: str) -> float:
    """The share of the characters of `want` found in `got`, each as often
    as it is wanted, wherever it stands (the two tables' columns come back
    in any order)."""
    from collections import Counter
    clean = lambda s: "".join(s.split())
    wanted, found = Counter(clean("".join(want))), Counter(clean(got))
    return sum(min(n, found[c]) for c, n in wanted.items()) / sum(wanted.values())


def places_and_reasons() -> list:
    """The place and reason cells of the red list's page 1 (issue 29's measure)."""
    feed = json.loads(FEED.read_text(encoding="utf-8"))
    red = next(l for l in feed["lists"] if l["kind"] == "red")
    return [p for e in red["entries"][:16] for p in (e.get("place"), e.get("reason")) if p]


def main() -> None:
    for folder in sys.argv[1:]:
        for page in ["list-red-2026-11", "notice-winter-2026"]:
            png = Path(folder) / "1920x1080" / f"{page}.png"
            got = ocr(png)
            print(f"{folder} {page}: {accuracy(expected(page), got):.3f}")
            if page == "list-red-2026-11":
                share = recall(places_and_reasons(), got)
                print(f"{folder} {page} places and reasons, characters read: {share:.3f}")


if __name__ == "__main__":
    main()
