// SPDX-License-Identifier: MIT
// JSON output: keys in the documented order; non-finite numbers become null with a warning.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace slope::cli {

using json = nlohmann::ordered_json;

/// A finite number for JSON: -0 is written 0, as format_number writes it in text.
inline json json_finite(double v) { return v == 0 ? 0.0 : v; }

/// v as a JSON number, or null (JSON has no NaN or infinity) with a warning naming `what`.
inline json json_number(double v, std::vector<std::string>& warnings, const std::string& what) {
  if (std::isfinite(v)) return json_finite(v);
  warnings.push_back(what + " is " +
                     (std::isnan(v) ? "undefined (NaN)" : (v > 0 ? "+infinity" : "-infinity")));
  return nullptr;
}

/// A one-sided slope: a number, the strings "inf" / "-inf" (a vertical tangent is an answer,
/// not an error), or null where f is undefined on that side.
inline json json_slope(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return json_finite(v);
}

}  // namespace slope::cli
