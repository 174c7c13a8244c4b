#include "push_client.h"

#include <Arduino.h>
#include <HTTPClient.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <esp_arduino_version.h>
#include <esp_camera.h>
#include <esp_task_wdt.h>

#include "board_config.h"
#include "camera.h"
#include "device_state.h"
#include "src/backoff.h"
#include "src/config_check.h"
#include "src/push_policy.h"
#include "src/status_json.h"
#include "wifi_link.h"

#ifndef ESP_ARDUINO_VERSION_MAJOR
#define ESP_ARDUINO_VERSION_MAJOR 1
#endif

static const fw::BackoffConfig kPushBackoff = {1000, 60000, 30};
static const fw::PushPolicyConfig kPolicy = {PUSH_INTERVAL_MS, AUTH_BACKOFF_MS, 600000};

static fw::Backoff s_backoff(kPushBackoff, &hardware_random, NULL);
static char s_frames_url[256];
static char s_heartbeat_url[256];
static uint32_t s_next_frame_ms = 0;
static uint32_t s_next_heartbeat_ms = 0;

static void watchdog_begin() {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  // Core 3.x (ESP-IDF 5) takes a config struct and has usually started the
  // watchdog already, so reconfigure first and init only if it is not running.
  esp_task_wdt_config_t config;
  config.timeout_ms = WATCHDOG_TIMEOUT_S * 1000;
  config.idle_core_mask = 0;
  config.trigger_panic = true;
  if (esp_task_wdt_reconfigure(&config) != ESP_OK) esp_task_wdt_init(&config);
#else
  // Core 2.x (ESP-IDF 4.4): (timeout in seconds, panic); re-init updates it.
  esp_task_wdt_init(WATCHDOG_TIMEOUT_S, true);
#endif
  esp_task_wdt_add(NULL);  // the loop task
}

// Opens `http` on the right client for the URL scheme.
static bool http_begin(HTTPClient& http, WiFiClient& plain, WiFiClientSecure& secure,
                       const char* url) {
  http.setTimeout(HTTP_TIMEOUT_MS);
  http.setConnectTimeout(HTTP_TIMEOUT_MS);
  if (strncmp(url, "https://", 8) == 0) {
    if (SERVER_CA_PEM[0] != '\0') secure.setCACert(SERVER_CA_PEM);
    else secure.setInsecure();
    return http.begin(secure, url);
  }
  return http.begin(plain, url);
}

static void add_auth(HTTPClient& http) {
  static char bearer[sizeof("Bearer ") + sizeof(DEVICE_TOKEN)];
  if (bearer[0] == '\0') snprintf(bearer, sizeof(bearer), "Bearer %s", DEVICE_TOKEN);
  http.addHeader("Authorization", bearer);
}

static void log_loud(const char* message) {
  Serial.println("[push] ************************************************************");
  Serial.printf("[push] %s\n", message);
  Serial.println("[push] ************************************************************");
}

static void restart_if_failing() {
  if (g_state.failures < MAX_CONSECUTIVE_FAILURES) return;
  Serial.printf("[push] %u failures in a row: restarting\n", static_cast<unsigned>(g_state.failures));
  delay(100);
  ESP.restart();
}

static void apply_decision(const fw::PushDecision& d, int status) {
  g_state.last_push_status = status;
  g_state.last_push_result = fw::push_outcome_name(d.outcome);
  if (d.outcome == fw::kPushOk) {
    g_state.frames_sent = g_state.frames_sent + 1;
    g_state.failures = 0;
  } else if (d.counts_failure) {
    g_state.failures = g_state.failures + 1;
  }
  if (d.log_loud) log_loud(d.message);
  else if (d.outcome != fw::kPushOk) Serial.printf("[push] HTTP %d: %s, retry in %u ms\n", status, d.message, static_cast<unsigned>(d.delay_ms));
  if (d.reduce_image) {
    fw::ImageSettings next = g_state.image;
    if (fw::reduce_image_size(&next) && camera_apply(next)) {
      g_state.image = next;
      Serial.printf("[push] now %s, quality %d\n", fw::frame_size_name(next.frame_index), next.quality);
    } else {
      log_loud("frame still too large at the smallest setting: raise the server's upload limit");
    }
  }
  s_next_frame_ms = millis() + d.delay_ms;
  restart_if_failing();
}

static void push_frame() {
  camera_fb_t* fb = esp_camera_fb_get();
  if (fb == NULL) {
    Serial.println("[push] camera capture failed");
    g_state.failures = g_state.failures + 1;
    s_next_frame_ms = millis() + s_backoff.next_delay_ms();
    restart_if_failing();
    return;
  }
  WiFiClient plain;
  WiFiClientSecure secure;
  HTTPClient http;
  int status = -1;
  String retry_after;
  if (http_begin(http, plain, secure, s_frames_url)) {
    static const char* kCollect[] = {"Retry-After"};
    http.collectHeaders(kCollect, 1);
    http.addHeader("Content-Type", "image/jpeg");
    add_auth(http);
    status = http.POST(fb->buf, fb->len);
    retry_after = http.header("Retry-After");
    http.end();
  }
  esp_camera_fb_return(fb);
  fw::PushDecision d = fw::decide_push(status, retry_after.c_str(), kPolicy, &s_backoff);
  apply_decision(d, status);
}

static void push_heartbeat() {
  fw::Heartbeat h;
  h.rssi = WiFi.RSSI();
  h.free_heap = ESP.getFreeHeap();
  h.uptime_s = static_cast<uint32_t>(millis() / 1000);
  h.frames_sent = g_state.frames_sent;
  h.failures = g_state.failures;
  h.reset_reason = g_state.reset_reason;
  char body[256];
  size_t n = fw::build_heartbeat_json(body, sizeof(body), h);
  WiFiClient plain;
  WiFiClientSecure secure;
  HTTPClient http;
  if (n > 0 && http_begin(http, plain, secure, s_heartbeat_url)) {
    http.addHeader("Content-Type", "application/json");
    add_auth(http);
    int status = http.POST(reinterpret_cast<uint8_t*>(body), n);
    if (status < 200 || status >= 300) Serial.printf("[push] heartbeat: HTTP %d\n", status);
    http.end();
  }
  s_next_heartbeat_ms = millis() + HEARTBEAT_INTERVAL_S * 1000UL;
}

void push_begin() {
  fw::build_device_url(s_frames_url, sizeof(s_frames_url), SERVER_URL, DEVICE_ID, "frames");
  fw::build_device_url(s_heartbeat_url, sizeof(s_heartbeat_url), SERVER_URL, DEVICE_ID, "heartbeat");
  if (strncmp(SERVER_URL, "https://", 8) == 0 && SERVER_CA_PEM[0] == '\0') {
    Serial.println("[push] warning: https without SERVER_CA_PEM, the server is not verified");
  }
  Serial.printf("[push] frames to %s every %u ms\n", s_frames_url, static_cast<unsigned>(PUSH_INTERVAL_MS));
  watchdog_begin();
  s_next_frame_ms = millis();
  s_next_heartbeat_ms = millis();
}

void push_tick() {
  esp_task_wdt_reset();
  if (!wifi_connected()) return;  // wifi_tick() handles reconnects; the watchdog still runs
  uint32_t now = millis();
  if (static_cast<int32_t>(now - s_next_heartbeat_ms) >= 0) push_heartbeat();
  esp_task_wdt_reset();
  if (static_cast<int32_t>(now - s_next_frame_ms) >= 0) push_frame();
}
