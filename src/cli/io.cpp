// SPDX-License-Identifier: MIT
// Input and output for the commands. Reads are bounded by the parser's input limit; files are
// written atomically through a temporary made with O_EXCL next to the target, so a failed or
// interrupted run never leaves a truncated file, and nothing is written through a link or into
// a FIFO, device or the input itself (docs/robustness.md, "Files").
#include "cli/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>

namespace slope::cli {

namespace {

std::string system_error(int error) { return std::strerror(error); }

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Reads at most `limit + 1` bytes from fd: enough to tell that the input is over the limit.
std::string read_bounded(int fd, const std::string& name, std::size_t limit) {
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= limit) {
    const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, limit + 1 - text.size()));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      if (error == EISDIR) throw UsageError("cannot read " + name + ": it is a folder");
      throw UsageError("cannot read " + name + ": " + system_error(error));
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (text.size() > limit)
    throw Error(name + " is longer than " + std::to_string(limit) +
                " characters, the input limit (docs/robustness.md)");
  return text;
}

/// Line breaks as the parser reads them: CR LF and a lone CR (old Mac files) become LF.
std::string unix_line_ends(std::string text) {
  if (text.find('\r') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// The input file and its identity, so that --out can refuse to replace it.
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool known = false;
};

FileId identity(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return {};
  return {st.st_dev, st.st_ino, true};
}

// The temporary being written, for the signal handler: a killed write leaves no debris.
char pending_temp[4096];
volatile std::sig_atomic_t have_pending_temp = 0;

extern "C" void remove_temp_and_die(int sig) {
  if (have_pending_temp) ::unlink(pending_temp);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

class TempFileGuard {
 public:
  TempFileGuard(const std::string& path) {
    if (path.size() >= sizeof pending_temp) return;
    std::memcpy(pending_temp, path.c_str(), path.size() + 1);
    have_pending_temp = 1;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
      previous_.push_back(std::signal(sig, remove_temp_and_die));
    // Past a file size limit (ulimit -f) the write fails with EFBIG, reported like any failed
    // write, instead of SIGXFSZ killing slope with the temporary left behind.
    previous_.push_back(std::signal(SIGXFSZ, SIG_IGN));
  }
  ~TempFileGuard() {
    int i = 0;
    for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ})
      std::signal(sig, previous_[i++]);
    have_pending_temp = 0;
  }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  std::vector<void (*)(int)> previous_;
};

void write_all(int fd, const std::string& text, const std::string& name) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write " + name + ": " + system_error(errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string read_input(const InputOptions& input) {
  const std::size_t limit = ParseLimits{}.max_length;
  std::string text, name;
  if (!input.file.empty()) {
    if (!input.expr.empty())
      throw UsageError("give the expression or --file, not both (got '" + input.expr +
                       "' and --file " + input.file + ")");
    name = "'" + input.file + "'";
    const int fd = ::open(input.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw UsageError("cannot read " + name + ": " + system_error(errno));
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      throw UsageError("cannot read " + name + ": it is a folder; give a file");
    }
    try {
      text = read_bounded(fd, name, limit);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  } else if (input.expr == "-") {
    name = "standard input";
    text = read_bounded(STDIN_FILENO, name, limit);
  } else if (!input.expr.empty()) {
    name = "the expression";
    text = input.expr;
  } else {
    throw UsageError(
        "give an expression, like: slope diff \"relu(x)\" (or --file F, or - for standard "
        "input)");
  }
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte-order mark
  if (const auto nul = text.find('\0'); nul != std::string::npos)
    throw Error(name + " contains a NUL byte (at byte " + std::to_string(nul + 1) +
                "): it looks like a binary file, not an expression");
  return unix_line_ends(std::move(text));
}

namespace {
/// e^x parses (e is a variable, and printers write a variable e so), but a learner who writes
/// it means Euler's number: say so on standard error.
void note_on_e(const Expr& f) {
  for (const Expr& node : topological_order(f))
    if (node.op() == Op::Pow && node.arg(0).op() == Op::Variable && node.arg(0).name() == "e") {
      const Expr& u = node.arg(1);
      std::string power = to_text(u);
      if (power.size() > 40) power = "...";
      const bool atom = u.op() == Op::Variable || (u.is_const() && u.value() >= 0);
      std::cerr << "note: e is a variable here, not Euler's number; for e^"
                << (atom ? power : "(" + power + ")") << " write exp(" << power << ")\n";
      return;
    }
}
}  // namespace

Expr read_expression(const InputOptions& input, std::string* text_read) {
  const std::string text = read_input(input);
  if (text_read != nullptr) *text_read = text;
  try {
    const Expr f = parse(text);
    note_on_e(f);
    return f;
  } catch (const ParseError& e) {
    if (input.file.empty()) throw;
    throw FileParseError(input.file + ":" + e.what());  // file:line:column: error: ...
  }
}

void write_stdout(const std::string& text) { write_all(STDOUT_FILENO, text, "to standard output"); }

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  if (path.empty()) throw UsageError("--out needs a file name");
  const std::string quoted = "'" + path + "'";
  mode_t mode = 0666;
  bool exists = false;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    exists = true;
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      const fs::path target = fs::read_symlink(path, ec);
      throw UsageError("will not write " + quoted + ": it is a symbolic link" +
                       (ec ? std::string() : " to '" + target.string() + "'") +
                       "; slope does not write through links, give the file's own path");
    }
    if (!S_ISREG(st.st_mode))
      throw UsageError("will not write " + quoted + ": it is " + kind_of(st.st_mode) +
                       "; use --out - and redirect standard output to write to it");
    if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(path.c_str(), W_OK) != 0)
      throw UsageError("will not replace " + quoted + ": it is read-only");
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    throw UsageError("cannot write " + quoted + ": " + system_error(errno));
  }
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..")
    throw UsageError("cannot write " + quoted + ": it names a folder, not a file");

  // A new name in the target's folder, created exclusively: never an existing file (the user's
  // own name.tmp), never through a symlink planted in its place.
  std::random_device seed;
  std::mt19937_64 random(seed());
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = (folder / ("." + base + ".slope-" + std::to_string(random() % 1000000000))).string();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      throw UsageError("cannot create " + quoted + ": " + system_error(errno));
  }
  if (fd < 0) throw UsageError("cannot create a temporary file next to " + quoted);
  TempFileGuard guard(temp);
  try {
    if (!exists) {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      mode = 0666 & ~mask;
    }
    if (::fchmod(fd, mode) != 0)
      throw std::runtime_error("cannot set the permissions of " + quoted + ": " +
                               system_error(errno));
    write_all(fd, text, quoted);
    if (::fsync(fd) != 0)
      throw std::runtime_error("cannot write " + quoted + ": " + system_error(errno));
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0)
      throw std::runtime_error("cannot write " + quoted + ": " + system_error(errno));
    if (::rename(temp.c_str(), path.c_str()) != 0)
      throw UsageError("cannot create " + quoted + ": " + system_error(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
}

void write_output(const std::string& out, const std::string& text, const InputOptions& input) {
  if (out.empty() || out == "-") return write_stdout(text);
  const FileId in = identity(input.file), target = identity(out);
  if (in.known && target.known && in.device == target.device && in.inode == target.inode)
    throw UsageError("will not write --out " + out + ": it is the input file (--file " +
                     input.file + ")");
  write_file_atomically(out, text);
}

}  // namespace slope::cli
