#include "status_json.h"

#include <stdio.h>
#include <string.h>

namespace fw {

size_t json_quote(char* out, size_t cap, const char* s) {
  if (out == NULL || cap == 0) return 0;
  if (s == NULL) s = "";
  size_t n = 0;
  // Reserves room for the closing quote and NUL before each append.
  if (n + 2 > cap) return 0;
  out[n++] = '"';
  for (; *s != '\0'; ++s) {
    unsigned char ch = static_cast<unsigned char>(*s);
    char esc[8];
    size_t len;
    if (ch == '"' || ch == '\\') {
      esc[0] = '\\';
      esc[1] = static_cast<char>(ch);
      len = 2;
    } else if (ch < 0x20) {
      len = static_cast<size_t>(snprintf(esc, sizeof(esc), "\\u%04x", ch));
    } else {
      esc[0] = static_cast<char>(ch);
      len = 1;
    }
    if (n + len + 2 > cap) return 0;
    memcpy(out + n, esc, len);
    n += len;
  }
  out[n++] = '"';
  out[n] = '\0';
  return n;
}

// Appends text to out at *pos; false once the buffer is full.
struct Writer {
  char* out;
  size_t cap;
  size_t pos;
  bool ok;

  void raw(const char* text) {
    size_t len = strlen(text);
    if (!ok || pos + len + 1 > cap) {
      ok = false;
      return;
    }
    memcpy(out + pos, text, len + 1);
    pos += len;
  }
  void key(const char* k, bool first) {
    raw(first ? "{" : ",");
    raw("\"");
    raw(k);
    raw("\":");
  }
  void str(const char* k, const char* v, bool first = false) {
    key(k, first);
    if (!ok) return;
    size_t n = json_quote(out + pos, cap - pos, v);
    if (n == 0) ok = false;
    pos += n;
  }
  void num(const char* k, long long v, bool first = false) {
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", v);
    key(k, first);
    raw(buf);
  }
  void boolean(const char* k, bool v) {
    key(k, false);
    raw(v ? "true" : "false");
  }
  size_t finish() {
    raw("}");
    return ok ? pos : 0;
  }
};

size_t build_status_json(char* out, size_t cap, const DeviceStatus& s) {
  if (out == NULL || cap == 0) return 0;
  Writer w = {out, cap, 0, true};
  w.str("device_id", s.device_id, true);
  w.str("mode", s.mode);
  w.str("ip", s.ip);
  w.num("rssi", s.rssi);
  w.num("free_heap", s.free_heap);
  w.num("uptime_s", s.uptime_s);
  w.str("frame_size", s.frame_size);
  w.num("quality", s.quality);
  w.boolean("psram", s.psram);
  w.str("reset_reason", s.reset_reason);
  w.boolean("stream_client", s.stream_client);
  w.num("frames_sent", s.frames_sent);
  w.num("failures", s.failures);
  w.num("last_push_status", s.last_push_status);
  w.str("last_push_result", s.last_push_result ? s.last_push_result : "none");
  return w.finish();
}

size_t build_heartbeat_json(char* out, size_t cap, const Heartbeat& h) {
  if (out == NULL || cap == 0) return 0;
  Writer w = {out, cap, 0, true};
  w.num("rssi", h.rssi, true);
  w.num("free_heap", h.free_heap);
  w.num("uptime_s", h.uptime_s);
  w.num("frames_sent", h.frames_sent);
  w.num("failures", h.failures);
  w.str("reset_reason", h.reset_reason);
  return w.finish();
}

}  // namespace fw
