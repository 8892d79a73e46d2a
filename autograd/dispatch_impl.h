#pragma once
// Out of line so that dtype.h reads as a list of types.
#include <string>

#include "autograd/error.h"

namespace nabla {

template <class Fn>
decltype(auto) dispatch_floating(ScalarType t, std::string_view op, Fn&& fn) {
  switch (t) {
    case kFloat32: return fn.template operator()<float>();
    case kFloat64: return fn.template operator()<double>();
    default: break;
  }
  throw DtypeError(std::string(op) + ": expected a floating-point tensor, got " + std::string(to_string(t)));
}

template <class Fn>
void dispatch_all(ScalarType t, Fn&& fn) {
  switch (t) {
    case kFloat32: fn.template operator()<float>(); return;
    case kFloat64: fn.template operator()<double>(); return;
    case kInt64: fn.template operator()<int64_t>(); return;
  }
}

}  // namespace nabla
