// Counters and settings shared by the push loop, the stream task and the
// /status handler. Plain 32-bit fields: single reads/writes are atomic on the
// ESP32, and /status only needs a recent value, not a consistent snapshot.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "src/frame_size.h"

struct DeviceState {
  bool push_mode;
  bool psram;
  const char* reset_reason;
  fw::ImageSettings image;
  volatile bool stream_client;
  volatile uint32_t frames_sent;
  volatile uint32_t failures;  // consecutive push failures that count toward a restart
  volatile int last_push_status;
  const char* volatile last_push_result;
};

extern DeviceState g_state;

// Fills buf with the /status JSON; returns its length (0 if buf is too small).
size_t device_status_json(char* buf, size_t cap);
