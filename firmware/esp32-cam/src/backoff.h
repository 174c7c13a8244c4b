// Capped exponential backoff with jitter. The random source is injected so
// tests get a fixed schedule and the board can use esp_random().
#pragma once

#include <stdint.h>

namespace fw {

// Returns a uniformly distributed 32-bit value.
typedef uint32_t (*RandomFn)(void* ctx);

struct BackoffConfig {
  uint32_t base_ms;     // first delay before jitter
  uint32_t cap_ms;      // no delay ever exceeds this
  uint8_t jitter_pct;   // 0..100: delay is drawn from [d*(1-j), d]
};

class Backoff {
 public:
  Backoff(const BackoffConfig& config, RandomFn random, void* random_ctx);

  // Delay before the next attempt; each call doubles the nominal delay up to cap.
  uint32_t next_delay_ms();
  // Nominal (un-jittered) delay for the given attempt index, capped.
  uint32_t nominal_ms(uint32_t attempt) const;
  void reset() { attempt_ = 0; }
  uint32_t attempts() const { return attempt_; }

 private:
  BackoffConfig config_;
  RandomFn random_;
  void* random_ctx_;
  uint32_t attempt_;
};

}  // namespace fw
