// A tensor is storage + offset + sizes + strides (autograd/tensor.h). What a strided view
// shares with its base, what libtorch reports for its layout, and the clear errors where a
// contiguous run is needed.
#include <gtest/gtest.h>

#include <sstream>
#include <tuple>
#include <utility>
#include <vector>
#include <string>

#include "autograd/autograd.h"

namespace nabla {
namespace {

Tensor counting(const Shape& shape) { return arange(shape.numel()).reshape(shape); }

// [[0, 1, 2], [3, 4, 5]] seen transposed, as x.t() is in libtorch: sizes [3, 2], strides [1, 3].
Tensor transposed_view(const Tensor& x) { return x.as_strided({3, 2}, {1, 3}, 0); }

TEST(StridedTensor, FreshTensorsHaveLibtorchsRowMajorStrides) {
  const Tensor x = zeros({2, 3, 4});
  EXPECT_EQ(x.strides(), Strides({12, 4, 1}));
  EXPECT_EQ(x.stride(-1), 1);
  EXPECT_EQ(x.storage_offset(), 0);
  EXPECT_TRUE(x.is_contiguous());
  EXPECT_EQ(tensor({1.5}).reshape({}).strides(), Strides());
  EXPECT_THROW(x.stride(3), ShapeError);
}

TEST(StridedTensor, AViewReadsAndWritesItsBasesStorage) {
  Tensor x = counting({2, 3});
  const Tensor v = transposed_view(x);
  EXPECT_TRUE(v.is_view_of(x));
  EXPECT_EQ(v.at({0, 1}), 3);
  EXPECT_EQ(v.at({2, 0}), 2);
  v.accessor<float, 2>()[2][1] = 42;  // element [1, 2] of x
  EXPECT_EQ(x.at({1, 2}), 42);
  x.fill_(7);
  EXPECT_EQ(v.to_vector(), std::vector<double>(6, 7.0));
}

TEST(StridedTensor, IsContiguousAsLibtorchDecidesIt) {
  const Tensor x = counting({2, 3});
  EXPECT_FALSE(transposed_view(x).is_contiguous());
  // A dimension of size 1 may have any stride; an empty tensor is contiguous.
  EXPECT_TRUE(x.as_strided({3, 1}, {1, 5}, 0).is_contiguous());
  EXPECT_TRUE(x.as_strided({0, 2}, {1, 7}, 0).is_contiguous());
  // Every other element: not one run.
  EXPECT_FALSE(x.as_strided({3}, {2}, 0).is_contiguous());
}

TEST(StridedTensor, ContiguousGathersAViewInRowMajorOrderAndLeavesAContiguousTensorAlone) {
  const Tensor x = counting({2, 3});
  const Tensor c = transposed_view(x).contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_FALSE(c.is_view_of(x));
  EXPECT_EQ(c.strides(), Strides({2, 1}));
  EXPECT_EQ(c.to_vector(), std::vector<double>({0, 3, 1, 4, 2, 5}));
  EXPECT_TRUE(x.contiguous().is_same(x));
  // A broadcast view (stride 0) repeats its row.
  EXPECT_EQ(arange(3).as_strided({2, 3}, {0, 1}, 0).contiguous().to_vector(), std::vector<double>({0, 1, 2, 0, 1, 2}));
}

TEST(StridedTensor, AViewWithAnOffsetStartsThere) {
  const Tensor x = arange(10);
  const Tensor v = x.as_strided({4}, {1}, 3);
  EXPECT_TRUE(v.is_contiguous());
  EXPECT_EQ(v.storage_offset(), 3);
  EXPECT_EQ(v.data_ptr<float>()[0], 3);
  EXPECT_EQ(v.to_vector(), std::vector<double>({3, 4, 5, 6}));
  // Reshaping contiguous data keeps sharing it, offset included.
  const Tensor r = v.reshape({2, 2});
  EXPECT_TRUE(r.is_view_of(x));
  EXPECT_EQ(r.storage_offset(), 3);
  EXPECT_EQ(r.at({1, 0}), 5);
  EXPECT_EQ(v.detach().storage_offset(), 3);
}

TEST(StridedTensor, ReshapingANonContiguousViewCopiesItsElementsInOrder) {
  const Tensor x = counting({2, 3});
  const Tensor r = transposed_view(x).reshape({6});
  EXPECT_FALSE(r.is_view_of(x));
  EXPECT_EQ(r.to_vector(), std::vector<double>({0, 3, 1, 4, 2, 5}));
}

TEST(StridedTensor, RawPointersToANonContiguousViewAreRefusedWithWhatToDoInstead) {
  const Tensor v = transposed_view(counting({2, 3}));
  try {
    v.data_ptr<float>();
    FAIL() << "data_ptr of a non-contiguous view returned";
  } catch (const ShapeError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("non-contiguous view (sizes [3, 2], strides [1, 3])"), std::string::npos) << what;
    EXPECT_NE(what.find("contiguous()"), std::string::npos) << what;
  }
  EXPECT_THROW(v.raw_data(), ShapeError);
  EXPECT_THROW(v.mutable_data_ptr<float>(), ShapeError);
}

TEST(StridedTensor, ReadingAViewGoesThroughItsStrides) {
  const Tensor v = transposed_view(counting({2, 3}));
  std::ostringstream printed;
  printed << v;
  EXPECT_EQ(printed.str(), "tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])");
  EXPECT_EQ(v.at({1, 1}), 4);
  EXPECT_EQ(v.to_vector(), std::vector<double>({0, 3, 1, 4, 2, 5}));
}

TEST(StridedTensor, AsStridedOutsideTheStorageIsAShapeError) {
  const Tensor x = counting({2, 3});
  EXPECT_THROW(x.as_strided({3, 2}, {1, 3}, 1), ShapeError);  // reaches element 6 of 6
  EXPECT_THROW(x.as_strided({7}, {1}, 0), ShapeError);
  EXPECT_THROW(x.as_strided({2}, {1}, -1), ShapeError);
  EXPECT_THROW(x.as_strided({2, 2}, {1}, 0), ShapeError);  // one stride for two dimensions
  EXPECT_NO_THROW(x.as_strided({0}, {1}, 6));
}

TEST(StridedTensor, AsStridedOfATensorThatRequiresGradIsRefusedWhileRecording) {
  const Tensor w = counting({2, 3}).requires_grad_();
  EXPECT_THROW(w.as_strided({3}, {2}, 0), AutogradError);
  NoGradGuard no_grad;
  EXPECT_EQ(w.as_strided({3}, {2}, 0).to_vector(), std::vector<double>({0, 2, 4}));
}

// Every op reads a non-contiguous input as the contiguous tensor of the same elements.
TEST(StridedTensor, OpsGiveOnAViewWhatTheyGiveOnItsContiguousCopy) {
  const Tensor base = arange(24).reshape({4, 6}) * 0.25 - 2.0;
  const Tensor view = base.as_strided({3, 4}, {1, 6}, 1);  // columns 1..3 of rows 0..3, transposed
  const Tensor dense = view.contiguous();
  const std::vector<std::pair<const char*, Tensor (*)(const Tensor&)>> ops = {
      {"exp", [](const Tensor& x) { return x.exp(); }},
      {"x * 3", [](const Tensor& x) { return x * 3; }},
      {"x + x", [](const Tensor& x) { return x + x; }},
      {"x * row", [](const Tensor& x) { return x * arange(4); }},
      {"relu", [](const Tensor& x) { return x.relu(); }},
      {"tanh", [](const Tensor& x) { return x.tanh(); }},
      {"sum", [](const Tensor& x) { return x.sum(); }},
      {"sum(1)", [](const Tensor& x) { return x.sum(1); }},
      {"max(0)", [](const Tensor& x) { return std::get<0>(x.max(0)); }},
      {"argmax", [](const Tensor& x) { return x.argmax(); }},
      {"softmax(1)", [](const Tensor& x) { return x.softmax(1); }},
      {"clamp", [](const Tensor& x) { return x.clamp(-1, 1); }},
      {"to(kFloat64)", [](const Tensor& x) { return x.to(kFloat64); }},
      {"clone", [](const Tensor& x) { return x.clone(); }},
      {"x.mm(x^T)", [](const Tensor& x) { return x.mm(x.contiguous().transpose(0, 1)); }},
      {"transpose", [](const Tensor& x) { return x.transpose(0, 1); }},
      {"cat", [](const Tensor& x) { return cat({x, x}, 1); }},
      {"index_select", [](const Tensor& x) { return index_select(x, 1, std::vector<int64_t>{3, 0}); }},
      {"reshape", [](const Tensor& x) { return x.reshape({12}); }},
      {"where", [](const Tensor& x) { return where(x.gt(0.0), x, -x); }},
  };
  for (const auto& [name, op] : ops) {
    EXPECT_EQ(op(view).to_vector(), op(dense).to_vector()) << name;
    EXPECT_EQ(op(view).sizes(), op(dense).sizes()) << name;
  }
}

TEST(StridedTensor, InPlaceOpsOnAViewWriteThroughItIntoTheBase) {
  Tensor x = zeros({2, 3});
  Tensor column = x.as_strided({2}, {3}, 1);  // x[:, 1]
  column.fill_(5);
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 5, 0, 0, 5, 0}));
  column.mul_(2).add_(1);
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 11, 0, 0, 11, 0}));
  column.add_(tensor({1.0, 2.0}), 10);
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 21, 0, 0, 31, 0}));
  Tensor transposed = x.as_strided({3, 2}, {1, 3}, 0);
  transposed.copy_(arange(6).reshape({3, 2}));  // x becomes [[0, 2, 4], [1, 3, 5]]
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 2, 4, 1, 3, 5}));
  transposed.div_(tensor({1.0, 2.0}));
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 2, 4, 0.5, 1.5, 2.5}));
  // A copy from an overlapping view of the same storage reads the old values first.
  Tensor y = arange(4);
  y.as_strided({3}, {1}, 1).copy_(y.as_strided({3}, {1}, 0));
  EXPECT_EQ(y.to_vector(), std::vector<double>({0, 0, 1, 2}));
}

TEST(StridedTensor, WritingAViewWhoseElementsOverlapIsRefused) {
  Tensor x = zeros({3});
  Tensor broadcast = x.as_strided({2, 3}, {0, 1}, 0);
  try {
    broadcast.fill_(1);
    FAIL() << "fill_ of a broadcast view returned";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("overlap in memory"), std::string::npos) << e.what();
  }
  EXPECT_THROW(x.as_strided({2, 2}, {1, 1}, 0).mul_(2), ShapeError);
  EXPECT_EQ(x.to_vector(), std::vector<double>({0, 0, 0}));
}

}  // namespace
}  // namespace nabla
