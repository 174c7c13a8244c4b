// JSON bodies for GET /status and the push-mode heartbeat, written into a
// caller buffer (no heap on the board). Strings are JSON-escaped.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace fw {

struct DeviceStatus {
  const char* device_id;
  const char* mode;            // "stream" | "push"
  const char* ip;
  int rssi;                    // dBm
  uint32_t free_heap;
  uint32_t uptime_s;
  const char* frame_size;      // name, e.g. "VGA"
  int quality;
  bool psram;
  const char* reset_reason;
  bool stream_client;          // a /stream viewer is connected
  uint32_t frames_sent;
  uint32_t failures;           // consecutive push failures
  int last_push_status;        // HTTP status, <= 0 for network errors, 0 before the first push
  const char* last_push_result;  // push_outcome_name() or "none"
};

struct Heartbeat {
  int rssi;
  uint32_t free_heap;
  uint32_t uptime_s;
  uint32_t frames_sent;
  uint32_t failures;
  const char* reset_reason;
};

// Both return the length written, or 0 if the buffer is too small.
size_t build_status_json(char* out, size_t cap, const DeviceStatus& status);
size_t build_heartbeat_json(char* out, size_t cap, const Heartbeat& heartbeat);

// Writes s as a quoted JSON string. Returns length, or 0 if it does not fit.
size_t json_quote(char* out, size_t cap, const char* s);

}  // namespace fw
