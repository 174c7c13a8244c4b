#include "frame_size.h"

#include <string.h>

namespace fw {

const FrameSizeInfo kFrameSizes[] = {
    {"QQVGA", 160, 120}, {"QVGA", 320, 240}, {"CIF", 400, 296},   {"VGA", 640, 480},
    {"SVGA", 800, 600},  {"XGA", 1024, 768}, {"HD", 1280, 720},   {"SXGA", 1280, 1024},
    {"UXGA", 1600, 1200},
};
const int kFrameSizeCount = static_cast<int>(sizeof(kFrameSizes) / sizeof(kFrameSizes[0]));

int find_frame_size(const char* name) {
  if (name == NULL) return -1;
  for (int i = 0; i < kFrameSizeCount; ++i) {
    if (strcmp(kFrameSizes[i].name, name) == 0) return i;
  }
  return -1;
}

const char* frame_size_name(int index) {
  if (index < 0 || index >= kFrameSizeCount) return "?";
  return kFrameSizes[index].name;
}

int frame_index_for_memory(int requested, bool has_psram) {
  if (requested < 0) return 0;
  if (requested >= kFrameSizeCount) requested = kFrameSizeCount - 1;
  if (!has_psram && requested > kMaxFrameIndexWithoutPsram) return kMaxFrameIndexWithoutPsram;
  return requested;
}

bool reduce_image_size(ImageSettings* s) {
  if (s == NULL) return false;
  if (s->quality < kQualityWorst) {
    s->quality += kQualityStep;
    if (s->quality > kQualityWorst) s->quality = kQualityWorst;
    return true;
  }
  if (s->frame_index > 0) {
    s->frame_index -= 1;
    return true;
  }
  return false;
}

}  // namespace fw
