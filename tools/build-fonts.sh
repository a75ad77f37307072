#!/usr/bin/env bash
# Builds rankwall's bundled fonts in fonts/ from Debian's Noto Sans CJK.
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

python3 tools/fontchars.py fonts
cat fonts/gb2312.txt fonts/tongyong.txt fonts/extra.txt | sort -u > /tmp/rankwall-unicodes.txt

for weight in Regular Bold; do
  pyftsubset "$src/NotoSansCJK-$weight.ttc" --font-number=$face \
    --unicodes-file=/tmp/rankwall-unicodes.txt \
    --layout-features='*' --name-IDs='*' --name-languages='*' \
    --no-hinting --desubroutinize \
    --output-file="fonts/NotoSansCJKsc-$weight.otf"
done
# The licence (SIL OFL 1.1) is kept by hand in fonts/OFL.txt.
sha256sum fonts/*.otf
