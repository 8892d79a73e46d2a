#pragma once
// nabla: reverse-mode automatic differentiation, from scratch.  #include <nabla.h>
#include "autograd/autograd.h"
#include "nn/nn.h"
#include "datasets/datasets.h"
