#include "boot.h"

#include <Arduino.h>
#include <esp_system.h>
#include <soc/rtc_cntl_reg.h>
#include <soc/soc.h>

#include "board_config.h"

const char* reset_reason_name() {
  switch (esp_reset_reason()) {
    case ESP_RST_POWERON: return "poweron";
    case ESP_RST_EXT: return "external";
    case ESP_RST_SW: return "software";
    case ESP_RST_PANIC: return "panic";
    case ESP_RST_INT_WDT: return "interrupt_watchdog";
    case ESP_RST_TASK_WDT: return "task_watchdog";
    case ESP_RST_WDT: return "other_watchdog";
    case ESP_RST_DEEPSLEEP: return "deepsleep";
    case ESP_RST_BROWNOUT: return "brownout";
    case ESP_RST_SDIO: return "sdio";
    default: return "unknown";
  }
}

const char* boot_begin() {
#if DISABLE_BROWNOUT_DETECTOR
  // Opt-in (config.h): keeps a sagging supply from resetting the board.
  WRITE_PERI_REG(RTC_CNTL_BROWN_OUT_REG, 0);
#endif
  Serial.begin(115200);
  Serial.setDebugOutput(false);
  delay(200);  // let the USB-serial adapter attach before the first lines
  const char* reason = reset_reason_name();
  Serial.printf("\n[boot] esp32-cam firmware, reset reason: %s\n", reason);
  if (esp_reset_reason() == ESP_RST_BROWNOUT) {
    Serial.println("[boot] BROWNOUT: the supply voltage dipped. Power the board from a solid 5 V / 2 A");
    Serial.println("[boot] source on the 5V pin (not 3.3 V, not a long thin USB cable), add a 470-1000 uF");
    Serial.println("[boot] capacitor across 5V/GND, or set WIFI_REDUCED_TX_POWER 1 in config.h.");
  }
#if DISABLE_BROWNOUT_DETECTOR
  Serial.println("[boot] warning: brownout detector disabled by config (DISABLE_BROWNOUT_DETECTOR)");
#endif
  return reason;
}
