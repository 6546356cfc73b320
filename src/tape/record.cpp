// SPDX-License-Identifier: MIT
// Recording: Var arithmetic appends instructions to the Var's tape (the same instructions
// Tape::compile produces), so recorded and compiled tapes share one reverse sweep. The
// arithmetic itself is inline in record.hpp; here are the parts each precision compiles once.
#include "slope/record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/op_table.hpp"
#include "core/scalar.hpp"

namespace slope {
namespace {
template <class T>
thread_local BasicTape<T>* current_tape = nullptr;
}

template <class T>
BasicRecording<T>::BasicRecording(BasicTape<T>& tape) : previous_(current_tape<T>) {
  current_tape<T> = &tape;
}
template <class T>
BasicRecording<T>::~BasicRecording() {
  current_tape<T> = previous_;
}
template <class T>
BasicTape<T>& BasicRecording<T>::current() {
  if (!current_tape<T>)
    throw std::logic_error(
        "slope::Var: no tape is recording on this thread (create a slope::Recording)");
  return *current_tape<T>;
}

void detail::throw_no_instruction(std::uint32_t index) {
  throw std::out_of_range("slope::Var: the tape has no instruction " + std::to_string(index));
}

void detail::throw_different_tapes() {
  throw std::invalid_argument("slope::Var: operands are recorded on different tapes");
}

template <class T>
BasicVar<T> record(Op op, std::span<const BasicVar<T>> args) {
  const OpSpelling& s = spelling(op);
  const int n = static_cast<int>(args.size());
  if (op == Op::Const || op == Op::Variable || n == 0 || n < s.min_args ||
      (s.max_args >= 0 && n > s.max_args))
    throw std::invalid_argument(fmt::format("slope::record: {} takes {}, not {} argument{}",
                                            op_name(op), signature(op), n, n == 1 ? "" : "s"));
  BasicTape<T>& t = args[0].tape();
  for (const BasicVar<T>& a : args)
    if (&a.tape() != &t) detail::throw_different_tapes();
  // relu, with + and * (inline in record.hpp), skips the op table's dispatch when recording; its
  // value is the table's (scalar.hpp).
  if (op == Op::Relu)
    return BasicVar<T>::of_new_instruction(
        t, t.push_computed(Op::Relu, args[0].index(), detail::relu_value(args[0].value())));
  using Index = typename BasicTape<T>::Index;
  const std::size_t total = std::max<std::size_t>(args.size(), s.max_args < 0 ? 0 : s.max_args);
  std::array<Index, 4> small{};
  std::vector<Index> large;  // n-ary sums and products of more than four terms
  if (total > small.size()) large.resize(total);
  const std::span<Index> idx =
      total > small.size() ? std::span(large) : std::span(small.data(), total);
  for (std::size_t i = 0; i < args.size(); ++i) idx[i] = args[i].index();
  const auto& defaults = detail::row(op).defaults;  // missing optional arguments, rounded to T
  for (std::size_t i = args.size(); i < total; ++i)
    idx[i] = t.push_constant(static_cast<T>(defaults[i - static_cast<std::size_t>(s.min_args)]));
  return BasicVar<T>::of_new_instruction(t, t.push(op, idx));
}

template class BasicRecording<double>;
template class BasicRecording<float>;
template BasicVar<double> record<double>(Op, std::span<const BasicVar<double>>);
template BasicVar<float> record<float>(Op, std::span<const BasicVar<float>>);
#ifdef SLOPE_HAS_FLOAT16
template class BasicRecording<_Float16>;
template BasicVar<_Float16> record<_Float16>(Op, std::span<const BasicVar<_Float16>>);
#endif

}  // namespace slope
