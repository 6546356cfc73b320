// SPDX-License-Identifier: MIT
// The parser: a lexer with source positions and a recursive-descent parser whose binding
// strengths follow the printers' precedence (Prec), so parse(to_text(e)) == e.
#include "slope/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/number.hpp"
#include "slope/build.hpp"
#include "slope/print.hpp"
#include "text/edit_distance.hpp"

namespace slope {

namespace detail {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}
}  // namespace detail

namespace {
std::size_t display_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string render(const std::string& message, std::size_t line, std::size_t column,
                   std::size_t length, const std::string& source_line, const std::string& hint,
                   std::size_t caret_column) {
  // The caret stays within the shown line, however long the underlined token is.
  const std::size_t shown = display_chars(source_line);
  const std::size_t room = shown >= caret_column ? shown - caret_column + 1 : 1;
  std::string out = std::to_string(line) + ":" + std::to_string(column) + ": error: " + message +
                    "\n  " + source_line + "\n  " + std::string(caret_column - 1, ' ') +
                    std::string(std::clamp<std::size_t>(length, 1, room), '^');
  if (!hint.empty()) out += "\nhint: " + hint;
  return out;
}
}  // namespace

ParseError::ParseError(std::string message, std::size_t line, std::size_t column,
                       std::size_t length, std::string source_line, std::string hint,
                       std::size_t caret_column)
    : Error(render(message, line, column, length, source_line, hint,
                   caret_column ? caret_column : column)),
      message_(std::move(message)),
      line_(line),
      column_(column),
      caret_column_(caret_column ? caret_column : column),
      length_(std::max<std::size_t>(length, 1)),
      source_line_(std::move(source_line)),
      hint_(std::move(hint)) {}

namespace {

enum class Tok { Number, Ident, Symbol, Newline, End };

struct Token {
  Tok kind;
  std::string_view text;  // a view into the source
  std::size_t offset;     // byte offset in the source
  double number = 0;
  std::uint32_t symbol = 0;  // a symbol's characters as one number (symbol_code)
};

/// A symbol of up to four characters as one number, so the parser's many checks for the next
/// symbol compare integers, not strings.
constexpr std::uint32_t symbol_code(std::string_view s) {
  std::uint32_t code = 0;
  for (const char c : s) code = code << 8 | static_cast<unsigned char>(c);
  return code;
}
bool is_symbol(const Token& t, std::string_view s) {
  return t.kind == Tok::Symbol && t.symbol == symbol_code(s);
}

/// Heterogeneous lookup of a string-keyed map by a string_view.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct Definition {
  std::vector<std::string> params;  // the placeholders standing for the parameters in body
  std::string usage;                // as written: f(x, y)
  Expr body;
  // nodes in body, what each call that copies it adds at most: counted at the first such call
  // (counting each definition of a chain as it was parsed walked the chain each time)
  std::optional<std::size_t> size;
};

class Parser {
 public:
  Parser(std::string_view src, const ParseLimits& limits) : src_(src), limits_(limits) {}

  std::vector<std::string> names() {
    lex();
    const auto& names = all_names();
    std::vector<std::string> out(names.begin(), names.end());
    std::sort(out.begin(), out.end());
    return out;
  }

  /// After program(): every variable it read, also those the factories folded away.
  const std::vector<std::string>& written() const { return written_; }

  Expr program() {
    if (src_.size() > limits_.max_length)
      fail_at(0, 1,
              "the input is " + std::to_string(src_.size()) + " characters long; the limit is " +
                  std::to_string(limits_.max_length),
              "");
    lex();
    name_placeholders();
    std::optional<Expr> result;
    for (;;) {
      while (at_separator()) ++pos_;
      if (peek().kind == Tok::End) break;
      if (result)
        fail(peek(), "unexpected text after the expression",
             "only definitions like f(x) = ... may come before the expression");
      if (looks_like_definition(pos_)) {
        definition();
      } else {
        result = expression();
        if (!at_separator() && peek().kind != Tok::End) unexpected(peek(), "after the expression");
      }
    }
    if (!result)
      fail_at(src_.size(), 1,
              definitions_.empty() ? "expected an expression"
                                   : "the definitions are not followed by an expression",
              "for example: relu(x)");
    return *result;
  }

