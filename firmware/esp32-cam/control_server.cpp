#include "control_server.h"

#include <Arduino.h>
#include <esp_camera.h>
#include <esp_http_server.h>

#include "device_state.h"

static httpd_handle_t s_httpd = NULL;

static esp_err_t capture_handler(httpd_req_t* req) {
  camera_fb_t* fb = esp_camera_fb_get();
  if (fb == NULL) {
    Serial.println("[http] /capture: camera capture failed");
    httpd_resp_send_500(req);
    return ESP_FAIL;
  }
  char ts[32];
  snprintf(ts, sizeof(ts), "%ld.%06ld", static_cast<long>(fb->timestamp.tv_sec),
           static_cast<long>(fb->timestamp.tv_usec));
  httpd_resp_set_type(req, "image/jpeg");
  httpd_resp_set_hdr(req, "Content-Disposition", "inline; filename=capture.jpg");
  httpd_resp_set_hdr(req, "Access-Control-Allow-Origin", "*");
  httpd_resp_set_hdr(req, "X-Timestamp", ts);
  esp_err_t res = httpd_resp_send(req, reinterpret_cast<const char*>(fb->buf), fb->len);
  esp_camera_fb_return(fb);
  return res;
}

static esp_err_t status_handler(httpd_req_t* req) {
  char json[512];
  size_t n = device_status_json(json, sizeof(json));
  if (n == 0) {
    httpd_resp_send_500(req);
    return ESP_FAIL;
  }
  httpd_resp_set_type(req, "application/json");
  httpd_resp_set_hdr(req, "Access-Control-Allow-Origin", "*");
  httpd_resp_set_hdr(req, "Cache-Control", "no-store");
  return httpd_resp_send(req, json, n);
}

static esp_err_t index_handler(httpd_req_t* req) {
  static const char kIndex[] =
      "<!doctype html><title>ESP32-CAM</title>"
      "<p><a href=\"/status\">/status</a> &middot; <a href=\"/capture\">/capture</a> &middot; "
      "<a href=\"/stream\" onclick=\"this.href=location.protocol+'//'+location.hostname+':81/stream'\">"
      ":81/stream</a> (one viewer at a time)</p>";
  httpd_resp_set_type(req, "text/html");
  return httpd_resp_send(req, kIndex, sizeof(kIndex) - 1);
}

static bool register_get(const char* uri, esp_err_t (*handler)(httpd_req_t*)) {
  httpd_uri_t route;
  memset(&route, 0, sizeof(route));
  route.uri = uri;
  route.method = HTTP_GET;
  route.handler = handler;
  route.user_ctx = NULL;
  return httpd_register_uri_handler(s_httpd, &route) == ESP_OK;
}

bool control_server_begin() {
  httpd_config_t config = HTTPD_DEFAULT_CONFIG();
  config.server_port = 80;
  config.lru_purge_enable = true;  // a vanished client must not hold a socket forever
  if (httpd_start(&s_httpd, &config) != ESP_OK) {
    Serial.println("[http] could not start port 80 server");
    return false;
  }
  bool ok = register_get("/", index_handler);
  ok = register_get("/capture", capture_handler) && ok;
  ok = register_get("/status", status_handler) && ok;
  return ok;
}
