#include <stdint.h>

#include <string>
#include <vector>

#include "../src/http_wire.h"
#include "../src/mjpeg_part.h"
#include "check.h"

namespace {

struct Capture {
  std::string bytes;
  int writes = 0;
  int fail_on_write = -1;  // index of the write that reports a dead peer
};

bool capture_write(void* ctx, const uint8_t* data, size_t len) {
  Capture* c = static_cast<Capture*>(ctx);
  if (c->writes++ == c->fail_on_write) return false;
  c->bytes.append(reinterpret_cast<const char*>(data), len);
  return true;
}

fw::Sink sink_for(Capture* c) {
  fw::Sink s = {&capture_write, c};
  return s;
}

std::string fake_jpeg(size_t n, uint8_t seed) {
  std::string j;
  j += '\xFF';
  j += '\xD8';
  for (size_t i = 2; i + 2 < n; ++i) j += static_cast<char>((i * 31 + seed) & 0xFF);
  j += '\xFF';
  j += '\xD9';
  return j;
}

const uint8_t* u8(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// A reference reader that works the way a careful server parser should:
// find the boundary, read headers, then take exactly Content-Length bytes.
struct Frame {
  std::string jpeg;
  std::string timestamp;
};

bool parse_stream(const std::string& body, std::vector<Frame>* frames) {
  const std::string boundary = "\r\n--" FW_PART_BOUNDARY "\r\n";
  size_t pos = 0;
  while (pos < body.size()) {
    if (body.compare(pos, boundary.size(), boundary) != 0) return false;
    pos += boundary.size();
    size_t end = body.find("\r\n\r\n", pos);
    if (end == std::string::npos) return false;
    std::string headers = body.substr(pos, end - pos + 2);
    pos = end + 4;
    size_t cl = headers.find("Content-Length: ");
    size_t ts = headers.find("X-Timestamp: ");
    if (headers.compare(0, 26, "Content-Type: image/jpeg\r\n") != 0) return false;
    if (cl == std::string::npos || ts == std::string::npos) return false;
    size_t len = std::stoul(headers.substr(cl + 16));
    Frame f;
    f.timestamp = headers.substr(ts + 13, headers.find("\r\n", ts) - ts - 13);
    if (pos + len > body.size()) return false;
    f.jpeg = body.substr(pos, len);
    pos += len;
    frames->push_back(f);
  }
  return true;
}

}  // namespace

TEST(stream_constants_match_stock_camera_web_server) {
  CHECK_STR(fw::kStreamContentType,
            "multipart/x-mixed-replace;boundary=123456789000000000000987654321");
  CHECK_STR(fw::kStreamBoundary, "\r\n--123456789000000000000987654321\r\n");
  CHECK_EQ(fw::kStreamBoundaryLen, size_t(36));
}

TEST(part_header_has_stock_layout) {
  char buf[fw::kPartHeaderMax];
  size_t n = fw::format_part_header(buf, sizeof(buf), 12345, 17, 42);
  CHECK_STR(std::string(buf, n),
            "Content-Type: image/jpeg\r\nContent-Length: 12345\r\nX-Timestamp: 17.000042\r\n\r\n");
}

TEST(part_header_refuses_too_small_buffer) {
  char buf[20];
  CHECK_EQ(fw::format_part_header(buf, sizeof(buf), 1, 0, 0), size_t(0));
  CHECK_EQ(fw::format_part_header(NULL, 0, 1, 0, 0), size_t(0));
}

TEST(write_part_emits_boundary_then_header_then_jpeg) {
  Capture c;
  std::string jpeg = "\xFF\xD8" "abc" "\xFF\xD9";
  CHECK(fw::write_part(sink_for(&c), u8(jpeg), jpeg.size(), 3, 500000));
  std::string expected = std::string("\r\n--123456789000000000000987654321\r\n") +
                         "Content-Type: image/jpeg\r\nContent-Length: 7\r\n"
                         "X-Timestamp: 3.500000\r\n\r\n" +
                         jpeg;
  CHECK_EQ(c.bytes, expected);
  CHECK_EQ(c.writes, 3);  // one per httpd_resp_send_chunk in the stock handler
  CHECK_EQ(fw::part_size(jpeg.size(), 3, 500000), expected.size());
}

TEST(write_part_stops_when_peer_is_gone) {
  std::string jpeg = fake_jpeg(100, 1);
  for (int fail_at = 0; fail_at < 3; ++fail_at) {
    Capture c;
    c.fail_on_write = fail_at;
    CHECK(!fw::write_part(sink_for(&c), u8(jpeg), jpeg.size(), 0, 0));
    CHECK_EQ(c.writes, fail_at + 1);
  }
}

TEST(stream_of_frames_round_trips_through_reference_parser) {
  std::vector<std::string> jpegs;
  jpegs.push_back(fake_jpeg(2, 0));
  jpegs.push_back(fake_jpeg(5000, 7));
  // JPEG data that happens to contain the boundary text must still survive,
  // because parsers must trust Content-Length, not search for the boundary.
  jpegs.push_back("\xFF\xD8\r\n--" FW_PART_BOUNDARY "\r\n\xFF\xD9");
  jpegs.push_back(fake_jpeg(70000, 9));
  Capture c;
  for (size_t i = 0; i < jpegs.size(); ++i) {
    CHECK(fw::write_part(sink_for(&c), u8(jpegs[i]), jpegs[i].size(), static_cast<long>(i), 250));
  }
  std::vector<Frame> frames;
  CHECK(parse_stream(c.bytes, &frames));
  CHECK_EQ(frames.size(), jpegs.size());
  for (size_t i = 0; i < frames.size() && i < jpegs.size(); ++i) {
    CHECK(frames[i].jpeg == jpegs[i]);
    CHECK_EQ(frames[i].timestamp, std::to_string(i) + ".000250");
  }
}

TEST(chunked_sink_frames_each_write_like_httpd_resp_send_chunk) {
  Capture c;
  fw::ChunkedSink chunked(sink_for(&c));
  std::string jpeg(26, 'x');
  CHECK(fw::write_part(chunked.sink(), u8(jpeg), jpeg.size(), 1, 0));
  CHECK(chunked.finish());
  std::string expected = "24\r\n\r\n--123456789000000000000987654321\r\n\r\n"
                         "47\r\nContent-Type: image/jpeg\r\nContent-Length: 26\r\n"
                         "X-Timestamp: 1.000000\r\n\r\n\r\n"
                         "1a\r\n" + jpeg + "\r\n0\r\n\r\n";
  CHECK_EQ(c.bytes, expected);
}
