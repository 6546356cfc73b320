// SPDX-License-Identifier: MIT
// The relu'(0) lab: its network's backward sweep against slope's double tape (both
// conventions, with pre-activations exactly 0), every reported loss recomputed from the
// reported parameters by a forward pass written here, and the paper's ordering on a small
// configuration (smaller than the command's: this test also runs under AddressSanitizer).
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <sstream>

#include "learn/relu_net.hpp"
#include "learn/splitmix.hpp"
#include "slope/slope.hpp"

using namespace slope;
using learn::NetSizes;
using learn::ReluNet;

namespace {

/// The gradient of the mean cross-entropy of the batch, recorded on slope's tape with
/// `convention` at relu's kink: the same sums in the same order as the network's forward sweep,
/// the softmax written with exp and log.
std::vector<double> tape_gradient(const NetSizes& s, const std::vector<double>& params,
                                  const std::vector<double>& x,
                                  const std::vector<std::uint32_t>& labels, Convention c) {
  Tape tape(c);
  std::vector<Var> p;
  tape_inputs(tape, params, p);
  auto layer = [&](std::size_t w, std::size_t b, const std::vector<Var>& in, std::size_t n) {
    std::vector<Var> z;
    for (std::size_t j = 0; j < n; ++j) {
      Var sum = p[b + j];
      for (std::size_t i = 0; i < in.size(); ++i) sum = sum + p[w + i * n + j] * in[i];
      z.push_back(sum);
    }
    return z;
  };
  Var total = p[0].constant(0);
  for (std::size_t k = 0; k < labels.size(); ++k) {
    std::vector<Var> in;
    for (std::size_t i = 0; i < s.in; ++i) in.push_back(p[0].constant(x[k * s.in + i]));
    std::vector<Var> a1, a2;
    for (const Var& z : layer(s.w1(), s.b1(), in, s.h1)) a1.push_back(relu(z));
    for (const Var& z : layer(s.w2(), s.b2(), a1, s.h2)) a2.push_back(relu(z));
    const std::vector<Var> logits = layer(s.w3(), s.b3(), a2, s.out);
    double top = logits[0].value();
    for (const Var& l : logits) top = std::max(top, l.value());
    Var sum = p[0].constant(0);
    for (const Var& l : logits) sum = sum + exp(l - top);
    total = total + (log(sum) - (logits[labels[k]] - top));
  }
  const Var loss = total / static_cast<double>(labels.size());
  backward(loss);
  std::vector<double> g;
  for (const Var& v : p) g.push_back(v.grad());
  return g;
}

bool close(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(std::abs(a[i] - b[i]) <= 1e-13 * std::max(1.0, std::abs(b[i])))) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(relu_slope_at_zero_is_the_conventions_value) {
  BOOST_TEST(relu_slope_at_zero(Convention::min_norm) == 0.0);
  BOOST_TEST(relu_slope_at_zero(Convention::left) == 0.0);
  BOOST_TEST(relu_slope_at_zero(Convention::right) == 1.0);
  BOOST_TEST(relu_slope_at_zero(Convention::average) == 0.5);
}

BOOST_AUTO_TEST_CASE(the_backward_sweep_is_the_tapes_gradient_at_and_away_from_kinks) {
  const NetSizes s{5, 6, 7, 4};
  learn::SplitMix r(11);
  std::vector<double> params(s.size());
  for (double& v : params) v = 0.8 * r.symmetric();
  // Exact zeros, the kinks the test is about: biases 0 for the first four units of each hidden
  // layer, and an input of all zeros (its first-layer pre-activations there are exactly 0, so
  // are its second-layer ones wherever all first-layer outputs are 0 too).
  for (std::size_t j = 0; j < 4; ++j) params[s.b1() + j] = params[s.b2() + j] = 0;
  std::vector<double> x;
  for (std::size_t k = 0; k < 4 * s.in; ++k)
    x.push_back(k < s.in ? 0.0 : r.symmetric() > 0 ? r.symmetric() : 0.0);
  // a fifth example whose first-layer unit 4 cancels exactly: b + w * 1 with w = -b
  std::vector<double> fifth(s.in, 0.0);
  fifth[2] = 1;
  params[s.w1() + 2 * s.h1 + 4] = -params[s.b1() + 4];
  x.insert(x.end(), fifth.begin(), fifth.end());
  const std::vector<std::uint32_t> labels{0, 3, 1, 2, 3};

  ReluNet<double> net(s);
  std::uint64_t hits = 0;
  net.forward(params, x, labels, hits);
  BOOST_TEST(hits >= 5U);  // four in the zero example's first layer, one in the fifth
  std::vector<double> g0(s.size()), g1(s.size());
  net.backward(params, relu_slope_at_zero(Convention::min_norm), g0);
  net.backward(params, relu_slope_at_zero(Convention::right), g1);
  BOOST_TEST(g0 != g1, "relu'(0) changes this batch's gradient, so the comparison below tests it");
  BOOST_TEST(close(g0, tape_gradient(s, params, x, labels, Convention::min_norm)));
  BOOST_TEST(close(g1, tape_gradient(s, params, x, labels, Convention::right)));
  BOOST_TEST(close(g0, tape_gradient(s, params, x, labels, Convention::left)));

  // away from kinks (random biases, no zero input) the two choices are the same gradient
  for (double& v : params) v = 0.8 * r.symmetric();
  for (double& v : x) v = r.symmetric();
  hits = 0;
  net.forward(params, x, labels, hits);
  BOOST_TEST_REQUIRE(hits == 0U);
  net.backward(params, 0.0, g0);
  net.backward(params, 1.0, g1);
  BOOST_TEST(g0 == g1);
  BOOST_TEST(close(g0, tape_gradient(s, params, x, labels, Convention::right)));
}

BOOST_AUTO_TEST_CASE(float_arithmetic_rounds_every_operation_to_float) {
  // 1 + 2^-24 + 2^-24: in float each addition rounds back to 1; in double the sum is exact.
  const NetSizes s{2, 1, 1, 2};
  std::vector<float> pf(s.size(), 0.0f);
  pf[s.b1()] = 1;
  pf[s.w1()] = pf[s.w1() + 1] = 0x1.0p-24f;
  pf[s.w2()] = 1;
  pf[s.w3()] = 1;
  const std::vector<float> xf{1, 1};
  ReluNet<float> nf(s);
  std::uint64_t hits = 0;
  nf.forward(pf, xf, std::vector<std::uint32_t>{0}, hits);
  const std::vector<double> pd(pf.begin(), pf.end()), xd(xf.begin(), xf.end());
  ReluNet<double> nd(s);
  const double lf = nf.losses()[0], ld = nd.forward(pd, xd, std::vector<std::uint32_t>{0}, hits);
  // cross-entropy of logits (a, 0) for class 0 is log(1 + exp(-a)), a the hidden output
  BOOST_TEST(lf == static_cast<float>(std::log(1 + std::exp(-1.0f))));
  BOOST_TEST(ld == std::log(1 + std::exp(-(1 + 0x1.0p-23))), boost::test_tools::tolerance(1e-15));
}

namespace {

ReluZeroOptions small() {
  ReluZeroOptions o;
  o.hidden = 32;
  o.samples = 512;
  o.batch = 32;
  o.epochs = 3;
  return o;
}

/// The mean cross-entropy of the network `p` over the lab's data, by a forward pass written
/// here in T (the sums in the lab's order; exp and log in float, or double for double).
template <class T>
double loss_in(const ReluZeroLab& lab, const std::vector<double>& params) {
  const auto in = static_cast<std::size_t>(lab.options.inputs);
  const auto h = static_cast<std::size_t>(lab.options.hidden);
  const auto k = static_cast<std::size_t>(lab.options.classes);
  std::vector<T> p(params.begin(), params.end());
  auto dense = [&](std::size_t w, std::size_t b, const std::vector<T>& a, std::size_t n,
                   bool relu) {
    std::vector<T> z(n);
    for (std::size_t j = 0; j < n; ++j) {
      T sum = p[b + j];
      for (std::size_t i = 0; i < a.size(); ++i) sum = sum + p[w + i * n + j] * a[i];
      z[j] = relu && !(sum > T(0)) ? T(0) : sum;
    }
    return z;
  };
  using E = std::conditional_t<sizeof(T) >= sizeof(double), double, float>;
  const std::size_t w1 = 0, b1 = in * h, w2 = b1 + h, b2 = w2 + h * h, w3 = b2 + h, b3 = w3 + h * k;
  double total = 0;
  for (std::size_t e = 0; e < lab.labels.size(); ++e) {
    std::vector<T> x(in);
    for (std::size_t i = 0; i < in; ++i) x[i] = static_cast<T>(lab.pixels[e * in + i]);
    const std::vector<T> l =
        dense(w3, b3, dense(w2, b2, dense(w1, b1, x, h, true), h, true), k, false);
    T top = l[0];
    for (const T v : l) top = v > top ? v : top;
    T sum = 0;
    for (const T v : l) sum = sum + static_cast<T>(std::exp(static_cast<E>(v - top)));
    const T ce = static_cast<T>(std::log(static_cast<E>(sum))) -
                 (l[static_cast<std::size_t>(lab.labels[e])] - top);
    total += static_cast<double>(ce);
  }
  return total / static_cast<double>(lab.labels.size());
}

double loss_of(const ReluZeroLab& lab, Precision precision, const std::vector<double>& p) {
  switch (precision) {
#if defined(__FLT16_MANT_DIG__)
    case Precision::float16:
      return loss_in<_Float16>(lab, p);
#else
    case Precision::float16:
      break;
#endif
    case Precision::float32:
      return loss_in<float>(lab, p);
    case Precision::float64:
      return loss_in<double>(lab, p);
  }
  return std::nan("");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_lab_reproduces_the_papers_ordering_on_a_small_network) {
  const ReluZeroLab lab = run_relu_zero_lab(small());
  BOOST_TEST_REQUIRE(lab.runs.size() == (float16_available() ? 3U : 2U));
  const ReluZeroRun &f32 = lab.runs[lab.runs.size() - 2], &f64 = lab.runs.back();
  BOOST_TEST((f32.precision == Precision::float32 && f64.precision == Precision::float64));
  // float64: no pre-activation exactly 0, so never a differing mini-batch
  BOOST_TEST(f64.kink_hits_total() == 0U);
  BOOST_TEST(f64.differing_total() == 0U);
  BOOST_TEST(f32.differing_total() >= f64.differing_total());
  if (float16_available()) {
    const ReluZeroRun& f16 = lab.runs.front();
    BOOST_TEST(to_string(f16.precision) == "float16");
    BOOST_TEST(f16.differing_total() > f32.differing_total());
    BOOST_TEST(f16.kink_hits_total() > f32.kink_hits_total());
  }
  const std::size_t batches = 512 / 32;
  for (const ReluZeroRun& r : lab.runs) {
    BOOST_TEST_CONTEXT(to_string(r.precision)) {
      BOOST_TEST(r.batches == batches);
      BOOST_TEST(r.pre_activations == 512U * 64U);
      BOOST_TEST_REQUIRE(r.differing.size() == 3U);
      BOOST_TEST_REQUIRE(r.loss_zero.size() == 4U);
      for (std::size_t e = 0; e < 3; ++e) {
        BOOST_TEST(r.differing[e] <= batches);
        // a batch can differ only if one of its pre-activations was exactly 0
        BOOST_TEST(r.differing[e] <= r.kink_hits[e]);
      }
      BOOST_TEST(r.differing_fraction() ==
                 static_cast<double>(r.differing_total()) / static_cast<double>(3 * batches));
      // both choices start from the same weights
      BOOST_TEST(r.loss_zero.front() == r.loss_one.front());
      // with no differing batch the two runs took the same steps, bit for bit
      if (r.differing_total() == 0) {
        BOOST_TEST(r.final_zero == r.final_one);
        BOOST_TEST(r.loss_zero == r.loss_one);
      }
      // the losses reported, recomputed from the parameters reported, by a forward pass here
      BOOST_TEST(r.loss_zero.front() == loss_of(lab, r.precision, lab.initial),
                 boost::test_tools::tolerance(1e-12));
      BOOST_TEST(r.loss_zero.back() == loss_of(lab, r.precision, r.final_zero),
                 boost::test_tools::tolerance(1e-12));
      BOOST_TEST(r.loss_one.back() == loss_of(lab, r.precision, r.final_one),
                 boost::test_tools::tolerance(1e-12));
      BOOST_TEST(r.loss_zero.back() < r.loss_zero.front());  // it learns
    }
  }
  // the data: pixels k/255, many exactly 0, labels in range
  std::size_t zeros = 0;
  for (const double v : lab.pixels) {
    zeros += v == 0;
    BOOST_TEST(std::round(v * 255) / 255 == v);
  }
  BOOST_TEST(zeros > lab.pixels.size() / 3);
  for (const int c : lab.labels) BOOST_TEST((c >= 0 && c < 10));
  // the same seed gives the same lab
  const ReluZeroLab again = run_relu_zero_lab(small());
  for (std::size_t k = 0; k < lab.runs.size(); ++k) {
    BOOST_TEST(again.runs[k].differing == lab.runs[k].differing);
    BOOST_TEST(again.runs[k].final_one == lab.runs[k].final_one);
  }
}

BOOST_AUTO_TEST_CASE(the_table_and_the_chart) {
  ReluZeroOptions o = small();
  o.epochs = 2;
  const ReluZeroLab lab = run_relu_zero_lab(o);
  std::istringstream table(relu_zero_table(lab));
  std::size_t rows = 0;
  for (std::string line; std::getline(table, line);) {
    std::istringstream fields(line);
    std::string name, of;
    std::size_t differing = 0, all = 0;
    double percent = 0, hits = 0, per_million = 0, loss0 = 0, loss1 = 0;
    if (!(fields >> name >> differing >> of >> all) || of != "of") continue;
    BOOST_TEST_REQUIRE(rows < lab.runs.size());
    const ReluZeroRun& r = lab.runs[rows++];
    BOOST_TEST_REQUIRE(static_cast<bool>(fields >> percent));
    fields.ignore(1);  // %
    BOOST_TEST_REQUIRE(static_cast<bool>(fields >> hits >> per_million >> loss0 >> loss1));
    BOOST_TEST(name == to_string(r.precision));
    BOOST_TEST(differing == r.differing_total());
    BOOST_TEST(all == 2 * r.batches);
    BOOST_TEST(std::abs(percent - 100 * r.differing_fraction()) <= 0.05 + 1e-9);
    const double mean_hits = static_cast<double>(r.kink_hits_total()) / 2;
    BOOST_TEST(std::abs(hits - mean_hits) <= 0.05 + 1e-9);
    BOOST_TEST(std::abs(per_million - mean_hits / static_cast<double>(r.pre_activations) * 1e6) <=
               5e-4 + 1e-9);
    BOOST_TEST(std::abs(loss0 - r.loss_zero.back()) <= 5e-5);
    BOOST_TEST(std::abs(loss1 - r.loss_one.back()) <= 5e-5);
  }
  BOOST_TEST(rows == lab.runs.size());
  boost::property_tree::ptree tree;
  std::istringstream svg(relu_zero_svg(lab));
  BOOST_CHECK_NO_THROW(boost::property_tree::read_xml(svg, tree));
  std::size_t lines = 0;
  for (const auto& [name, node] : tree.get_child("svg"))
    if (name == "polyline") {
      ++lines;
      std::istringstream points(node.get<std::string>("<xmlattr>.points"));
      std::size_t count = 0;
      for (std::string point; points >> point;) ++count;
      BOOST_TEST((count == 3U || count == 2U));  // losses: epochs 0 .. 2; differing: 1 .. 2
    }
  BOOST_TEST(lines == 3 * lab.runs.size());
}

BOOST_AUTO_TEST_CASE(settings_out_of_range_are_refused) {
  auto refused = [](auto change) {
    ReluZeroOptions o = small();
    change(o);
    BOOST_CHECK_THROW(run_relu_zero_lab(o), std::invalid_argument);
  };
  refused([](ReluZeroOptions& o) { o.hidden = 0; });
  refused([](ReluZeroOptions& o) { o.hidden = 513; });
  refused([](ReluZeroOptions& o) { o.inputs = 0; });
  refused([](ReluZeroOptions& o) { o.classes = 1; });
  refused([](ReluZeroOptions& o) { o.samples = 0; });
  refused([](ReluZeroOptions& o) { o.batch = o.samples + 1; });
  refused([](ReluZeroOptions& o) { o.epochs = -1; });
  refused([](ReluZeroOptions& o) { o.rate = std::nan(""); });
  refused([](ReluZeroOptions& o) { o.rate = 0; });
}
