#pragma once
#define RTC_CNTL_BROWN_OUT_REG 0x3FF480D4
