#pragma once
// nabla's data sets: gzip and IDX readers, MNIST / Fashion-MNIST, and a shuffling batch loader.
#include "datasets/dataloader.h"
#include "datasets/error.h"
#include "datasets/gzip.h"
#include "datasets/idx.h"
#include "datasets/inflate.h"
#include "datasets/mnist.h"
#include "datasets/read_file.h"
