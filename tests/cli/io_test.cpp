// SPDX-License-Identifier: MIT
// Input and output: standard input, files, limits, and atomic writes.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "cli/run_slope.hpp"

using namespace cli_testing;

BOOST_AUTO_TEST_CASE(input_from_stdin_and_files) {
  BOOST_TEST(run_slope({"diff", "-", "--format", "text"}, "f(x) = max(0, x)\nf(2*x)\n").out ==
             "piecewise(x > 0: 2, otherwise: 0)  # min_norm convention at kinks\n");
  const auto file = std::filesystem::temp_directory_path() / "slope_cli_defs.txt";
  std::ofstream(file) << "# a custom activation\nsquash(x) = clamp(x, 0, 1)\nsquash(3*x)\n";
  BOOST_TEST(run_slope({"diff", "--file", file.string(), "--format", "text"}).out ==
             "piecewise(x <= 0: 0, x < 1/3: 3, otherwise: 0)  # min_norm convention at kinks\n");
  BOOST_TEST(run_slope({"diff", "--file", "/no/such/file"}).status == 2);
  // A parse error in a file is located in it, and says "error" once.
  std::ofstream(file) << "f(x) = relu(x)\nf(x +)\n";
  const Run bad = run_slope({"diff", "--file", file.string()});
  BOOST_TEST(bad.status == 1);
  BOOST_TEST(bad.err.rfind(file.string() + ":2:6: error: unexpected ')'", 0) == 0U, bad.err);
  BOOST_TEST(bad.err.find("error:") == bad.err.rfind("error:"), bad.err);
}

BOOST_AUTO_TEST_CASE(a_ten_megabyte_expression_on_standard_input) {
  std::string big = "x";
  big.reserve(10'000'000);
  while (big.size() < 9'999'990) big += " + x*y";  // 1,666,665 terms of x*y
  const Run e = run_slope({"eval", "-", "--at", "x=1,y=2"}, big);
  BOOST_TEST(e.status == 0, e.err);
  BOOST_TEST(e.out == "3333331\n");  // 1 + 2 * 1,666,665
  // over the 10,000,000-character limit: a clear error, exit 1, no crash
  const Run over = run_slope({"eval", "-", "--at", "x=1,y=2"}, big + std::string(20, ' '));
  BOOST_TEST(over.status == 1);
  BOOST_TEST(over.err.find("10000000") != std::string::npos, over.err);
}

