#include "config_check.h"

#include <stdio.h>
#include <string.h>

#include "frame_size.h"

namespace fw {

static bool empty(const char* s) { return s == NULL || s[0] == '\0'; }

static bool starts_with(const char* s, const char* prefix) {
  return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_space(const char* s) {
  for (; s != NULL && *s != '\0'; ++s) {
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') return true;
  }
  return false;
}

// The example file ships with these; they must not reach a real board.
static bool is_placeholder(const char* s) {
  return s != NULL && (strstr(s, "CHANGE_ME") != NULL || strstr(s, "your-") != NULL);
}

static std::string range_error(const char* name, uint32_t value, uint32_t lo, uint32_t hi) {
  char buf[160];
  snprintf(buf, sizeof(buf), "%s is %lu, must be between %lu and %lu", name,
           static_cast<unsigned long>(value), static_cast<unsigned long>(lo),
           static_cast<unsigned long>(hi));
  return buf;
}

bool is_push_mode(const FirmwareConfig& c) { return c.mode != NULL && strcmp(c.mode, "push") == 0; }

bool is_http_url(const char* url) {
  const char* host = NULL;
  if (starts_with(url, "http://")) host = url + 7;
  else if (starts_with(url, "https://")) host = url + 8;
  return host != NULL && *host != '\0' && *host != '/' && !has_space(url);
}

bool is_valid_ipv4(const char* text) {
  if (empty(text)) return false;
  int parts = 0;
  const char* p = text;
  while (true) {
    int digits = 0, value = 0;
    while (*p >= '0' && *p <= '9') {
      value = value * 10 + (*p - '0');
      if (++digits > 3) return false;
      ++p;
    }
    if (digits == 0 || value > 255) return false;
    ++parts;
    if (*p == '\0') break;
    if (*p != '.' || parts == 4) return false;
    ++p;
  }
  return parts == 4;
}

static bool is_valid_id(const char* s) {
  if (empty(s)) return false;
  for (; *s != '\0'; ++s) {
    char ch = *s;
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_';
    if (!ok) return false;
  }
  return true;
}

static bool is_valid_hostname(const char* s) {
  size_t len = strlen(s);
  if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-') return false;
  for (size_t i = 0; i < len; ++i) {
    char ch = s[i];
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-';
    if (!ok) return false;
  }
  return true;
}

static void check_wifi(const FirmwareConfig& c, std::vector<std::string>* errors) {
  if (empty(c.wifi_ssid)) errors->push_back("WIFI_SSID is empty");
  else if (strlen(c.wifi_ssid) > 32) errors->push_back("WIFI_SSID is longer than 32 bytes");
  else if (is_placeholder(c.wifi_ssid)) errors->push_back("WIFI_SSID is still the example value");
  size_t pw = c.wifi_password == NULL ? 0 : strlen(c.wifi_password);
  if (pw != 0 && (pw < 8 || pw > 63)) {
    errors->push_back("WIFI_PASSWORD must be 8..63 characters (WPA2), or empty for an open network");
  }
}

static void check_push(const FirmwareConfig& c, std::vector<std::string>* errors) {
  if (empty(c.server_url)) errors->push_back("SERVER_URL is empty (needed in push mode)");
  else if (!is_http_url(c.server_url)) {
    errors->push_back(std::string("SERVER_URL must start with http:// or https:// and name a host: '") +
                      c.server_url + "'");
  }
  if (!is_valid_id(c.device_id)) {
    errors->push_back("DEVICE_ID must be non-empty and use only letters, digits, '-' or '_'");
  }
  if (empty(c.device_token)) {
    errors->push_back("DEVICE_TOKEN is empty: push mode needs the token shown once when the camera was added");
  } else if (has_space(c.device_token)) {
    errors->push_back("DEVICE_TOKEN contains whitespace (copy/paste error?)");
  } else if (is_placeholder(c.device_token)) {
    errors->push_back("DEVICE_TOKEN is still the example value");
  }
  if (c.push_interval_ms < kPushIntervalMinMs || c.push_interval_ms > kPushIntervalMaxMs) {
    errors->push_back(range_error("PUSH_INTERVAL_MS", c.push_interval_ms, kPushIntervalMinMs,
                                  kPushIntervalMaxMs));
  }
  if (c.heartbeat_interval_s < kHeartbeatMinS || c.heartbeat_interval_s > kHeartbeatMaxS) {
    errors->push_back(range_error("HEARTBEAT_INTERVAL_S", c.heartbeat_interval_s, kHeartbeatMinS,
                                  kHeartbeatMaxS));
  }
  if (c.max_failures < kMaxFailuresMin || c.max_failures > kMaxFailuresMax) {
    errors->push_back(range_error("MAX_CONSECUTIVE_FAILURES", c.max_failures, kMaxFailuresMin,
                                  kMaxFailuresMax));
  }
}

static void check_network(const FirmwareConfig& c, std::vector<std::string>* errors) {
  if (c.static_ip) {
    const char* names[] = {"STATIC_IP", "STATIC_GATEWAY", "STATIC_SUBNET"};
    const char* values[] = {c.ip, c.gateway, c.subnet};
    for (int i = 0; i < 3; ++i) {
      if (!is_valid_ipv4(values[i])) {
        errors->push_back(std::string(names[i]) + " is not a dotted IPv4 address: '" +
                          (values[i] ? values[i] : "") + "'");
      }
    }
    if (!empty(c.dns) && !is_valid_ipv4(c.dns)) {
      errors->push_back(std::string("STATIC_DNS is not a dotted IPv4 address: '") + c.dns + "'");
    }
  }
  if (!empty(c.mdns_name) && !is_valid_hostname(c.mdns_name)) {
    errors->push_back(std::string("MDNS_NAME must be 1..63 letters, digits or '-' (no dots): '") +
                      c.mdns_name + "'");
  }
}

std::vector<std::string> validate_config(const FirmwareConfig& c) {
  std::vector<std::string> errors;
  check_wifi(c, &errors);
  bool push = is_push_mode(c);
  if (!push && (c.mode == NULL || strcmp(c.mode, "stream") != 0)) {
    errors.push_back(std::string("MODE must be \"stream\" or \"push\", got '") +
                     (c.mode ? c.mode : "") + "'");
  }
  if (push) check_push(c, &errors);
  if (find_frame_size(c.frame_size) < 0) {
    std::string names;
    for (int i = 0; i < kFrameSizeCount; ++i) names += std::string(i ? ", " : "") + kFrameSizes[i].name;
    errors.push_back(std::string("FRAME_SIZE '") + (c.frame_size ? c.frame_size : "") +
                     "' is unknown; use one of " + names);
  }
  if (c.jpeg_quality < kQualityBest || c.jpeg_quality > 63) {
    char buf[120];
    snprintf(buf, sizeof(buf), "JPEG_QUALITY is %d, must be between %d (best) and 63 (smallest)",
             c.jpeg_quality, kQualityBest);
    errors.push_back(buf);
  }
  check_network(c, &errors);
  return errors;
}

bool build_device_url(char* out, size_t cap, const char* server_url, const char* device_id,
                      const char* leaf) {
  if (out == NULL || cap == 0 || server_url == NULL || device_id == NULL || leaf == NULL) return false;
  size_t base_len = strlen(server_url);
  while (base_len > 0 && server_url[base_len - 1] == '/') --base_len;
  int n = snprintf(out, cap, "%.*s/api/devices/%s/%s", static_cast<int>(base_len), server_url,
                   device_id, leaf);
  return n >= 0 && static_cast<size_t>(n) < cap;
}

}  // namespace fw
