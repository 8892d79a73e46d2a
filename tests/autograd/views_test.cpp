// Views share their base's storage, as in libtorch: what each view op gives (sizes, strides,
// storage offset, is_contiguous(), checked against libtorch's own values, which
// tests/autograd/views_torch.py prints), that a write through any view reaches the base and a
// write to the base shows in the view, and that gradients flow through views.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using indexing::Slice;
using testing::expect_error;
using testing::random_leaf;

struct Layout {
  Shape sizes;
  Strides strides;
  int64_t offset;
  bool contiguous;
};

struct ViewCase {
  std::string call;
  std::function<Tensor(const Tensor&)> view;
  Layout libtorch;  // printed by views_torch.py for x = arange(24).reshape({2, 3, 4})
};

std::vector<ViewCase> view_cases() {
  return {
      {"x.transpose(0, 2)", [](const Tensor& x) { return x.transpose(0, 2); }, {{4, 3, 2}, {1, 4, 12}, 0, false}},
      {"x.permute({2, 0, 1})", [](const Tensor& x) { return x.permute({2, 0, 1}); }, {{4, 2, 3}, {1, 12, 4}, 0, false}},
      {"x[1]", [](const Tensor& x) { return x[1]; }, {{3, 4}, {4, 1}, 12, true}},
      {"x.select(1, 2)", [](const Tensor& x) { return x.select(1, 2); }, {{2, 4}, {12, 1}, 8, false}},
      {"x.select(2, -1)", [](const Tensor& x) { return x.select(2, -1); }, {{2, 3}, {12, 4}, 3, false}},
      {"x.narrow(2, 1, 2)", [](const Tensor& x) { return x.narrow(2, 1, 2); }, {{2, 3, 2}, {12, 4, 1}, 1, false}},
      {"x.slice(1, 0, 3, 2)", [](const Tensor& x) { return x.slice(1, 0, 3, 2); }, {{2, 2, 4}, {12, 8, 1}, 0, false}},
      {"x.slice(2, 1, 4, 2)", [](const Tensor& x) { return x.slice(2, 1, 4, 2); }, {{2, 3, 2}, {12, 4, 2}, 1, false}},
      {"x.index({Slice(), 1})", [](const Tensor& x) { return x.index({Slice(), 1}); }, {{2, 4}, {12, 1}, 4, false}},
      {"x.unsqueeze(1)", [](const Tensor& x) { return x.unsqueeze(1); }, {{2, 1, 3, 4}, {12, 12, 4, 1}, 0, true}},
      {"x.unsqueeze(3)", [](const Tensor& x) { return x.unsqueeze(3); }, {{2, 3, 4, 1}, {12, 4, 1, 1}, 0, true}},
      {"x.select(1, 0).unsqueeze(1)", [](const Tensor& x) { return x.select(1, 0).unsqueeze(1); }, {{2, 1, 4}, {12, 4, 1}, 0, false}},
      {"x.narrow(0, 1, 1).squeeze(0)", [](const Tensor& x) { return x.narrow(0, 1, 1).squeeze(0); }, {{3, 4}, {4, 1}, 12, true}},
      {"x[0].t()", [](const Tensor& x) { return x[0].t(); }, {{4, 3}, {1, 4}, 0, false}},
      {"x[1].view({12})", [](const Tensor& x) { return x[1].view({12}); }, {{12}, {1}, 12, true}},
      {"x.reshape({6, 4})", [](const Tensor& x) { return x.reshape({6, 4}); }, {{6, 4}, {4, 1}, 0, true}},
      {"x.flatten(1)", [](const Tensor& x) { return x.flatten(1); }, {{2, 12}, {12, 1}, 0, true}},
      {"x.diagonal()", [](const Tensor& x) { return x.diagonal(); }, {{4, 2}, {1, 16}, 0, false}},
      {"x.diagonal(1, 1, 2)", [](const Tensor& x) { return x.diagonal(1, 1, 2); }, {{2, 3}, {12, 5}, 1, false}},
      {"x[0].diagonal(-1)", [](const Tensor& x) { return x[0].diagonal(-1); }, {{2}, {5}, 4, false}},
      {"x.unfold(2, 2, 2)", [](const Tensor& x) { return x.unfold(2, 2, 2); }, {{2, 3, 2, 2}, {12, 4, 2, 1}, 0, true}},
      {"x.transpose(1, 2).reshape({2, 2, 2, 3})", [](const Tensor& x) { return x.transpose(1, 2).reshape({2, 2, 2, 3}); },
       {{2, 2, 2, 3}, {12, 2, 1, 4}, 0, false}},
      {"x[0].t().view({2, 2, 3})", [](const Tensor& x) { return x[0].t().view({2, 2, 3}); }, {{2, 2, 3}, {2, 1, 4}, 0, false}},
  };
}

