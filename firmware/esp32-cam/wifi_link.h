// Station-mode Wi-Fi with our own reconnect loop: capped exponential backoff
// with jitter, so a dozen cameras do not hammer the access point in lockstep
// after it reboots. Optional static IP and mDNS name.
#pragma once

#include <stdint.h>

// Starts connecting and waits up to wait_ms for the first association.
bool wifi_begin(uint32_t wait_ms);
// Call from loop(): notices a lost link and retries on the backoff schedule.
void wifi_tick();
bool wifi_connected();
// esp_random() adapter for fw::Backoff.
uint32_t hardware_random(void* ctx);
