// libFuzzer target: nn::load (nn/serialize.h). Every input is written to a file and loaded
// into two models: it must load or throw ModelFileError, and a failed load must leave the
// model bit-identical.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "nn/nn.h"

namespace {

using namespace nabla;

// The file every input is written to: one per fuzzing process, in memory if possible.
const std::string& scratch_path() {
  static const std::string path = [] {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/nabla-fuzz-load-" + std::to_string(getpid()) + ".nbl";
  }();
  return path;
}

// Two dtypes and a 0-d parameter, so that the fuzzer can reach more branches of the
// format from a file saved by one of them.
class Mixed : public nn::Module {
 public:
  Mixed() {
    register_parameter("w", ones({2, 3}));
    register_parameter("b", ones({2}, kFloat64));
    register_parameter("scale", zeros({}));
  }
  Tensor forward(const Tensor& x) override { return x; }
  std::string type_name() const override { return "Mixed"; }
};

std::vector<std::vector<double>> snapshot(const nn::Module& model) {
  std::vector<std::vector<double>> out;
  for (const Tensor& p : model.parameters()) out.push_back(p.to_vector());
  return out;
}

void load_into(nn::Module& model, const std::string& path) {
  const auto before = snapshot(model);
  try {
    nn::load(model, path);
  } catch (const nn::ModelFileError&) {
    // std::vector<double> == compares NaN unequal; the models hold no NaN until a load succeeds,
    // and after a success a later failure must still leave exactly those values.
    const auto after = snapshot(model);
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (std::memcmp(before[i].data(), after[i].data(), before[i].size() * sizeof(double)) != 0) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static nn::Sequential mlp = [] {
    manual_seed(1);
    return nn::mlp({4, 3, 2});
  }();
  static Mixed mixed;
  {
    std::FILE* file = std::fopen(scratch_path().c_str(), "wb");
    if (file == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
    std::fclose(file);
  }
  load_into(mlp, scratch_path());
  load_into(mixed, scratch_path());
  return 0;
}
