#include "device_state.h"

#include <Arduino.h>
#include <WiFi.h>

#include "board_config.h"
#include "src/status_json.h"

DeviceState g_state = {false, false, "unknown", {0, JPEG_QUALITY}, false, 0, 0, 0, "none"};

size_t device_status_json(char* buf, size_t cap) {
  char ip[16];
  snprintf(ip, sizeof(ip), "%s", WiFi.localIP().toString().c_str());
  fw::DeviceStatus s;
  s.device_id = DEVICE_ID;
  s.mode = g_state.push_mode ? "push" : "stream";
  s.ip = ip;
  s.rssi = WiFi.RSSI();
  s.free_heap = ESP.getFreeHeap();
  s.uptime_s = static_cast<uint32_t>(millis() / 1000);
  s.frame_size = fw::frame_size_name(g_state.image.frame_index);
  s.quality = g_state.image.quality;
  s.psram = g_state.psram;
  s.reset_reason = g_state.reset_reason;
  s.stream_client = g_state.stream_client;
  s.frames_sent = g_state.frames_sent;
  s.failures = g_state.failures;
  s.last_push_status = g_state.last_push_status;
  s.last_push_result = g_state.last_push_result;
  return fw::build_status_json(buf, cap, s);
}
