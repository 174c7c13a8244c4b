#include "http_wire.h"

#include <stdio.h>
#include <string.h>

namespace fw {

const char kStreamBusyMessage[] =
    "Stream busy: this camera serves one /stream client at a time. "
    "Close the other viewer (browser tab, VLC, or the server's pull connection) and retry.\n";
const char kChunkSuffix[] = "\r\n";
const char kLastChunk[] = "0\r\n\r\n";

static size_t checked(int n, size_t cap) {
  if (n < 0 || static_cast<size_t>(n) >= cap) return 0;
  return static_cast<size_t>(n);
}

size_t format_stream_response_head(char* out, size_t cap) {
  if (out == NULL || cap == 0) return 0;
  int n = snprintf(out, cap,
                   "HTTP/1.1 200 OK\r\n"
                   "Content-Type: %s\r\n"
                   "Transfer-Encoding: chunked\r\n"
                   "Access-Control-Allow-Origin: *\r\n"
                   "X-Framerate: 60\r\n"
                   "\r\n",
                   kStreamContentType);
  return checked(n, cap);
}

size_t format_simple_response(char* out, size_t cap, int status, const char* reason,
                              const char* body, unsigned retry_after_s) {
  if (out == NULL || cap == 0) return 0;
  if (body == NULL) body = "";
  char retry[40] = "";
  if (retry_after_s > 0) snprintf(retry, sizeof(retry), "Retry-After: %u\r\n", retry_after_s);
  int n = snprintf(out, cap,
                   "HTTP/1.1 %d %s\r\n"
                   "Content-Type: text/plain\r\n"
                   "Content-Length: %u\r\n"
                   "Connection: close\r\n"
                   "%s"
                   "\r\n"
                   "%s",
                   status, reason, static_cast<unsigned>(strlen(body)), retry, body);
  return checked(n, cap);
}

size_t format_chunk_prefix(char* out, size_t cap, size_t chunk_len) {
  if (out == NULL || cap == 0) return 0;
  return checked(snprintf(out, cap, "%x\r\n", static_cast<unsigned>(chunk_len)), cap);
}

bool ChunkedSink::write(void* ctx, const uint8_t* data, size_t len) {
  ChunkedSink* self = static_cast<ChunkedSink*>(ctx);
  // A zero-length chunk would end the body early; there is nothing to send.
  if (len == 0) return true;
  char prefix[16];
  size_t n = format_chunk_prefix(prefix, sizeof(prefix), len);
  const Sink& out = self->inner_;
  return out.write(out.ctx, reinterpret_cast<const uint8_t*>(prefix), n) &&
         out.write(out.ctx, data, len) &&
         out.write(out.ctx, reinterpret_cast<const uint8_t*>(kChunkSuffix), 2);
}

bool ChunkedSink::finish() {
  return inner_.write(inner_.ctx, reinterpret_cast<const uint8_t*>(kLastChunk),
                      sizeof(kLastChunk) - 1);
}

static bool copy_token(const char* start, size_t len, char* out, size_t cap) {
  if (len == 0 || len >= cap) return false;
  memcpy(out, start, len);
  out[len] = '\0';
  return true;
}

bool parse_request_line(const char* line, char* method, size_t method_cap, char* path,
                        size_t path_cap) {
  if (line == NULL || method == NULL || path == NULL) return false;
  const char* sp1 = strchr(line, ' ');
  if (sp1 == NULL) return false;
  const char* target = sp1 + 1;
  if (*target != '/') return false;
  const char* end = target;
  while (*end != '\0' && *end != ' ' && *end != '?' && *end != '\r' && *end != '\n') ++end;
  const char* sp2 = strchr(target, ' ');
  if (sp2 == NULL || strncmp(sp2 + 1, "HTTP/", 5) != 0) return false;
  return copy_token(line, static_cast<size_t>(sp1 - line), method, method_cap) &&
         copy_token(target, static_cast<size_t>(end - target), path, path_cap);
}

}  // namespace fw
