#pragma once
#include "WiFi.h"
class HTTPClient {
 public:
  bool begin(WiFiClient& client, String url);
  void setTimeout(uint16_t timeout);
  void setConnectTimeout(int32_t timeout);
  void addHeader(const String& name, const String& value, bool first = false, bool replace = true);
  void collectHeaders(const char* headerKeys[], const size_t headerKeysCount);
  String header(const char* name);
  int POST(uint8_t* payload, size_t size);
  void end();
};
