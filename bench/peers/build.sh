#!/bin/bash
# Builds the peers of bench/engines.js into bench/peers/build/bin/ ($PEERS_BUILD/bin when set) from
# local git clones of their public repositories. It fetches nothing; the third-party code is
# compiled here and never committed (bench/peers/build/ is ignored).
#
#   FLASH_GIT=DIR RIPSER_GIT=DIR GUDHI_GIT=DIR bash bench/peers/build.sh [flash|ripser|gudhi|all]
#
# DIR: the git directory of a clone (its .git, or a bare clone) of T-prog123/FlashCubical,
# shizuo-kaji/CubicalRipser or GUDHI/gudhi-devel; a peer whose variable is unset is skipped. The
# commits are pinned below (those of bench/ENGINES.md). Flash Cubical's 3-D lookup table is not in
# its repository: flash_tables.cpp rebuilds it with the table builder of the repository's first
# commit, which built the tables at run time (it reproduces the shipped 2-D table byte for byte).
# GUDHI's header needs Boost (Debian: libboost-dev).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
B=${PEERS_BUILD:-$HERE/build}
FLAGS="-std=c++20 -O3 -march=native -DNDEBUG"
COMPILER=$(g++ --version | head -1)
FLASH_COMMIT=eaff91f54a126eed48170cdf1d92fef20537bec9
FLASH_TABLES_COMMIT=7a2aeec # the first commit: its runtime builds the lookup tables
RIPSER_COMMIT=6d01784e943980e494eda198d9a22a5cb2b3a588
GUDHI_COMMIT=68ebe62dc4caca250c8064ed720a2b8080318a57
what=${1:-all}
mkdir -p "$B/src" "$B/bin"

# extract GIT_DIR COMMIT DEST PATH...: the paths of a commit, fresh in DEST
extract() {
  local git=$1 commit=$2 dest=$3
  shift 3
  rm -rf "$dest" && mkdir -p "$dest"
  git --git-dir="$git" archive "$commit" "$@" | tar -x -C "$dest"
}
# info COMMIT FILE [EXTRA-LINE]: what bench/engines.js reports of a program
info() { printf 'commit=%s\ncompiler=%s\nflags=%s\n%s' "$1" "$COMPILER" "$FLAGS" "${3:+$3
}" >"$2"; }
# wanted PEER VAR: whether to build PEER (asked for, and the git directory of its clone in $VAR)
wanted() {
  [[ $what == all || $what == "$1" ]] || return 1
  [[ -n ${!2:-} ]] && return 0
  echo "skipping $1: set $2 to the git directory of its clone" >&2
  return 1
}

if wanted flash FLASH_GIT; then
  extract "$FLASH_GIT" $FLASH_COMMIT "$B/src/flash" cpp src/flash_cubical/data/zero_lookup_2d.bin
  extract "$FLASH_GIT" $FLASH_TABLES_COMMIT "$B/src/flash-tables" cpp
  g++ -std=c++20 -O2 -I "$B/src/flash-tables/cpp" "$HERE/flash_tables.cpp" -o "$B/src/flash-tables/flash-tables"
  "$B/src/flash-tables/flash-tables" "$B/bin/zero_lookup_3d.bin"
  cp "$B/src/flash/src/flash_cubical/data/zero_lookup_2d.bin" "$B/bin/"
  S=$B/src/flash/cpp
  g++ $FLAGS -I "$S" -I "$HERE" "$HERE/flash_cubical.cpp" "$S/compute_2d_all.cpp" "$S"/zero_lookup/runtime/*.cpp \
    -o "$B/bin/flash-cubical"
  info $FLASH_COMMIT "$B/bin/flash-cubical.info" \
    "table3d=generated sha256=$(sha256sum "$B/bin/zero_lookup_3d.bin" | cut -d' ' -f1)"
fi
if wanted ripser RIPSER_GIT; then
  extract "$RIPSER_GIT" $RIPSER_COMMIT "$B/src/ripser" src
  S=$B/src/ripser/src
  for c in V T; do
    grid=$S/dense_cubical_grids.cpp
    [[ $c == T ]] && grid=$S/dense_cubical_grids_T.cpp
    g++ $FLAGS -I "$S" -I "$HERE" "$HERE/cubical_ripser.cpp" "$S/coboundary_enumerator.cpp" "$S/joint_pairs.cpp" \
      "$S/compute_pairs.cpp" "$grid" -o "$B/bin/cubical-ripser-$c"
    info $RIPSER_COMMIT "$B/bin/cubical-ripser-$c.info"
  done
fi
if wanted gudhi GUDHI_GIT; then
  extract "$GUDHI_GIT" $GUDHI_COMMIT "$B/src/gudhi" src/Persistent_cohomology/include src/common/include
  g++ $FLAGS -I "$B/src/gudhi/src/Persistent_cohomology/include" -I "$B/src/gudhi/src/common/include" -I "$HERE" \
    "$HERE/gudhi_rectangle.cpp" -o "$B/bin/gudhi-rectangle"
  info $GUDHI_COMMIT "$B/bin/gudhi-rectangle.info"
fi
ls -l "$B/bin"
