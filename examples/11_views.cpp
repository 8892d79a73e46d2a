// Step 11 of the tour: what a tensor is. Not its numbers: a window on a block of memory.
//
// A tensor holds a storage (one flat block of elements), an offset to its first element and,
// per dimension, a size and a stride: how many elements to step in memory for one step along
// that dimension. Element [i, j] of a 2-D tensor lives at offset + i strides[0] + j strides[1].
// x = arange(6).reshape({2, 3}) is row-major: strides [3, 1].
//
// Most reshaping ops only make a new window on the same storage, and move nothing:
//   x.t()           sizes [3, 2], strides [1, 3]: rows and columns swapped by swapping strides
//   x[1]            offset 3: the second row starts 3 elements in
//   x.select(1, 2)  offset 2, stride 3: the third column, one element per row
//   x.slice(1, 0, 3, 2)  stride 2 along the columns: every other column
// So a transpose of a million elements costs as much as one of six, and writing into a view
// writes into the tensor it looks at: x.select(1, 2).fill_(-1) changes x.
//
// A window whose elements are not one row-major run is not contiguous (x.t() is not).
// Every op accepts one, but a loop over raw memory (data_ptr()) would read the wrong elements:
// contiguous() makes the packed copy, and returns the tensor itself when it already is one.
//
// The program prints each window, writes through two of them, and times a transpose of a
// --size x --size matrix against packing it with contiguous(). It exits 1 if a view moved
// any element or a write through one did not reach x.
//
//   ./build/examples/views [--size 2048]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <nabla.h>

#include "examples/common/args.h"

using namespace nabla;

namespace {

std::string list(const Shape& values) { return to_string(values); }

void show(const char* name, const Tensor& view, const Tensor& base) {
  std::printf("%-22s sizes %-8s strides %-8s offset %lld  %-14s %s\n", name, list(view.sizes()).c_str(),
              list(view.strides()).c_str(), static_cast<long long>(view.storage_offset()),
              view.is_contiguous() ? "contiguous" : "not contiguous", view.is_view_of(base) ? "shares x's storage" : "a copy");
}

// The median of five timings of f, in microseconds.
template <class F> double microseconds(F&& f) {
  double best[5];
  for (double& t : best) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  }
  std::sort(best, best + 5);
  return best[2];
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("views", [&] {
    int64_t size = 2048;
    examples::Arguments args("views", "A tensor is storage + offset + sizes + strides: views share memory.");
    args.option("--size", size, "N", "the side of the matrix whose transpose is timed", {.min = 1, .max = 16384});
    if (!args.parse(argc, argv)) return 0;  // --help

    Tensor x = arange(6).reshape({2, 3});
    std::printf("x = arange(6).reshape({2, 3}) = %s\n\n", to_string(x.sizes()).c_str());
    show("x", x, x);
    show("x.t()", x.t(), x);
    show("x[1]", x[1], x);
    show("x.select(1, 2)", x.select(1, 2), x);
    show("x.slice(1, 0, 3, 2)", x.slice(1, 0, 3, 2), x);
    show("x.t().contiguous()", x.t().contiguous(), x);
    std::printf("\nx.t().contiguous() = ");
    print(x.t().contiguous());
    std::printf("the same six numbers, x.t() walked with strides [1, 3] and packed\n\n");

    x.select(1, 2).fill_(-1);  // the third column
    x[0].mul_(10);             // the first row
    std::printf("after x.select(1, 2).fill_(-1) and x[0].mul_(10):\n");
    print(x);
    const std::vector<double> expected = {0, 10, -10, 3, 4, -1};
    if (x.to_vector() != expected) throw std::runtime_error("a write through a view did not reach x");
    std::printf("both writes reached x: a view is x itself, seen through another window\n\n");

    // A transpose costs nothing, whatever the size; packing the transposed window does the work.
    const Tensor big = randn({size, size});
    Tensor transposed, packed;
    const double view_us = microseconds([&] { transposed = big.t(); });
    const double copy_us = microseconds([&] { packed = big.t().contiguous(); });
    if (!transposed.is_view_of(big) || packed.is_view_of(big)) throw std::runtime_error("a transpose moved elements");
    std::printf("%lld x %lld float32 matrix: x.t() %.2f us (a new window), x.t().contiguous() %.0f us (%.0f MB moved)\n",
                static_cast<long long>(size), static_cast<long long>(size), view_us, copy_us,
                2.0 * 4 * static_cast<double>(size * size) / 1e6);
    return 0;
  });
}
