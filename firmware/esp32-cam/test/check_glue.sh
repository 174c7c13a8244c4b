#!/usr/bin/env bash
# Syntax-checks the Arduino glue (sketch + modules) against the host stubs in
# test/stubs, for ESP32 Arduino core 2.x and 3.x code paths and with every
# optional config switch on and off. The stubs copy the real signatures; this
# catches our own typos and API drift in the glue, not bugs in the core.
#   bash firmware/esp32-cam/test/check_glue.sh [CXX]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CXX="${1:-${CXX:-g++}}"
out="$here/build/glue"
mkdir -p "$out"

# Variant "defaults" is config.example.h as shipped; "all-on" flips every switch.
cp "$here/config.example.h" "$out/config_defaults.h"
sed -e 's/^#define MODE "stream"/#define MODE "push"/' \
    -e 's/^#define STATIC_IP_ENABLED 0/#define STATIC_IP_ENABLED 1/' \
    -e 's/^#define WIFI_REDUCED_TX_POWER 0/#define WIFI_REDUCED_TX_POWER 1/' \
    -e 's/^#define DISABLE_BROWNOUT_DETECTOR 0/#define DISABLE_BROWNOUT_DETECTOR 1/' \
    "$here/config.example.h" >"$out/config_all_on.h"
grep -q '^#define DISABLE_BROWNOUT_DETECTOR 1' "$out/config_all_on.h"

# The sketch's .ino is plain C++ once Arduino.h is included (it does so itself).
cp "$here/esp32-cam.ino" "$out/esp32-cam.ino.cpp"
sources=("$here"/*.cpp "$out/esp32-cam.ino.cpp")

for core in 2 3; do
  for variant in defaults all_on; do
    for f in "${sources[@]}"; do
      "$CXX" -std=gnu++17 -Wall -Wextra -Werror -fsyntax-only \
        -I "$here/test/stubs" -I "$here" \
        -DSTUB_CORE_MAJOR="$core" -DFW_CONFIG_HEADER="\"$out/config_$variant.h\"" "$f"
    done
  done
done
echo "glue ok: ${#sources[@]} files x core 2/3 x 2 config variants"
