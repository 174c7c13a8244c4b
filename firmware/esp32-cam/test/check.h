// A tiny test harness: TEST(name) registers a function, CHECK* count passes
// and failures, main prints "N passed, N failed" last and exits non-zero on
// any failure. No GoogleTest needed on the build machine.
#pragma once

#include <stdio.h>
#include <string.h>

#include <string>

namespace testing_tiny {

struct Registry {
  typedef void (*Fn)();
  static Registry& get() {
    static Registry r;
    return r;
  }
  static const int kMax = 256;
  const char* names[kMax];
  Fn fns[kMax];
  int count = 0;
  int passed = 0;
  int failed = 0;
  const char* current = "";
};

struct Register {
  Register(const char* name, Registry::Fn fn) {
    Registry& r = Registry::get();
    if (r.count < Registry::kMax) {
      r.names[r.count] = name;
      r.fns[r.count] = fn;
      ++r.count;
    }
  }
};

inline void report(bool ok, const char* file, int line, const std::string& what) {
  Registry& r = Registry::get();
  if (ok) {
    ++r.passed;
  } else {
    ++r.failed;
    fprintf(stderr, "FAIL %s (%s:%d): %s\n", r.current, file, line, what.c_str());
  }
}

template <typename T>
std::string show(const T& v) {
  return std::to_string(v);
}
inline std::string show(const std::string& v) { return "\"" + v + "\""; }
inline std::string show(const char* v) { return v ? "\"" + std::string(v) + "\"" : "null"; }
inline std::string show(bool v) { return v ? "true" : "false"; }

}  // namespace testing_tiny

#define TEST(name)                                                         \
  static void test_##name();                                               \
  static testing_tiny::Register register_##name(#name, &test_##name);      \
  static void test_##name()

#define CHECK(cond) testing_tiny::report((cond), __FILE__, __LINE__, #cond)

#define CHECK_EQ(actual, expected)                                                         \
  do {                                                                                     \
    const auto& a_ = (actual);                                                             \
    const auto& e_ = (expected);                                                           \
    testing_tiny::report(a_ == e_, __FILE__, __LINE__,                                     \
                         std::string(#actual " == " #expected ": got ") +                  \
                             testing_tiny::show(a_) + ", want " + testing_tiny::show(e_)); \
  } while (0)

#define CHECK_STR(actual, expected) CHECK_EQ(std::string(actual), std::string(expected))
