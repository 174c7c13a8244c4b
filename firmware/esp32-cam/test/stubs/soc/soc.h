#pragma once
#include <stdint.h>
#define WRITE_PERI_REG(addr, val) (*((volatile uint32_t*)(addr))) = (uint32_t)(val)
