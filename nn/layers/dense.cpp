#include "nn/layers/dense.h"

#include "autograd/autograd.h"
#include "autograd/kernels/dense_epilogue.h"
#include "autograd/kernels/gemm.h"
#include "autograd/kernels/parallel.h"
#include "autograd/record.h"

namespace nabla::nn {
namespace {

using kernels::DenseEpilogue;

// y = f(x W^T + b) as one recorded op, for f = identity or relu (see dense_epilogue.h):
//   forward:  z = x W^T (one GEMM), then y = f(z + b) in one pass over z while it is in cache
//   backward: gz = g * f'(z), read off y, and gb = sum over the batch of gz, in one pass;
//             then gx = gz W and gW = gz^T x (two GEMMs)
// Unfused, the same layer is four ops (mm, add, relu, and the add's sum_to), each a pass
// over the output and a buffer of its own. The results are the same to the bit.
Tensor dense_op(const Tensor& x, const Tensor& w, const Tensor& b, DenseEpilogue f) {
  Tensor y;
  {
    NoGradGuard no_graph;  // recorded below as one op, not as an mm
    y = mm(x, w, false, /*transpose_b=*/true);
  }
  const int64_t rows = y.size(0), cols = y.size(1);
  dispatch_floating(y.dtype(), "Dense", [&]<class T>() {
    kernels::dense_bias_activation(f, b.defined() ? b.data_ptr<T>() : nullptr, y.data_ptr<T>(), rows, cols);
  });
  const char* name = f == DenseEpilogue::Relu ? "dense_relu" : "dense";
  return record(name, y, {x, w, b}, [x, w, b, f](const Tensor& g, const Tensor& y) {
    Tensor gz, gb;
    if (GradMode::is_enabled()) {
      // create_graph: the same backward in differentiable ops, so that it is recorded and
      // second derivatives flow (relu'' = 0 away from 0: the mask is a constant).
      gz = f == DenseEpilogue::Relu ? g * (y.detach() > 0.0) : g;
      if (b.defined() && b.requires_grad()) gb = gz.sum(0);
      // z = x W^T:  dL/dx = gz W,  dL/dW = gz^T x
      Tensor gx = x.requires_grad() ? mm(gz, w) : Tensor();
      Tensor gw = w.requires_grad() ? mm(gz, x, /*transpose_a=*/true, false) : Tensor();
      return TensorList{gx, gw, gb};
    }
    const bool need_gz = f == DenseEpilogue::Relu;
    gz = need_gz ? empty(g.sizes(), g.dtype()) : g;
    if (b.defined() && b.requires_grad()) gb = empty({g.size(1)}, g.dtype());
    const Tensor gx = x.requires_grad() ? empty(x.sizes(), x.dtype()) : Tensor();
    const Tensor gw = w.requires_grad() ? empty(w.sizes(), w.dtype()) : Tensor();
    dispatch_floating(g.dtype(), "Dense", [&]<class T>() {
      const int64_t batch = x.size(0), in = x.size(1), out = w.size(0);
      kernels::dense_activation_grad_bias_sum(f, g.data_ptr<T>(), y.data_ptr<T>(), need_gz ? gz.data_ptr<T>() : nullptr,
                                              gb.defined() ? gb.data_ptr<T>() : nullptr, batch, out);
      // z = x W^T:  dL/dx = gz W ([batch, out] [out, in]),  dL/dW = gz^T x ([out, batch] [batch, in])
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
    });
    return TensorList{gx, gw, gb};
  });
}

Tensor dense_with(const Tensor& input, const Tensor& weight, const Tensor& bias, const Activation& activation) {
  if (activation.name == "relu") return dense_op(input, weight, bias, DenseEpilogue::Relu);
  const Tensor z = dense_op(input, weight, bias, DenseEpilogue::Identity);
  return activation.name == "identity" ? z : activation(z);
}

}  // namespace

Tensor dense(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::string& activation) {
  if (input.dim() != 2 || weight.dim() != 2 || input.size(1) != weight.size(1) ||
      (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))) {
    throw ShapeError("dense: expects input [batch, in], weight [out, in] and bias [out], got " +
                     to_string(input.sizes()) + ", " + to_string(weight.sizes()) + " and " +
                     (bias.defined() ? to_string(bias.sizes()) : std::string("no bias")));
  }
  if (bias.defined() && bias.dtype() != weight.dtype()) {
    throw DtypeError("dense: bias is " + std::string(to_string(bias.dtype())) + " but weight is " +
                     std::string(to_string(weight.dtype())) + "; cast one explicitly with .to(dtype)");
  }
  return dense_with(input, weight, bias, nabla::activation(activation));
}

Dense::Dense(int64_t in_features, int64_t out_features, std::string activation, DenseOptions options)
    : in_features_(in_features),
      out_features_(out_features),
      activation_(std::move(activation)),
      activation_fn_(&nabla::activation(activation_)) {  // an unknown name fails here, not at the first forward
  if (in_features <= 0 || out_features <= 0) {
    throw std::invalid_argument("Dense: sizes must be positive, got " + std::to_string(in_features) + " -> " +
                                std::to_string(out_features));
  }
  Tensor w = empty({out_features, in_features}, options.dtype);
  initialize(w, options.init, activation_);
  weight_ = register_parameter("weight", w);
  if (options.bias) bias_ = register_parameter("bias", zeros({out_features}, options.dtype));
}

Tensor Dense::forward(const Tensor& input) {
  if (input.dim() != 2 || input.size(1) != in_features_) {
    throw ShapeError("Dense(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
                     "): expects input of shape [batch, " + std::to_string(in_features_) + "], got " +
                     to_string(input.sizes()));
  }
  return dense_with(input, weight_, bias_, *activation_fn_);
}

std::string Dense::describe() const {
  return "Dense(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
         (activation_ == "identity" ? "" : ", " + activation_) + (bias_.defined() ? "" : ", no bias") + ")";
}

}  // namespace nabla::nn
