// Checks config.h once at boot and names every problem, so a typo shows up as
// a readable serial message instead of a board that silently never connects.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

namespace fw {

struct FirmwareConfig {
  const char* wifi_ssid;
  const char* wifi_password;
  const char* mode;             // "stream" or "push"
  const char* server_url;       // http(s)://host[:port][/prefix], needed in push mode
  const char* device_id;
  const char* device_token;
  uint32_t push_interval_ms;
  uint32_t heartbeat_interval_s;
  const char* frame_size;       // name from frame_size.h, e.g. "VGA"
  int jpeg_quality;
  bool static_ip;
  const char* ip;
  const char* gateway;
  const char* subnet;
  const char* dns;
  const char* mdns_name;        // empty = no mDNS
  uint32_t max_failures;
};

const uint32_t kPushIntervalMinMs = 100;
const uint32_t kPushIntervalMaxMs = 60000;
const uint32_t kHeartbeatMinS = 5;
const uint32_t kHeartbeatMaxS = 3600;
const uint32_t kMaxFailuresMin = 1;
const uint32_t kMaxFailuresMax = 1000;

// Empty when the config is usable.
std::vector<std::string> validate_config(const FirmwareConfig& config);

bool is_push_mode(const FirmwareConfig& config);
bool is_valid_ipv4(const char* text);
bool is_http_url(const char* url);

// "<server_url>/api/devices/<device_id>/<leaf>", tolerating a trailing slash
// on server_url. Returns false if it does not fit.
bool build_device_url(char* out, size_t cap, const char* server_url, const char* device_id,
                      const char* leaf);

}  // namespace fw
