// What to do after one frame POST, given the HTTP status (or a negative
// HTTPClient error) and the Retry-After header. Pure: the sketch applies it.
#pragma once

#include <stdint.h>

#include "backoff.h"

namespace fw {

enum PushOutcome {
  kPushOk = 0,          // 2xx: frame accepted
  kPushAuthRejected,    // 401/403: token wrong or revoked; retrying fast cannot help
  kPushNotFound,        // 404: wrong device id or SERVER_URL path
  kPushTooLarge,        // 413: shrink the image one step and carry on
  kPushUnsupported,     // 415: we sent the wrong Content-Type — a firmware bug
  kPushRateLimited,     // 429: wait as long as the server asks
  kPushClientError,     // other 3xx/4xx: request is wrong somehow
  kPushServerError,     // 5xx
  kPushNetworkError,    // no HTTP status (connect/timeout/DNS): HTTPClient code <= 0
};

struct PushPolicyConfig {
  uint32_t interval_ms;          // normal pause between frames
  uint32_t auth_backoff_ms;      // pause after 401/403/404 (long: a human must fix config)
  uint32_t retry_after_max_ms;   // clamp for Retry-After so a bad header cannot park us for days
};

struct PushDecision {
  PushOutcome outcome;
  uint32_t delay_ms;       // wait this long before the next POST
  bool counts_failure;     // adds to the consecutive-failure count that triggers a restart
  bool reduce_image;       // caller should apply reduce_image_size()
  bool log_loud;           // needs a human: print a banner, not a single line
  const char* message;     // short human-readable reason for the log and /status
};

PushOutcome classify_push_status(int http_status);

// Parses Retry-After as delta-seconds ("120"). The HTTP-date form and junk
// return false, which makes the caller fall back to its backoff.
bool parse_retry_after_s(const char* header, uint32_t* seconds);

// Advances or resets `backoff` as a side effect: success resets it, transient
// errors take its next delay.
PushDecision decide_push(int http_status, const char* retry_after, const PushPolicyConfig& config,
                         Backoff* backoff);

const char* push_outcome_name(PushOutcome outcome);

}  // namespace fw
