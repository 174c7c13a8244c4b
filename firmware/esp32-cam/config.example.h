// Copy this file to config.h (git-ignored) and fill it in:
//   cp config.example.h config.h
// Never commit config.h: it holds your Wi-Fi password and the device token.
// Every value is checked at boot; problems are printed on the serial monitor.
#pragma once

// --- Wi-Fi (2.4 GHz only) ---------------------------------------------------
#define WIFI_SSID "your-ssid"
#define WIFI_PASSWORD "your-password"  // 8..63 characters, or "" for an open network

// Static IP: set to 1 to skip DHCP (handy for pull mode, where the server
// needs a stable http://<ip>:81/stream URL). STATIC_DNS may be "".
#define STATIC_IP_ENABLED 0
#define STATIC_IP "192.168.1.50"
#define STATIC_GATEWAY "192.168.1.1"
#define STATIC_SUBNET "255.255.255.0"
#define STATIC_DNS ""

// mDNS name: the board answers as <name>.local. "" disables mDNS.
#define MDNS_NAME "cam-101"

// --- Mode ---------------------------------------------------------------------
// "stream": serve :81/stream, :80/capture and :80/status; the server pulls.
// "push":   POST a JPEG to the server every PUSH_INTERVAL_MS (plus /status, /capture).
#define MODE "stream"

// --- Server (push mode) -------------------------------------------------------
// Base URL of the dashboard; frames go to <SERVER_URL>/api/devices/<DEVICE_ID>/frames.
#define SERVER_URL "http://192.168.1.10:3000"
#define DEVICE_ID "cam-101"
// Shown once when you add the camera in push mode on the dashboard.
#define DEVICE_TOKEN "CHANGE_ME"
// For https:// servers: the CA certificate (PEM) that signed the server's
// certificate. Left empty, https is encrypted but the server is NOT verified.
#define SERVER_CA_PEM ""

#define PUSH_INTERVAL_MS 1000         // 100..60000
#define HEARTBEAT_INTERVAL_S 30       // 5..3600
#define HTTP_TIMEOUT_MS 5000          // per request; keep well under WATCHDOG_TIMEOUT_S
#define AUTH_BACKOFF_MS 300000        // pause after 401/403/404: a human has to fix config
#define MAX_CONSECUTIVE_FAILURES 20   // 5xx/network failures in a row before a restart
#define WATCHDOG_TIMEOUT_S 30         // push loop stuck this long -> restart

// --- Camera -------------------------------------------------------------------
// QQVGA, QVGA, CIF, VGA, SVGA, XGA, HD, SXGA, UXGA. Without PSRAM it is capped at VGA.
// VGA suits rooms up to ~2.5 m deep; UXGA (1600x1200: faces 2.5x as wide, ~2 fps over Wi-Fi) rooms
// up to ~5 m from one camera at the front. See "UXGA for deep rooms" in README.md.
#define FRAME_SIZE "VGA"
// 4..63, lower = better image and bigger file. 10..15 suits face recognition.
#define JPEG_QUALITY 12

// --- Power --------------------------------------------------------------------
// Lower Wi-Fi transmit power: cuts the current spikes that cause brownout
// resets on weak USB supplies, at the cost of range.
#define WIFI_REDUCED_TX_POWER 0
// Opt-in only: turns off the brownout detector. The board then keeps running
// on a sagging supply instead of resetting, which can corrupt frames or flash
// writes. Fix the power supply first (see README); use this as a last resort.
#define DISABLE_BROWNOUT_DETECTOR 0
