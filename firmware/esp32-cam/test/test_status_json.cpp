#include <string>

#include "../src/status_json.h"
#include "check.h"

namespace {

fw::DeviceStatus sample() {
  fw::DeviceStatus s;
  s.device_id = "cam-1";
  s.mode = "push";
  s.ip = "192.168.1.50";
  s.rssi = -61;
  s.free_heap = 123456;
  s.uptime_s = 3600;
  s.frame_size = "VGA";
  s.quality = 12;
  s.psram = true;
  s.reset_reason = "brownout";
  s.stream_client = false;
  s.frames_sent = 42;
  s.failures = 1;
  s.last_push_status = 429;
  s.last_push_result = "rate_limited";
  return s;
}

}  // namespace

TEST(status_json_has_every_field) {
  char buf[512];
  size_t n = fw::build_status_json(buf, sizeof(buf), sample());
  CHECK_STR(std::string(buf, n),
            "{\"device_id\":\"cam-1\",\"mode\":\"push\",\"ip\":\"192.168.1.50\",\"rssi\":-61,"
            "\"free_heap\":123456,\"uptime_s\":3600,\"frame_size\":\"VGA\",\"quality\":12,"
            "\"psram\":true,\"reset_reason\":\"brownout\",\"stream_client\":false,"
            "\"frames_sent\":42,\"failures\":1,\"last_push_status\":429,"
            "\"last_push_result\":\"rate_limited\"}");
}

TEST(status_json_handles_missing_push_result_and_small_buffers) {
  fw::DeviceStatus s = sample();
  s.last_push_result = NULL;
  char buf[512];
  size_t n = fw::build_status_json(buf, sizeof(buf), s);
  CHECK(std::string(buf, n).find("\"last_push_result\":\"none\"}") != std::string::npos);
  for (size_t cap = 0; cap < n + 1; ++cap) {
    CHECK_EQ(fw::build_status_json(buf, cap, s), size_t(0));
  }
  CHECK_EQ(fw::build_status_json(buf, n + 1, s), n);
}

TEST(heartbeat_json_matches_server_contract) {
  fw::Heartbeat h = {-70, 90000, 12, 300, 0, "poweron"};
  char buf[256];
  size_t n = fw::build_heartbeat_json(buf, sizeof(buf), h);
  CHECK_STR(std::string(buf, n),
            "{\"rssi\":-70,\"free_heap\":90000,\"uptime_s\":12,\"frames_sent\":300,"
            "\"failures\":0,\"reset_reason\":\"poweron\"}");
}

TEST(json_strings_are_escaped) {
  char buf[64];
  size_t n = fw::json_quote(buf, sizeof(buf), "a\"b\\c\nd\x01");
  CHECK_STR(std::string(buf, n), "\"a\\\"b\\\\c\\u000ad\\u0001\"");
  CHECK_EQ(fw::json_quote(buf, 3, "ab"), size_t(0));
  n = fw::json_quote(buf, sizeof(buf), NULL);
  CHECK_STR(std::string(buf, n), "\"\"");
}