 private:
  std::string_view src_;
  ParseLimits limits_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t nesting_ = 0;  // open parentheses: newlines inside them are spaces
  std::size_t depth_ = 0;    // recursion depth, bounded by limits_.max_depth
  std::unordered_map<std::string, Definition, NameHash, std::equal_to<>> definitions_;
  std::string defining_;  // the definition being parsed, to report self-calls
  // Inside a definition, a parameter is its position's placeholder (name_placeholders): its own
  // name where no body reads that name as a free variable, else a name apart from every name in
  // the text, so substituting a call's arguments never captures a free variable: with
  // f(x) = x + y, g(y) = f(y) is (its parameter) + (the free y), not 2*y.
  std::map<std::string, Expr, std::less<>> params_;  // each parameter's placeholder variable
  std::unordered_set<std::string_view> names_;       // every identifier in the text, once asked for
  std::vector<std::string> written_;                 // the variables read, in order of first use
  std::unordered_map<std::string, Expr, NameHash, std::equal_to<>> read_;  // written_, made
  // The variable standing for parameter j in every definition's body (placeholders_[j]), one per
  // position: shared by position, a call that passes its caller's parameters on in order
  // (u2(x) = relu(2*u1(x) + 1)) substitutes nothing, so a chain of definitions parses in time
  // linear in its length (a placeholder per parameter made each call copy the whole chain).
  std::vector<std::string> placeholders_;
  std::size_t placeholders_tried_ = 0;
  std::size_t expanded_ = 0;  // nodes that calls of definitions have added, up to max_expanded

