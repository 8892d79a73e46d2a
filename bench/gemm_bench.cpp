// GEMM speed in GFLOP/s: square SGEMM from n = 256 to 2048 in all four transpose variants, the
// three products of a Dense layer's training step (forward x W^T, weight gradient g^T x, input
// gradient g W) at batch 64 and 256, and a few DGEMM sizes. The threads come from
// NABLA_NUM_THREADS. bench/gemm_vs_openblas.py runs it interleaved with OpenBLAS.
//   NABLA_NUM_THREADS=1 ./build/bench/gemm_bench
// Each benchmark is named <what>/<transposes>/<M>x<N>x<K>, e.g. sgemm/nt/512x512x512.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "autograd/kernels/gemm.h"
#include "autograd/kernels/gemm_blocking.h"
#include "autograd/kernels/parallel.h"

namespace {

using namespace nabla;

template <class T>
void run_gemm(benchmark::State& state, bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
  std::mt19937 gen(1);
  std::uniform_real_distribution<T> uniform(-1, 1);
  std::vector<T> a(static_cast<size_t>(M * K)), b(static_cast<size_t>(K * N)), c(static_cast<size_t>(M * N));
  for (T& v : a) v = uniform(gen);
  for (T& v : b) v = uniform(gen);
  for (auto _ : state) {
    kernels::gemm(ta, tb, M, N, K, a.data(), b.data(), c.data());
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] =
      benchmark::Counter(2e-9 * static_cast<double>(M * N * K), benchmark::Counter::kIsIterationInvariantRate);
}

template <class T>
void add(const std::string& what, bool ta, bool tb, int64_t M, int64_t N, int64_t K) {
  const std::string name = what + "/" + (ta ? "t" : "n") + (tb ? "t" : "n") + "/" + std::to_string(M) + "x" +
                           std::to_string(N) + "x" + std::to_string(K);
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& s) { run_gemm<T>(s, ta, tb, M, N, K); })
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

void describe_blocking(const char* dtype, const kernels::GemmBlocking& b) {
  benchmark::AddCustomContext(std::string("blocking ") + dtype,
                              std::to_string(b.mr) + "x" + std::to_string(b.nr) + " MC " + std::to_string(b.mc) +
                                  " KC " + std::to_string(b.kc) + " NC " + std::to_string(b.nc));
}

}  // namespace

int main(int argc, char** argv) {
  for (int64_t n : {256, 512, 1024, 1536, 2048}) {
    for (int t = 0; t < 4; ++t) add<float>("sgemm", t & 2, t & 1, n, n, n);
  }
  // Dense layer in -> out at batch B: forward x[B, in] W[out, in]^T, weight gradient
  // g[B, out]^T x[B, in], input gradient g[B, out] W[out, in].
  for (int64_t batch : {64, 256}) {
    for (auto [in, out] : {std::pair<int64_t, int64_t>{784, 256}, {256, 256}}) {
      const std::string layer = "dense_b" + std::to_string(batch) + "_" + std::to_string(in) + "to" + std::to_string(out);
      add<float>(layer + "_forward", false, true, batch, out, in);
      add<float>(layer + "_weight_grad", true, false, out, in, batch);
      add<float>(layer + "_input_grad", false, false, batch, in, out);
    }
  }
  for (int64_t n : {256, 1024}) add<double>("dgemm", false, false, n, n, n);

  benchmark::AddCustomContext("cpu model", cpu_model());
  benchmark::AddCustomContext("vector width", std::to_string(kernels::gemm_blocking<float>().vector_bytes * 8) + " bit");
  benchmark::AddCustomContext("nabla threads", std::to_string(get_num_threads()));
  describe_blocking("float", kernels::gemm_blocking<float>());
  describe_blocking("double", kernels::gemm_blocking<double>());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
