// nn::save / nn::load: the exact bytes of the documented format, exact round trips, and
// every kind of damaged or mismatched file rejected with a clear message and the model
// left as it was.
#include "nn/serialize.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "autograd/crc32.h"
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

// Names in `dir` other than `keep`: temporary files left behind.
std::vector<std::string> other_files(const std::string& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename() != keep) names.push_back(entry.path().filename().string());
  }
  return names;
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

TEST(Serialize, FailedSaveLeavesThePreviousFileIntactAndNoTemporaryFile) {
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  nn::save(seeded_mlp({3, 2}, 1), path);
  const Bytes before = read_bytes(path);
  // In a child whose files may not grow past 100 bytes, writing the temporary file fails
  // (EFBIG): the save must say so, naming the path, and remove its temporary file.
  const nn::Sequential bigger = seeded_mlp({30, 20}, 2);
  const pid_t child = fork();
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit small{100, 100};
    setrlimit(RLIMIT_FSIZE, &small);
    try {
      nn::save(bigger, path);
    } catch (const std::runtime_error& e) {
      _exit(std::string(e.what()).find(path) != std::string::npos ? 0 : 2);
    }
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(other_files(dir.path(), "model.nbl"), std::vector<std::string>{});
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
                  "truncated: the data of parameter #0 [3, 4] needs 48 bytes at offset " +
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
  expect_rejected(bytes, "parameter #0 has unknown dtype code 9");
  bytes = good;
  bytes[kFirstRank] = 200;
  expect_rejected(bytes, "parameter #0 has rank 200");
  bytes = good;
  bytes[kFirstSizes + 7] = 0x80;  // the first size becomes negative
  expect_rejected(bytes, "negative size");
  bytes = good;
  bytes[kFirstSizes + 6] = 0x7F;  // a huge size (2^54 and more): must not allocate
  expect_rejected(bytes, "is truncated: the data of parameter #0 [35747322042253315, 4]");
  bytes = good;
  bytes[kFirstSizes + 7] = 0x7F;  // a size whose byte count overflows 64 bits
  expect_rejected(bytes, "parameter #0 has sizes too large to address");
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

// --- what is not a model file: refused before it costs memory -------------------------

// Runs `body` in a forked child with 10 s and (unless 0) `extra_memory` bytes of address
// space beyond what the process already has; returns the child's exit code (body's
// result), or -1 if it was killed (by the alarm, or for running out of memory).
template <class F>
int run_in_child(F&& body, size_t extra_memory = 0) {
  const pid_t child = fork();
  if (child == 0) {
    alarm(10);
    if (extra_memory > 0) {
      long pages = 0;
      if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
        std::fclose(statm);
      }
      const rlim_t limit = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + extra_memory;
      const rlimit address_space{limit, limit};
      setrlimit(RLIMIT_AS, &address_space);
    }
    int code = 3;
    try {
      code = body();
    } catch (...) {
      code = 4;
    }
    _exit(code);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// 0 if loading `path` throws a ModelFileError naming the path and `fragment`.
int load_fails_naming(const std::string& path, const std::string& fragment) {
  nn::Sequential model = seeded_mlp({3, 2}, 1);
  try {
    nn::load(model, path);
    return 1;
  } catch (const nn::ModelFileError& e) {
    const std::string message = e.what();
    return message.find(fragment) != std::string::npos && message.find(path) != std::string::npos ? 0 : 2;
  }
}

TEST(SerializeNotAModel, DevZeroIsRefusedWithoutReadingIt) {
  // It never ends: reading it "whole" grew until std::bad_alloc. 256 MB of headroom.
  EXPECT_EQ(run_in_child([] { return load_fails_naming("/dev/zero", "it is a character device"); }, 256 << 20), 0);
}

TEST(SerializeNotAModel, APipeIsRefusedWithoutWaitingForAWriter) {
  TempDir dir;
  const std::string fifo = dir.file("model.nbl");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(run_in_child([&] { return load_fails_naming(fifo, "it is a pipe"); }), 0);
}

TEST(SerializeNotAModel, ALargeFileOfAnotherKindIsRefusedFromItsFirstBytes) {
  // 1 GiB, sparse (it takes no disk space), refused from its magic bytes with 64 MB to spare.
  TempDir dir;
  const std::string path = dir.file("big.bin");
  { std::ofstream(path) << "PK"; }
  fs::resize_file(path, size_t{1} << 30);
  EXPECT_EQ(run_in_child([&] { return load_fails_naming(path, "not a nabla model file"); }, 64 << 20), 0);
}

TEST_F(SerializeDamaged, ParameterCountBeyondTheFileIsRefusedFromTheHeader) {
  Bytes bytes = good;
  for (size_t i = 12; i < 16; ++i) bytes[i] = 0xFF;
  expect_rejected(bytes, "is truncated: its header declares 4294967295 parameters, which need at least ");
}

// --- names from the file in messages ---------------------------------------------------

// `good` with the first name "0.weight" replaced by `name` (8 bytes), checksum recomputed
// unless `fix_checksum` is false.
Bytes with_first_name(Bytes bytes, const std::string& name, bool fix_checksum = true) {
  std::copy(name.begin(), name.end(), bytes.begin() + 20);
  if (fix_checksum) {
    const uint32_t crc = crc32(std::span<const uint8_t>(bytes).first(bytes.size() - 4));
    for (size_t b = 0; b < 4; ++b) bytes[bytes.size() - 4 + b] = static_cast<uint8_t>(crc >> (8 * b));
  }
  return bytes;
}

TEST_F(SerializeDamaged, NamesInMessagesAreEscaped) {
  // A valid file whose name holds a NUL and an escape byte: the message is printed whole.
  expect_rejected(with_first_name(good, std::string("0.w\0i\x1bht", 8)),
                  "parameter #0 is 0.weight in the model but 0.w\\x00i\\x1bht in " + path);
}

TEST_F(SerializeDamaged, NamesAreNotTrustedBeforeTheChecksum) {
  // A damaged name and dtype: the message names the parameter by its index, and says what
  // is wrong, not cut short at the NUL.
  Bytes bytes = with_first_name(good, std::string("0.\0eight", 8), /*fix_checksum=*/false);
  bytes[kFirstDtype] = 9;
  expect_rejected(bytes, "parameter #0 has unknown dtype code 9");
}

// --- several savers of one path --------------------------------------------------------

// Every parameter value, flattened: what a load of a complete file of `model` gives.
std::vector<double> flat(const nn::Module& model) {
  std::vector<double> out;
  for (const auto& values : snapshot(model)) out.insert(out.end(), values.begin(), values.end());
  return out;
}

TEST(SerializeConcurrently, SaversOfOnePathNeverExposeAPartialFile) {
  // Two forked processes and two threads save four different models (1 MB each) to one
  // path, 12 times each, while this thread loads it: every load sees one complete model
  // (or no file yet), every save succeeds, and no temporary file is left.
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  const std::vector<int64_t> sizes = {256, 512, 256};
  constexpr int kSaves = 12;
  // Built here, one after the other: seeded_mlp seeds the one global generator.
  std::vector<nn::Sequential> models;
  std::vector<std::vector<double>> expected;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    models.push_back(seeded_mlp(sizes, seed));
    expected.push_back(flat(models.back()));
  }
  nn::Sequential reader = seeded_mlp(sizes, 5);

  std::vector<pid_t> children;
  for (const nn::Sequential& model : {std::cref(models[0]), std::cref(models[1])}) {
    const pid_t child = fork();
    if (child == 0) {
      alarm(60);
      int failures = 0;
      for (int i = 0; i < kSaves; ++i) {
        try {
          nn::save(model, path);
        } catch (const std::exception&) {
          ++failures;
        }
      }
      _exit(failures == 0 ? 0 : 1);
    }
    children.push_back(child);
  }
  std::atomic<int> save_failures = 0;
  std::atomic<int> savers_done = 0;
  std::vector<std::thread> savers;
  for (const nn::Sequential* model : {&models[2], &models[3]}) {
    savers.emplace_back([&, model] {
      for (int i = 0; i < kSaves; ++i) {
        try {
          nn::save(*model, path);
        } catch (const std::exception& e) {
          ++save_failures;
          ADD_FAILURE() << "save failed: " << e.what();
        }
      }
      ++savers_done;
    });
  }

  int loads = 0;
  int complete = 0;
  while (savers_done < 2 || loads < 5) {
    ++loads;
    try {
      nn::load(reader, path);
    } catch (const nn::ModelFileError& e) {
      const std::string message = e.what();
      // No file yet is fine before the first rename; anything else is a broken file.
      if (message.find("cannot open") == std::string::npos || complete > 0) ADD_FAILURE() << message;
      continue;
    }
    const std::vector<double> values = flat(reader);
    EXPECT_NE(std::find(expected.begin(), expected.end(), values), expected.end()) << "a load saw a mixed model";
    ++complete;
  }
  for (std::thread& t : savers) t.join();
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a saving process failed";
  }
  EXPECT_EQ(save_failures, 0);
  EXPECT_GT(complete, 0);
  EXPECT_EQ(other_files(dir.path(), "model.nbl"), std::vector<std::string>{});
}