// Views that see one element of the storage at several indices (stride 0, overlapping windows).
std::vector<ViewCase> overlapping_view_cases() {
  return {
      {"x[0].expand({2, 3, 4})", [](const Tensor& x) { return x[0].expand({2, 3, 4}); }, {{2, 3, 4}, {0, 4, 1}, 0, false}},
      {"x.select(2, 0).unsqueeze(2).expand({-1, -1, 5})",
       [](const Tensor& x) { return x.select(2, 0).unsqueeze(2).expand({-1, -1, 5}); }, {{2, 3, 5}, {12, 4, 0}, 0, false}},
      {"x[1][2].broadcast_to({3, 4})", [](const Tensor& x) { return broadcast_to(x[1][2], {3, 4}); }, {{3, 4}, {0, 1}, 20, false}},
      {"x.unfold(1, 2, 1)", [](const Tensor& x) { return x.unfold(1, 2, 1); }, {{2, 2, 4, 2}, {12, 4, 1, 4}, 0, false}},
  };
}

std::vector<ViewCase> all_view_cases() {
  std::vector<ViewCase> all = view_cases();
  for (ViewCase& c : overlapping_view_cases()) all.push_back(std::move(c));
  return all;
}

// The storage positions a layout reads, in row-major order of its indices.
std::vector<double> positions(const Layout& layout) {
  std::vector<double> out;
  for (int64_t i = 0; i < layout.sizes.numel(); ++i) {
    int64_t position = layout.offset;
    for (int64_t rest = i, d = layout.sizes.dim() - 1; d >= 0; --d) {
      position += (rest % layout.sizes[d]) * layout.strides[d];
      rest /= layout.sizes[d];
    }
    out.push_back(static_cast<double>(position));
  }
  return out;
}

Tensor base_tensor() { return arange(24).reshape({2, 3, 4}); }

TEST(Views, SizesStridesOffsetAndContiguityAreLibtorchs) {
  for (const ViewCase& c : all_view_cases()) {
    const Tensor x = base_tensor();
    const Tensor v = c.view(x);
    EXPECT_EQ(v.sizes(), c.libtorch.sizes) << c.call;
    EXPECT_EQ(v.strides(), c.libtorch.strides) << c.call;
    EXPECT_EQ(v.storage_offset(), c.libtorch.offset) << c.call;
    EXPECT_EQ(v.is_contiguous(), c.libtorch.contiguous) << c.call;
    EXPECT_TRUE(v.is_view_of(x)) << c.call;
    EXPECT_EQ(v.to_vector(), positions(c.libtorch)) << c.call << ": x holds 0..23, so each value is its position";
  }
}

TEST(Views, AWriteThroughAnyViewReachesTheBaseAndTheBasesWritesShowInTheView) {
  for (const ViewCase& c : view_cases()) {
    Tensor x = base_tensor();
    Tensor v = c.view(x);
    const std::vector<double> seen = v.to_vector();
    // Each element of the view is element offset + sum(i_d strides_d) of x's storage.
    v.fill_(-1);
    const std::vector<double> after = x.to_vector();
    std::vector<double> expected = base_tensor().to_vector();
    for (size_t i = 0; i < seen.size(); ++i) expected[static_cast<size_t>(seen[i])] = -1;  // x holds 0..23
    EXPECT_EQ(after, expected) << c.call;
    x.fill_(5);
    EXPECT_EQ(v.to_vector(), std::vector<double>(seen.size(), 5.0)) << c.call;
  }
}

