#include <stdint.h>

#include "../src/backoff.h"
#include "../src/push_policy.h"
#include "check.h"

namespace {

const fw::PushPolicyConfig kPolicy = {1000, 300000, 600000};

fw::Backoff no_jitter() {
  fw::BackoffConfig cfg = {2000, 60000, 0};
  return fw::Backoff(cfg, NULL, NULL);
}

}  // namespace

TEST(classify_push_status_covers_the_protocol) {
  CHECK_EQ(fw::classify_push_status(200), fw::kPushOk);
  CHECK_EQ(fw::classify_push_status(202), fw::kPushOk);
  CHECK_EQ(fw::classify_push_status(204), fw::kPushOk);
  CHECK_EQ(fw::classify_push_status(401), fw::kPushAuthRejected);
  CHECK_EQ(fw::classify_push_status(403), fw::kPushAuthRejected);
  CHECK_EQ(fw::classify_push_status(404), fw::kPushNotFound);
  CHECK_EQ(fw::classify_push_status(413), fw::kPushTooLarge);
  CHECK_EQ(fw::classify_push_status(415), fw::kPushUnsupported);
  CHECK_EQ(fw::classify_push_status(429), fw::kPushRateLimited);
  CHECK_EQ(fw::classify_push_status(400), fw::kPushClientError);
  CHECK_EQ(fw::classify_push_status(301), fw::kPushClientError);
  CHECK_EQ(fw::classify_push_status(500), fw::kPushServerError);
  CHECK_EQ(fw::classify_push_status(503), fw::kPushServerError);
  CHECK_EQ(fw::classify_push_status(0), fw::kPushNetworkError);
  CHECK_EQ(fw::classify_push_status(-1), fw::kPushNetworkError);   // connection refused
  CHECK_EQ(fw::classify_push_status(-11), fw::kPushNetworkError);  // read timeout
}

TEST(retry_after_parsing) {
  uint32_t s = 0;
  CHECK(fw::parse_retry_after_s("120", &s));
  CHECK_EQ(s, 120u);
  CHECK(fw::parse_retry_after_s("  7 ", &s));
  CHECK_EQ(s, 7u);
  CHECK(fw::parse_retry_after_s("0", &s));
  CHECK_EQ(s, 0u);
  CHECK(fw::parse_retry_after_s("99999999999999", &s));
  CHECK_EQ(s, UINT32_MAX);
  CHECK(!fw::parse_retry_after_s("", &s));
  CHECK(!fw::parse_retry_after_s(NULL, &s));
  CHECK(!fw::parse_retry_after_s("-5", &s));
  CHECK(!fw::parse_retry_after_s("1.5", &s));
  CHECK(!fw::parse_retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", &s));
}

TEST(success_resets_backoff_and_waits_one_interval) {
  fw::Backoff b = no_jitter();
  b.next_delay_ms();
  b.next_delay_ms();
  fw::PushDecision d = fw::decide_push(200, NULL, kPolicy, &b);
  CHECK_EQ(d.outcome, fw::kPushOk);
  CHECK_EQ(d.delay_ms, 1000u);
  CHECK(!d.counts_failure);
  CHECK_EQ(b.attempts(), 0u);
}

TEST(auth_rejection_backs_off_long_and_loud_without_restart) {
  fw::Backoff b = no_jitter();
  for (int code = 401; code <= 403; code += 2) {
    fw::PushDecision d = fw::decide_push(code, NULL, kPolicy, &b);
    CHECK_EQ(d.outcome, fw::kPushAuthRejected);
    CHECK_EQ(d.delay_ms, 300000u);
    CHECK(d.log_loud);
    CHECK(!d.counts_failure);
    CHECK(!d.reduce_image);
  }
  fw::PushDecision nf = fw::decide_push(404, NULL, kPolicy, &b);
  CHECK_EQ(nf.delay_ms, 300000u);
  CHECK(nf.log_loud);
}

TEST(too_large_asks_for_a_smaller_image) {
  fw::Backoff b = no_jitter();
  fw::PushDecision d = fw::decide_push(413, NULL, kPolicy, &b);
  CHECK(d.reduce_image);
  CHECK(!d.counts_failure);
  CHECK_EQ(d.delay_ms, 1000u);
}

TEST(unsupported_media_type_is_logged_as_bug) {
  fw::Backoff b = no_jitter();
  fw::PushDecision d = fw::decide_push(415, NULL, kPolicy, &b);
  CHECK_EQ(d.outcome, fw::kPushUnsupported);
  CHECK(d.log_loud);
  CHECK_EQ(d.delay_ms, 2000u);
}

TEST(rate_limit_honours_retry_after_with_clamps) {
  fw::Backoff b = no_jitter();
  fw::PushDecision d = fw::decide_push(429, "30", kPolicy, &b);
  CHECK_EQ(d.delay_ms, 30000u);
  CHECK(!d.counts_failure);
  CHECK_EQ(b.attempts(), 0u);
  CHECK_EQ(fw::decide_push(429, "0", kPolicy, &b).delay_ms, 1000u);         // never faster than interval
  CHECK_EQ(fw::decide_push(429, "86400", kPolicy, &b).delay_ms, 600000u);   // clamped
  CHECK_EQ(fw::decide_push(429, "4294967295", kPolicy, &b).delay_ms, 600000u);
}

TEST(rate_limit_without_retry_after_uses_backoff) {
  fw::Backoff b = no_jitter();
  CHECK_EQ(fw::decide_push(429, NULL, kPolicy, &b).delay_ms, 2000u);
  CHECK_EQ(fw::decide_push(429, "soon", kPolicy, &b).delay_ms, 4000u);
}

TEST(server_and_network_errors_back_off_exponentially_and_count) {
  fw::Backoff b = no_jitter();
  const int codes[] = {500, 502, -1, 503, -11, 500, 500, 500};
  const uint32_t want[] = {2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  for (int i = 0; i < 8; ++i) {
    fw::PushDecision d = fw::decide_push(codes[i], NULL, kPolicy, &b);
    CHECK_EQ(d.delay_ms, want[i]);
    CHECK(d.counts_failure);
  }
  CHECK_EQ(fw::decide_push(-1, NULL, kPolicy, &b).outcome, fw::kPushNetworkError);
  CHECK_EQ(fw::decide_push(204, NULL, kPolicy, &b).delay_ms, 1000u);
  CHECK_EQ(fw::decide_push(500, NULL, kPolicy, &b).delay_ms, 2000u);  // back to the start
}

TEST(every_outcome_has_a_name) {
  for (int o = fw::kPushOk; o <= fw::kPushNetworkError; ++o) {
    CHECK(std::string(fw::push_outcome_name(static_cast<fw::PushOutcome>(o))) != "unknown");
  }
  CHECK_STR(fw::push_outcome_name(fw::kPushRateLimited), "rate_limited");
}
