// Pulls in the user's config.h and turns it into the portable FirmwareConfig.
#pragma once

// FW_CONFIG_HEADER lets the host glue check (test/check_glue.sh) compile
// against generated configs; on the board it is unset and config.h is used.
#ifdef FW_CONFIG_HEADER
#include FW_CONFIG_HEADER
#else
#if defined(__has_include)
#if !__has_include("config.h")
#error "config.h is missing: copy config.example.h to config.h in firmware/esp32-cam/ and fill in Wi-Fi, server URL, device id and token (see README.md)"
#endif
#endif
#include "config.h"
#endif

#include "src/config_check.h"

#ifndef SERVER_CA_PEM
#define SERVER_CA_PEM ""
#endif
#ifndef WIFI_REDUCED_TX_POWER
#define WIFI_REDUCED_TX_POWER 0
#endif
#ifndef DISABLE_BROWNOUT_DETECTOR
#define DISABLE_BROWNOUT_DETECTOR 0
#endif

inline fw::FirmwareConfig board_config() {
  fw::FirmwareConfig c;
  c.wifi_ssid = WIFI_SSID;
  c.wifi_password = WIFI_PASSWORD;
  c.mode = MODE;
  c.server_url = SERVER_URL;
  c.device_id = DEVICE_ID;
  c.device_token = DEVICE_TOKEN;
  c.push_interval_ms = PUSH_INTERVAL_MS;
  c.heartbeat_interval_s = HEARTBEAT_INTERVAL_S;
  c.frame_size = FRAME_SIZE;
  c.jpeg_quality = JPEG_QUALITY;
  c.static_ip = STATIC_IP_ENABLED != 0;
  c.ip = STATIC_IP;
  c.gateway = STATIC_GATEWAY;
  c.subnet = STATIC_SUBNET;
  c.dns = STATIC_DNS;
  c.mdns_name = MDNS_NAME;
  c.max_failures = MAX_CONSECUTIVE_FAILURES;
  return c;
}
