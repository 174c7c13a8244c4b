// Start-up chores that must run first: serial, the reset-reason log (a
// brownout reset loop is the classic ESP32-CAM failure), and the opt-in
// brownout-detector switch.
#pragma once

// Logs why the board last reset and returns a short name ("brownout", ...).
const char* boot_begin();
const char* reset_reason_name();
