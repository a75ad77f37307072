#!/usr/bin/env bash
# Builds rankwall's bundled fonts in fonts/ from Debian's Noto Sans CJK: the
# whole "Noto Sans CJK SC" face of each weight (every one of its 44,810 code
# points, CJK Extension A and B included), as a standalone OpenType file.
#
# Needs: Debian 12 packages fonts-noto-cjk and unicode-data, and fontTools
# (pip install fonttools==4.*). The output is reproducible: pyftsubset keeps the
# source font's timestamps, and the character lists depend only on Unihan.
#
#   apt-get install fonts-noto-cjk unicode-data && pip install fonttools
#   bash tools/build-fonts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/opentype/noto
face=2   # In Debian's TTC, face 2 is "Noto Sans CJK SC".

# The lists the tests check the fonts against (fonts/*.txt).
python3 tools/fontchars.py fonts

for weight in Regular Bold; do
  pyftsubset "$src/NotoSansCJK-$weight.ttc" --font-number=$face \
    --unicodes='*' \
    --layout-features='*' --name-IDs='*' --name-languages='*' \
    --no-hinting --desubroutinize \
    --output-file="fonts/NotoSansCJKsc-$weight.otf"
done
# The licence (SIL OFL 1.1) is kept by hand in fonts/OFL.txt.
sha256sum fonts/*.otf
