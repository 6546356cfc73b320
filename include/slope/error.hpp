// The exception types slope throws.
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
  explicit UnboundVariable(std::string name)
      : Error("no value given for variable '" + name + "'"), name_(std::move(name)) {}
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace slope