// libtorch: y[1].fill_(3) and y.select(0, 0).fill_(9) write into y (issue 20's report).
TEST(Views, SubscriptAndSelectWriteIntoTheirSource) {
  Tensor y = zeros({2, 3});
  y[1].fill_(3);
  y.select(0, 0).fill_(9);
  y.select(1, 2).mul_(2);
  EXPECT_EQ(y.to_vector(), std::vector<double>({9, 9, 18, 3, 3, 6}));
  y.index({Slice(), 0}).zero_();
  EXPECT_EQ(y.to_vector(), std::vector<double>({0, 9, 18, 0, 3, 6}));
}

TEST(Views, ATransposeMovesNothing) {
  const Tensor x = arange(6).reshape({2, 3});
  const Tensor t = x.t();
  EXPECT_TRUE(t.is_view_of(x));
  EXPECT_FALSE(t.is_contiguous());
  const Tensor c = t.contiguous();
  EXPECT_FALSE(c.is_view_of(x));
  EXPECT_EQ(c.to_vector(), std::vector<double>({0, 3, 1, 4, 2, 5}));
  EXPECT_TRUE(t.t().is_contiguous());
}

TEST(Views, AWriteIntoAViewWhoseElementsOverlapIsRefusedAndLeavesTheBaseAlone) {
  for (const ViewCase& c : overlapping_view_cases()) {
    Tensor x = base_tensor();
    Tensor v = c.view(x);
    expect_error<ShapeError>([&] { v.fill_(1); }, "elements overlap in memory");
    expect_error<ShapeError>([&] { v.add_(1.0); }, "elements overlap in memory");
    EXPECT_EQ(x.to_vector(), base_tensor().to_vector()) << c.call;
  }
}

// reshape is a view where strides allow and a copy where not, as in libtorch; view() never
// copies, and says so where it would have to.
TEST(Views, ReshapeCopiesOnlyWhereNoStridesWouldDoAndViewRefusesThere) {
  const Tensor x = base_tensor();
  const Tensor t = x.transpose(1, 2);  // [2, 4, 3], strides [12, 1, 4]
  EXPECT_TRUE(t.reshape({2, 2, 2, 3}).is_view_of(x));
  EXPECT_FALSE(t.reshape({8, 3}).is_view_of(x));  // merging sizes 2 and 4 (strides 12, 1): two runs of memory
  const Tensor copied = t.reshape({2, 12});
  EXPECT_FALSE(copied.is_view_of(x));
  EXPECT_TRUE(copied.is_contiguous());
  EXPECT_EQ(copied.to_vector(), t.contiguous().to_vector());
  expect_error<ShapeError>([&] { t.view({2, 12}); }, "view: a tensor of sizes [2, 4, 3] and strides [12, 1, 4] cannot be seen as [2, 12]");
  expect_error<ShapeError>([&] { x[0].t().view({-1}); }, "use reshape()");
  // Size-1 dimensions take any stride, so these are views even of a transposed tensor.
  EXPECT_TRUE(x[0].t().view({4, 1, 3}).is_view_of(x));
  EXPECT_TRUE(x.select(2, 1).view({2, 1, 3}).is_view_of(x));
  // Strides [12, 4] are one run with a gap-free step of 4: merged into [6] with stride 4.
  EXPECT_EQ(x.select(2, 1).view({6}).strides(), Strides({4}));
  EXPECT_EQ(x.select(2, 1).view({6}).to_vector(), std::vector<double>({1, 5, 9, 13, 17, 21}));
}

