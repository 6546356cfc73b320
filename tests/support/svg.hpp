// SPDX-License-Identifier: MIT
// Shared test support: slope's SVG plots read back by an XML parser (Boost.PropertyTree), and
// each panel's data-to-pixel mapping worked out from its rect, independently of the plotter.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <boost/test/unit_test.hpp>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace slope::testing {

struct Element {
  std::string tag;
  std::map<std::string, std::string> attr;
  std::string text;
  double num(const std::string& name) const { return std::stod(attr.at(name)); }
  std::string get(const std::string& name) const {
    const auto it = attr.find(name);
    return it == attr.end() ? "" : it->second;
  }
};

inline void collect(const boost::property_tree::ptree& node, const std::string& tag,
                    std::vector<Element>& out) {
  Element e{tag, {}, node.data()};
  if (const auto a = node.get_child_optional("<xmlattr>"))
    for (const auto& [k, v] : *a) e.attr[k] = v.data();
  out.push_back(e);
  for (const auto& [k, child] : node)
    if (k != "<xmlattr>") collect(child, k, out);
}

/// Every element of the SVG in document order.
inline std::vector<Element> parse_svg(const std::string& svg) {
  boost::property_tree::ptree tree;
  std::istringstream in(svg);
  boost::property_tree::read_xml(in, tree);
  std::vector<Element> out;
  collect(tree.get_child("svg"), "svg", out);
  return out;
}

inline std::vector<Element> select(const std::vector<Element>& all, const std::string& tag,
                                   const std::map<std::string, std::string>& attrs = {}) {
  std::vector<Element> out;
  for (const Element& e : all) {
    if (e.tag != tag) continue;
    bool ok = true;
    for (const auto& [k, v] : attrs) ok &= e.get(k) == v;
    if (ok) out.push_back(e);
  }
  return out;
}

/// The mapping of a panel, from its rect: data values to pixels, computed here independently.
struct Panel {
  double left, top, width, height, from, to, lo, hi;
  explicit Panel(const Element& r)
      : left(r.num("x")),
        top(r.num("y")),
        width(r.num("width")),
        height(r.num("height")),
        from(r.num("data-from")),
        to(r.num("data-to")),
        lo(r.num("data-lo")),
        hi(r.num("data-hi")) {}
  double px(double x) const { return left + (x - from) / (to - from) * width; }
  double py(double y) const { return top + height - (y - lo) / (hi - lo) * height; }
  /// The data at a pixel (halves first: hi - lo may overflow near the largest double).
  double x_at(double px) const {
    return 2 * (from / 2 + (px - left) / width * (to / 2 - from / 2));
  }
  double y_at(double py) const {
    return 2 * (lo / 2 + (top + height - py) / height * (hi / 2 - lo / 2));
  }
};

inline Panel panel(const std::vector<Element>& svg, const std::string& of) {
  const auto rects = select(svg, "rect", {{"class", "panel"}, {"data-of", of}});
  BOOST_REQUIRE_EQUAL(rects.size(), 1U);
  return Panel(rects[0]);
}

using Point = std::pair<double, double>;

/// The subpaths of a path's d ("M1,2 L3,4 M..."): each M starts a new one.
inline std::vector<std::vector<Point>> subpaths(const std::string& d) {
  std::vector<std::vector<Point>> out;
  std::istringstream in(d);
  std::string token;
  while (in >> token) {
    const char cmd = token[0];
    const auto comma = token.find(',');
    const Point p{std::stod(token.substr(1, comma - 1)), std::stod(token.substr(comma + 1))};
    if (cmd == 'M' || out.empty()) out.emplace_back();
    out.back().push_back(p);
  }
  return out;
}

inline std::vector<double> kink_xs(const std::vector<Element>& svg) {
  std::vector<double> xs;
  for (const Element& e : select(svg, "line", {{"class", "kink"}})) xs.push_back(e.num("data-x"));
  return xs;
}

/// The dots of one curve ("f" or "df") at x, by value: "0 filled", "1 open" (values printed
/// exactly, shortest round trip).
inline std::vector<std::string> dots_at(const std::vector<Element>& svg, const std::string& curve,
                                        double x, const std::string& function = "0") {
  std::vector<std::pair<double, std::string>> found;
  for (const Element& e : select(
           svg, "circle", {{"class", "dot"}, {"data-curve", curve}, {"data-function", function}}))
    if (e.num("data-x") == x)
      found.push_back({e.num("data-y"), fmt::format("{} {}", e.num("data-y"), e.get("data-kind"))});
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace slope::testing