TEST(SerializeConcurrently, KilledSaversNeverLeaveABrokenFile) {
  // Two processes save two 2 MB models to one path in a loop; once the file exists, both
  // are killed (SIGKILL) at a random moment. 20 times over: the file is always one
  // complete model.
  TempDir dir;
  const std::string path = dir.file("model.nbl");
  const std::vector<int64_t> sizes = {512, 512, 512};
  const std::vector<nn::Sequential> models = {seeded_mlp(sizes, 1), seeded_mlp(sizes, 2)};
  const std::vector<std::vector<double>> expected = {flat(models[0]), flat(models[1])};
  nn::Sequential reader = seeded_mlp(sizes, 3);
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<pid_t> children;
    for (const nn::Sequential& model : models) {
      const pid_t child = fork();
      if (child == 0) {
        alarm(60);
        try {
          for (;;) nn::save(model, path);
        } catch (...) {
        }
        _exit(1);  // never return into the test runner of the parent's copy
      }
      children.push_back(child);
    }
    // Kill them while they overwrite an existing file, the case where two savers could break each other.
    for (int wait = 0; wait < 2000 && !fs::exists(path); ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 100));
    for (pid_t child : children) kill(child, SIGKILL);
    for (pid_t child : children) waitpid(child, nullptr, 0);
    try {
      nn::load(reader, path);
    } catch (const nn::ModelFileError& e) {
      ADD_FAILURE() << "trial " << trial << ": " << e.what();
      continue;
    }
    EXPECT_NE(std::find(expected.begin(), expected.end(), flat(reader)), expected.end()) << "trial " << trial;
  }
}

}  // namespace
}  // namespace nabla
