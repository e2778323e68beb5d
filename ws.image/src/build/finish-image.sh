#!/usr/bin/env bash
# Finishes a jlink image: strips the symbol tables of its native libraries, then prints its size.
#
# jlink's own --strip-debug removes debug sections, which Temurin's libjvm.so does not have: its
# 5 MB of symbol table (.symtab/.strtab, used only to name native frames in a crash log) stay.
# `objcopy --strip-unneeded` removes them; the dynamic symbols the JVM links by are kept. Measured
# on Temurin 25: libjvm.so 29.8 MB -> 24.8 MB (docs/tooling.md). Without objcopy (Debian's
# binutils) the image is left as jlink made it, and this says so.
#
# Usage: finish-image.sh IMAGE_DIRECTORY
set -euo pipefail
image=$1
[ -d "$image/lib" ] || { echo "finish-image: no image at $image" >&2; exit 1; }
if command -v objcopy >/dev/null 2>&1; then
  find "$image/lib" -name '*.so' -type f -print0 | while IFS= read -r -d '' library; do
    chmod u+w "$library"
    objcopy --strip-unneeded "$library"
  done
  stripped="native symbol tables stripped"
else
  stripped="native symbol tables NOT stripped: objcopy (Debian package binutils) not found, about 5 MB more"
fi
bytes=$(find "$image" -type f -printf '%s\n' | awk '{ total += $1 } END { print total }')
modules=$(sed -n 's/^MODULES="\(.*\)"/\1/p' "$image/release")
printf 'jlink image %s: %.1f MB (%s; modules: %s)\n' "$image" "$(awk "BEGIN { print $bytes / 1000000 }")" "$stripped" "$modules"
