#pragma once
// How many threads nabla's loops may use. The default is $NABLA_NUM_THREADS, else the number
// of cores; a loop too small to be worth splitting runs on the calling thread whatever this says.
//
//   nabla::set_num_threads(1);  // e.g. to time one core, or to share the machine
namespace nabla {

inline constexpr int kMaxThreads = 256;
// n in [1, kMaxThreads], else std::invalid_argument. A bad $NABLA_NUM_THREADS is an
// std::invalid_argument from the first parallel loop.
void set_num_threads(int n);
int get_num_threads();

}  // namespace nabla
