// A program outside the project, built against an installed nabla: d/dx sum(tanh(x^2)) must
// equal 2x (1 - tanh(x^2)^2), and the include must be the installed path <nabla/nabla.h>.
// It also registers an activation as custom.h documents it: built with -Wall -Wextra -Werror,
// so a warning from register_activation({...}) in a user's project fails this test.
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
  const nabla::Activation& doubled = nabla::register_activation(
      {.name = "consumer_double", .formula = "2x", .apply = [](const nabla::Tensor& t) { return t * 2.0; }});
  const nabla::Activation& pair = nabla::register_activation(nabla::elementwise_activation(
      {.name = "consumer_cube", .formula = "x^3", .kinks = {}, .init = nabla::InitFamily::Glorot},
      [](double v) { return v * v * v; }, [](double v) { return 3 * v * v; }));
  if (doubled(x).sum().item<double>() != 2 * (0.5 - 1.25 + 2.0) || pair.init != nabla::InitFamily::Glorot) {
    std::printf("custom activations do not work\n");
    return 1;
  }
  std::printf("installed nabla works\n");
  return 0;
}
