// SPDX-License-Identifier: MIT
// SVG output proven by its consumer: headless Chromium renders the document to a PNG, and
// tests/support/png_stats.py measures the picture. Tests skip (with a message) where Chromium or
// python3 is missing; CI installs both.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace slope::testing {

inline bool have_program(const std::string& program) {
  return std::system(("command -v " + program + " > /dev/null 2>&1").c_str()) == 0;
}

inline bool can_render_svg() { return have_program("chromium") && have_program("python3"); }

/// An SVG document as headless Chromium draws it in a window of width x height pixels, kept in a
/// fresh folder that goes with the object.
class RenderedSvg {
 public:
  RenderedSvg(std::string_view svg, int width, int height)
      : dir_(std::filesystem::temp_directory_path() /
             fmt::format("slope_render_{}_{}", ::getpid(), counter()++)) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "picture.svg") << svg;
    const std::string cmd = fmt::format(
        "cd '{0}' && chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
        "--user-data-dir='{0}/profile' --screenshot='{0}/picture.png' --window-size={1},{2} "
        "picture.svg > chromium.log 2>&1",
        dir_.string(), width, height);
    if (std::system(cmd.c_str()) != 0 || !std::filesystem::exists(dir_ / "picture.png"))
      throw std::runtime_error("chromium failed; see " + (dir_ / "chromium.log").string());
  }
  RenderedSvg(const RenderedSvg&) = delete;
  RenderedSvg& operator=(const RenderedSvg&) = delete;
  ~RenderedSvg() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  /// png_stats.py's numbers for the picture: width, height, distinct colours, ink, then what
  /// `arguments` asks for (see the script).
  std::vector<double> stats(const std::string& arguments = "") const {
    const auto out = dir_ / "stats.txt";
    const std::string cmd =
        fmt::format("python3 '{}/png_stats.py' '{}' {} > '{}'", SLOPE_TEST_SUPPORT_DIR,
                    (dir_ / "picture.png").string(), arguments, out.string());
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("png_stats.py failed: " + cmd);
    std::ifstream in(out);
    std::vector<double> numbers;
    for (double v; in >> v;) numbers.push_back(v);
    return numbers;
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path dir_;
};

}  // namespace slope::testing
