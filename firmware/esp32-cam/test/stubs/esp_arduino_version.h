#pragma once
// Set by check_glue.sh (-DSTUB_CORE_MAJOR=2|3) to check both code paths.
#ifndef STUB_CORE_MAJOR
#define STUB_CORE_MAJOR 3
#endif
#define ESP_ARDUINO_VERSION_MAJOR STUB_CORE_MAJOR
