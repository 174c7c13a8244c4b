#include "check.h"

int main() {
  testing_tiny::Registry& r = testing_tiny::Registry::get();
  for (int i = 0; i < r.count; ++i) {
    r.current = r.names[i];
    r.fns[i]();
  }
  printf("%d tests run\n", r.count);
  printf("%d passed, %d failed\n", r.passed, r.failed);
  return r.failed == 0 ? 0 : 1;
}
