// Push mode: POST a JPEG to <SERVER_URL>/api/devices/<DEVICE_ID>/frames every
// PUSH_INTERVAL_MS, act on the server's answer (src/push_policy.h), send a
// heartbeat, and restart the board when it is stuck or keeps failing.
#pragma once

void push_begin();
// Call from loop(); returns quickly, never blocks longer than one HTTP request.
void push_tick();