namespace {
namespace fs = std::filesystem;
fs::path fresh_dir(const std::string& name) {
  const fs::path d = scratch() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

BOOST_AUTO_TEST_CASE(out_writes_atomically_and_leaves_only_the_target) {
  const fs::path dir = fresh_dir("atomic");
  const fs::path out = dir / "d.txt";
  std::ofstream(dir / "d.txt.tmp") << "the user's own file";
  const Run r = run_slope({"diff", "relu(x)", "--format", "text", "--out", out.string()});
  BOOST_TEST(r.status == 0, r.err);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(slurp(out) == "piecewise(x > 0: 1, otherwise: 0)  # min_norm convention at kinks\n");
  BOOST_TEST(slurp(dir / "d.txt.tmp") == "the user's own file");  // never touched
  BOOST_TEST(names_in(dir) == (std::vector<std::string>{"d.txt", "d.txt.tmp"}));
  // replacing keeps the file's permissions
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  BOOST_TEST(run_slope({"eval", "2", "--out", out.string()}).status == 0);
  BOOST_TEST(slurp(out) == "2\n");
  BOOST_TEST(((fs::status(out).permissions() & fs::perms::all) ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read)));
  BOOST_TEST(run_slope({"eval", "2", "--out", "-"}).out == "2\n");
}

BOOST_AUTO_TEST_CASE(out_refuses_links_fifos_devices_folders_read_only_files_and_the_input) {
  const fs::path dir = fresh_dir("refuse");
  std::ofstream(dir / "target.txt") << "keep";
  fs::create_symlink(dir / "target.txt", dir / "link.txt");
  const Run link = run_slope({"eval", "1", "--out", (dir / "link.txt").string()});
  BOOST_TEST(link.status == 2);
  BOOST_TEST(contains(link.err, "is a symbolic link to '" + (dir / "target.txt").string() + "'"),
             link.err);
  BOOST_TEST(slurp(dir / "target.txt") == "keep");
  BOOST_TEST(fs::is_symlink(dir / "link.txt"));

  BOOST_TEST(shell("mkfifo " + shell_quote((dir / "fifo").string())).status == 0);
  const Run fifo = run_slope({"eval", "1", "--out", (dir / "fifo").string()});
  BOOST_TEST(fifo.status == 2);
  BOOST_TEST(contains(fifo.err, "it is a FIFO"), fifo.err);

  const Run device = run_slope({"eval", "1", "--out", "/dev/null"});
  BOOST_TEST(device.status == 2);
  BOOST_TEST(contains(device.err, "it is a device"), device.err);

  const Run folder = run_slope({"eval", "1", "--out", dir.string()});
  BOOST_TEST(folder.status == 2);
  BOOST_TEST(contains(folder.err, "it is a folder"), folder.err);

  std::ofstream(dir / "ro.txt") << "read only";
  fs::permissions(dir / "ro.txt", fs::perms::owner_read);
  const Run ro = run_slope({"eval", "1", "--out", (dir / "ro.txt").string()});
  BOOST_TEST(ro.status == 2);
  BOOST_TEST(contains(ro.err, "it is read-only"), ro.err);
  BOOST_TEST(slurp(dir / "ro.txt") == "read only");

  std::ofstream(dir / "in.txt") << "relu(x)\n";
  const Run same =
      run_slope({"diff", "--file", (dir / "in.txt").string(), "--out", (dir / "in.txt").string()});
  BOOST_TEST(same.status == 2);
  BOOST_TEST(contains(same.err, "it is the input file"), same.err);
  BOOST_TEST(slurp(dir / "in.txt") == "relu(x)\n");

  const Run missing = run_slope({"eval", "1", "--out", (dir / "no" / "x.txt").string()});
  BOOST_TEST(missing.status == 2);
  // nothing left behind by any refusal
  BOOST_TEST(names_in(dir) ==
             (std::vector<std::string>{"fifo", "in.txt", "link.txt", "ro.txt", "target.txt"}));
}

BOOST_AUTO_TEST_CASE(a_killed_write_leaves_no_debris) {
  const fs::path dir = fresh_dir("killed");
  // a big table takes a while to format; TERM arrives during the computation or the write
  const Run r =
      shell("cd " + shell_quote(dir.string()) + " && (" +
            slope_command({"table", "x", "--from", "0", "--to", "999999", "--out", "t.txt"}) +
            " & pid=$!; sleep 0.3; kill -TERM $pid; wait $pid)");
  for (const auto& name : names_in(dir)) BOOST_TEST(name == "t.txt");  // whole or absent
}

BOOST_AUTO_TEST_CASE(a_file_size_limit_is_a_failed_write_with_no_debris) {
  // ulimit -f 1 (512 bytes): SIGXFSZ once killed slope mid-write, the temporary left behind.
  // Now the write fails with EFBIG: exit 1 with the reason, the old file kept, no temporary.
  const fs::path dir = fresh_dir("xfsz");
  std::ofstream(dir / "t.txt") << "the old table";
  const Run r =
      shell("cd " + shell_quote(dir.string()) + " && ulimit -f 1 && " +
            slope_command({"table", "x", "--from", "0", "--to", "999", "--out", "t.txt"}));
  BOOST_TEST(r.status == 1, r.err);
  BOOST_TEST(contains(r.err, "File too large"), r.err);
  BOOST_TEST(slurp(dir / "t.txt") == "the old table");
  BOOST_TEST(names_in(dir) == (std::vector<std::string>{"t.txt"}));
}

BOOST_AUTO_TEST_CASE(input_errors_are_clear) {
  const fs::path dir = fresh_dir("inputs");
  const Run both = run_slope({"diff", "x", "--file", (dir / "f").string()});
  BOOST_TEST(both.status == 2);
  BOOST_TEST(contains(both.err, "give the expression or --file, not both"), both.err);

  const Run folder = run_slope({"diff", "--file", dir.string()});
  BOOST_TEST(folder.status == 2);
  BOOST_TEST(contains(folder.err, "'" + dir.string() + "': it is a folder"), folder.err);

  std::ofstream(dir / "bin", std::ios::binary) << std::string("x\0\x01\x02", 4);
  const Run binary = run_slope({"diff", "--file", (dir / "bin").string()});
  BOOST_TEST(binary.status == 1);
  BOOST_TEST(contains(binary.err, "'" + (dir / "bin").string() +
                                      "' contains a NUL byte (at byte 2): it looks like a binary "
                                      "file"),
             binary.err);
  const Run nul = run_slope({"eval", "-"}, std::string("1\0", 2));
  BOOST_TEST(nul.status == 1);
  BOOST_TEST(contains(nul.err, "standard input contains a NUL byte"), nul.err);

  const Run zero = run_slope({"eval", "--file", "/dev/zero"});
  BOOST_TEST(zero.status == 1);
  BOOST_TEST(contains(zero.err, "'/dev/zero' is longer than 10000000 characters"), zero.err);

  // a byte-order mark is skipped; CR LF and CR alone are line breaks
  BOOST_TEST(run_slope({"eval", "-", "--at", "x=2"}, "\xEF\xBB\xBFx*3").out == "6\n");
  BOOST_TEST(run_slope({"eval", "-", "--at", "x=2"}, "f(x) = x + 1\rf(x)*2\r").out == "6\n");
  BOOST_TEST(run_slope({"eval", "-", "--at", "x=2"}, "f(x) = x + 1\r\nf(x)*2\r\n").out == "6\n");

  // an error in a file names the file
  std::ofstream(dir / "bad.txt") << "f(x) = x\nrellu(x)\n";
  const Run bad = run_slope({"diff", "--file", (dir / "bad.txt").string()});
  BOOST_TEST(bad.status == 1);
  BOOST_TEST(contains(bad.err, (dir / "bad.txt").string() + ":2:1: error: unknown function"),
             bad.err);
}

BOOST_AUTO_TEST_CASE(e_to_a_power_gets_a_note_on_eulers_number) {
  // e is a variable (to_text writes one so, and reads it back); the note says what a learner
  // meant, and the command still runs
  const Run d = run_slope({"eval", "e^x", "--at", "e=2,x=3"});
  BOOST_TEST(d.status == 0, d.err);
  BOOST_TEST(d.out == "8\n");
  BOOST_TEST(d.err == "note: e is a variable here, not Euler's number; for e^x write exp(x)\n");
  BOOST_TEST(run_slope({"diff", "e^(-x^2)", "--format", "text"}).err ==
             "note: e is a variable here, not Euler's number; for e^(-x^2) write exp(-x^2)\n");
  const Run eval = run_slope({"eval", "e^x", "--at", "x=1"});
  BOOST_TEST(eval.status == 1);
  BOOST_TEST(eval.err ==
             "note: e is a variable here, not Euler's number; for e^x write exp(x)\n"
             "error: no value given for variable 'e'\nhint: give it with --at, like --at e=1\n");
  // e alone, or times something, is an ordinary variable: no note
  BOOST_TEST(run_slope({"eval", "e*x", "--at", "e=2,x=3"}).err.empty());
}
