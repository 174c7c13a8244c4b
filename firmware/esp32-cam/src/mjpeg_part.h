// Byte layout of the MJPEG stream, mirrored from the stock CameraWebServer
// (arduino-esp32 app_httpd.cpp): each frame is sent as the boundary, then the
// part header, then the JPEG bytes — boundary first, nothing after the last
// frame. The server's pull mode parses exactly this, so keep it byte for byte.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FW_PART_BOUNDARY "123456789000000000000987654321"

namespace fw {

extern const char kStreamContentType[];  // multipart/x-mixed-replace;boundary=...
extern const char kStreamBoundary[];     // "\r\n--" FW_PART_BOUNDARY "\r\n"
extern const size_t kStreamBoundaryLen;

// Large enough for any header format_part_header can produce.
const size_t kPartHeaderMax = 128;

// A byte sink: returns false when the peer is gone (stops the stream).
typedef bool (*WriteFn)(void* ctx, const uint8_t* data, size_t len);
struct Sink {
  WriteFn write;
  void* ctx;
};

// "Content-Type: image/jpeg\r\nContent-Length: N\r\nX-Timestamp: S.UUUUUU\r\n\r\n".
// Returns the length written (without NUL), or 0 if it does not fit in cap.
size_t format_part_header(char* out, size_t cap, size_t jpeg_len, long sec, long usec);

// Total bytes write_part emits for one frame.
size_t part_size(size_t jpeg_len, long sec, long usec);

// Emits one frame as three writes (boundary, header, JPEG), the same three
// httpd_resp_send_chunk calls the stock handler makes.
bool write_part(const Sink& sink, const uint8_t* jpeg, size_t jpeg_len, long sec, long usec);

}  // namespace fw
