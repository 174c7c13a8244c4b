#include "backoff.h"

namespace fw {

Backoff::Backoff(const BackoffConfig& config, RandomFn random, void* random_ctx)
    : config_(config), random_(random), random_ctx_(random_ctx), attempt_(0) {
  if (config_.jitter_pct > 100) config_.jitter_pct = 100;
  if (config_.base_ms == 0) config_.base_ms = 1;
  if (config_.cap_ms < config_.base_ms) config_.cap_ms = config_.base_ms;
}

uint32_t Backoff::nominal_ms(uint32_t attempt) const {
  uint64_t delay = config_.base_ms;
  // Stop doubling once past the cap, so large attempt counts cannot overflow.
  for (uint32_t i = 0; i < attempt && delay < config_.cap_ms; ++i) delay *= 2;
  return delay > config_.cap_ms ? config_.cap_ms : static_cast<uint32_t>(delay);
}

uint32_t Backoff::next_delay_ms() {
  uint32_t nominal = nominal_ms(attempt_);
  if (attempt_ < UINT32_MAX) ++attempt_;
  if (config_.jitter_pct == 0 || random_ == 0) return nominal;
  // Spread = up to jitter_pct of the nominal delay, subtracted, so the cap holds.
  uint64_t spread = static_cast<uint64_t>(nominal) * config_.jitter_pct / 100;
  uint64_t cut = (spread * random_(random_ctx_)) >> 32;
  return nominal - static_cast<uint32_t>(cut);
}

}  // namespace fw
