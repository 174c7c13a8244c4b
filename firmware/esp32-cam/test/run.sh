#!/usr/bin/env bash
# Builds and runs the host-side tests of the firmware's portable logic, and
# builds build/emit_stream for the server's MJPEG cross test.
# Needs only g++ (C++17); no ESP32 toolchain, no arduino-cli.
#   bash firmware/esp32-cam/test/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$here/build"
CXX="${CXX:-g++}"
warn=(-Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion)
mkdir -p "$build"

portable=("$here"/src/*.cpp)

echo "== portable sources compile as C++11 (ESP32 Arduino core 2.x default) and C++17"
for std in c++11 c++17; do
  for f in "${portable[@]}"; do
    "$CXX" -std="$std" "${warn[@]}" -fsyntax-only "$f"
  done
done

# Sanitizers catch buffer overruns in the writers; skip them where the
# toolchain lacks the runtime.
san=()
if echo 'int main(){return 0;}' | "$CXX" -x c++ -fsanitize=address,undefined -o "$build/.probe" - 2>/dev/null; then
  san=(-fsanitize=address,undefined -fno-sanitize-recover=all)
fi
rm -f "$build/.probe"

echo "== build emit_stream"
"$CXX" -std=c++17 "${warn[@]}" -O1 "${san[@]}" -o "$build/emit_stream" \
  "$here/tools/emit_stream.cpp" "$here/src/mjpeg_part.cpp" "$here/src/http_wire.cpp"

echo "== Arduino glue against stub headers (syntax only)"
bash "$here/test/check_glue.sh" "$CXX"

echo "== emit_stream output matches bytes assembled independently in bash"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '\xff\xd8first\xff\xd9' >"$tmp/a.jpg"
printf '\xff\xd8\r\n--123456789000000000000987654321\r\n\xff\xd9' >"$tmp/b.jpg"
b=$'\r\n--123456789000000000000987654321\r\n'
{
  printf '%s' "$b"
  printf 'Content-Type: image/jpeg\r\nContent-Length: 9\r\nX-Timestamp: 1.000000\r\n\r\n'
  cat "$tmp/a.jpg"
  printf '%s' "$b"
  printf 'Content-Type: image/jpeg\r\nContent-Length: 40\r\nX-Timestamp: 1.100000\r\n\r\n'
  cat "$tmp/b.jpg"
} >"$tmp/expected.bin"
"$build/emit_stream" "$tmp/a.jpg" "$tmp/b.jpg" >"$tmp/stdout.bin"
"$build/emit_stream" -o "$tmp/file.bin" "$tmp/a.jpg" "$tmp/b.jpg"
cmp "$tmp/expected.bin" "$tmp/stdout.bin"
cmp "$tmp/expected.bin" "$tmp/file.bin"
"$build/emit_stream" --http "$tmp/a.jpg" >"$tmp/http.bin"
head -c 17 "$tmp/http.bin" | cmp - <(printf 'HTTP/1.1 200 OK\r\n')
tail -c 5 "$tmp/http.bin" | cmp - <(printf '0\r\n\r\n')
if "$build/emit_stream" 2>/dev/null; then echo "emit_stream without files should fail" >&2; exit 1; fi
echo "ok"

echo "== unit tests"
"$CXX" -std=c++17 "${warn[@]}" -O1 -g "${san[@]}" -o "$build/host_tests" \
  "${portable[@]}" "$here"/test/test_*.cpp
"$build/host_tests"
