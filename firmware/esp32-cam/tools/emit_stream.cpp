// Host tool: writes the exact bytes the board sends on :81/stream for the
// given JPEG files, using the firmware's own multipart writer. The server's
// MJPEG parser is tested against this output.
//
//   emit_stream [-o OUT] [--http] [--start SEC] [--interval-ms MS] FILE.jpg...
//
// Default output is the response body (what an HTTP client hands you after
// the headers and de-chunking). --http writes the raw wire bytes instead:
// status line, headers, chunked framing, and the final zero chunk.
// Frame i is stamped X-Timestamp = SEC + i * MS (defaults 1 s and 100 ms).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "../src/http_wire.h"
#include "../src/mjpeg_part.h"

static bool write_file(void* ctx, const uint8_t* data, size_t len) {
  return fwrite(data, 1, len, static_cast<FILE*>(ctx)) == len;
}

static int usage(const char* why) {
  if (why != NULL) fprintf(stderr, "emit_stream: %s\n", why);
  fprintf(stderr,
          "usage: emit_stream [-o OUT] [--http] [--start SEC] [--interval-ms MS] FILE.jpg...\n"
          "  writes the :81/stream body for the given JPEGs (stdout unless -o)\n"
          "  --http  raw wire bytes: HTTP head + chunked framing + last chunk\n");
  return 2;
}

static bool read_all(const char* path, std::vector<uint8_t>* out) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) return false;
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out->insert(out->end(), buf, buf + n);
  bool ok = ferror(f) == 0;
  fclose(f);
  return ok;
}

int main(int argc, char** argv) {
  const char* out_path = NULL;
  bool http = false;
  long start_s = 1;
  long interval_ms = 100;
  std::vector<const char*> inputs;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    bool has_next = i + 1 < argc;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(NULL);
      return 0;
    }
    if (strcmp(a, "--http") == 0) http = true;
    else if (strcmp(a, "-o") == 0 && has_next) out_path = argv[++i];
    else if (strcmp(a, "--start") == 0 && has_next) start_s = strtol(argv[++i], NULL, 10);
    else if (strcmp(a, "--interval-ms") == 0 && has_next) interval_ms = strtol(argv[++i], NULL, 10);
    else if (a[0] == '-' && a[1] != '\0') return usage("unknown or incomplete option");
    else inputs.push_back(a);
  }
  if (inputs.empty()) return usage("no JPEG files given");
  if (start_s < 0 || interval_ms < 0) return usage("--start and --interval-ms must be >= 0");

  FILE* out = stdout;
  if (out_path != NULL && (out = fopen(out_path, "wb")) == NULL) {
    fprintf(stderr, "emit_stream: cannot write %s\n", out_path);
    return 1;
  }
  fw::Sink file_sink = {&write_file, out};
  fw::ChunkedSink chunked(file_sink);
  fw::Sink sink = http ? chunked.sink() : file_sink;

  if (http) {
    char head[512];
    size_t n = fw::format_stream_response_head(head, sizeof(head));
    if (!write_file(out, reinterpret_cast<const uint8_t*>(head), n)) return 1;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<uint8_t> jpeg;
    if (!read_all(inputs[i], &jpeg)) {
      fprintf(stderr, "emit_stream: cannot read %s\n", inputs[i]);
      return 1;
    }
    if (jpeg.size() < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) {
      fprintf(stderr, "emit_stream: warning: %s does not start with a JPEG SOI marker\n", inputs[i]);
    }
    long long us = static_cast<long long>(start_s) * 1000000 +
                   static_cast<long long>(i) * interval_ms * 1000;
    const uint8_t* data = jpeg.empty() ? NULL : &jpeg[0];
    if (!fw::write_part(sink, data, jpeg.size(), static_cast<long>(us / 1000000),
                        static_cast<long>(us % 1000000))) {
      fprintf(stderr, "emit_stream: write failed\n");
      return 1;
    }
  }
  if (http && !chunked.finish()) return 1;
  if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) return 1;
  return 0;
}
