#pragma once
// The bodies of dtype.h's dispatch_floating and dispatch_all: a switch from a runtime
// ScalarType to a call of the lambda instantiated for float, double or int64_t. Out of line
// so that dtype.h reads as a list of types; include dtype.h, not this file.
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