  // ---- errors ----------------------------------------------------------------------------
  /// The 1-based line of a byte offset in the source.
  std::size_t line_of(std::size_t offset) const {
    return 1 + static_cast<std::size_t>(std::count(
                   src_.begin(), src_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  }

  [[noreturn]] void fail_at(std::size_t offset, std::size_t length_bytes,
                            const std::string& message, const std::string& hint) const {
    offset = std::min(offset, src_.size());
    const std::size_t newline = src_.substr(0, offset).rfind('\n');
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    std::size_t line_end = src_.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = src_.size();
    const std::size_t line = line_of(line_start);
    const std::size_t column = 1 + display_chars(src_.substr(line_start, offset - line_start));
    // A long line is shown as an excerpt around the error, so an error at column 6,000,000
    // prints a few hundred characters, not megabytes of line and caret padding.
    constexpr std::size_t excerpt = 200, context = 80;
    std::size_t from = line_start, to = line_end;
    if (line_end - line_start > excerpt) {
      from = offset - line_start > context ? offset - context : line_start;
      to = std::min(line_end, from + excerpt);
      while (from > line_start && (static_cast<unsigned char>(src_[from]) & 0xC0) == 0x80) --from;
      while (to < line_end && (static_cast<unsigned char>(src_[to]) & 0xC0) == 0x80) ++to;
    }
    const std::string lead = from > line_start ? "..." : "";
    const std::string source_line =
        lead + std::string(src_.substr(from, to - from)) + (to < line_end ? "..." : "");
    const std::size_t caret = 1 + lead.size() + display_chars(src_.substr(from, offset - from));
    const std::string_view token =
        src_.substr(offset, std::min(length_bytes, src_.size() - offset));
    throw ParseError(message, line, column, std::max<std::size_t>(1, display_chars(token)),
                     source_line, hint, caret);
  }
  [[noreturn]] void fail(const Token& t, const std::string& message,
                         const std::string& hint = "") const {
    fail_at(t.offset, std::max<std::size_t>(t.text.size(), 1), message, hint);
  }
  [[noreturn]] void unexpected(const Token& t, const std::string& where) const {
    if (t.kind == Tok::End) fail(t, "the expression ends too early " + where);
    if (t.text == ")" && nesting_ == 0)
      fail(t, "unmatched ')'", "remove it, or add the '(' it closes");
    fail(t, "unexpected '" + std::string(t.text) + "' " + where, product_hint(t));
  }
  /// Two values side by side (2x, 2(x + 1), (x + 1)(x - 1), x y) are a product in maths
  /// notation, not here: the hint writes it with '*'.
  std::string product_hint(const Token& t) const {
    const Token* before = nullptr;
    for (const Token& u : tokens_) {
      if (u.offset >= t.offset) break;
      if (u.kind != Tok::Newline) before = &u;
    }
    const auto ends_value = [](const Token& u) {
      return u.kind == Tok::Number || u.kind == Tok::Ident ||
             (u.kind == Tok::Symbol && u.text == ")");
    };
    const bool starts_value =
        t.kind == Tok::Number || t.kind == Tok::Ident || (t.kind == Tok::Symbol && t.text == "(");
    if (before == nullptr || !ends_value(*before) || !starts_value) return {};
    const std::string left = before->kind == Tok::Symbol ? "(...)" : std::string(before->text),
                      right = t.kind == Tok::Symbol ? "(...)" : std::string(t.text);
    return "to multiply, write " + left + "*" + right;
  }

  // ---- lexing ----------------------------------------------------------------------------
  void lex() {
    std::size_t i = 0;
    while (i < src_.size()) {
      const char c = src_[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '#') {  // comment to the end of the line
        while (i < src_.size() && src_[i] != '\n') ++i;
      } else if (c == '\n') {
        tokens_.push_back({Tok::Newline, src_.substr(i, 1), i});
        ++i;
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i + 1 < src_.size() &&
                  std::isdigit(static_cast<unsigned char>(src_[i + 1])))) {
        std::size_t j = i;
        while (j < src_.size() &&
               (std::isdigit(static_cast<unsigned char>(src_[j])) || src_[j] == '.'))
          ++j;
        if (j < src_.size() && (src_[j] == 'e' || src_[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < src_.size() && (src_[k] == '+' || src_[k] == '-')) ++k;
          if (k < src_.size() && std::isdigit(static_cast<unsigned char>(src_[k]))) {
            j = k;
            while (j < src_.size() && std::isdigit(static_cast<unsigned char>(src_[j]))) ++j;
          }
        }
        double v = 0;
        const auto [end, ec] = std::from_chars(src_.data() + i, src_.data() + j, v);
        if (end != src_.data() + j)
          fail_at(i, j - i, "'" + std::string(src_.substr(i, j - i)) + "' is not a number",
                  "numbers look like 2, 0.01 or 1e-3");
        if (ec == std::errc::result_out_of_range) {
          // underflow is the nearest double (1e-320, or 0); overflow would silently be inf
          v = std::strtod(std::string(src_.substr(i, j - i)).c_str(), nullptr);
          if (std::isinf(v))
            fail_at(i, j - i,
                    "'" + std::string(src_.substr(i, j - i)) +
                        "' is too large for a double (the largest is about 1.8e308)",
                    "for infinity write inf");
        }
        tokens_.push_back({Tok::Number, src_.substr(i, j - i), i, v});
        i = j;
      } else if (is_ident_start(c)) {
        std::size_t j = i;
        while (j < src_.size() && is_ident_char(src_[j])) ++j;
        tokens_.push_back({Tok::Ident, src_.substr(i, j - i), i});
        i = j;
      } else {
        static constexpr std::string_view two[] = {"==", "!=", "<=", ">=", "**"};
        static constexpr std::string_view one = "+-*/^(),:;=<>";
        std::size_t n = 0;
        if (i + 1 < src_.size() && (src_[i + 1] == '=' || src_[i + 1] == '*'))  // cheap first
          for (std::string_view t : two)
            if (src_.substr(i, 2) == t) n = 2;
        if (n == 0 && one.find(c) != std::string_view::npos) n = 1;
        if (n == 0) {
          std::size_t len = 1;
          while (i + len < src_.size() &&
                 (static_cast<unsigned char>(src_[i + len]) & 0xC0) == 0x80)
            ++len;
          fail_at(i, len, "unexpected character '" + std::string(src_.substr(i, len)) + "'",
                  c == '[' || c == '{' ? "use ( and ) for grouping" : "");
        }
        tokens_.push_back({Tok::Symbol, src_.substr(i, n), i, 0, symbol_code(src_.substr(i, n))});
        i += n;
      }
    }
    tokens_.push_back({Tok::End, src_.substr(src_.size()), src_.size()});
  }

  const std::unordered_set<std::string_view>& all_names() {
    if (names_.empty())
      for (const Token& t : tokens_)
        if (t.kind == Tok::Ident) names_.insert(t.text);
    return names_;
  }

  // ---- token access ----------------------------------------------------------------------
  const Token& peek() {
    // Inside parentheses, or right after an operator, a newline is just a space.
    while (tokens_[pos_].kind == Tok::Newline && (nesting_ > 0 || continues())) ++pos_;
    return tokens_[pos_];
  }
  bool continues() const { return pos_ > 0 && continues_after(tokens_[pos_ - 1]); }
  /// Does the text go on across a newline after `prev` (an operator, a comma, an '=')?
  static bool continues_after(const Token& prev) {
    return prev.kind == Tok::Symbol && !is_symbol(prev, ")") && !is_symbol(prev, ";");
  }
  static bool is_separator(const Token& t) { return t.kind == Tok::Newline || is_symbol(t, ";"); }
  bool at_separator() { return is_separator(tokens_[pos_]); }
  bool is(std::string_view sym) { return is_symbol(peek(), sym); }
  bool is_word(std::string_view w) { return peek().kind == Tok::Ident && peek().text == w; }
  Token take() {
    const Token t = peek();
    ++pos_;
    return t;
  }
  void expect(std::string_view sym, const std::string& where) {
    if (!is(sym)) unexpected(peek(), "where '" + std::string(sym) + "' was expected " + where);
    take();
  }

  struct Deeper {  // bounds recursion so deep nesting is an error, not a stack overflow
    Parser& p;
    explicit Deeper(Parser& parser) : p(parser) {
      if (++p.depth_ > p.limits_.max_depth)
        p.fail(p.peek(),
               "the expression is nested too deeply (more than " +
                   std::to_string(p.limits_.max_depth) + " levels)",
               "split it into definitions: f(x) = ...; g(x) = f(f(x)); g(x)");
    }
    ~Deeper() { --p.depth_; }
  };

  // ---- grammar ---------------------------------------------------------------------------
  Expr expression() {
    Deeper guard(*this);
    Expr e = conjunction();
    while (is_word("or")) {
      take();
      e = logical_or(e, conjunction());
    }
    return e;
  }
  Expr conjunction() {
    Expr e = negation();
    while (is_word("and")) {
      take();
      e = logical_and(e, negation());
    }
    return e;
  }
  Expr negation() {
    if (is_word("not")) {
      Deeper guard(*this);
      take();
      return logical_not(negation());
    }
    return comparison();
  }
  static std::optional<Op> comparison_op(const Token& t) {
    if (t.kind != Tok::Symbol) return std::nullopt;
    if (t.text == "<") return Op::Lt;
    if (t.text == "<=") return Op::Le;
    if (t.text == ">") return Op::Gt;
    if (t.text == ">=") return Op::Ge;
    if (t.text == "==") return Op::Eq;
    if (t.text == "!=") return Op::Ne;
    return std::nullopt;
  }
  Expr comparison() {
    Expr lhs = sum();
    if (auto op = comparison_op(peek())) {
      take();
      Expr rhs = sum();
      if (comparison_op(peek()))
        fail(peek(), "comparisons cannot be chained", "write a < b and b < c");
      return make_op(*op, std::vector<Expr>{lhs, rhs});
    }
    if (is("="))
      fail(peek(), "'=' defines a function and needs a name and parameters on its left",
           "to compare, write ==; to define, write f(x) = ...");
    return lhs;
  }
  // A sum or product is built once from all its terms: adding them one by one re-flattens
  // the growing sum each time, quadratic in the number of terms.
  Expr sum() {
    Expr e = product();
    if (!is("+") && !is("-")) return e;
    std::vector<Expr> terms{e};
    while (is("+") || is("-")) {
      const bool minus = take().text == "-";
      Expr t = product();
      terms.push_back(minus ? -t : t);
    }
    return make_op(Op::Add, terms);
  }
  Expr product() {
    Expr e = unary();
    if (!is("*") && !is("/")) return e;
    std::vector<Expr> factors{e};
    while (is("*") || is("/")) {
      const bool divide = take().text == "/";
      Expr f = unary();
      factors.push_back(divide ? pow(f, -1) : f);
    }
    return make_op(Op::Mul, factors);
  }
  Expr unary() {
    if (is("-") || is("+")) {
      Deeper guard(*this);
      const bool minus = take().text == "-";
      Expr e = unary();
      return minus ? -e : e;
    }
    return power();
  }
  Expr power() {
    Expr base = primary();
    if (is("^") || is("**")) {
      Deeper guard(*this);
      take();
      return pow(base, unary());  // right-associative, and x^-2 is allowed
    }
    return base;
  }
  Expr primary() {
    const Token t = peek();
    if (t.kind == Tok::Number) {
      take();
      return t.number;
    }
    if (t.kind == Tok::Symbol && t.text == "(") {
      take();
      ++nesting_;
      if (is(")")) fail(peek(), "empty parentheses", "put an expression inside, like (x + 1)");
      Expr e = expression();
      if (!is(")")) {
        if (peek().kind == Tok::End) fail(t, "this '(' is never closed", "add a ')'");
        unexpected(peek(), "inside parentheses");
      }
      --nesting_;
      take();
      return e;
    }
    if (t.kind == Tok::Ident) return identifier();
    if (t.kind == Tok::End)
      fail(t, "the expression ends too early", "it needs a value here, like x or 2");
    unexpected(t, "where a value was expected");
  }

  Expr identifier() {
    const Token name = take();
    const std::string id(name.text);
    const bool call = is("(");
    const std::string_view word = name.text;  // a view compares lengths first, a string does not
    if (word == "inf") return std::numeric_limits<double>::infinity();
    if (word == "nan" || word == "undefined") return std::numeric_limits<double>::quiet_NaN();
    if (word == "otherwise")
      fail(name, "'otherwise' can only be the last branch of piecewise(...)",
           "piecewise(x > 0: x, otherwise: 0)");
    if (word == "and" || word == "or" || word == "not")
      fail(name, "'" + id + "' needs a condition before and after it");
    if (!call) {
      if (built_in_name(id) || definitions_.count(id))
        fail(name, "'" + id + "' is a function; call it like " + id + "(x)");
      if (auto p = params_.find(id); p != params_.end()) return p->second;
      if (auto v = read_.find(id); v != read_.end()) return v->second;
      written_.push_back(id);
      return read_.emplace(id, var(id)).first->second;
    }
    take();  // '('
    ++nesting_;
    Expr e = word == "piecewise" ? piecewise_branches(name) : call_function(name, id);
    --nesting_;
    return e;
  }

  std::vector<Expr> arguments(const Token& name) {
    std::vector<Expr> args;
    if (is(")")) {
      take();
      return args;
    }
    for (;;) {
      args.push_back(expression());
      if (is(",")) {
        take();
        continue;
      }
      if (is(")")) {
        take();
        return args;
      }
      if (peek().kind == Tok::End)
        fail(name, "the call to " + std::string(name.text) + "( is never closed", "add a ')'");
      unexpected(peek(), "in the arguments of " + std::string(name.text));
    }
  }

  static std::optional<Op> builtin(std::string_view id) {
    // read from the op table once: every identifier of the text is looked up here
    static const auto by_name = [] {
      std::unordered_map<std::string_view, Op> names;
      for (int i = 0; i < op_count; ++i) {
        const Op op = static_cast<Op>(i);
        const OpSpelling& s = spelling(op);
        if (s.prec == Prec::Atom && s.symbol.empty() && op != Op::Const && op != Op::Variable &&
            op != Op::Piecewise)
          names.emplace(s.name, op);
      }
      return names;
    }();
    const auto it = by_name.find(id);
    return it == by_name.end() ? std::nullopt : std::optional<Op>(it->second);
  }

  /// A name the text reserves for a function of its own: an op, where, piecewise.
  static bool built_in_name(std::string_view id) {
    return builtin(id) || id == "where" || id == "piecewise";
  }

  static std::string usage(Op op) { return signature(op); }

  // Not inlined: its frame stays off the recursion through primary() (nesting is 500 deep, and
  // sanitizer builds have large frames).
  [[gnu::noinline]] Expr call_function(const Token& name, const std::string& id) {
    if (id == defining_) fail(name, "'" + id + "' calls itself; definitions cannot be recursive");
    if (auto def = definitions_.find(id); def != definitions_.end()) {
      const auto args = arguments(name);
      if (args.size() != def->second.params.size())
        fail(name,
             id + " takes " + std::to_string(def->second.params.size()) + " argument" +
                 (def->second.params.size() == 1 ? "" : "s") + ", got " +
                 std::to_string(args.size()),
             "usage: " + def->second.usage);
      // Without parameters a call is its body, already built: it adds nothing (the printers
      // name shared parts of large graphs so, `u1() = ...; u2() = u1()*u1(); ...`).
      if (def->second.params.empty()) return def->second.body;
      // Passing the caller's parameters on, in order, binds each placeholder to itself: the
      // call is the body, already built, and adds nothing.
      bool passed_on = true;
      for (std::size_t i = 0; i < args.size() && passed_on; ++i)
        passed_on = args[i].is_var() && args[i].name() == def->second.params[i];
      if (passed_on) return def->second.body;
      // Nested calls multiply: 22 levels of f(x) = g(sin(x)) + g(cos(x)) would be 2^22 nodes.
      if (!def->second.size) def->second.size = node_count(def->second.body);
      expanded_ += *def->second.size;
      if (expanded_ > limits_.max_expanded)
        fail(name,
             "the definitions expand to more than " + std::to_string(limits_.max_expanded) +
                 " nodes (the limit)",
             "each call copies its definition, except one passing its caller's parameters on "
             "in order (u2(x) = relu(2*u1(x)) copies nothing, u2(x) = u1(relu(2*x)) copies u1); "
             "a definition calling another several times multiplies their sizes");
      std::map<std::string, Expr, std::less<>> bind;
      for (std::size_t i = 0; i < args.size(); ++i) bind.emplace(def->second.params[i], args[i]);
      return substitute(def->second.body, bind);
    }
    if (id == "where") {
      const auto args = arguments(name);
      if (args.size() != 3)
        fail(name, "where takes 3 arguments, got " + std::to_string(args.size()),
             "where(condition, value_if_true, value_if_false)");
      return slope::where(args[0], args[1], args[2]);
    }
    const auto op = builtin(id);
    if (!op) {
      if (const auto later = definition_after(id))
        fail(name,
             "'" + id + "' is used before its definition (line " + std::to_string(*later) + ")",
             "move the definition of " + id + " above its first use");
      fail(name, "unknown function '" + id + "'", suggestions(id));
    }
    const auto args = arguments(name);
    const OpSpelling& s = spelling(*op);
    const auto n = static_cast<int>(args.size());
    if (n < s.min_args || n > s.max_args) {
      const std::string count = s.min_args == s.max_args ? std::to_string(s.min_args)
                                                         : std::to_string(s.min_args) + " to " +
                                                               std::to_string(s.max_args);
      fail(name,
           id + " takes " + count + " argument" + (s.max_args == 1 ? "" : "s") + ", got " +
               std::to_string(n),
           "usage: " + usage(*op));
    }
    // Written bounds the wrong way round are a likely mistake (as an op, clamp then gives hi
    // everywhere, as PyTorch's does: rewrites and run-time bounds rely on that).
    // (a bound may be a fraction, 1/3: a number too)
    if ((*op == Op::Clamp || *op == Op::Hardtanh) && args.size() == 3) {
      const auto lo = detail::number_value(args[1]), hi = detail::number_value(args[2]);
      if (lo && hi && *lo > *hi)
        fail(name,
             fmt::format("{}(x, lo, hi) needs lo <= hi; got lo = {} and hi = {}", id,
                         to_text(args[1]), to_text(args[2])),
             "usage: " + usage(*op));
    }
    return make_op(*op, args);
  }

  std::string suggestions(const std::string& id) const {
    std::vector<std::pair<std::size_t, std::string>> near;
    // Case is not a typo's distance: ReLU and LeakyReLU (PyTorch's class names) are near.
    std::string lower = id;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    auto consider = [&](std::string_view known) {
      const std::size_t d =
          std::min(detail::edit_distance(id, known), detail::edit_distance(lower, known));
      if (d <= std::max<std::size_t>(2, known.size() / 3)) near.emplace_back(d, std::string(known));
    };
    for (std::string_view f : function_names()) consider(f);
    for (const auto& [name, def] : definitions_) consider(name);
    std::sort(near.begin(), near.end());
    if (near.empty())
      return "known functions: relu, leaky_relu, max, min, abs, exp, log, ... (see docs/syntax.md)";
    std::string out = "did you mean ";
    for (std::size_t i = 0; i < std::min<std::size_t>(near.size(), 3); ++i)
      out += (i ? (i + 1 == std::min<std::size_t>(near.size(), 3) ? " or " : ", ") : "") +
             near[i].second;
    return out + "?";
  }

  Expr piecewise_branches(const Token& name) {
    std::vector<Branch> branches;
    for (;;) {
      if (is(")"))
        fail(name, "piecewise needs an 'otherwise' branch", "piecewise(x > 0: x, otherwise: 0)");
      if (is_word("otherwise")) {
        take();
        expect(":", "after 'otherwise'");
        Expr rest = expression();
        if (is(",")) fail(peek(), "'otherwise' must be the last branch of piecewise");
        if (!is(")")) {
          if (peek().kind == Tok::End) fail(name, "this piecewise( is never closed", "add a ')'");
          unexpected(peek(), "after the otherwise branch");
        }
        take();
        return piecewise(branches, rest);
      }
      Expr cond = expression();
      if (!is(":")) {
        if (is(")") || is(","))
          fail(peek(), "a piecewise branch needs 'condition: value'",
               "piecewise(x > 0: x, otherwise: 0)");
        if (peek().kind == Tok::End)
          fail(name, "this piecewise( is never closed, and has no 'otherwise' branch",
               "piecewise(x > 0: x, otherwise: 0)");
        unexpected(peek(), "where ':' was expected after a piecewise condition");
      }
      take();
      Expr value = expression();
      if (is(")"))
        fail(peek(), "piecewise needs an 'otherwise' branch", "piecewise(x > 0: x, otherwise: 0)");
      if (peek().kind == Tok::End)
        fail(name, "this piecewise( is never closed", "add ', otherwise: ...)'");
      expect(",", "between piecewise branches");
      branches.push_back({cond, value});
    }
  }

  // ---- definitions -----------------------------------------------------------------------
  bool looks_like_definition(std::size_t from) const {
    std::size_t i = from;
    auto at = [&](std::size_t k) -> const Token& {
      return tokens_[std::min(k, tokens_.size() - 1)];
    };
    if (at(i).kind != Tok::Ident || !is_symbol(at(i + 1), "(")) return false;
    i += 2;
    if (!is_symbol(at(i), ")")) {
      for (;;) {
        if (at(i).kind != Tok::Ident) return false;
        ++i;
        if (is_symbol(at(i), ",")) {
          ++i;
          continue;
        }
        break;
      }
    }
    return is_symbol(at(i), ")") && is_symbol(at(i + 1), "=");
  }

  /// The line of a definition of `id` further on in the text, if there is one.
  std::optional<std::size_t> definition_after(std::string_view id) const {
    for (std::size_t k = pos_; k < tokens_.size(); ++k)
      if (tokens_[k].kind == Tok::Ident && tokens_[k].text == id && looks_like_definition(k))
        return line_of(tokens_[k].offset);
    return std::nullopt;
  }

  /// Names the placeholders after the parameters where that is safe, so that the text's last
  /// call `u1000(x)` of a chain of definitions in x is the body already built, not a copy of it.
  /// A name may stand for position j when it names a parameter at no other position and is never
  /// a free variable of a body: there the placeholder would capture it (f(x) = x + y; g(y) = f(y)).
  void name_placeholders() {
    std::unordered_map<std::string_view, std::size_t> position;  // where each name is a parameter
    std::vector<std::string_view> order;                         // parameter names, first seen
    std::unordered_set<std::string_view> unsafe;
    for (std::size_t k = 0; k < tokens_.size(); ++k) {
      if ((k > 0 && !is_separator(tokens_[k - 1])) || !looks_like_definition(k)) continue;
      std::vector<std::string_view> params;
      std::size_t i = k + 2;
      for (; !is_symbol(tokens_[i], ")"); ++i)
        if (tokens_[i].kind == Tok::Ident) params.push_back(tokens_[i].text);
      for (std::size_t j = 0; j < params.size(); ++j) {
        const auto [at, first] = position.emplace(params[j], j);
        if (first) order.push_back(params[j]);
        if (at->second != j) unsafe.insert(params[j]);
      }
      // The body, to where the parser ends it: a newline inside parentheses or after an
      // operator is a space (found by a helper: a free y on a second line was captured).
      std::size_t depth = 0;
      for (i += 2; tokens_[i].kind != Tok::End; ++i) {
        const Token& t = tokens_[i];
        if (depth == 0 &&
            (is_symbol(t, ";") || (t.kind == Tok::Newline && !continues_after(tokens_[i - 1]))))
          break;
        if (is_symbol(t, "(")) ++depth;
        if (is_symbol(t, ")") && depth > 0) --depth;
        if (t.kind == Tok::Ident && !is_symbol(tokens_[i + 1], "(") &&  // not a call
            std::find(params.begin(), params.end(), t.text) == params.end())
          unsafe.insert(t.text);
      }
      k = i;
    }
    for (const std::string_view name : order) {
      const std::size_t j = position.at(name);
      if (unsafe.count(name) || is_reserved_word(name) || built_in_name(name)) continue;
      if (placeholders_.size() <= j) placeholders_.resize(j + 1);
      if (placeholders_[j].empty()) placeholders_[j] = name;
    }
  }

  /// The placeholder of parameter `position`: a parameter's own name where name_placeholders
  /// found one safe, else a name apart from every name in the text.
  const std::string& placeholder_for(std::size_t position) {
    if (placeholders_.size() <= position) placeholders_.resize(position + 1);
    std::string& name = placeholders_[position];
    if (name.empty()) {
      do {
        name = "_p" + std::to_string(placeholders_tried_++);
      } while (all_names().count(name));
    }
    return name;
  }

  void definition() {
    const Token name = take();
    const std::string id(name.text);
    if (built_in_name(id))
      fail(name, "'" + id + "' is a built-in function and cannot be redefined",
           "choose another name, like my_" + id);
    if (is_reserved_word(id))
      fail(name, "'" + id + "' is a reserved word and cannot name a definition",
           "choose another name, like my_" + id);
    if (definitions_.count(id)) fail(name, "'" + id + "' is already defined");
    take();  // (
    Definition def;
    def.usage = id + "(";
    while (!is(")")) {
      const Token p = take();
      if (p.kind != Tok::Ident) unexpected(p, "in the parameter list");
      const std::string param(p.text);
      if (params_.count(param)) fail(p, "parameter '" + param + "' appears twice");
      // (inf as a parameter read as the number inf in the body: f(inf) = inf + 1 ignored its
      // argument; a function's name would be read as the function)
      if (is_reserved_word(param))
        fail(p, "'" + param + "' is a reserved word and cannot name a parameter",
             "choose another name, like x");
      if (built_in_name(param) || definitions_.count(param))
        fail(p, "'" + param + "' is a function and cannot name a parameter",
             "choose another name, like x");
      if (param == id)
        fail(p, "'" + param + "' names the definition and cannot name its parameter",
             "choose another name, like x");
      const std::string& placeholder = placeholder_for(def.params.size());
      params_.emplace(param, var(placeholder));
      def.params.push_back(placeholder);
      def.usage += (def.params.size() > 1 ? ", " : "") + param;
      if (is(",")) take();
    }
    def.usage += ")";
    take();  // )
    take();  // =
    defining_ = id;
    def.body = expression();
    defining_.clear();
    params_.clear();
    if (!at_separator() && peek().kind != Tok::End)
      unexpected(peek(), "after the definition of " + id);
    definitions_.emplace(id, std::move(def));
  }
};

}  // namespace

std::vector<std::string_view> function_names() {
  std::vector<std::string_view> names;
  for (int i = 0; i < op_count; ++i) {
    const OpSpelling& s = spelling(static_cast<Op>(i));
    if (s.prec == Prec::Atom && s.symbol.empty() && s.name != "constant" && s.name != "variable")
      names.push_back(s.name);
  }
  names.push_back("where");
  return names;
}

std::vector<std::string> names_in(std::string_view text) { return Parser(text, {}).names(); }

std::vector<std::string> variables_written(std::string_view text) {
  Parser parser(text, {});
  parser.program();
  return parser.written();
}

Expr parse(std::string_view text, const ParseLimits& limits) {
  return Parser(text, limits).program();
}

}  // namespace slope