TEST(Views, DiagonalAndUnfoldFollowLibtorchsEdgeRules) {
  const Tensor m = arange(12).reshape({3, 4});
  EXPECT_EQ(m.diagonal(3).to_vector(), std::vector<double>({3}));
  EXPECT_EQ(m.diagonal(4).numel(), 0);  // past the last column: empty, as libtorch
  EXPECT_EQ(m.diagonal(-3).numel(), 0);
  EXPECT_EQ(m.diagonal(-2).to_vector(), std::vector<double>({8}));
  EXPECT_EQ(m.diagonal(0, 1, 0).to_vector(), std::vector<double>({0, 5, 10}));
  expect_error<ShapeError>([&] { m.diagonal(0, 1, 1); }, "diagonal: dim1 and dim2 are both dimension 1");
  expect_error<ShapeError>([&] { arange(3).diagonal(); }, "diagonal: needs at least 2 dimensions");
  const Tensor r = arange(7);
  EXPECT_EQ(r.unfold(0, 3, 2).sizes(), Shape({3, 3}));
  EXPECT_EQ(r.unfold(0, 3, 2).to_vector(), std::vector<double>({0, 1, 2, 2, 3, 4, 4, 5, 6}));
  EXPECT_EQ(r.unfold(0, 7, 1).sizes(), Shape({1, 7}));
  EXPECT_EQ(r.unfold(0, 0, 1).sizes(), Shape({8, 0}));
  expect_error<ShapeError>([&] { r.unfold(0, 8, 1); }, "unfold: window size 8 does not fit dimension 0 of size 7");
  expect_error<ShapeError>([&] { r.unfold(0, 2, 0); }, "unfold: step must be positive");
  EXPECT_EQ(full({}, 5.0).unfold(0, 1, 1).to_vector(), std::vector<double>({5}));  // a scalar unfolds to [size]
  expect_error<ShapeError>([&] { arange(3).expand({3, 2}); }, "cannot be broadcast");
  expect_error<ShapeError>([&] { arange(3).expand({3}).expand({}); }, "expand: 0 sizes given for a tensor of shape [3]");
  expect_error<ShapeError>([&] { arange(3).expand({-1, 3}); }, "expand: invalid size -1 at dimension 0");
}

// Where a view sees an element more than once (a broadcast, overlapping windows), every use
// sends its gradient back to it: the gradients add.
TEST(Views, AnElementSeenTwiceGetsTheSumOfItsGradients) {
  const Tensor r = arange(5, kFloat64).requires_grad_();
  r.unfold(0, 3, 1).sum().backward();  // windows 012, 123, 234
  EXPECT_EQ(r.grad().to_vector(), std::vector<double>({1, 2, 3, 2, 1}));
  const Tensor v = ones({3}, kFloat64).requires_grad_();
  (v.expand({4, 3}) * arange(12, kFloat64).reshape({4, 3})).sum().backward();
  EXPECT_EQ(v.grad().to_vector(), std::vector<double>({18, 22, 26}));
}

TEST(Views, GradientsFlowThroughEveryView) {
  for (const ViewCase& c : all_view_cases()) {
    const Tensor x = random_leaf({2, 3, 4}, 3);
    const GradcheckResult first = gradcheck([&](const TensorList& in) { return c.view(in[0]).square(); }, {x});
    EXPECT_TRUE(first.passed) << c.call << "\n" << first;
    const GradcheckResult second = gradgradcheck([&](const Tensor& t) { return c.view(t).square(); }, x);
    EXPECT_TRUE(second.passed) << c.call << "\n" << second;
  }
}

// Views of the input and in-place writes (through views, into constants) in one graph: the
// gradients and second derivatives are right (the masks are written under NoGradGuard, as an
// initialiser would, and read through views).
TEST(Views, GradcheckPassesOnGraphsMixingViewsAndInPlaceWrites) {
  const Tensor x = random_leaf({3, 4}, 21);
  auto f = [](const Tensor& t) {
    Tensor mask = ones({4, 3}, kFloat64);
    {
      NoGradGuard constant;
      mask.select(0, 1).zero_();            // a write through a row view
      mask.narrow(1, 2, 1).mul_(3.0);       // and through a column view
      mask.t().diagonal().fill_(2.0);       // through a view of a view
    }
    const Tensor y = t.t() * mask;          // a transposed view of the input
    return (y.unfold(0, 2, 1).square().sum(-1) + y.expand({2, 4, 3}).sum(0).narrow(0, 1, 3)).diagonal(1);
  };
  const GradcheckResult first = gradcheck([&](const TensorList& in) { return f(in[0]); }, {x});
  EXPECT_TRUE(first.passed) << first;
  const GradcheckResult second = gradgradcheck(f, x);
  EXPECT_TRUE(second.passed) << second;
}

// A transposed view goes to the GEMM as its transpose flag: the same product, same gradients.
TEST(Views, MatrixProductsOfTransposedViewsMatchThoseOfCopies) {
  const Tensor a = random_leaf({5, 3}, 11), b = random_leaf({5, 4}, 12);
  const Tensor viewed = a.t().mm(b), copied = a.t().contiguous().mm(b);
  EXPECT_EQ(viewed.to_vector(), copied.to_vector());
  EXPECT_EQ(b.t().matmul(a).to_vector(), b.t().contiguous().matmul(a).to_vector());
  const GradcheckResult r = gradcheck([](const TensorList& in) { return in[0].t().mm(in[1]).t().mm(in[0].t()); }, {a, b});
  EXPECT_TRUE(r.passed) << r;
}

