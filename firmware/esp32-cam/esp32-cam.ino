// ESP32-CAM (AI-Thinker) firmware for the attendance system.
// Mode "stream": stock-compatible :81/stream, :80/capture, :80/status (server pulls).
// Mode "push":   POSTs JPEGs to the server with the device token.
// Settings live in config.h (copy config.example.h). See README.md.

#include <Arduino.h>

#include <string>
#include <vector>

#include "board_config.h"
#include "boot.h"
#include "camera.h"
#include "control_server.h"
#include "device_state.h"
#include "push_client.h"
#include "src/config_check.h"
#include "src/frame_size.h"
#include "stream_server.h"
#include "wifi_link.h"

static const uint32_t kWifiFirstConnectMs = 20000;
static const uint32_t kWifiDownRestartMs = 10UL * 60UL * 1000UL;  // a wedged radio needs a reboot
static bool s_ready = false;
static uint32_t s_wifi_down_since = 0;

static bool config_ok(const fw::FirmwareConfig& config) {
  std::vector<std::string> errors = fw::validate_config(config);
  for (size_t i = 0; i < errors.size(); ++i) Serial.printf("[config] %s\n", errors[i].c_str());
  return errors.empty();
}

void setup() {
  g_state.reset_reason = boot_begin();
  fw::FirmwareConfig config = board_config();
  if (!config_ok(config)) {
    Serial.println("[config] fix config.h and flash again; the board will not start like this");
    return;
  }
  g_state.push_mode = fw::is_push_mode(config);
  g_state.image.frame_index = fw::find_frame_size(FRAME_SIZE);
  g_state.image.quality = JPEG_QUALITY;

  // Wi-Fi first: association draws the biggest current spikes, and letting
  // them pass before the camera powers up avoids the classic brownout loop.
  wifi_begin(kWifiFirstConnectMs);
  if (!camera_begin(&g_state.image, &g_state.psram)) {
    Serial.println("[camera] restarting in 5 s");
    delay(5000);
    ESP.restart();
  }
  control_server_begin();
  if (g_state.push_mode) push_begin();
  else stream_server_begin();
  s_ready = true;
}

void loop() {
  if (!s_ready) {
    delay(5000);
    config_ok(board_config());  // keep the errors visible to whoever opens the monitor later
    return;
  }
  wifi_tick();
  if (wifi_connected()) {
    s_wifi_down_since = 0;
  } else if (s_wifi_down_since == 0) {
    s_wifi_down_since = millis() | 1;
  } else if (millis() - s_wifi_down_since > kWifiDownRestartMs) {
    Serial.println("[wifi] down for 10 minutes: restarting");
    ESP.restart();
  }
  if (g_state.push_mode) push_tick();
  delay(10);
}
