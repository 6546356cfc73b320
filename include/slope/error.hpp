// SPDX-License-Identifier: MIT
/// \file
/// The exception types slope throws.
#pragma once

#include <stdexcept>
#include <string>

namespace slope {

/// Base of every error slope reports about the user's input.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Evaluation met a variable the environment does not bind.
class UnboundVariable : public Error {
 public:
  /// The error for variable `name`.
  explicit UnboundVariable(std::string name)
      : Error("no value given for variable '" + name + "'"), name_(std::move(name)) {}
  /// The variable's name.
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

/// The text of an expression would be longer than the limit it was printed with (a graph that
/// shares subexpressions spells each out wherever it is used, so 140 characters of definitions
/// can print as 2^40).
class TextTooLong : public Error {
 public:
  /// The error for a text longer than `limit` characters.
  explicit TextTooLong(std::size_t limit)
      : Error("the expression's text is longer than " + std::to_string(limit) +
              " characters (it repeats shared subexpressions)"),
        limit_(limit) {}
  /// The limit the text passed, in characters.
  std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
};

/**
 * A syntax or meaning error in the user's text, with where it is. `what()` is the full
 * message a learner sees:
 *
 *     1:1: error: unknown function 'rellu'
 *       rellu(x)
 *       ^^^^^
 *     hint: did you mean relu?
 */
class ParseError : public Error {
 public:
  /// `caret_column`: where the caret goes in `source_line` when that is an excerpt of a long
  /// line (0: at `column`).
  ParseError(std::string message, std::size_t line, std::size_t column, std::size_t length,
             std::string source_line, std::string hint, std::size_t caret_column = 0);
  /// The message alone, without position, excerpt or hint (unknown function 'rellu').
  const std::string& message() const { return message_; }
  std::size_t line() const { return line_; }      ///< 1-based
  std::size_t column() const { return column_; }  ///< 1-based, in characters
  std::size_t length() const { return length_; }  ///< characters underlined (at least 1)
  /// The line, or for a line over 200 characters an excerpt around the error with `...` where
  /// it is cut; the caret is under caret_column() of it (1-based, in characters).
  const std::string& source_line() const { return source_line_; }
  /// Where the caret goes in source_line() (1-based, in characters).
  std::size_t caret_column() const { return caret_column_; }
  /// A suggestion (`did you mean relu?`), or empty.
  const std::string& hint() const { return hint_; }

 private:
  std::string message_;
  std::size_t line_, column_, caret_column_, length_;
  std::string source_line_, hint_;
};

}  // namespace slope
