#include "../src/frame_size.h"
#include "check.h"

TEST(frame_sizes_by_name) {
  CHECK_EQ(fw::find_frame_size("VGA"), 3);
  CHECK_EQ(fw::find_frame_size("QQVGA"), 0);
  CHECK_EQ(fw::find_frame_size("vga"), -1);
  CHECK_EQ(fw::find_frame_size(""), -1);
  CHECK_EQ(fw::find_frame_size(NULL), -1);
  CHECK_STR(fw::frame_size_name(fw::kFrameSizeCount - 1), "UXGA");
  CHECK_STR(fw::frame_size_name(99), "?");
  for (int i = 1; i < fw::kFrameSizeCount; ++i) {
    CHECK(fw::kFrameSizes[i].width * fw::kFrameSizes[i].height >
          fw::kFrameSizes[i - 1].width * fw::kFrameSizes[i - 1].height);
  }
}

// UXGA is the documented choice for deep rooms (README "Camera placement"): 2.5x the face width of VGA.
TEST(uxga_is_1600_by_1200) {
  int uxga = fw::find_frame_size("UXGA");
  CHECK(uxga >= 0);
  CHECK_EQ(fw::kFrameSizes[uxga].width, 1600);
  CHECK_EQ(fw::kFrameSizes[uxga].height, 1200);
}

TEST(reduce_image_size_lowers_quality_then_frame_size) {
  fw::ImageSettings s = {fw::find_frame_size("SVGA"), 12};
  CHECK(fw::reduce_image_size(&s));
  CHECK_EQ(s.quality, 17);
  CHECK_EQ(s.frame_index, fw::find_frame_size("SVGA"));
  int steps = 0;
  while (s.quality < fw::kQualityWorst && fw::reduce_image_size(&s)) ++steps;
  CHECK_EQ(s.quality, fw::kQualityWorst);
  CHECK_EQ(steps, 5);  // 17 -> 22 -> 27 -> 32 -> 37 -> 40 (clamped)
  CHECK(fw::reduce_image_size(&s));
  CHECK_EQ(s.frame_index, fw::find_frame_size("VGA"));
  while (fw::reduce_image_size(&s)) {
  }
  CHECK_EQ(s.frame_index, 0);
  CHECK(!fw::reduce_image_size(&s));
  CHECK(!fw::reduce_image_size(NULL));
}

TEST(frame_size_is_capped_without_psram) {
  int uxga = fw::find_frame_size("UXGA");
  CHECK_EQ(fw::frame_index_for_memory(uxga, true), uxga);
  CHECK_EQ(fw::frame_index_for_memory(uxga, false), fw::find_frame_size("VGA"));
  CHECK_EQ(fw::frame_index_for_memory(fw::find_frame_size("QVGA"), false), fw::find_frame_size("QVGA"));
  CHECK_EQ(fw::frame_index_for_memory(-1, true), 0);
  CHECK_EQ(fw::frame_index_for_memory(99, true), fw::kFrameSizeCount - 1);
}
