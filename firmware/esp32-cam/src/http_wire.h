// Raw HTTP text for the port-81 stream server. The stock firmware streams
// through esp_http_server, which answers with chunked transfer encoding; we
// write the socket ourselves (so a second viewer can get a 503 instead of
// hanging) and reproduce the same framing here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mjpeg_part.h"

namespace fw {

// Status line + headers for the /stream response, ending with the blank line.
size_t format_stream_response_head(char* out, size_t cap);

// A complete small response (status line, headers, body), Connection: close.
// retry_after_s == 0 omits Retry-After. Returns 0 if it does not fit.
size_t format_simple_response(char* out, size_t cap, int status, const char* reason,
                              const char* body, unsigned retry_after_s);

// Body text of the 503 sent to a second /stream client.
extern const char kStreamBusyMessage[];

// "%x\r\n" — the chunk-size line that precedes each chunk's data.
size_t format_chunk_prefix(char* out, size_t cap, size_t chunk_len);
extern const char kChunkSuffix[];       // "\r\n" after each chunk's data
extern const char kLastChunk[];         // "0\r\n\r\n" ends a chunked body

// Wraps a sink so every write becomes one HTTP chunk (size line, data, CRLF),
// as esp_http_server's httpd_resp_send_chunk does. Keep the object alive while
// the returned Sink is in use.
class ChunkedSink {
 public:
  explicit ChunkedSink(const Sink& inner) : inner_(inner) {}
  Sink sink() {
    Sink s = {&ChunkedSink::write, this};
    return s;
  }
  bool finish();  // sends the terminating zero-length chunk

 private:
  static bool write(void* ctx, const uint8_t* data, size_t len);
  Sink inner_;
};

// Splits "GET /stream?x=1 HTTP/1.1" into method "GET" and path "/stream"
// (query dropped). Returns false on anything that is not a request line.
bool parse_request_line(const char* line, char* method, size_t method_cap, char* path,
                        size_t path_cap);

}  // namespace fw
