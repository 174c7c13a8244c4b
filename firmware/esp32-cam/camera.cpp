#include "camera.h"

#include <Arduino.h>
#include <esp_camera.h>

// AI-Thinker ESP32-CAM pin map (same as CAMERA_MODEL_AI_THINKER in the stock example).
#define PWDN_GPIO_NUM 32
#define RESET_GPIO_NUM -1
#define XCLK_GPIO_NUM 0
#define SIOD_GPIO_NUM 26
#define SIOC_GPIO_NUM 27
#define Y9_GPIO_NUM 35
#define Y8_GPIO_NUM 34
#define Y7_GPIO_NUM 39
#define Y6_GPIO_NUM 36
#define Y5_GPIO_NUM 21
#define Y4_GPIO_NUM 19
#define Y3_GPIO_NUM 18
#define Y2_GPIO_NUM 5
#define VSYNC_GPIO_NUM 25
#define HREF_GPIO_NUM 23
#define PCLK_GPIO_NUM 22

// Same order as fw::kFrameSizes.
static const framesize_t kFrameSizeMap[] = {
    FRAMESIZE_QQVGA, FRAMESIZE_QVGA, FRAMESIZE_CIF,  FRAMESIZE_VGA,  FRAMESIZE_SVGA,
    FRAMESIZE_XGA,   FRAMESIZE_HD,   FRAMESIZE_SXGA, FRAMESIZE_UXGA,
};
static_assert(sizeof(kFrameSizeMap) / sizeof(kFrameSizeMap[0]) == 9,
              "kFrameSizeMap must list every entry of fw::kFrameSizes");

static framesize_t to_framesize(int index) {
  if (index < 0 || index >= fw::kFrameSizeCount) return FRAMESIZE_VGA;
  return kFrameSizeMap[index];
}

bool camera_begin(fw::ImageSettings* settings, bool* has_psram) {
  *has_psram = psramFound();
  settings->frame_index = fw::frame_index_for_memory(settings->frame_index, *has_psram);

  camera_config_t config;
  memset(&config, 0, sizeof(config));
  config.ledc_channel = LEDC_CHANNEL_0;
  config.ledc_timer = LEDC_TIMER_0;
  config.pin_d0 = Y2_GPIO_NUM;
  config.pin_d1 = Y3_GPIO_NUM;
  config.pin_d2 = Y4_GPIO_NUM;
  config.pin_d3 = Y5_GPIO_NUM;
  config.pin_d4 = Y6_GPIO_NUM;
  config.pin_d5 = Y7_GPIO_NUM;
  config.pin_d6 = Y8_GPIO_NUM;
  config.pin_d7 = Y9_GPIO_NUM;
  config.pin_xclk = XCLK_GPIO_NUM;
  config.pin_pclk = PCLK_GPIO_NUM;
  config.pin_vsync = VSYNC_GPIO_NUM;
  config.pin_href = HREF_GPIO_NUM;
  config.pin_sccb_sda = SIOD_GPIO_NUM;
  config.pin_sccb_scl = SIOC_GPIO_NUM;
  config.pin_pwdn = PWDN_GPIO_NUM;
  config.pin_reset = RESET_GPIO_NUM;
  config.xclk_freq_hz = 20000000;
  config.pixel_format = PIXFORMAT_JPEG;
  config.frame_size = to_framesize(settings->frame_index);
  config.jpeg_quality = settings->quality;
  if (*has_psram) {
    // Two buffers and grab-latest: the sensor fills one while we send the
    // other, and a slow client always gets the newest frame, not a stale one.
    config.fb_count = 2;
    config.fb_location = CAMERA_FB_IN_PSRAM;
    config.grab_mode = CAMERA_GRAB_LATEST;
  } else {
    config.fb_count = 1;
    config.fb_location = CAMERA_FB_IN_DRAM;
    config.grab_mode = CAMERA_GRAB_WHEN_EMPTY;
  }

  esp_err_t err = esp_camera_init(&config);
  if (err != ESP_OK) {
    Serial.printf("[camera] init failed: 0x%x (ribbon cable seated? PSRAM board selected?)\n", err);
    return false;
  }
  Serial.printf("[camera] ready: %s, quality %d, %s, %d frame buffer(s)\n",
                fw::frame_size_name(settings->frame_index), settings->quality,
                *has_psram ? "PSRAM" : "no PSRAM (DRAM, frame size capped)", static_cast<int>(config.fb_count));
  return true;
}

bool camera_apply(const fw::ImageSettings& settings) {
  sensor_t* sensor = esp_camera_sensor_get();
  if (sensor == NULL) return false;
  bool ok = sensor->set_framesize(sensor, to_framesize(settings.frame_index)) == 0;
  ok = sensor->set_quality(sensor, settings.quality) == 0 && ok;
  return ok;
}
