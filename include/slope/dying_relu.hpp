// SPDX-License-Identifier: MIT
/// \file
/// The dying-ReLU lab: a small network trained by plain SGD through the recording tape, its
/// dead hidden units counted from the tape's kink sides after every epoch.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "slope/tape.hpp"

namespace slope {

/// Relu-like units among kink sides: how many there are, how many are dead, how many no point
/// puts above their kink.
struct DeadUnits {
  ///@{
  /// Dead units, units never above their kink, and all relu-like units.
  std::size_t dead = 0, never_above = 0, units = 0;
  ///@}
  double fraction() const { return share(dead); }  ///< of the units, dead
  /// Of the units, those no point puts above their kink.
  double never_above_fraction() const { return share(never_above); }

 private:
  double share(std::size_t n) const {
    return units == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(units);
  }
};

/**
 * The relu, leaky_relu and prelu units of `sides` (Tape::kink_sides over a non-empty batch) and
 * the dead ones: those whose output is 0 at every point. A relu is dead when no point puts it
 * above its kink (then its slope is 0 too, so gradient descent on that batch never revives it);
 * a leaky_relu or prelu only when every point sits exactly on its kink, since below it the
 * output is alpha * u (a leaky_relu with alpha 0 is a relu, but is counted as leaky).
 * `never_above` counts the units no point puts above their kink, dead or not: a leaky unit there
 * still has slope alpha and can learn its way back.
 *
 * **Example**:
 *
 *     Tape t = Tape::compile(relu(x - 5) + leaky_relu(x - 5), {"x"});
 *     const std::vector<double> xs{-1, 0, 2};
 *     const std::vector<std::span<const double>> in{xs};
 *     dead_units(t.kink_sides(in));           // {dead 1, never_above 2, units 2}
 */
DeadUnits dead_units(std::span<const KinkSides> sides);

/// The hidden activation of the lab's networks.
enum class Activation { relu, leaky_relu };

/// The lab's settings: the same data, seed and initial weights for all three runs.
struct DyingReluOptions {
  std::uint64_t seed = 7;   ///< data, initial weights and the order of mini-batches
  int hidden = 32;          ///< units in each of the two hidden layers (a 2-h-h-1 network)
  int samples = 200;        ///< training points (x1, x2) in [-1, 1]^2
  int batch = 10;           ///< points per SGD step
  int epochs = 30;          ///< passes over the training set
  double sane_rate = 0.05;  ///< the sane run's learning rate (relu, biases start at 0)
  double bad_rate = 0.2;    ///< the bad setting's learning rate
  double bad_bias = -1.0;   ///< the bad setting's initial hidden biases
  double alpha = 0.1;       ///< leaky_relu's slope below the kink
};

/// One training run: per epoch, from 0 (the initial network) to `epochs`.
struct DyingReluRun {
  std::string name;                          ///< "relu, sane", "relu, bad", "leaky_relu, bad"
  Activation activation = Activation::relu;  ///< the hidden layers' activation
  ///@{
  /// The learning rate and the initial hidden biases.
  double rate = 0, bias = 0;
  ///@}
  std::vector<double> loss;                     ///< mean squared error over the training set
  std::vector<DeadUnits> dead;                  ///< dead hidden units over the training set
  std::vector<std::vector<double>> parameters;  ///< the network after each epoch (layout below)
};

/**
 * The lab's result. Parameters of a 2-h-h-1 network, in this order: W1 (h rows of 2, unit j's
 * weights at 2j, 2j+1), b1 (h), W2 (h rows of h, unit j's at j*h ...), b2 (h), w3 (h), b3.
 */
struct DyingReluLab {
  DyingReluOptions options;  ///< the settings it ran with
  ///@{
  /// The training set: points (x1, x2), target = sin(2 x1) cos(2 x2).
  std::vector<double> x1, x2, target;
  ///@}
  std::vector<DyingReluRun> runs;  ///< relu sane, relu bad, leaky_relu bad
};

/**
 * Trains the three networks (deterministic: its own generator, no std distributions).
 * Throws std::invalid_argument for settings out of range (hidden 1..256, samples 1..100000,
 * batch 1..samples, epochs 0..1000, rates > 0 and finite, alpha in (0, 1)).
 *
 *     const DyingReluLab lab = run_dying_relu_lab();   // seed 7, 2-32-32-1, 30 epochs
 *     fmt::print("{}", dying_relu_table(lab));
 *     lab.runs[1].dead.back().fraction();               // relu, bad setting: dead at the end
 */
DyingReluLab run_dying_relu_lab(const DyingReluOptions& options = {});

/// The table: one line per epoch with each run's loss and dead fraction, then a summary.
std::string dying_relu_table(const DyingReluLab& lab);

/// An SVG chart: loss (top) and dead fraction (bottom) per epoch, one line per run.
std::string dying_relu_svg(const DyingReluLab& lab);

}  // namespace slope
