// SPDX-License-Identifier: MIT
// Expr: hash-consing, sharing, the topological walk, and destruction of long chains.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/id_map.hpp"
#include "slope/slope.hpp"

using namespace slope;

BOOST_AUTO_TEST_CASE(building_twice_gives_the_same_node) {
  const Expr x = var("x"), y = var("y");
  const Expr a = relu(2 * x + y) * sin(x);
  const Expr b = relu(2 * x + y) * sin(x);
  BOOST_TEST(a.id() == b.id());
  BOOST_TEST(a.hash() == b.hash());
  BOOST_TEST(!(a == relu(2 * x + y) * cos(x)));
  BOOST_TEST(var("x").id() == x.id());
  BOOST_TEST(Expr(0.5).id() == constant(0.5).id());
  BOOST_TEST(Expr(-0.0).id() == Expr(0.0).id());
}

BOOST_AUTO_TEST_CASE(doubling_twenty_times_stays_small) {
  // e + e folds to 2*e; with hash-consing each doubling adds at most a couple of nodes.
  const Expr x = var("x");
  Expr e = sin(x) + x;
  for (int i = 0; i < 20; ++i) e = e + e;
  BOOST_TEST(node_count(e) <= 30U);
  BOOST_TEST(eval(e, {{"x", 1.0}}) == (std::sin(1.0) + 1.0) * 1048576.0,
             boost::test_tools::tolerance(1e-12));

  // Without like-term folding (a product instead of a sum) the DAG must still share: e*e is e^2,
  // so use a non-foldable op to force real sharing.
  Expr m = x;
  for (int i = 0; i < 20; ++i) m = max(m, sin(m));
  BOOST_TEST(node_count(m) == 41U);  // x plus 20 sin and 20 max nodes
}

BOOST_AUTO_TEST_CASE(topological_order_visits_children_first_and_each_once) {
  const Expr x = var("x");
  const Expr s = sin(x);
  const Expr f = s * s + s;  // s is shared
  const auto order = topological_order(f);
  BOOST_TEST(order.back() == f);
  std::size_t seen_s = 0, pos_x = 0, pos_s = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == s) {
      ++seen_s;
      pos_s = i;
    }
    if (order[i] == x) pos_x = i;
  }
  BOOST_TEST(seen_s == 1U);
  BOOST_TEST(pos_x < pos_s);
  BOOST_TEST(
      (variables(relu(var("b") + var("a") * var("b"))) == std::vector<std::string>{"b", "a"}));
  BOOST_TEST(is_constant_expr(Expr(3) + 4));
  BOOST_TEST(!is_constant_expr(x + 4));
}

BOOST_AUTO_TEST_CASE(a_million_deep_chain_builds_walks_and_frees_without_recursion) {
  const Expr x = var("x");
  {
    Expr e = x;
    for (int i = 0; i < 1'000'000; ++i) e = relu(e + 1);
    BOOST_TEST(node_count(e) > 1'000'000U);
  }                                           // the destructor frees two million nodes iteratively
  BOOST_TEST(node_count(relu(x + 1)) == 4U);  // the table still works afterwards
}

BOOST_AUTO_TEST_CASE(nodes_built_on_several_threads_are_shared) {
  std::vector<Expr> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &results] {
      Expr e = var("x");
      for (int i = 0; i < 2000; ++i) e = relu(e * 2 + i % 7);
      results[t] = e;
    });
  for (auto& th : threads) th.join();
  for (const Expr& r : results) BOOST_TEST(r.id() == results[0].id());
}