// A graph that saved a tensor refuses to backward after a write through a view of it: the
// version counter is the storage's, shared by a base and all its views.
TEST(Views, AWriteThroughAViewInvalidatesAGraphThatSavedTheBase) {
  const Tensor w = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  Tensor x = tensor({4.0, 5.0, 6.0}, kFloat64);
  const Tensor loss = (w * x).sum();  // saves x for w's gradient
  x.narrow(0, 1, 1).fill_(0);
  EXPECT_THROW(loss.backward(), AutogradError);
}

// In place on a view of a tensor that requires grad is refused at the write, naming the op,
// whether the base or the view was made to require grad: never a silently wrong gradient.
TEST(Views, InPlaceOnAViewOfATensorThatNeedsGradIsRefusedAtTheWrite) {
  // Every in-place op of Tensor, on a view of a leaf that requires grad and on a view of a
  // tensor that requires grad through the graph (y = leaf.clone()).
  const std::vector<std::pair<const char*, std::function<void(Tensor&)>>> writes = {
      {"add_(t)", [](Tensor& v) { v.add_(ones(v.sizes(), kFloat64)); }},
      {"add_(2)", [](Tensor& v) { v.add_(2.0); }},
      {"sub_", [](Tensor& v) { v.sub_(ones(v.sizes(), kFloat64)); }},
      {"mul_(t)", [](Tensor& v) { v.mul_(ones(v.sizes(), kFloat64)); }},
      {"mul_(2)", [](Tensor& v) { v.mul_(2.0); }},
      {"div_", [](Tensor& v) { v.div_(ones(v.sizes(), kFloat64)); }},
      {"fill_", [](Tensor& v) { v.fill_(0); }},
      {"zero_", [](Tensor& v) { v.zero_(); }},
      {"copy_", [](Tensor& v) { v.copy_(zeros(v.sizes(), kFloat64)); }},
      {"uniform_", [](Tensor& v) { v.uniform_(0, 1); }},
      {"normal_", [](Tensor& v) { v.normal_(); }},
  };
  for (const ViewCase& c : view_cases()) {
    for (const auto& [op, write] : writes) {
      const Tensor leaf = random_leaf({2, 3, 4}, 4);
      const std::vector<double> before = leaf.to_vector();
      const Tensor y = leaf.clone();
      Tensor of_leaf = c.view(leaf), of_y = c.view(y);
      try {
        write(of_leaf);
        ADD_FAILURE() << op << " on " << c.call << " of a leaf that requires grad was not refused";
      } catch (const AutogradError& e) {
        EXPECT_NE(std::string(e.what()).find("in-place change of a tensor that requires grad"), std::string::npos)
            << e.what();
      }
      EXPECT_THROW(write(of_y), AutogradError) << op << " on " << c.call << " of y = leaf.clone()";
      EXPECT_EQ(leaf.to_vector(), before) << op << " on " << c.call << ": a refused write changed the base";
    }
  }
  // A view whose elements overlap is refused as well, for one reason or the other.
  for (const ViewCase& c : overlapping_view_cases()) {
    for (const auto& [op, write] : writes) {
      const Tensor leaf = random_leaf({2, 3, 4}, 4);
      const std::vector<double> before = leaf.to_vector();
      Tensor of_leaf = c.view(leaf), of_y = c.view(leaf.clone());
      EXPECT_THROW(write(of_leaf), std::exception) << op << " on " << c.call;
      EXPECT_THROW(write(of_y), std::exception) << op << " on " << c.call << " of y = leaf.clone()";
      EXPECT_EQ(leaf.to_vector(), before) << op << " on " << c.call << ": a refused write changed the base";
    }
  }
  // Inside NoGradGuard (as initialisers and optimizers write) it is allowed, and reaches the base.
  Tensor w = zeros({2, 3}, kFloat64).requires_grad_();
  {
    NoGradGuard no_grad;
    w.narrow(1, 1, 1).fill_(1);
  }
  EXPECT_EQ(w.to_vector(), std::vector<double>({0, 1, 0, 0, 1, 0}));
}

}  // namespace
}  // namespace nabla
