#pragma once
#include "Arduino.h"
typedef enum { WL_IDLE_STATUS = 0, WL_CONNECTED = 3, WL_DISCONNECTED = 6 } wl_status_t;
typedef enum { WIFI_OFF, WIFI_STA } wifi_mode_t;
typedef enum { WIFI_POWER_19_5dBm = 78, WIFI_POWER_11dBm = 44 } wifi_power_t;

class WiFiClient : public Print {
 public:
  size_t write(const uint8_t* buf, size_t size);
  int available();
  int read();
  uint8_t connected();
  void stop();
  int setNoDelay(bool nodelay);
  IPAddress remoteIP() const;
  operator bool();
};

class WiFiServer {
 public:
  explicit WiFiServer(uint16_t port);
  void begin();
  void setNoDelay(bool nodelay);
#if STUB_CORE_MAJOR >= 3
  WiFiClient accept();
#endif
  WiFiClient available();
};

class WiFiClass {
 public:
  bool mode(wifi_mode_t m);
  bool setSleep(bool enabled);
  bool setAutoReconnect(bool enabled);
  bool setHostname(const char* name);
  bool config(IPAddress ip, IPAddress gateway, IPAddress subnet, IPAddress dns1);
  wl_status_t begin(const char* ssid, const char* passphrase);
  bool disconnect(bool wifioff = false);
  bool setTxPower(wifi_power_t power);
  wl_status_t status();
  IPAddress localIP();
  int8_t RSSI();
};
extern WiFiClass WiFi;
