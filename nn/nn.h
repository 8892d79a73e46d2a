#pragma once
// nn: what networks are built from, on top of the autograd engine.
#include "nn/activations/activation.h"
#include "nn/activations/custom.h"
#include "nn/activations/functions.h"
#include "nn/activations/audit.h"
