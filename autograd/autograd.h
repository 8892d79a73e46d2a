#pragma once
// The tensor engine, in the order a reader meets it: tensors, the ops on them, the graph
// they record, the reverse walk, custom ops and gradient checking.
#include "autograd/dtype.h"
#include "autograd/error.h"
#include "autograd/shape.h"
#include "autograd/tensor.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/elementwise.h"
#include "autograd/ops/reduction.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/ops/linalg.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "autograd/record.h"
#include "autograd/engine.h"
#include "autograd/function.h"
#include "autograd/gradcheck.h"
#include "autograd/kernels/parallel.h"
