#pragma once
// Element types. float32 trains, float64 checks gradients, int64 holds labels and indices.
// A plain value at the bottom of the engine: kernels, shapes and errors may use it, and it
// uses nothing else of nabla. dispatch_floating / dispatch_all turn a runtime dtype into
// the C++ type a kernel is instantiated for; the libtorch spellings (kFloat, kLong) are aliases.
#include <cstdint>
#include <iosfwd>
#include <string_view>

namespace nabla {

enum class ScalarType : uint8_t { Float32, Float64, Int64 };

inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kFloat = kFloat32;
inline constexpr ScalarType kDouble = kFloat64;
inline constexpr ScalarType kLong = kInt64;

// Bytes per element: 4 for float32, 8 for float64 and int64.
constexpr std::size_t element_size(ScalarType t) { return t == kFloat32 ? 4 : 8; }
// float32 and float64: the dtypes that can require grad.
constexpr bool is_floating_point(ScalarType t) { return t != kInt64; }
// "float32", "float64" or "int64", as error messages spell them.
constexpr std::string_view to_string(ScalarType t) {
  switch (t) {
    case kFloat32: return "float32";
    case kFloat64: return "float64";
    case kInt64: return "int64";
  }
  return "?";
}

// std::cout << x.dtype() prints to_string's name (defined with the printing of tensors, print.cpp).
std::ostream& operator<<(std::ostream& os, ScalarType t);

// The dtype of a C++ element type: scalar_type_of<float>() is kFloat32 (float, double, int64_t only).
template <class T> constexpr ScalarType scalar_type_of();
template <> constexpr ScalarType scalar_type_of<float>() { return kFloat32; }
template <> constexpr ScalarType scalar_type_of<double>() { return kFloat64; }
template <> constexpr ScalarType scalar_type_of<int64_t>() { return kInt64; }

// Calls fn.template operator()<T>() with T the C++ type of a floating dtype, and returns
// what it returns; int64 is a DtypeError naming `op`:
//   dispatch_floating(x.dtype(), "exp", [&]<class T>() { kernels::exp(x.data_ptr<T>(), ...); });
template <class Fn>
decltype(auto) dispatch_floating(ScalarType t, std::string_view op, Fn&& fn);
// The same for every dtype, int64 included (for ops that only move elements around).
template <class Fn>
void dispatch_all(ScalarType t, Fn&& fn);

}  // namespace nabla

#include "autograd/dispatch_impl.h"
