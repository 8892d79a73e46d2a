#pragma once
// Element types. float32 trains, float64 checks gradients, int64 holds labels and indices.
#include <cstdint>
#include <string_view>

namespace nabla {

enum class ScalarType : uint8_t { Float32, Float64, Int64 };

inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kFloat = kFloat32;
inline constexpr ScalarType kDouble = kFloat64;
inline constexpr ScalarType kLong = kInt64;

constexpr std::size_t element_size(ScalarType t) { return t == kFloat32 ? 4 : 8; }
constexpr bool is_floating_point(ScalarType t) { return t != kInt64; }

constexpr std::string_view to_string(ScalarType t) {
  switch (t) {
    case kFloat32: return "float32";
    case kFloat64: return "float64";
    case kInt64: return "int64";
  }
  return "?";
}

template <class T> constexpr ScalarType scalar_type_of();
template <> constexpr ScalarType scalar_type_of<float>() { return kFloat32; }
template <> constexpr ScalarType scalar_type_of<double>() { return kFloat64; }
template <> constexpr ScalarType scalar_type_of<int64_t>() { return kInt64; }

// Calls fn.template operator()<T>() with T the C++ type of a floating dtype:
//   dispatch_floating(x.dtype(), "exp", [&]<class T>() { kernels::exp(x.data_ptr<T>(), ...); });
template <class Fn>
decltype(auto) dispatch_floating(ScalarType t, std::string_view op, Fn&& fn);
// The same for every dtype, int64 included (for ops that only move elements around).
template <class Fn>
void dispatch_all(ScalarType t, Fn&& fn);

}  // namespace nabla

#include "autograd/dispatch_impl.h"
