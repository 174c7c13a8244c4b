#include <string>

#include "../src/http_wire.h"
#include "check.h"

TEST(stream_response_head_is_chunked_multipart) {
  char buf[512];
  size_t n = fw::format_stream_response_head(buf, sizeof(buf));
  CHECK_STR(std::string(buf, n),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: multipart/x-mixed-replace;boundary=123456789000000000000987654321\r\n"
            "Transfer-Encoding: chunked\r\n"
            "Access-Control-Allow-Origin: *\r\n"
            "X-Framerate: 60\r\n\r\n");
  CHECK_EQ(fw::format_stream_response_head(buf, 40), size_t(0));
}

TEST(busy_response_is_503_with_message_and_retry_after) {
  char buf[512];
  size_t n = fw::format_simple_response(buf, sizeof(buf), 503, "Service Unavailable",
                                        fw::kStreamBusyMessage, 5);
  std::string r(buf, n);
  CHECK(r.compare(0, 34, "HTTP/1.1 503 Service Unavailable\r\n") == 0);
  CHECK(r.find("Retry-After: 5\r\n") != std::string::npos);
  CHECK(r.find("Connection: close\r\n") != std::string::npos);
  std::string body = r.substr(r.find("\r\n\r\n") + 4);
  CHECK_EQ(body, std::string(fw::kStreamBusyMessage));
  CHECK(r.find("Content-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
  CHECK(body.find("one /stream client at a time") != std::string::npos);
}

TEST(simple_response_without_retry_after) {
  char buf[256];
  size_t n = fw::format_simple_response(buf, sizeof(buf), 404, "Not Found", "no\n", 0);
  CHECK_STR(std::string(buf, n),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
            "Connection: close\r\n\r\nno\n");
}

TEST(chunk_prefix_is_lowercase_hex) {
  char buf[16];
  size_t n = fw::format_chunk_prefix(buf, sizeof(buf), 0xABCD);
  CHECK_STR(std::string(buf, n), "abcd\r\n");
}

TEST(request_line_parsing) {
  char method[8], path[32];
  CHECK(fw::parse_request_line("GET /stream HTTP/1.1", method, sizeof(method), path, sizeof(path)));
  CHECK_STR(method, "GET");
  CHECK_STR(path, "/stream");
  CHECK(fw::parse_request_line("GET /stream?_cb=123 HTTP/1.0\r\n", method, sizeof(method), path,
                               sizeof(path)));
  CHECK_STR(path, "/stream");
  CHECK(!fw::parse_request_line("garbage", method, sizeof(method), path, sizeof(path)));
  CHECK(!fw::parse_request_line("GET stream HTTP/1.1", method, sizeof(method), path, sizeof(path)));
  CHECK(!fw::parse_request_line("GET /stream", method, sizeof(method), path, sizeof(path)));
  CHECK(!fw::parse_request_line("GET /a-very-long-path-that-will-not-fit-here HTTP/1.1", method,
                                sizeof(method), path, sizeof(path)));
}
