// SPDX-License-Identifier: MIT
// The batched tape (src/tape/tape_batch.cpp) in every precision: forward_batch and
// gradient_batch of a FloatTape (HalfTape) equal, bit for bit, its own scalar forward and reverse
// at each point, and differ from the double tape only by rounding. (The double batch path is
// checked the same way in tape_test.cpp.)
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstring>
#include <vector>

#include "slope/slope.hpp"
#include "support/random.hpp"

using namespace slope;

namespace {
const Expr x = var("x"), y = var("y");

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

/// The batch path of a tape in precision T against its scalar path, point by point; returns the
/// number of points compared.
template <class T>
std::size_t batch_equals_scalar(const Expr& f, Convention conv, const std::vector<double>& xs_d,
                                const std::vector<double>& ys_d) {
  BasicTape<T> t = BasicTape<T>::compile(f, {"x", "y"}, conv);
  const std::size_t n = xs_d.size();
  const std::vector<T> xs(xs_d.begin(), xs_d.end()), ys(ys_d.begin(), ys_d.end());
  std::vector<T> values(n), gx(n), gy(n), forward(n);
  const std::vector<std::span<const T>> in{xs, ys};
  t.gradient_batch(in, 0, values, std::vector<std::span<T>>{gx, gy});
  t.forward_batch(in, std::vector<std::span<T>>{forward});
  std::size_t checked = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const std::vector<T> p{xs[j], ys[j]};
    const T v = t.forward(p)[0];
    t.reverse();
    const bool same = same_bits(values[j], v) && same_bits(forward[j], v) &&
                      same_bits(gx[j], t.gradient()[0]) && same_bits(gy[j], t.gradient()[1]);
    if (!same)
      BOOST_ERROR(to_text(f) << " in " << sizeof(T) << "-byte numbers at (" << xs_d[j] << ", "
                             << ys_d[j] << ") " << to_string(conv) << ": batch "
                             << double(values[j]) << " " << double(gx[j]) << " " << double(gy[j])
                             << ", scalar " << double(v) << " " << double(t.gradient()[0]) << " "
                             << double(t.gradient()[1]));
    ++checked;
  }
  return checked;
}
}  // namespace

BOOST_AUTO_TEST_CASE(float_and_half_batches_equal_their_scalar_sweeps_bit_for_bit) {
  testing::RandomExpr gen(99);
  const double lattice[] = {-1, -0.5, 0, 0.5, 1};
  std::size_t expected = 0, checked = 0;
  for (int e = 0; e < 120; ++e) {
    // the first expressions take the fused relu / leaky relu output path over several blocks
    const std::size_t n = e < 3 ? 20000 : 1500;
    const Expr f =
        e < 3 ? std::vector<Expr>{relu(x), leaky_relu(x * y), relu(x) * leaky_relu(y, 0.2)}[e]
              : gen.make(3);
    const Convention conv = all_conventions[e % 5];
    std::vector<double> xs(n), ys(n);
    for (std::size_t j = 0; j < n; ++j) {  // a third on a lattice where kinks sit exactly
      xs[j] = j % 3 ? 2 * gen.rng().symmetric() : lattice[gen.rng().below(5)];
      ys[j] = j % 3 ? 2 * gen.rng().symmetric() : lattice[gen.rng().below(5)];
    }
    checked += batch_equals_scalar<float>(f, conv, xs, ys);
    expected += n;
#ifdef SLOPE_HAS_FLOAT16
    checked += batch_equals_scalar<_Float16>(f, conv, xs, ys);
    expected += n;
#endif
  }
  BOOST_TEST(checked == expected);
}

BOOST_AUTO_TEST_CASE(w2_in_float_gives_relu_and_its_slope) {
  // W2's computation in float: relu(x) and relu'(x) (min_norm: 0 at x = 0) over 3 blocks
  const std::size_t n = 3 * 8192 + 17;
  testing::SplitMix rng(42);
  std::vector<float> xs(n), ys(n), ds(n);
  for (std::size_t j = 0; j < n; ++j)
    xs[j] = j % 100 == 0 ? 0.0f : static_cast<float>(rng.symmetric());
  FloatTape t = FloatTape::compile(relu(x), {"x"});
  t.gradient_batch(std::vector<std::span<const float>>{xs}, 0, ys,
                   std::vector<std::span<float>>{ds});
  for (std::size_t j = 0; j < n; ++j) {
    BOOST_TEST(ys[j] == (xs[j] > 0 ? xs[j] : 0.0f));
    BOOST_TEST(ds[j] == (xs[j] > 0 ? 1.0f : 0.0f));
  }
  // relu'(0) = 1 under right
  t.set_convention(Convention::right);
  t.gradient_batch(std::vector<std::span<const float>>{xs}, 0, ys,
                   std::vector<std::span<float>>{ds});
  BOOST_TEST(ds[0] == 1.0f);
  BOOST_TEST(ds[100] == 1.0f);
}

