#include "mjpeg_part.h"

#include <stdio.h>
#include <string.h>

namespace fw {

const char kStreamContentType[] = "multipart/x-mixed-replace;boundary=" FW_PART_BOUNDARY;
const char kStreamBoundary[] = "\r\n--" FW_PART_BOUNDARY "\r\n";
const size_t kStreamBoundaryLen = sizeof(kStreamBoundary) - 1;

static const char kPartFormat[] =
    "Content-Type: image/jpeg\r\nContent-Length: %u\r\nX-Timestamp: %ld.%06ld\r\n\r\n";

size_t format_part_header(char* out, size_t cap, size_t jpeg_len, long sec, long usec) {
  if (out == NULL || cap == 0) return 0;
  int n = snprintf(out, cap, kPartFormat, static_cast<unsigned>(jpeg_len), sec, usec);
  if (n < 0 || static_cast<size_t>(n) >= cap) return 0;
  return static_cast<size_t>(n);
}

size_t part_size(size_t jpeg_len, long sec, long usec) {
  char header[kPartHeaderMax];
  return kStreamBoundaryLen + format_part_header(header, sizeof(header), jpeg_len, sec, usec) +
         jpeg_len;
}

bool write_part(const Sink& sink, const uint8_t* jpeg, size_t jpeg_len, long sec, long usec) {
  char header[kPartHeaderMax];
  size_t header_len = format_part_header(header, sizeof(header), jpeg_len, sec, usec);
  if (header_len == 0 || (jpeg == NULL && jpeg_len > 0)) return false;
  if (!sink.write(sink.ctx, reinterpret_cast<const uint8_t*>(kStreamBoundary), kStreamBoundaryLen)) {
    return false;
  }
  if (!sink.write(sink.ctx, reinterpret_cast<const uint8_t*>(header), header_len)) return false;
  return sink.write(sink.ctx, jpeg, jpeg_len);
}

}  // namespace fw
