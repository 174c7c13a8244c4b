#include "stream_server.h"

#include <Arduino.h>
#include <WiFi.h>
#include <esp_camera.h>
#include <esp_arduino_version.h>

#include "device_state.h"
#include "src/http_wire.h"
#include "src/mjpeg_part.h"

#ifndef ESP_ARDUINO_VERSION_MAJOR
#define ESP_ARDUINO_VERSION_MAJOR 1
#endif

static const uint16_t kStreamPort = 81;
static const uint32_t kRequestTimeoutMs = 2000;
static const uint32_t kWriteStallMs = 5000;  // a viewer that takes nothing this long is dropped

static WiFiServer s_server(kStreamPort);
static WiFiClient s_viewer;

// Sink over a WiFiClient: loops over partial writes, gives up on a stalled peer.
static bool client_write(void* ctx, const uint8_t* data, size_t len) {
  WiFiClient* client = static_cast<WiFiClient*>(ctx);
  uint32_t last_progress = millis();
  while (len > 0) {
    if (!client->connected()) return false;
    size_t n = client->write(data, len);
    if (n > 0) {
      data += n;
      len -= n;
      last_progress = millis();
    } else if (millis() - last_progress > kWriteStallMs) {
      return false;
    } else {
      delay(1);
    }
  }
  return true;
}

static void send_text(WiFiClient& client, int status, const char* reason, const char* body,
                      unsigned retry_after_s) {
  char buf[512];
  size_t n = fw::format_simple_response(buf, sizeof(buf), status, reason, body, retry_after_s);
  client_write(&client, reinterpret_cast<const uint8_t*>(buf), n);
  client.stop();
}

// Reads one line (without CR/LF) before the deadline. WiFiClient::setTimeout
// changed units between core 2.x (seconds) and 3.x, so we time it ourselves.
static bool read_line(WiFiClient& client, char* buf, size_t cap, uint32_t deadline) {
  size_t n = 0;
  while (static_cast<int32_t>(deadline - millis()) > 0) {
    if (!client.connected()) return false;
    if (client.available() <= 0) {
      delay(2);
      continue;
    }
    int ch = client.read();
    if (ch < 0) continue;
    if (ch == '\n') {
      if (n > 0 && buf[n - 1] == '\r') --n;
      buf[n] = '\0';
      return true;
    }
    if (n + 1 < cap) buf[n++] = static_cast<char>(ch);  // overlong lines are truncated
  }
  return false;
}

// Reads the request line and skips the headers. False on timeout or junk.
static bool read_request(WiFiClient& client, char* path, size_t path_cap) {
  uint32_t deadline = millis() + kRequestTimeoutMs;
  char line[256];
  char method[8];
  if (!read_line(client, line, sizeof(line), deadline)) return false;
  if (!fw::parse_request_line(line, method, sizeof(method), path, path_cap)) return false;
  for (int i = 0; i < 64; ++i) {  // headers: read until the blank line
    if (!read_line(client, line, sizeof(line), deadline)) return false;
    if (line[0] == '\0') break;
  }
  return strcmp(method, "GET") == 0;
}

static void accept_client(WiFiClient client) {
  char path[64];
  if (!read_request(client, path, sizeof(path))) {
    send_text(client, 400, "Bad Request", "Only GET /stream is served on this port.\n", 0);
    return;
  }
  if (strcmp(path, "/stream") != 0) {
    send_text(client, 404, "Not Found", "Use /stream on port 81; /capture and /status are on port 80.\n", 0);
    return;
  }
  if (s_viewer && s_viewer.connected()) {
    Serial.println("[stream] second client rejected with 503 (one stream at a time)");
    send_text(client, 503, "Service Unavailable", fw::kStreamBusyMessage, 5);
    return;
  }
  char head[256];
  size_t n = fw::format_stream_response_head(head, sizeof(head));
  if (!client_write(&client, reinterpret_cast<const uint8_t*>(head), n)) {
    client.stop();
    return;
  }
  client.setNoDelay(true);
  s_viewer = client;
  g_state.stream_client = true;
  Serial.printf("[stream] client %s connected\n", s_viewer.remoteIP().toString().c_str());
}

static void end_viewer(const char* why) {
  Serial.printf("[stream] client gone (%s)\n", why);
  s_viewer.stop();
  g_state.stream_client = false;
}

static void send_frame() {
  camera_fb_t* fb = esp_camera_fb_get();
  if (fb == NULL) {
    // Same as stock: a failed capture ends the stream; the server reconnects.
    end_viewer("camera capture failed");
    return;
  }
  fw::Sink raw = {&client_write, &s_viewer};
  fw::ChunkedSink chunked(raw);
  bool ok = fw::write_part(chunked.sink(), fb->buf, fb->len, static_cast<long>(fb->timestamp.tv_sec),
                           static_cast<long>(fb->timestamp.tv_usec));
  esp_camera_fb_return(fb);
  if (!ok) end_viewer("send failed");
}

static void stream_task(void*) {
  for (;;) {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
    WiFiClient incoming = s_server.accept();
#else
    WiFiClient incoming = s_server.available();
#endif
    if (incoming) accept_client(incoming);
    if (s_viewer && s_viewer.connected()) {
      send_frame();
      delay(1);  // yield so lower-priority tasks (Wi-Fi, loop) are not starved
    } else {
      if (g_state.stream_client) end_viewer("disconnected");
      delay(20);
    }
  }
}

bool stream_server_begin() {
  s_server.begin();
  s_server.setNoDelay(true);
  BaseType_t ok = xTaskCreatePinnedToCore(stream_task, "stream81", 8192, NULL, 2, NULL, tskNO_AFFINITY);
  Serial.printf("[stream] http://%s:%u/stream\n", WiFi.localIP().toString().c_str(), kStreamPort);
  return ok == pdPASS;
}
