#include "autograd/ops/linear.h"

#include <string>

#include "autograd/fused.h"
#include "autograd/grad_mode.h"
#include "autograd/kernels/dense_epilogue.h"
#include "autograd/kernels/gemm.h"
#include "autograd/kernels/parallel.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/linalg.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/reduction.h"

namespace nabla {
namespace {

void check_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  if (x.dim() != 2 || w.dim() != 2 || x.size(1) != w.size(1) ||
      (b.defined() && (b.dim() != 1 || b.size(0) != w.size(0)))) {
    throw ShapeError("dense: expects input [batch, in], weight [out, in] and bias [out], got " +
                     to_string(x.sizes()) + ", " + to_string(w.sizes()) + " and " +
                     (b.defined() ? to_string(b.sizes()) : std::string("no bias")));
  }
  if (b.defined() && b.dtype() != w.dtype()) {
    throw DtypeError("dense: bias is " + std::string(to_string(b.dtype())) + " but weight is " +
                     std::string(to_string(w.dtype())) + "; cast one explicitly with .to(dtype)");
  }
}

// gx = gz W ([batch, out] [out, in]) and gW = gz^T x ([out, batch] [batch, in]), either
// possibly undefined (not wanted).
template <class T>
void input_and_weight_grads(const Tensor& gz, const Tensor& x, const Tensor& w, const Tensor& gx, const Tensor& gw) {
  const int64_t batch = x.size(0), in = x.size(1), out = w.size(0);
  const T* pgz = gz.data_ptr<T>();
  auto input_grad = [&] { kernels::gemm(false, false, batch, in, out, pgz, w.data_ptr<T>(), gx.data_ptr<T>()); };
  auto weight_grad = [&] { kernels::gemm(true, false, out, in, batch, pgz, x.data_ptr<T>(), gw.data_ptr<T>()); };
  // The two products have the same size (batch * in * out multiply-adds). On two threads
  // they run one per thread, each on its own: no hand-over inside either, and the parts of
  // a GEMM that run on one thread (packing) overlap. On more threads, or when only one
  // product is wanted, each GEMM splits its own work across the pool.
  const bool side_by_side = gx.defined() && gw.defined() && get_num_threads() == 2 &&
                            batch * in * out >= kernels::kMinWorkPerChunk;
  if (side_by_side) {
    kernels::parallel_for(2, 1, [&](int64_t first, int64_t last) {
      for (int64_t task = first; task < last; ++task) task == 0 ? input_grad() : weight_grad();
    });
  } else {
    if (gx.defined()) input_grad();
    if (gw.defined()) weight_grad();
  }
}

}  // namespace

// y = f(z + b), z = x W^T. Unfused, the same layer is four ops (mm, add, relu, and the add's
// sum_to), each a pass over the output and a buffer of its own.
Tensor linear(const Tensor& given_x, const Tensor& given_w, const Tensor& given_b, LinearActivation f) {
  check_linear(given_x, given_w, given_b);
  // the kernels walk rows of memory
  const Tensor x = given_x.contiguous(), w = given_w.contiguous();
  const Tensor b = given_b.defined() ? given_b.contiguous() : given_b;
  const auto epilogue = f == LinearActivation::Relu ? kernels::DenseEpilogue::Relu : kernels::DenseEpilogue::Identity;
  Tensor y;
  {
    NoGradGuard no_graph;                // recorded below as one op, not as an mm,
    ForwardADOff tangent_given_below;    // and its tangent is the op's rule's, computed once
    y = mm(x, w, false, /*transpose_b=*/true);
  }
  dispatch_floating(y.dtype(), "Dense", [&]<class T>() {
    kernels::dense_bias_activation(epilogue, b.defined() ? b.data_ptr<T>() : nullptr, y.data_ptr<T>(), y.size(0),
                                   y.size(1));
  });
  // gz = g f'(z), read off y (relu'(z) = [y > 0]);  gb = sum over the batch of gz;
  // z = x W^T:  gx = gz W,  gW = gz^T x
  const auto fast = [x, w, b, epilogue](const Tensor& given_g, const Tensor& y) {
    const Tensor g = given_g.contiguous();
    // gz and gb in one pass over g, then the two GEMMs.
    const bool relu = epilogue == kernels::DenseEpilogue::Relu;
    const Tensor gz = relu ? empty(g.sizes(), g.dtype()) : g;
    const Tensor gb = b.defined() && b.requires_grad() ? empty({g.size(1)}, g.dtype()) : Tensor();
    const Tensor gx = x.requires_grad() ? empty(x.sizes(), x.dtype()) : Tensor();
    const Tensor gw = w.requires_grad() ? empty(w.sizes(), w.dtype()) : Tensor();
    dispatch_floating(g.dtype(), "Dense", [&]<class T>() {
      kernels::dense_activation_grad_bias_sum(epilogue, g.data_ptr<T>(), y.data_ptr<T>(),
                                              relu ? gz.data_ptr<T>() : nullptr,
                                              gb.defined() ? gb.data_ptr<T>() : nullptr, g.size(0), g.size(1));
      input_and_weight_grads<T>(gz, x, w, gx, gw);
    });
    return TensorList{gx, gw, gb};
  };
  const auto differentiable = [x, w, b, relu = f == LinearActivation::Relu](const Tensor& g, const Tensor& y) {
    // relu'' = 0 away from 0: the mask is a constant.
    const Tensor gz = relu ? g * (y.detach() > 0.0) : g;
    const Tensor gb = b.defined() && b.requires_grad() ? gz.sum(0) : Tensor();
    const Tensor gx = x.requires_grad() ? mm(gz, w) : Tensor();
    const Tensor gw = w.requires_grad() ? mm(gz, x, /*transpose_a=*/true, false) : Tensor();
    return TensorList{gx, gw, gb};
  };
  // dz = dx W^T + x dW^T + db;  dy = f'(z) dz, relu'(z) read off y
  const auto tangent = [&x, &w, &y, relu = f == LinearActivation::Relu](const TensorList& t) {
    Tensor dz = tangent_sum(t[0].defined() ? mm(t[0], w, false, true) : Tensor(),
                            t[1].defined() ? mm(x, t[1], false, true) : Tensor());
    dz = broadcast_tangent(tangent_sum(dz, t.size() > 2 ? t[2] : Tensor()), y.sizes());
    if (!relu) return dz;
    if (dz.requires_grad()) return dz * gt(y.detach(), 0.0);  // reverse over forward differentiates it
    // A plain tangent: the mask applied in the backward's one pass, dz [y > 0].
    const Tensor plain = dz.contiguous(), masked = empty(y.sizes(), y.dtype());
    dispatch_floating(y.dtype(), "Dense", [&]<class T>() {
      kernels::dense_activation_grad_bias_sum(kernels::DenseEpilogue::Relu, plain.data_ptr<T>(), y.data_ptr<T>(),
                                              masked.data_ptr<T>(), static_cast<T*>(nullptr), y.size(0), y.size(1));
    });
    return masked;
  };
  if (f == LinearActivation::Relu) return record_fused("dense_relu", y, {x, w, b}, fast, differentiable, tangent);
  return record_fused("dense", y, {x, w, b}, fast, differentiable, tangent);
}

}  // namespace nabla
