// SPDX-License-Identifier: MIT
// Escaping for LaTeX: any string (prose, a user's name, UTF-8) becomes text that pdflatex with
// only amsmath accepts and prints as written. Shared by the LaTeX printer and the derivation
// renderers, so there is one list of special characters.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace slope::detail {

/// The LaTeX for one UTF-8 code point beyond ASCII that prose uses; empty when there is none.
inline std::string_view latex_for_code_point(char32_t cp) {
  switch (cp) {
    case U'≠':
      return "$\\neq$";
    case U'≤':
      return "$\\leq$";
    case U'≥':
      return "$\\geq$";
    case U'→':
      return "$\\to$";
    case U'−':
      return "$-$";
    case U'·':
      return "$\\cdot$";
    case U'×':
      return "$\\times$";
    case U'∞':
      return "$\\infty$";
    case U'…':
      return "\\ldots{}";
    case U'–':
      return "--";
    case U'—':
      return "---";
    case U'‘':
      return "`";
    case U'’':
      return "'";
    case U'“':
      return "``";
    case U'”':
      return "''";
    default:
      return "";
  }
}

/// Decodes the UTF-8 sequence at s[i] (advancing i); a malformed byte decodes as itself.
inline char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

/**
 * `s` as LaTeX text-mode material: the ten special characters escaped, `<`, `>` and `|` spelled
 * as text symbols, the non-ASCII symbols prose uses (≠, ≤, …) spelled in LaTeX, any other
 * character beyond ASCII written as its code point (`[U+2603]`), and line breaks with their
 * indentation folded into one space.
 */
inline std::string latex_text(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += ' ';
      for (++i; i < s.size() && s[i] == ' ';) ++i;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      const char32_t cp = next_code_point(s, i);
      const std::string_view known = latex_for_code_point(cp);
      out +=
          known.empty() ? fmt::format("[U+{:04X}]", static_cast<unsigned>(cp)) : std::string(known);
      continue;
    }
    ++i;
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '{':
      case '}':
      case '$':
      case '&':
      case '#':
      case '%':
      case '_':
        out += '\\', out += c;
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '<':
        out += "\\textless{}";
        break;
      case '>':
        out += "\\textgreater{}";
        break;
      case '|':
        out += "\\textbar{}";
        break;
      default:
        // Other control characters have no printed form: show them as code points too.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
          out += fmt::format("[U+{:04X}]", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  return out;
}

}  // namespace slope::detail
