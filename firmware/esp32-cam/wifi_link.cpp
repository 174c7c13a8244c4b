#include "wifi_link.h"

#include <Arduino.h>
#include <ESPmDNS.h>
#include <WiFi.h>
#include <esp_system.h>

#include "board_config.h"
#include "src/backoff.h"

static const fw::BackoffConfig kWifiBackoff = {1000, 60000, 30};
static fw::Backoff s_backoff(kWifiBackoff, &hardware_random, NULL);
static uint32_t s_next_attempt_ms = 0;
static bool s_was_connected = false;

uint32_t hardware_random(void*) { return esp_random(); }

static void start_mdns() {
  if (MDNS_NAME[0] == '\0') return;
  MDNS.end();
  if (MDNS.begin(MDNS_NAME)) {
    MDNS.addService("http", "tcp", 80);
    Serial.printf("[wifi] mDNS: http://%s.local/status\n", MDNS_NAME);
  } else {
    Serial.println("[wifi] mDNS failed to start");
  }
}

static void on_connected() {
  s_backoff.reset();
  Serial.printf("[wifi] connected: ip %s, rssi %d dBm\n", WiFi.localIP().toString().c_str(),
                WiFi.RSSI());
  start_mdns();
}

static void connect_now() {
  WiFi.disconnect();
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
}

bool wifi_begin(uint32_t wait_ms) {
  WiFi.mode(WIFI_STA);
  // Modem sleep adds 100+ ms latency to every frame; the board is mains powered anyway.
  WiFi.setSleep(false);
  // The core's auto-reconnect retries without backoff; wifi_tick() does it instead.
  WiFi.setAutoReconnect(false);
  if (MDNS_NAME[0] != '\0') WiFi.setHostname(MDNS_NAME);
#if STATIC_IP_ENABLED
  IPAddress ip, gateway, subnet, dns;
  ip.fromString(STATIC_IP);
  gateway.fromString(STATIC_GATEWAY);
  subnet.fromString(STATIC_SUBNET);
  if (STATIC_DNS[0] != '\0') dns.fromString(STATIC_DNS);
  else dns = gateway;
  if (!WiFi.config(ip, gateway, subnet, dns)) Serial.println("[wifi] static IP config failed");
#endif
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
#if WIFI_REDUCED_TX_POWER
  // Must follow begin(): the driver resets TX power when the station starts.
  WiFi.setTxPower(WIFI_POWER_11dBm);
#endif
  Serial.printf("[wifi] connecting to '%s'", WIFI_SSID);
  uint32_t start = millis();
  while (WiFi.status() != WL_CONNECTED && millis() - start < wait_ms) {
    delay(250);
    Serial.print('.');
  }
  Serial.println();
  s_was_connected = WiFi.status() == WL_CONNECTED;
  if (s_was_connected) on_connected();
  else s_next_attempt_ms = millis() + s_backoff.next_delay_ms();
  return s_was_connected;
}

bool wifi_connected() { return WiFi.status() == WL_CONNECTED; }

void wifi_tick() {
  bool connected = wifi_connected();
  if (connected) {
    if (!s_was_connected) on_connected();
    s_was_connected = true;
    return;
  }
  uint32_t now = millis();
  if (s_was_connected) {
    s_was_connected = false;
    Serial.println("[wifi] link lost");
    s_next_attempt_ms = now;  // first retry right away, then back off
  }
  if (static_cast<int32_t>(now - s_next_attempt_ms) < 0) return;
  uint32_t delay_ms = s_backoff.next_delay_ms();
  Serial.printf("[wifi] reconnecting (attempt %u, next in %u ms)\n",
                static_cast<unsigned>(s_backoff.attempts()), static_cast<unsigned>(delay_ms));
  connect_now();
  s_next_attempt_ms = now + delay_ms;
}
