// nn::save / nn::load: the exact bytes of the documented format, exact round trips, and
// every kind of damaged or mismatched file rejected with a clear message and the model
// left as it was.
#include "nn/serialize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using Bytes = std::vector<uint8_t>;

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Every parameter's values, to compare before and after.
std::vector<std::vector<double>> snapshot(const nn::Module& model) {
  std::vector<std::vector<double>> out;
  for (const Tensor& p : model.parameters()) out.push_back(p.to_vector());
  return out;
}

nn::Sequential seeded_mlp(const std::vector<int64_t>& sizes, uint64_t seed, ScalarType dtype = kFloat32) {
  manual_seed(seed);
  nn::Sequential model = nn::mlp(sizes, "tanh", dtype);
  // Biases start at zero; make them tell the two models apart too.
  NoGradGuard no_grad;
  for (const Tensor& p : model.parameters()) p.detach().add_(static_cast<double>(seed) * 0.125);
  return model;
}

// Two parameters with known values: w (float32, [1, 2]) and b (float64, [1]).
class TwoParameters : public nn::Module {
 public:
  TwoParameters() {
    register_parameter("w", tensor({1.0, -2.0}).reshape({1, 2}));
    register_parameter("b", tensor({0.5}, kFloat64));
  }
  Tensor forward(const Tensor& x) override { return x; }
  std::string type_name() const override { return "TwoParameters"; }
};

TEST(Serialize, FileLayoutIsExactlyAsDocumented) {
  TempDir dir;
  const std::string path = dir.file("two.nbl");
  nn::save(TwoParameters(), path);
  const Bytes expected = {
      'N', 'A', 'B', 'L', 'A', 0x00, 0x0D, 0x0A,  // magic
      1, 0, 0, 0,                                 // format version 1
      2, 0, 0, 0,                                 // two parameters
      1, 0, 0, 0, 'w',                            // name
      0,                                          // float32
      2,                                          // rank
      1, 0, 0, 0, 0, 0, 0, 0,                     // [1,
      2, 0, 0, 0, 0, 0, 0, 0,                     //     2]
      0x00, 0x00, 0x80, 0x3F,                     // 1.0f  = 0x3F800000
      0x00, 0x00, 0x00, 0xC0,                     // -2.0f = 0xC0000000
      1, 0, 0, 0, 'b',                            // name
      1,                                          // float64
      1,                                          // rank
      1, 0, 0, 0, 0, 0, 0, 0,                     // [1]
      0, 0, 0, 0, 0, 0, 0xE0, 0x3F,               // 0.5 = 0x3FE0000000000000
      0xA1, 0x11, 0x3A, 0x33,                     // CRC-32 0x333A11A1, from Python's zlib.crc32
  };
  EXPECT_EQ(read_bytes(path), expected);
}

TEST(Serialize, RoundTripRestoresExactValuesInPlace) {
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    nn::Sequential trained = seeded_mlp({5, 7, 3}, 1, dtype);
    nn::Sequential fresh = seeded_mlp({5, 7, 3}, 2, dtype);
    ASSERT_NE(snapshot(trained), snapshot(fresh));
    // What an optimizer would hold: the parameter tensors themselves.
    const std::vector<Tensor> held = fresh.parameters();

    nn::save(trained, path);
    nn::load(fresh, path);

    EXPECT_EQ(snapshot(fresh), snapshot(trained));  // exact: every bit restored
    for (size_t i = 0; i < held.size(); ++i) {
      EXPECT_TRUE(held[i].is_same(fresh.parameters()[i]));  // the same tensors, updated in place
      EXPECT_TRUE(held[i].requires_grad());
    }
    const Tensor x = randn({4, 5}, dtype);
    EXPECT_EQ(fresh(x).to_vector(), trained(x).to_vector());
    EXPECT_FALSE(fs::exists(path + ".tmp"));
  }
}

TEST(Serialize, SpecialValuesSurvive) {
  TempDir dir;
  const std::string path = dir.file("special.nbl");
  nn::Sequential a = seeded_mlp({2, 2}, 1, kFloat64);
  nn::Sequential b = seeded_mlp({2, 2}, 2, kFloat64);
  const std::vector<double> special = {-0.0, 1e-310, std::numeric_limits<double>::infinity(), -1e308};
  {
    NoGradGuard no_grad;
    a.parameters()[0].detach().copy_(tensor(special, {2, 2}, kFloat64));
  }
  nn::save(a, path);
  nn::load(b, path);
  const std::vector<double> loaded = b.parameters()[0].to_vector();
  EXPECT_TRUE(std::signbit(loaded[0]));
  EXPECT_EQ(loaded[1], 1e-310);  // a subnormal
  EXPECT_EQ(loaded[2], special[2]);
  EXPECT_EQ(loaded[3], special[3]);
}