BOOST_AUTO_TEST_CASE(batches_in_float_are_close_to_batches_in_double) {
  const Expr f = tanh(x * y) + relu(x - y) * exp(0.25 * y);
  const std::size_t n = 5000;
  testing::SplitMix rng(5);
  std::vector<double> xs(n), ys(n), vd(n), gxd(n), gyd(n);
  for (std::size_t j = 0; j < n; ++j) {  // floats, so only the arithmetic differs
    xs[j] = static_cast<float>(2 * rng.symmetric());
    ys[j] = static_cast<float>(2 * rng.symmetric());
  }
  Tape td = Tape::compile(f, {"x", "y"});
  td.gradient_batch(std::vector<std::span<const double>>{xs, ys}, 0, vd,
                    std::vector<std::span<double>>{gxd, gyd});
  std::vector<float> xf(xs.begin(), xs.end()), yf(ys.begin(), ys.end()), vf(n), gxf(n), gyf(n);
  FloatTape tf = FloatTape::compile(f, {"x", "y"});
  tf.gradient_batch(std::vector<std::span<const float>>{xf, yf}, 0, vf,
                    std::vector<std::span<float>>{gxf, gyf});
  double worst = 0;
  for (std::size_t j = 0; j < n; ++j) {
    if (xf[j] == yf[j]) continue;  // (no point sits on relu's kink: random doubles)
    for (const auto& [a, b] : {std::pair{vf[j], vd[j]}, {gxf[j], gxd[j]}, {gyf[j], gyd[j]}})
      worst = std::max(worst, std::abs(static_cast<double>(a) - b) / (1 + std::abs(b)));
  }
  BOOST_TEST(worst < 1e-6);
  BOOST_TEST(worst > 0.0);  // rounded in float, not computed in double
}

namespace {
/// relu(x) or leaky_relu(x, 0.01) and its slope over n points, with the output rows starting
/// `shift_values` and `shift_slopes` elements into their arrays, against the formulas.
template <class T>
void large_rows_give_the_formulas(bool leaky, Convention conv, std::size_t shift_values,
                                  std::size_t shift_slopes) {
  const std::size_t n = 8 * 1024 * 1024 / sizeof(T) + 37;  // past the size that streams
  testing::SplitMix rng(11);
  std::vector<T> xs(n), values(n + 3), slopes(n + 3);
  for (std::size_t j = 0; j < n; ++j)
    xs[j] = j % 1000 == 0 ? T(0) : static_cast<T>(rng.symmetric());
  const T alpha = leaky ? T(0.01) : T(0);
  BasicTape<T> t = BasicTape<T>::compile(leaky ? leaky_relu(x, 0.01) : relu(x), {"x"}, conv);
  const std::span<T> v(values.data() + shift_values, n), d(slopes.data() + shift_slopes, n);
  t.gradient_batch(std::vector<std::span<const T>>{xs}, 0, v, std::vector<std::span<T>>{d});
  const T at = conv == Convention::left ? alpha : T(1);
  std::size_t wrong = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const T u = xs[j];
    const T value = u > 0 ? u : leaky ? alpha * u : T(0), slope = u > 0 ? T(1) : u < 0 ? alpha : at;
    wrong += !same_bits(v[j], value) || !same_bits(d[j], slope);
  }
  BOOST_TEST(wrong == 0u, (leaky ? "leaky_relu" : "relu")
                              << " in " << sizeof(T) << "-byte numbers, shifts " << shift_values
                              << ", " << shift_slopes);
}
}  // namespace

BOOST_AUTO_TEST_CASE(rows_larger_than_the_cache_are_streamed_to_the_same_results) {
  // Aligned alike (streamed after a scalar head) and not alike (written plainly), both
  // conventions at the kink, in double and float.
  for (const bool leaky : {false, true})
    for (const Convention conv : {Convention::left, Convention::right})
      for (const auto& [sv, sd] : {std::pair<std::size_t, std::size_t>{0, 0}, {1, 1}, {0, 1}}) {
        large_rows_give_the_formulas<double>(leaky, conv, sv, sd);
        large_rows_give_the_formulas<float>(leaky, conv, sv, sd);
      }
}