BOOST_AUTO_TEST_CASE(arg_out_of_range_throws) {
  BOOST_CHECK_THROW(var("x").arg(0), std::out_of_range);
  BOOST_CHECK_THROW(sin(var("x")).arg(1), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(nodes_keep_their_arguments_in_order_inline_or_not) {
  // Up to three arguments live in the node itself, more in a vector: every count on both sides
  // of that line keeps its arguments, in order, through building, sharing and freeing.
  for (std::size_t n = 1; n <= 20; ++n) {
    std::vector<Expr> args;
    for (std::size_t i = 0; i < n; ++i) args.push_back(exp(var("a" + std::to_string(i))));
    for (int twice = 0; twice < 2; ++twice) {  // made, then found
      const Expr sum = make_op(Op::Add, args), product = make_op(Op::Mul, args);
      const Expr one = n == 1 ? args[0] : sum;
      BOOST_TEST(one.size() == (n == 1 ? 1U : n));
      for (std::size_t i = 0; i < n && n > 1; ++i) {
        BOOST_TEST((sum.arg(i) == args[i]));
        BOOST_TEST((product.args()[i] == args[i]));
      }
    }
    Env at;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
      at["a" + std::to_string(i)] = 0.1 * i, total += std::exp(0.1 * i);
    BOOST_TEST(eval(make_op(Op::Add, args), at) == total, boost::test_tools::tolerance(1e-14));
  }
  const Expr x = var("x");
  BOOST_TEST(x.args().empty());
  BOOST_TEST(Expr(2.5).args().empty());
  BOOST_TEST((clamp(x, 0, 1).args()[2] == Expr(1)));  // three: the most that live inline
}

BOOST_AUTO_TEST_CASE(structurally_different_nodes_have_different_hashes) {
  // Every composition of sin and cos up to 16 deep: 131,071 nodes. With hash_combine alone
  // they shared under 10,000 hashes, and interning them took seconds.
  std::vector<Expr> level{var("x")}, all{level};
  for (int depth = 0; depth < 16; ++depth) {
    std::vector<Expr> next;
    for (const Expr& e : level) {
      next.push_back(sin(e));
      next.push_back(cos(e));
    }
    level = std::move(next);
    all.insert(all.end(), level.begin(), level.end());
  }
  std::unordered_set<std::size_t> hashes;
  for (const Expr& e : all) hashes.insert(e.hash());
  BOOST_TEST(all.size() == 131071U);
  BOOST_TEST(hashes.size() >= all.size() - 2);  // 64-bit hashes: a collision is a fluke
}

// The per-node map of every walk (core/id_map.hpp), held to std::unordered_map on the same ids.
BOOST_AUTO_TEST_CASE(id_map_keeps_what_an_unordered_map_keeps) {
  detail::IdMap<int> map;
  std::unordered_map<NodeId, int> reference;
  std::uint64_t state = 12345;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const NodeId id = 1 + (state >> 40) % 3000;  // repeats: emplace keeps the first value
    map.emplace(id, i);
    reference.emplace(id, i);
    if (i == 100) map.reserve(4000);  // growing by reserve loses nothing
  }
  BOOST_TEST(map.size() == reference.size());
  for (const auto& [id, value] : reference) BOOST_TEST(map.at(id) == value);
  for (NodeId id = 1; id <= 3000; ++id) BOOST_TEST(map.contains(id) == reference.contains(id));
  BOOST_CHECK_THROW((void)map.at(3001), std::out_of_range);
  ++map[3001];  // default-made, then counted
  BOOST_TEST(map.at(3001) == 1);
}

// Numbers are kept per thread in a small table by their bits (expr.cpp): whatever it evicts, a
// number is the same node as the intern table's, on every thread, -0 and NaN included.
BOOST_AUTO_TEST_CASE(numbers_are_one_node_each_across_threads_and_evictions) {
  std::vector<Expr> first;
  for (int i = 0; i < 300; ++i) first.push_back(Expr(i * 0.37 + 2));
  std::vector<Expr> other(first.size());
  std::thread t([&] {
    for (std::size_t i = 0; i < other.size(); ++i) other[i] = Expr(static_cast<int>(i) * 0.37 + 2);
  });
  t.join();
  for (std::size_t i = 0; i < first.size(); ++i) {
    BOOST_TEST(first[i].id() == other[i].id());
    BOOST_TEST(first[i].id() == Expr(static_cast<int>(i) * 0.37 + 2).id());  // after evictions
    BOOST_TEST(first[i].value() == static_cast<int>(i) * 0.37 + 2);
  }
  BOOST_TEST(Expr(-0.0).id() == Expr(0.0).id());
  BOOST_TEST(Expr(std::nan("1")).id() == Expr(std::nan("2")).id());
}
