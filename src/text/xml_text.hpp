// SPDX-License-Identifier: MIT
// Escaping for XML text and attribute values, shared by every SVG writer, so a user's variable
// name or a title with `&` or `<` cannot break the document.
#pragma once

#include <string>
#include <string_view>

namespace slope::detail {

inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace slope::detail
