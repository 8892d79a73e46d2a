// Temporary: the ops generated from unary_ops.def against the kernel they replace
// (kernels::unary), bit for bit, at every differential size, float32 and float64.
#include <gtest/gtest.h>

#include <cstring>

#include "autograd/autograd.h"
#include "autograd/kernels/pointwise.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

using kernels::UnaryOp;

struct Pair {
  const char* name;
  UnaryOp op;
  Tensor (*f)(const Tensor&);
};

TEST(UnaryOpsBitIdentity, MatchOldKernelBitForBit) {
  const Pair pairs[] = {{"neg", UnaryOp::Neg, &nabla::neg},   {"exp", UnaryOp::Exp, &nabla::exp},
                        {"log", UnaryOp::Log, &nabla::log},   {"sqrt", UnaryOp::Sqrt, &nabla::sqrt},
                        {"abs", UnaryOp::Abs, &nabla::abs},   {"sign", UnaryOp::Sign, &nabla::sign},
                        {"square", UnaryOp::Square, &nabla::square}, {"sin", UnaryOp::Sin, &nabla::sin},
                        {"cos", UnaryOp::Cos, &nabla::cos}};
  int64_t compared = 0;
  for (const Pair& p : pairs) {
    auto run = [&]<class T>() {
      std::vector<double> specials = {0.0, -0.0, 1.0, -1.0, 0.5, kInf, -kInf, 1e30, -1e30, 88.7, 89.0, -87.5,
                                      -104.0, 710.0, -750.0, kNaN};
      for (double d : denormals<T>()) specials.push_back(d);
      for (auto [lo, hi] : {std::pair{-100.0, 100.0}, std::pair{0.0, 100.0}, std::pair{-1e4, 1e4}}) {
        const std::vector<T> x = mixed_inputs<T>(kLargestSize, lo, hi, specials, 11);
        for (int threads : {kThreads, 1}) {
          ThreadCount count(threads);
          for (int64_t n : sizes()) {
            if (threads == 1 && n < kSingleThreadFrom) continue;
            std::vector<T> old(static_cast<size_t>(n));
            kernels::unary(p.op, x.data(), old.data(), n);
            const Tensor in = from_blob(x.data(), {n}, sizeof(T) == 4 ? kFloat32 : kFloat64);
            const Tensor got = p.f(in);
            ASSERT_EQ(got.numel(), n);
            ASSERT_EQ(std::memcmp(got.data_ptr<T>(), old.data(), sizeof(T) * static_cast<size_t>(n)), 0)
                << p.name << " " << dtype_name<T>() << " size " << n << " threads " << threads;
            compared += n;
          }
        }
      }
    };
    run.template operator()<float>();
    run.template operator()<double>();
  }
  // int64 for the rows that take it
  for (const Pair& p : pairs) {
    if (std::string(p.name) != "neg" && std::string(p.name) != "abs" && std::string(p.name) != "sign" &&
        std::string(p.name) != "square") {
      EXPECT_THROW(p.f(from_blob(std::vector<int64_t>{1, 2}.data(), {2}, kInt64)), DtypeError) << p.name;
      continue;
    }
    std::vector<int64_t> x;
    for (int64_t i = -70000; i < 70000; ++i) x.push_back(i * 7919 % 100003);
    std::vector<int64_t> old(x.size());
    kernels::unary(p.op, x.data(), old.data(), static_cast<int64_t>(x.size()));
    const Tensor got = p.f(from_blob(x.data(), {static_cast<int64_t>(x.size())}, kInt64));
    ASSERT_EQ(std::memcmp(got.data_ptr<int64_t>(), old.data(), sizeof(int64_t) * x.size()), 0) << p.name;
  }
  std::printf("compared %lld elements bit for bit\n", static_cast<long long>(compared));
}

}  // namespace
}  // namespace nabla::differential