TEST(Serialize, SavingAgainReplacesTheFile) {
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  nn::Sequential first = seeded_mlp({3, 2}, 1);
  nn::Sequential second = seeded_mlp({3, 2}, 2);
  nn::save(first, path);
  nn::save(second, path);
  nn::Sequential loaded = seeded_mlp({3, 2}, 3);
  nn::load(loaded, path);
  EXPECT_EQ(snapshot(loaded), snapshot(second));
}

TEST(Serialize, FailedSaveLeavesThePreviousFileIntact) {
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  nn::save(seeded_mlp({3, 2}, 1), path);
  const Bytes before = read_bytes(path);
  // A directory where the temporary file must go: the write fails before `path` is touched.
  fs::create_directory(path + ".tmp");
  testing::expect_error<std::runtime_error>([&] { nn::save(seeded_mlp({3, 2}, 2), path); }, path);
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_TRUE(fs::is_directory(path + ".tmp"));  // not ours to delete
}

TEST(Serialize, SaveIntoAMissingDirectoryNamesThePath) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/model.nbl");
  testing::expect_error<std::runtime_error>([&] { nn::save(seeded_mlp({3, 2}, 1), path); }, path);
}

TEST(Serialize, LoadingAMissingFileNamesThePath) {
  TempDir dir;
  const std::string path = dir.file("missing.nbl");
  nn::Sequential model = seeded_mlp({3, 2}, 1);
  testing::expect_error<nn::ModelFileError>([&] { nn::load(model, path); }, "cannot open " + path);
  testing::expect_error<nn::ModelFileError>([&] { nn::load(model, dir.path()); }, "directory");
}

// Fixture for damaged files: a valid file from one model, a second model of the same
// architecture but other values that must come out of every failed load unchanged.
class SerializeDamaged : public ::testing::Test {
 protected:
  void SetUp() override {
    nn::save(seeded_mlp({4, 3, 2}, 1), path);
    good = read_bytes(path);
  }

  // Writes `bytes`, loads them into a different model, expects an error mentioning
  // `fragment` and the path, and the model untouched.
  void expect_rejected(const Bytes& bytes, const std::string& fragment,
                       const std::vector<int64_t>& sizes = {4, 3, 2}) {
    write_bytes(path, bytes);
    nn::Sequential model = seeded_mlp(sizes, 2);
    const auto before = snapshot(model);
    try {
      nn::load(model, path);
      ADD_FAILURE() << "expected a ModelFileError mentioning '" << fragment << "'";
    } catch (const nn::ModelFileError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(fragment), std::string::npos) << "message was: " << message;
      EXPECT_NE(message.find(path), std::string::npos) << "message was: " << message;
    }
    EXPECT_EQ(snapshot(model), before) << "a failed load changed the model";
  }

  // Offsets into the file of seeded_mlp({4, 3, 2}): the header is 16 bytes, then the first
  // record: name length 4, "0.weight" 8, dtype 1, rank 1, sizes 16, data 48.
  static constexpr size_t kFirstDtype = 16 + 4 + 8;
  static constexpr size_t kFirstRank = kFirstDtype + 1;
  static constexpr size_t kFirstSizes = kFirstRank + 1;
  static constexpr size_t kFirstData = kFirstSizes + 16;

  TempDir dir;
  std::string path = dir.file("model.nbl");
  Bytes good;
};

TEST_F(SerializeDamaged, GoodFileLoads) {
  nn::Sequential model = seeded_mlp({4, 3, 2}, 2);
  nn::load(model, path);
  EXPECT_EQ(snapshot(model), snapshot(seeded_mlp({4, 3, 2}, 1)));
}

TEST_F(SerializeDamaged, WrongMagic) {
  Bytes bytes = good;
  bytes[0] = 'M';
  expect_rejected(bytes, "not a nabla model file");
  bytes = good;
  bytes[6] = '\n';  // the \r of \r\n lost to a text-mode copy
  bytes.erase(bytes.begin() + 7);
  expect_rejected(bytes, "not a nabla model file");
  expect_rejected(Bytes{'P', 'K', 3, 4}, "not a nabla model file");
}

