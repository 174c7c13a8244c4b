// OV2640 on the AI-Thinker ESP32-CAM: init with the board's pin map and the
// frame size / JPEG quality from config, adapted to whether PSRAM is present.
#pragma once

#include "src/frame_size.h"

// Initialises the camera; `settings` is adjusted to what the board can do
// (frame size capped without PSRAM). Returns false if the sensor is missing.
bool camera_begin(fw::ImageSettings* settings, bool* has_psram);

// Applies a new frame size / quality at runtime (after a 413).
bool camera_apply(const fw::ImageSettings& settings);
