#pragma once
// nn: what networks are built from, on top of the autograd engine, in the order a reader
// meets them: activations, modules and layers, losses, optimizers.
#include "nn/activations/activation.h"
#include "nn/activations/audit.h"
#include "nn/activations/custom.h"
#include "nn/activations/functions.h"
#include "nn/module.h"
#include "nn/init.h"
#include "nn/layers/dense.h"
#include "nn/layers/activation_layer.h"
#include "nn/layers/sequential.h"
#include "nn/collapse.h"
#include "nn/loss.h"
#include "nn/optim/optimizer.h"
#include "nn/optim/sgd.h"
#include "nn/optim/adam.h"
#include "nn/optim/scheduler.h"
#include "nn/plot/svg_plot.h"
