// A program outside the project, built against an installed nabla: d/dx sum(tanh(x^2)) must
// equal 2x (1 - tanh(x^2)^2), and the include must be the installed path <nabla/nabla.h>.
#include <nabla/nabla.h>

#include <cmath>
#include <cstdio>

int main() {
  nabla::Tensor x = nabla::tensor({0.5, -1.25, 2.0}, nabla::kFloat64).requires_grad_();
  nabla::tanh(x * x).sum().backward();
  for (int64_t i = 0; i < 3; ++i) {
    const double v = x.at({i});
    const double expected = 2 * v * (1 - std::pow(std::tanh(v * v), 2));
    if (std::fabs(x.grad().at({i}) - expected) > 1e-6) {
      std::printf("wrong gradient at %lld\n", static_cast<long long>(i));
      return 1;
    }
  }
  std::printf("installed nabla works\n");
  return 0;
}
