#include <string>
#include <vector>

#include "../src/config_check.h"
#include "check.h"

namespace {

fw::FirmwareConfig good_push() {
  fw::FirmwareConfig c;
  c.wifi_ssid = "classroom";
  c.wifi_password = "correct horse";
  c.mode = "push";
  c.server_url = "http://192.168.1.10:3000";
  c.device_id = "cam-101";
  c.device_token = "dvt_abcdef0123456789";
  c.push_interval_ms = 1000;
  c.heartbeat_interval_s = 30;
  c.frame_size = "VGA";
  c.jpeg_quality = 12;
  c.static_ip = false;
  c.ip = "";
  c.gateway = "";
  c.subnet = "";
  c.dns = "";
  c.mdns_name = "cam-101";
  c.max_failures = 20;
  return c;
}

bool mentions(const std::vector<std::string>& errors, const char* text) {
  for (size_t i = 0; i < errors.size(); ++i) {
    if (errors[i].find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST(good_configs_validate_clean) {
  CHECK(fw::validate_config(good_push()).empty());
  fw::FirmwareConfig s = good_push();
  s.mode = "stream";
  s.server_url = "";
  s.device_token = "";
  s.device_id = "";
  CHECK(fw::validate_config(s).empty());  // stream mode does not need the server
  fw::FirmwareConfig open = good_push();
  open.wifi_password = "";
  CHECK(fw::validate_config(open).empty());
}

TEST(wifi_errors) {
  fw::FirmwareConfig c = good_push();
  c.wifi_ssid = "";
  CHECK(mentions(fw::validate_config(c), "WIFI_SSID is empty"));
  c.wifi_ssid = "your-ssid";
  CHECK(mentions(fw::validate_config(c), "example value"));
  c.wifi_ssid = "123456789012345678901234567890123";
  CHECK(mentions(fw::validate_config(c), "longer than 32"));
  c = good_push();
  c.wifi_password = "short";
  CHECK(mentions(fw::validate_config(c), "WIFI_PASSWORD"));
}

TEST(server_url_must_be_http_in_push_mode) {
  fw::FirmwareConfig c = good_push();
  const char* bad[] = {"", "ftp://x", "192.168.1.10:3000", "http://", "https:///x", "http://a b"};
  for (int i = 0; i < 6; ++i) {
    c.server_url = bad[i];
    CHECK(mentions(fw::validate_config(c), "SERVER_URL"));
  }
  c.server_url = "https://attendance.example.edu/";
  CHECK(fw::validate_config(c).empty());
}

TEST(token_and_device_id_required_in_push_mode) {
  fw::FirmwareConfig c = good_push();
  c.device_token = "";
  CHECK(mentions(fw::validate_config(c), "DEVICE_TOKEN is empty"));
  c.device_token = "CHANGE_ME";
  CHECK(mentions(fw::validate_config(c), "DEVICE_TOKEN is still the example value"));
  c.device_token = "abc def";
  CHECK(mentions(fw::validate_config(c), "whitespace"));
  c = good_push();
  c.device_id = "cam/1";
  CHECK(mentions(fw::validate_config(c), "DEVICE_ID"));
}

TEST(ranges_are_enforced) {
  fw::FirmwareConfig c = good_push();
  c.push_interval_ms = 10;
  CHECK(mentions(fw::validate_config(c), "PUSH_INTERVAL_MS is 10, must be between 100 and 60000"));
  c = good_push();
  c.heartbeat_interval_s = 0;
  CHECK(mentions(fw::validate_config(c), "HEARTBEAT_INTERVAL_S"));
  c = good_push();
  c.max_failures = 0;
  CHECK(mentions(fw::validate_config(c), "MAX_CONSECUTIVE_FAILURES"));
  c = good_push();
  c.jpeg_quality = 64;
  CHECK(mentions(fw::validate_config(c), "JPEG_QUALITY"));
  c.jpeg_quality = 3;
  CHECK(mentions(fw::validate_config(c), "JPEG_QUALITY"));
  c = good_push();
  c.frame_size = "4K";
  CHECK(mentions(fw::validate_config(c), "FRAME_SIZE '4K' is unknown; use one of QQVGA"));
}

TEST(mode_must_be_known) {
  fw::FirmwareConfig c = good_push();
  c.mode = "pull";
  std::vector<std::string> e = fw::validate_config(c);
  CHECK(mentions(e, "MODE must be"));
}

TEST(static_ip_and_mdns) {
  fw::FirmwareConfig c = good_push();
  c.static_ip = true;
  c.ip = "192.168.1.50";
  c.gateway = "192.168.1.1";
  c.subnet = "255.255.255.0";
  CHECK(fw::validate_config(c).empty());
  c.gateway = "192.168.1";
  CHECK(mentions(fw::validate_config(c), "STATIC_GATEWAY"));
  c.gateway = "192.168.1.1";
  c.dns = "8.8.8.256";
  CHECK(mentions(fw::validate_config(c), "STATIC_DNS"));
  c = good_push();
  c.mdns_name = "cam.local";
  CHECK(mentions(fw::validate_config(c), "MDNS_NAME"));
  c.mdns_name = "";
  CHECK(fw::validate_config(c).empty());
}

TEST(all_errors_are_reported_at_once) {
  fw::FirmwareConfig c = good_push();
  c.wifi_ssid = "";
  c.server_url = "nope";
  c.device_token = "";
  c.push_interval_ms = 0;
  CHECK(fw::validate_config(c).size() >= 4u);
}

TEST(ipv4_parser) {
  CHECK(fw::is_valid_ipv4("0.0.0.0"));
  CHECK(fw::is_valid_ipv4("255.255.255.255"));
  CHECK(!fw::is_valid_ipv4("1.2.3"));
  CHECK(!fw::is_valid_ipv4("1.2.3.4.5"));
  CHECK(!fw::is_valid_ipv4("1..3.4"));
  CHECK(!fw::is_valid_ipv4("1.2.3.4 "));
  CHECK(!fw::is_valid_ipv4("1234.1.1.1"));
  CHECK(!fw::is_valid_ipv4(NULL));
}

TEST(device_urls) {
  char url[128];
  CHECK(fw::build_device_url(url, sizeof(url), "http://10.0.0.2:3000", "cam-1", "frames"));
  CHECK_STR(url, "http://10.0.0.2:3000/api/devices/cam-1/frames");
  CHECK(fw::build_device_url(url, sizeof(url), "https://a.example/att//", "cam-1", "heartbeat"));
  CHECK_STR(url, "https://a.example/att/api/devices/cam-1/heartbeat");
  CHECK(!fw::build_device_url(url, 20, "http://10.0.0.2:3000", "cam-1", "frames"));
}
