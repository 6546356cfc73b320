// SPDX-License-Identifier: MIT
/// \file
/// The relu'(0) lab: does the value a program takes for relu'(0) change what backpropagation
/// computes? The same small network trained with relu'(0) = 0 and relu'(0) = 1 in float16,
/// float32 and float64, every operation of the forward and backward sweeps in that precision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "slope/convention.hpp"

namespace slope {

/// The scalar type a lab network is trained in.
enum class Precision {
  float16,  ///< `_Float16` (IEEE binary16, 11 significant bits), where the compiler has it
  float32,  ///< `float` (24 significant bits)
  float64   ///< `double` (53 significant bits)
};

/// `float16`, `float32` or `float64`.
std::string_view to_string(Precision p);

/// Whether this build of slope has `_Float16` (GCC 12 and Clang 15 on x86-64 and AArch64 do).
bool float16_available();

/// The value relu'(0) takes under convention `c`: slope's one-sided rule at relu's kink
/// (`at_kink(0, 1, c)`): 0 for min_norm and left, 1 for right, 0.5 for average.
double relu_slope_at_zero(Convention c);

/// The lab's settings. The same data, initial weights (rounded to each precision) and order of
/// mini-batches for every run.
struct ReluZeroOptions {
  std::uint64_t seed = 7;  ///< data, initial weights and the order of mini-batches
  int inputs = 16;         ///< input features: a 4 x 4 "image" with pixels in [0, 1]
  int hidden = 256;        ///< units in each of the two hidden layers
  int classes = 10;        ///< output classes
  int samples = 1024;      ///< training examples
  int batch = 32;          ///< examples per SGD step
  int epochs = 4;          ///< passes over the training set
  double rate = 0.1;       ///< the learning rate of plain SGD
};

/// One precision: both runs, relu'(0) = 0 and relu'(0) = 1, from the same initial weights.
struct ReluZeroRun {
  Precision precision = Precision::float64;  ///< what it was trained in
  std::size_t batches = 0;                   ///< mini-batches per epoch
  /// Hidden pre-activations evaluated per epoch by the training steps of one run.
  std::uint64_t pre_activations = 0;
  /// Per epoch (1 .. epochs, at index epoch - 1), along the relu'(0) = 0 run: the mini-batches
  /// whose gradient under relu'(0) = 1 (at the same weights, on the same batch) differs from
  /// the relu'(0) = 0 one in at least one bit.
  std::vector<std::size_t> differing;
  /// Per epoch (index epoch - 1), along the relu'(0) = 0 run: hidden pre-activations exactly 0
  /// (+0 or -0) in the training steps' forward sweeps.
  std::vector<std::uint64_t> kink_hits;
  ///@{
  /// Mean cross-entropy over the training set after each epoch (0, the initial network, to
  /// epochs) of the run with relu'(0) = 0 and of the run with relu'(0) = 1.
  std::vector<double> loss_zero, loss_one;
  ///@}
  ///@{
  /// The final parameters of each run, as doubles (layout in ReluZeroLab).
  std::vector<double> final_zero, final_one;
  ///@}
  /// Of all mini-batches of all epochs, the fraction in `differing`.
  double differing_fraction() const;
  /// All mini-batches in `differing`, over all epochs.
  std::size_t differing_total() const;
  /// All kink hits, over all epochs.
  std::uint64_t kink_hits_total() const;
};

/**
 * The lab's result. The data: `labels.size()` examples of `options.inputs` pixels each (row
 * after row in `pixels`), values k/255 with many exactly 0. A network's parameters, in this
 * order (a weight matrix stored by input: from input i to unit j at i * units + j): W1 (inputs
 * x hidden), b1 (hidden), W2 (hidden x hidden), b2 (hidden), W3 (hidden x classes), b3
 * (classes).
 */
struct ReluZeroLab {
  ReluZeroOptions options;        ///< the settings it ran with
  std::vector<double> pixels;     ///< the training inputs, one row of `inputs` per example
  std::vector<int> labels;        ///< the class of each example, 0 .. classes - 1
  std::vector<double> initial;    ///< the initial parameters (before rounding to a precision)
  std::vector<ReluZeroRun> runs;  ///< float16 (if available), float32, float64, in that order
};

/**
 * Trains the network in each precision twice, with relu'(0) = 0 and with relu'(0) = 1, by
 * plain mini-batch SGD on the mean cross-entropy (deterministic: slope's own generator, no
 * std distributions). Every operation of a training step is done in the run's precision,
 * including the sums over a layer's inputs and over the mini-batch. Throws
 * std::invalid_argument for settings out of range (inputs 1..64, hidden 1..512, classes
 * 2..64, samples 1..100000, batch 1..samples, epochs 0..1000, rate > 0 and finite).
 *
 *     const ReluZeroLab lab = run_relu_zero_lab();   // seed 7, 16-256-256-10, 4 epochs
 *     fmt::print("{}", relu_zero_table(lab));
 *     lab.runs.back().differing_total();             // float64: 0
 */
ReluZeroLab run_relu_zero_lab(const ReluZeroOptions& options = {});

/// The table: one line per precision with the differing mini-batches, the kink hits per epoch
/// and the final loss of each choice.
std::string relu_zero_table(const ReluZeroLab& lab);

/// An SVG chart: loss per epoch of both choices in each precision (top) and the fraction of
/// differing mini-batches per epoch (bottom).
std::string relu_zero_svg(const ReluZeroLab& lab);

}  // namespace slope
