#!/usr/bin/env python3
"""Write the character lists that rankwall's bundled font subset must cover.

Reads Unihan (Debian's `unicode-data` package) and writes, one code point per
line in the form U+XXXX, three files into the folder given as the argument:

- gb2312.txt    every ideograph with a kGB0 value (GB 2312, 6,763 characters);
- tongyong.txt  every ideograph with a kTGH value (通用规范汉字表, 8,105);
- extra.txt     ASCII, Latin-1 punctuation, CJK and fullwidth punctuation,
                the arrows and marks the slides draw (↑↓→·—…★●);
- ext-a.txt     CJK Extension A (U+3400–U+4DBF) as far as the source face
                covers it (6,582 of 6,592 in Noto Sans CJK SC 2.004);
- rare-names.txt  rare name characters from CJK Extension B: 𠮷 and 𡈼, and
                every Extension B character of the 通用规范汉字表 (kTGH) the
                face covers (characters kept in the standard for names and
                places).

The bundled fonts hold every code point of the source face (44,810); these
lists are what the tests check by name. The output depends only on Unihan and
the source face, so running it twice gives the same bytes.
"""
import bz2
import sys
from pathlib import Path

UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = 2  # "Noto Sans CJK SC" in Debian's TTC.
EXT_A = (0x3400, 0x4DBF)
EXT_B = (0x20000, 0x2A6DF)
# Rare characters seen in household names that a screen must draw whole.
NAME_CHARACTERS = [0x20BB7, 0x2123C]  # 𠮷 (吉 with a longer lower stroke), 𡈼

# Ranges of non-ideographic characters the slides and feeds commonly use.
EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, °, ±)
    (0x2010, 0x2027),  # General punctuation: dashes, quotes, …
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2190, 0x2199),  # Arrows ← ↑ → ↓
    (0x2460, 0x2473),  # Circled digits ① … ⑳
    (0x25A0, 0x25CF),  # Geometric shapes ■ □ ▲ △ ○ ●
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # Fullwidth ASCII forms
    (0xFFE0, 0xFFE6),  # Fullwidth signs ￥
]


def unihan_field(field: str) -> list[int]:
    """Return the sorted code points that have a value for `field`."""
    points = set()
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == field:
                points.add(int(parts[0][2:], 16))
    return sorted(points)


def write_list(path: Path, points: list[int]) -> None:
    path.write_text("".join(f"U+{p:04X}\n" for p in points), encoding="ascii")


def source_cmap() -> set[int]:
    """Return the code points the source face maps."""
    from fontTools.ttLib import TTCollection

    return set(TTCollection(str(SOURCE)).fonts[SOURCE_FACE].getBestCmap())


def main() -> None:
    out = Path(sys.argv[1])
    gb2312 = unihan_field("kGB0")
    tongyong = unihan_field("kTGH")
    extra = sorted({p for lo, hi in EXTRA_RANGES for p in range(lo, hi + 1)})
    covered = source_cmap()
    ext_a = [p for p in range(EXT_A[0], EXT_A[1] + 1) if p in covered]
    names = {p for p in tongyong if EXT_B[0] <= p <= EXT_B[1] and p in covered}
    names.update(p for p in NAME_CHARACTERS if p in covered)
    write_list(out / "gb2312.txt", gb2312)
    write_list(out / "tongyong.txt", tongyong)
    write_list(out / "extra.txt", extra)
    write_list(out / "ext-a.txt", ext_a)
    write_list(out / "rare-names.txt", sorted(names))
    print(
        f"gb2312 {len(gb2312)}, tongyong {len(tongyong)}, extra {len(extra)}, "
        f"ext-a {len(ext_a)}, rare-names {len(names)}, source face {len(covered)}"
    )


if __name__ == "__main__":
    main()
