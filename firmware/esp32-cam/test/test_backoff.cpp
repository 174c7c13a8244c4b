#include <stdint.h>

#include "../src/backoff.h"
#include "check.h"

namespace {

uint32_t fixed_random(void* ctx) { return *static_cast<uint32_t*>(ctx); }

struct Sequence {
  const uint32_t* values;
  int n;
  int i;
};
uint32_t sequence_random(void* ctx) {
  Sequence* s = static_cast<Sequence*>(ctx);
  return s->values[s->i++ % s->n];
}

}  // namespace

TEST(backoff_doubles_until_cap_without_jitter) {
  fw::BackoffConfig cfg = {1000, 30000, 0};
  fw::Backoff b(cfg, NULL, NULL);
  const uint32_t want[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
  for (int i = 0; i < 7; ++i) CHECK_EQ(b.next_delay_ms(), want[i]);
  CHECK_EQ(b.attempts(), 7u);
  b.reset();
  CHECK_EQ(b.next_delay_ms(), 1000u);
}

TEST(backoff_jitter_stays_within_band_and_never_exceeds_cap) {
  fw::BackoffConfig cfg = {500, 8000, 50};
  uint32_t zero = 0, max = UINT32_MAX, half = 0x80000000u;
  fw::Backoff low(cfg, &fixed_random, &zero);
  fw::Backoff high(cfg, &fixed_random, &max);
  fw::Backoff mid(cfg, &fixed_random, &half);
  for (int i = 0; i < 10; ++i) {
    uint32_t nominal = low.nominal_ms(static_cast<uint32_t>(i));
    CHECK_EQ(low.next_delay_ms(), nominal);               // r = 0: no reduction
    uint32_t h = high.next_delay_ms();                    // r = max: almost the full 50 %
    CHECK(h >= nominal / 2 && h <= nominal / 2 + 1);
    CHECK_EQ(mid.next_delay_ms(), nominal - nominal / 4);  // r = 1/2: a quarter off
    CHECK(h <= cfg.cap_ms);
  }
}

TEST(backoff_is_deterministic_for_the_same_random_sequence) {
  const uint32_t values[] = {123456789u, 987654321u, 42u, 0xDEADBEEFu};
  Sequence s1 = {values, 4, 0}, s2 = {values, 4, 0};
  fw::BackoffConfig cfg = {1000, 60000, 30};
  fw::Backoff a(cfg, &sequence_random, &s1), b(cfg, &sequence_random, &s2);
  for (int i = 0; i < 12; ++i) CHECK_EQ(a.next_delay_ms(), b.next_delay_ms());
}

TEST(backoff_survives_huge_attempt_counts) {
  fw::BackoffConfig cfg = {1000, 600000, 0};
  fw::Backoff b(cfg, NULL, NULL);
  CHECK_EQ(b.nominal_ms(1000000u), 600000u);
  CHECK_EQ(b.nominal_ms(UINT32_MAX), 600000u);
}

TEST(backoff_sanitises_config) {
  fw::BackoffConfig cfg = {0, 0, 200};
  uint32_t max = UINT32_MAX;
  fw::Backoff b(cfg, &fixed_random, &max);
  uint32_t d = b.next_delay_ms();
  CHECK(d <= 1u);
}
