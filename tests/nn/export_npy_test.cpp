// nn::save_npy / nn::export_npy: the exact .npy header bytes, and files NumPy itself reads
// back with the right dtype, shape and values (when NumPy is installed).
#include "nn/export_npy.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;

// The Python side of the check: NumPy must be able to run (and the system's python3, not
// whatever python3 comes first on PATH, is the one with python3-numpy).
constexpr const char* kPython = "/usr/bin/python3";

bool numpy_available() { return std::system((std::string(kPython) + " -c 'import numpy' >/dev/null 2>&1").c_str()) == 0; }

// Value i of every test tensor: exact in float32, negative and positive, not all integers.
double pattern(int64_t i) { return static_cast<double>(i % 17) * 0.25 - 2.0; }

void fill_pattern(const Tensor& t) {
  std::vector<double> values(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) values[static_cast<size_t>(i)] = pattern(i);
  NoGradGuard no_grad;
  t.detach().copy_(tensor(values, t.sizes(), t.dtype()));
}

TEST(ExportNpy, HeaderBytesAreExact) {
  const Tensor t = tensor(std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  // 10 bytes before the header, 59 of dict, 58 spaces and '\n': 128 in all, a multiple of 64.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict + std::string(58, ' ') + "\n";
  EXPECT_EQ(nn::npy_header(t), expected);

  TempDir dir;
  nn::save_npy(t, dir.file("t.npy"));
  const std::string file = read_file(dir.file("t.npy"));
  ASSERT_EQ(file.size(), 128u + 6 * 4);
  EXPECT_EQ(file.substr(0, 128), expected);
  // 1.0f = 0x3F800000 and 6.0f = 0x40C00000, least significant byte first.
  EXPECT_EQ(file.substr(128, 4), std::string("\x00\x00\x80\x3F", 4));
  EXPECT_EQ(file.substr(128 + 20, 4), std::string("\x00\x00\xC0\x40", 4));
}

TEST(ExportNpy, HeaderDescribesDtypeAndShapeAsPythonWould) {
  auto dict_of = [](const Tensor& t) {
    const std::string h = nn::npy_header(t);
    EXPECT_EQ(h.size() % 64, 0u);
    EXPECT_EQ(h.back(), '\n');
    EXPECT_EQ(static_cast<size_t>(static_cast<uint8_t>(h[8]) | static_cast<uint8_t>(h[9]) << 8), h.size() - 10);
    return h.substr(10, h.find('}') - 10 + 1);
  };
  EXPECT_EQ(dict_of(scalar_tensor(2.0, kFloat64)), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
  EXPECT_EQ(dict_of(arange(5.0, kInt64)), "{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }");
  EXPECT_EQ(dict_of(zeros({2, 3, 4})), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }");
  EXPECT_EQ(dict_of(zeros({256, 784})), "{'descr': '<f4', 'fortran_order': False, 'shape': (256, 784), }");
}

TEST(ExportNpy, WritesOneFilePerParameterNamedByItsPath) {
  TempDir dir;
  nn::Sequential model = nn::mlp({4, 3, 2});
  const std::string out = dir.file("weights/run1");  // created, parents included
  nn::export_npy(model, out);
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(out)) names.insert(entry.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"0.weight.npy", "0.bias.npy", "1.weight.npy", "1.bias.npy"}));
  EXPECT_EQ(fs::file_size(fs::path(out) / "0.weight.npy"), 128u + 3 * 4 * 4);
}

class SlashedName : public nn::Module {
 public:
  SlashedName() { register_parameter("../escape", zeros({1})); }
  Tensor forward(const Tensor& x) override { return x; }
  std::string type_name() const override { return "SlashedName"; }
};

TEST(ExportNpy, RefusesNamesThatLeaveTheDirectory) {
  TempDir dir;
  testing::expect_error<std::invalid_argument>([&] { nn::export_npy(SlashedName(), dir.file("out")); },
                                               "'../escape' cannot be a file name");
}

TEST(ExportNpy, UnwritablePathIsNamed) {
  TempDir dir;
  const std::string path = dir.file("missing/t.npy");
  testing::expect_error<std::runtime_error>([&] { nn::save_npy(zeros({2}), path); }, path);
  std::ofstream(dir.file("a_file")) << "x";
  testing::expect_error<std::runtime_error>([&] { nn::export_npy(nn::mlp({2, 2}), dir.file("a_file")); },
                                            "cannot create directory");
}

TEST(ExportNpy, NumPyReadsBackEveryValue) {
  NABLA_REQUIRE(numpy_available(), "NumPy (" << kPython << " -c 'import numpy' failed; apt-get install python3-numpy)");
  TempDir dir;
  nn::Sequential model = nn::mlp({6, 5, 3});
  for (const Tensor& p : model.parameters()) fill_pattern(p);
  nn::export_npy(model, dir.file("model"));

  // Tensors of the other dtypes and ranks, through save_npy.
  Tensor f64 = empty({2, 3, 4}, kFloat64);
  fill_pattern(f64);
  nn::save_npy(f64, dir.file("f64.npy"));
  Tensor i64 = tensor({-3, 0, 7, 1099511627776.0, -1099511627776.0}, kInt64);
  nn::save_npy(i64, dir.file("i64.npy"));
  nn::save_npy(scalar_tensor(-0.5, kFloat64), dir.file("scalar.npy"));

  // The expected values are computed again in Python from the same pattern; any mismatch
  // exits with status 1 after saying which file.
  const std::string script = R"(
import sys, numpy as np
d = sys.argv[1]
def pattern(shape, dtype):
    n = int(np.prod(shape))
    return ((np.arange(n) % 17) * 0.25 - 2.0).reshape(shape).astype(dtype)
expected = {
    'model/0.weight.npy': pattern((5, 6), '<f4'),
    'model/0.bias.npy': pattern((5,), '<f4'),
    'model/1.weight.npy': pattern((3, 5), '<f4'),
    'model/1.bias.npy': pattern((3,), '<f4'),
    'f64.npy': pattern((2, 3, 4), '<f8'),
    'i64.npy': np.array([-3, 0, 7, 2**40, -2**40], dtype='<i8'),
    'scalar.npy': np.array(-0.5, dtype='<f8'),
}
total = 0.0
for name, want in expected.items():
    got = np.load(d + '/' + name, allow_pickle=False)
    if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
        print('mismatch in', name, got.dtype, got.shape, got)
        sys.exit(1)
    total += float(np.abs(got).sum())
print('checksum', total)
)";
  std::ofstream(dir.file("check.py")) << script;
  const std::string command =
      std::string(kPython) + " " + dir.file("check.py") + " " + dir.path() + " > " + dir.file("out.txt") + " 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << "NumPy's check failed:\n" << read_file(dir.file("out.txt"));
  EXPECT_NE(read_file(dir.file("out.txt")).find("checksum"), std::string::npos);
}

}  // namespace
}  // namespace nabla
