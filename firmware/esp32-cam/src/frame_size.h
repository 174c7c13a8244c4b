// Frame sizes by name ("VGA"), smallest first, so config.h stays readable and
// a 413 can step down one size. The sketch maps the index to framesize_t.
#pragma once

#include <stdint.h>

namespace fw {

struct FrameSizeInfo {
  const char* name;
  uint16_t width;
  uint16_t height;
};

// QQVGA, QVGA, CIF, VGA, SVGA, XGA, HD, SXGA, UXGA (what an OV2640 can do).
extern const FrameSizeInfo kFrameSizes[];
extern const int kFrameSizeCount;

// Index into kFrameSizes, or -1 for an unknown name (case-sensitive).
int find_frame_size(const char* name);
const char* frame_size_name(int index);  // "?" when out of range

// Without PSRAM the frame buffer lives in scarce DRAM next to Wi-Fi and TLS,
// so the sketch caps the frame size at VGA there.
const int kMaxFrameIndexWithoutPsram = 3;  // "VGA"
int frame_index_for_memory(int requested, bool has_psram);

// JPEG quality in esp32-camera: 0..63, lower number = better image, bigger file.
const int kQualityBest = 4;
const int kQualityWorst = 40;  // past this the image is too blocky to recognise faces
const int kQualityStep = 5;

struct ImageSettings {
  int frame_index;
  int quality;
};

// One step smaller after a 413: worse quality first (cheap, keeps the field of
// view), then the next smaller frame size. Returns false when nothing is left.
bool reduce_image_size(ImageSettings* settings);

}  // namespace fw
