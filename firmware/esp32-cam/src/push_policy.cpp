#include "push_policy.h"

#include <stddef.h>

namespace fw {

PushOutcome classify_push_status(int s) {
  if (s <= 0) return kPushNetworkError;
  if (s >= 200 && s < 300) return kPushOk;
  if (s == 401 || s == 403) return kPushAuthRejected;
  if (s == 404) return kPushNotFound;
  if (s == 413) return kPushTooLarge;
  if (s == 415) return kPushUnsupported;
  if (s == 429) return kPushRateLimited;
  if (s >= 500) return kPushServerError;
  return kPushClientError;
}

bool parse_retry_after_s(const char* header, uint32_t* seconds) {
  if (header == NULL || seconds == NULL) return false;
  while (*header == ' ' || *header == '\t') ++header;
  if (*header < '0' || *header > '9') return false;
  uint64_t value = 0;
  for (; *header >= '0' && *header <= '9'; ++header) {
    value = value * 10 + static_cast<uint64_t>(*header - '0');
    if (value > UINT32_MAX) value = UINT32_MAX;
  }
  while (*header == ' ' || *header == '\t') ++header;
  if (*header != '\0') return false;
  *seconds = static_cast<uint32_t>(value);
  return true;
}

static PushDecision make(PushOutcome o, uint32_t delay, bool fail, bool reduce, bool loud,
                         const char* msg) {
  PushDecision d;
  d.outcome = o;
  d.delay_ms = delay;
  d.counts_failure = fail;
  d.reduce_image = reduce;
  d.log_loud = loud;
  d.message = msg;
  return d;
}

PushDecision decide_push(int http_status, const char* retry_after, const PushPolicyConfig& config,
                         Backoff* backoff) {
  PushOutcome outcome = classify_push_status(http_status);
  switch (outcome) {
    case kPushOk:
      backoff->reset();
      return make(outcome, config.interval_ms, false, false, false, "ok");
    case kPushAuthRejected:
      // A restart will not fix a wrong token, so this does not count toward one.
      return make(outcome, config.auth_backoff_ms, false, false, true,
                  "token rejected (401/403): copy the device token from the dashboard into "
                  "DEVICE_TOKEN in config.h");
    case kPushNotFound:
      return make(outcome, config.auth_backoff_ms, false, false, true,
                  "push URL not found (404): check SERVER_URL and DEVICE_ID in config.h");
    case kPushTooLarge:
      return make(outcome, config.interval_ms, false, true, false,
                  "frame too large (413): lowering JPEG quality / frame size one step");
    case kPushUnsupported:
      return make(outcome, backoff->next_delay_ms(), false, false, true,
                  "server refused the media type (415): firmware bug, please report it");
    case kPushRateLimited: {
      uint32_t seconds = 0;
      if (parse_retry_after_s(retry_after, &seconds)) {
        uint64_t ms = static_cast<uint64_t>(seconds) * 1000;
        if (ms > config.retry_after_max_ms) ms = config.retry_after_max_ms;
        if (ms < config.interval_ms) ms = config.interval_ms;
        return make(outcome, static_cast<uint32_t>(ms), false, false, false,
                    "rate limited (429): waiting for Retry-After");
      }
      return make(outcome, backoff->next_delay_ms(), false, false, false,
                  "rate limited (429) without usable Retry-After: backing off");
    }
    case kPushClientError:
      return make(outcome, backoff->next_delay_ms(), true, false, true,
                  "unexpected client error or redirect: check SERVER_URL (http vs https?)");
    case kPushServerError:
      return make(outcome, backoff->next_delay_ms(), true, false, false,
                  "server error (5xx): backing off");
    case kPushNetworkError:
    default:
      return make(kPushNetworkError, backoff->next_delay_ms(), true, false, false,
                  "network error (no HTTP response): backing off");
  }
}

const char* push_outcome_name(PushOutcome o) {
  switch (o) {
    case kPushOk: return "ok";
    case kPushAuthRejected: return "auth_rejected";
    case kPushNotFound: return "not_found";
    case kPushTooLarge: return "too_large";
    case kPushUnsupported: return "unsupported_media_type";
    case kPushRateLimited: return "rate_limited";
    case kPushClientError: return "client_error";
    case kPushServerError: return "server_error";
    case kPushNetworkError: return "network_error";
  }
  return "unknown";
}

}  // namespace fw
