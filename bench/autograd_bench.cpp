// The engine's hot paths: elementwise ops on a million elements, matrix multiply, and
// the fixed cost of recording one small op and walking it backward.
//   ./build/bench/autograd_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>


#include "autograd/autograd.h"
#include "bench/copy_floor.h"

namespace {

using namespace nabla;

constexpr int64_t kMillion = 1 << 20;

void BM_Copy1M(benchmark::State& state) { bench::copy_floor(state, kMillion); }
BENCHMARK(BM_Copy1M);

template <class Op>
void forward_backward(benchmark::State& state, Op op) {
  const Tensor x = randn({kMillion}).requires_grad_();
  const Tensor w = randn({kMillion});
  const Tensor seed = ones({kMillion});
  for (auto _ : state) {
    Tensor y = op(x, w);
    y.backward(seed);
    x.zero_grad();
    benchmark::DoNotOptimize(y.raw_data());
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}

void BM_Add1M(benchmark::State& s) { forward_backward(s, [](const Tensor& x, const Tensor& w) { return x + w; }); }
void BM_Mul1M(benchmark::State& s) { forward_backward(s, [](const Tensor& x, const Tensor& w) { return x * w; }); }
void BM_Exp1M(benchmark::State& s) { forward_backward(s, [](const Tensor& x, const Tensor&) { return exp(x); }); }
void BM_Div1M(benchmark::State& s) { forward_backward(s, [](const Tensor& x, const Tensor& w) { return x / w; }); }
BENCHMARK(BM_Add1M);
BENCHMARK(BM_Mul1M);
BENCHMARK(BM_Exp1M);
BENCHMARK(BM_Div1M);

// The elementwise math functions alone (no graph), on a million elements in each floating
// dtype; the inputs are |N(0, 1)| + 0.1 so that log and sqrt see numbers in their domain.
template <class Op>
void BM_Unary1M(benchmark::State& state, ScalarType dtype, Op op) {
  const Tensor x = randn({kMillion}).abs().add_(0.1).to(dtype);
  NoGradGuard no_grad;
  for (auto _ : state) {
    Tensor y = op(x);
    benchmark::DoNotOptimize(y.raw_data());
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
#define NABLA_UNARY_BENCH(name)                                                                       \
  BENCHMARK_CAPTURE(BM_Unary1M, name##_f32, kFloat32, [](const Tensor& x) { return nabla::name(x); }); \
  BENCHMARK_CAPTURE(BM_Unary1M, name##_f64, kFloat64, [](const Tensor& x) { return nabla::name(x); });
NABLA_UNARY_BENCH(neg)
NABLA_UNARY_BENCH(exp)
NABLA_UNARY_BENCH(log)
NABLA_UNARY_BENCH(sqrt)
NABLA_UNARY_BENCH(abs)
NABLA_UNARY_BENCH(sign)
NABLA_UNARY_BENCH(square)
NABLA_UNARY_BENCH(sin)
NABLA_UNARY_BENCH(cos)
#undef NABLA_UNARY_BENCH

void BM_Sum1M(benchmark::State& state) {
  const Tensor x = randn({kMillion});
  for (auto _ : state) benchmark::DoNotOptimize(x.sum().item());
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_Sum1M);

// Ops on a transposed 1024x1024 float32 view (x.t() moves nothing): packing it, and an
// elementwise op that reads it. bench/compare_pytorch.py --only strided times PyTorch's same calls.
template <class Op>
void strided(benchmark::State& state, Op op) {
  const Tensor x = randn({1024, 1024});
  for (auto _ : state) {
    Tensor y = op(x.t());  // may itself be transposed: x.t() * 2 takes x.t()'s layout
    benchmark::DoNotOptimize(y);
  }
  state.SetItemsProcessed(state.iterations() * x.numel());
}
void BM_TransposedContiguous(benchmark::State& s) { strided(s, [](const Tensor& v) { return v.contiguous(); }); }
void BM_TransposedTimesTwo(benchmark::State& s) { strided(s, [](const Tensor& v) { return v * 2.0; }); }
void BM_TransposedExp(benchmark::State& s) { strided(s, [](const Tensor& v) { return v.exp(); }); }
void BM_TransposedSumOfRows(benchmark::State& s) { strided(s, [](const Tensor& v) { return v.sum(1); }); }
BENCHMARK(BM_TransposedContiguous);
BENCHMARK(BM_TransposedTimesTwo);
BENCHMARK(BM_TransposedExp);
BENCHMARK(BM_TransposedSumOfRows);

void BM_Matmul(benchmark::State& state) {
  const int64_t n = state.range(0);
  const Tensor a = randn({n, n}), b = randn({n, n});
  for (auto _ : state) {
    Tensor c = matmul(a, b);
    benchmark::DoNotOptimize(c.raw_data());
  }
  state.counters["GFLOPS"] =
      benchmark::Counter(2.0 * n * n * n * state.iterations(), benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Matmul)->Arg(256)->Arg(512)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);

void BM_MatmulForwardBackward(benchmark::State& state) {
  const int64_t n = state.range(0);
  const Tensor a = randn({n, n}).requires_grad_(), b = randn({n, n}).requires_grad_();
  for (auto _ : state) {
    matmul(a, b).sum().backward();
    a.zero_grad();
    b.zero_grad();
  }
  state.counters["GFLOPS"] =
      benchmark::Counter(6.0 * n * n * n * state.iterations(), benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_MatmulForwardBackward)->Arg(256)->Arg(512)->Unit(benchmark::kMillisecond);

// The same ~1000 multiply-adds (float64) as a row times a column, M x K by K x N = 1 x 1000 by
// 1000 x 1, and as 32 x 31 by 31 x 32: a vector product goes through the packed GEMM, whose
// MR x NR tiles it fills one row and one column of (the ends of tour step 12's picture).
void BM_MatmulSameWork(benchmark::State& state) {
  const Tensor a = randn({state.range(0), state.range(1)}, kFloat64), b = randn({state.range(1), state.range(2)}, kFloat64);
  for (auto _ : state) benchmark::DoNotOptimize(matmul(a, b).raw_data());
}
BENCHMARK(BM_MatmulSameWork)->Args({1, 1000, 1})->Args({32, 31, 32});

// One recorded op on 4 elements: allocation, graph node, kernel.
void BM_PerOpOverhead(benchmark::State& state) {
  const Tensor x = randn({4}).requires_grad_(), w = randn({4});
  for (auto _ : state) {
    Tensor y = x * w;
    benchmark::DoNotOptimize(y.raw_data());
  }
}
BENCHMARK(BM_PerOpOverhead);

// The same under DetectAnomalyGuard: what checking every output for NaN/inf costs when on
// (off, BM_PerOpOverhead is the cost: one relaxed atomic load per op).
void BM_PerOpOverheadDetectingAnomalies(benchmark::State& state) {
  const Tensor x = randn({4}).requires_grad_(), w = randn({4});
  DetectAnomalyGuard guard;
  for (auto _ : state) {
    Tensor y = x * w;
    benchmark::DoNotOptimize(y.raw_data());
  }
}
BENCHMARK(BM_PerOpOverheadDetectingAnomalies);

// activations_bench's tiny relu loop without the activation: (x*w + b).sum(), then backward.
void BM_TinyExpressionBackward(benchmark::State& state) {
  const Tensor x = randn({4}), w = randn({4}).requires_grad_(), b = randn({4}).requires_grad_();
  for (auto _ : state) {
    Tensor y = (x * w + b).sum();
    y.backward();
  }
}
BENCHMARK(BM_TinyExpressionBackward);

// Forward mode's cost: one op on 4 elements with a tangent (against BM_PerOpOverhead), and
// a 784-256-256-10 forward on a batch of 64 with a tangent on its input, against the plain
// forward. The target: a jvp costs at most 2x its forward.
void BM_PerOpOverheadWithTangent(benchmark::State& state) {
  const Tensor x = randn({4}), w = randn({4}), v = randn({4});
  DualLevel level;
  const Tensor dual = make_dual(x, v);
  for (auto _ : state) {
    Tensor y = dual * w;
    benchmark::DoNotOptimize(tangent_of(y).raw_data());
  }
}
BENCHMARK(BM_PerOpOverheadWithTangent);

struct Mlp {
  Tensor w1 = randn({256, 784}) * 0.05, b1 = zeros({256}), w2 = randn({256, 256}) * 0.06, b2 = zeros({256});
  Tensor w3 = randn({10, 256}) * 0.06, b3 = zeros({10});
  Tensor operator()(const Tensor& x) const {
    const Tensor h = linear(x, w1, b1, LinearActivation::Relu);
    return linear(linear(h, w2, b2, LinearActivation::Relu), w3, b3);
  }
};

void BM_MlpForward(benchmark::State& state) {
  const Mlp mlp;
  const Tensor x = randn({64, 784});
  for (auto _ : state) benchmark::DoNotOptimize(mlp(x).raw_data());
}
BENCHMARK(BM_MlpForward);

void BM_MlpForwardWithTangent(benchmark::State& state) {
  const Mlp mlp;
  const Tensor x = randn({64, 784}), v = randn({64, 784});
  for (auto _ : state) {
    auto [y, jv] = func::jvp([&mlp](const Tensor& t) { return mlp(t); }, x, v);
    benchmark::DoNotOptimize(jv.raw_data());
  }
}
BENCHMARK(BM_MlpForwardWithTangent);

// gradcheck of a 784-256-10 sigmoid network's 203 530 parameters (float64, a batch of 4):
// the full check (one backward per output, two forwards per parameter) against fast mode
// (random projections). The target: fast mode at least 50x faster. The full check takes a
// minute: run it alone with --benchmark_filter=Gradcheck.
void BM_GradcheckMlp784x256x10(benchmark::State& state) {
  Generator gen(1);
  const Tensor images = randn({4, 784}, kFloat64, &gen) * 0.3;
  TensorList parameters{randn({256, 784}, kFloat64, &gen) * 0.05, randn({256}, kFloat64, &gen) * 0.1,
                        randn({10, 256}, kFloat64, &gen) * 0.1, randn({10}, kFloat64, &gen) * 0.1};
  for (Tensor& p : parameters) p.requires_grad_();
  const auto mlp = [&images](const TensorList& p) {
    const Tensor hidden = 1.0 / (exp(-linear(images, p[0], p[1])) + 1.0);  // sigmoid
    return linear(hidden, p[2], p[3]);
  };
  const GradcheckOptions options{.fast_mode = state.range(0) == 1};
  for (auto _ : state) {
    const GradcheckResult r = gradcheck(mlp, parameters, options);
    if (!r.passed) state.SkipWithError("gradcheck failed a right network");
  }
  state.SetLabel(options.fast_mode ? "fast mode" : "full check");
}
BENCHMARK(BM_GradcheckMlp784x256x10)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GradcheckMlp784x256x10)->Arg(0)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
