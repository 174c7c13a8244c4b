// Host stub: just enough of the Arduino-ESP32 API, with the real signatures,
// to syntax-check the sketch glue without the ESP32 toolchain. Not linked.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esp_arduino_version.h"
#include "esp_system.h"

typedef int BaseType_t;
typedef void (*TaskFunction_t)(void*);
typedef void* TaskHandle_t;
#define pdPASS 1
#define tskNO_AFFINITY 0x7FFFFFFF
BaseType_t xTaskCreatePinnedToCore(TaskFunction_t fn, const char* name, uint32_t stack, void* arg,
                                   unsigned priority, TaskHandle_t* handle, int core);

class String {
 public:
  String(const char* s = "");
  const char* c_str() const;
  unsigned int length() const;
};

class Print {
 public:
  size_t print(const char* s);
  size_t print(char c);
  size_t println(const char* s = "");
  size_t printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
};

class HardwareSerial : public Print {
 public:
  void begin(unsigned long baud);
  void setDebugOutput(bool on);
};
extern HardwareSerial Serial;

class EspClass {
 public:
  uint32_t getFreeHeap();
  void restart();
};
extern EspClass ESP;

unsigned long millis();
void delay(uint32_t ms);
bool psramFound();
uint32_t esp_random();

class IPAddress {
 public:
  IPAddress();
  bool fromString(const char* s);
  String toString() const;
};