TEST_F(SerializeDamaged, WrongVersion) {
  Bytes bytes = good;
  bytes[8] = 2;
  expect_rejected(bytes, "format version 2, but this build of nabla reads version 1");
}

TEST_F(SerializeDamaged, FlippedBytesFailTheChecksum) {
  for (size_t offset : {kFirstData, kFirstData + 21, good.size() - 5, good.size() - 1}) {
    Bytes bytes = good;
    bytes[offset] ^= 0x10;
    SCOPED_TRACE("flipped byte at " + std::to_string(offset));
    expect_rejected(bytes, "checksum mismatch");
  }
}

TEST_F(SerializeDamaged, TruncatedAtAnyLength) {
  for (size_t length : {size_t{0}, size_t{5}, size_t{8}, size_t{11}, size_t{15}, kFirstDtype, kFirstData + 3,
                        good.size() / 2, good.size() - 4, good.size() - 1}) {
    SCOPED_TRACE("truncated to " + std::to_string(length) + " bytes");
    expect_rejected(Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(length)), "is truncated");
  }
}

TEST_F(SerializeDamaged, TruncationMessageSaysWhere) {
  expect_rejected(Bytes(good.begin(), good.begin() + kFirstData + 3),
                  "truncated: the data of parameter 0.weight [3, 4] needs 48 bytes at offset " +
                      std::to_string(kFirstData));
}

TEST_F(SerializeDamaged, TrailingBytes) {
  Bytes bytes = good;
  bytes.push_back(0);
  expect_rejected(bytes, "1 trailing bytes after its checksum");
  bytes.insert(bytes.end(), 99, 0xFF);
  expect_rejected(bytes, "100 trailing bytes");
}

TEST_F(SerializeDamaged, ImpossibleHeaderFields) {
  Bytes bytes = good;
  bytes[kFirstDtype] = 9;
  expect_rejected(bytes, "parameter 0.weight has unknown dtype code 9");
  bytes = good;
  bytes[kFirstRank] = 200;
  expect_rejected(bytes, "parameter 0.weight has rank 200");
  bytes = good;
  bytes[kFirstSizes + 7] = 0x80;  // the first size becomes negative
  expect_rejected(bytes, "negative size");
  bytes = good;
  bytes[kFirstSizes + 6] = 0x7F;  // a huge size (2^54 and more): must not allocate
  expect_rejected(bytes, "is truncated: the data of parameter 0.weight [35747322042253315, 4]");
  bytes = good;
  bytes[kFirstSizes + 7] = 0x7F;  // a size whose byte count overflows 64 bits
  expect_rejected(bytes, "parameter 0.weight has sizes too large to address");
  bytes = good;
  bytes[16 + 3] = 0x7F;  // a name 2 GB long
  expect_rejected(bytes, "truncated: the name of parameter #0");
}

TEST_F(SerializeDamaged, WrongShapeForThisModel) {
  expect_rejected(good, "load: parameter 0.weight has shape [5, 4] in the model but [3, 4] in " + path, {4, 5, 2});
}

TEST_F(SerializeDamaged, WrongParameterNames) {
  nn::Sequential other({nn::Dense(4, 3), nn::ActivationLayer("tanh"), nn::Dense(3, 2)});  // 0.*, 2.*
  nn::save(other, path);
  nn::Sequential model({nn::Dense(4, 3), nn::Dense(3, 2)});  // 0.*, 1.*
  const auto before = snapshot(model);
  testing::expect_error<nn::ModelFileError>([&] { nn::load(model, path); },
                                            "parameter #2 is 1.weight in the model but 2.weight in " + path);
  EXPECT_EQ(snapshot(model), before);
}

TEST_F(SerializeDamaged, WrongParameterCount) {
  expect_rejected(good, "the model has 6 parameters but " + path + " has 4 (2.weight is missing from the file)",
                  {4, 3, 2, 2});
  nn::save(seeded_mlp({4, 3, 2, 2}, 1), path);
  expect_rejected(read_bytes(path), "the model has 4 parameters but " + path + " has 6 (2.weight is not in the model)");
}

TEST_F(SerializeDamaged, WrongDtype) {
  nn::save(seeded_mlp({4, 3, 2}, 1, kFloat64), path);
  expect_rejected(read_bytes(path), "parameter 0.weight has dtype float32 in the model but float64 in " + path);
}

}  // namespace
}  // namespace nabla
