#include "fundgap/base/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "fundgap/base/diagnostic.h"

namespace fundgap {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw InputError(SourceLocation{}, fmt::format("cannot write '{}': {}", path, why));
}

// Writes all of `content` to `fd`; returns 0 or the errno of the failure.
int write_all(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// The descriptor a path names when it is one of fundgap's own open files: /dev/stdout,
// /dev/stderr, /dev/fd/N or /proc/self/fd/N; else -1. Writing to the descriptor keeps
// what the shell set up (a pipe, a terminal, `>>` appending).
int descriptor_named(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = path.substr(prefix.size());
    if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(digits);
  }
  return -1;
}

// The file a chain of symbolic links ends at (which may not exist yet), or `path` itself.
std::filesystem::path final_target(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  std::error_code ec;
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    if (hops == 40) fail(path, std::strerror(ELOOP));
    fs::path next = fs::read_symlink(p, ec);
    if (ec) fail(path, ec.message());
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  return p;
}

// Writes straight to a device, FIFO or open descriptor: there is no file to replace.
void write_directly(const std::string& path, int fd, const std::string& content) {
  const bool own = fd < 0;
  if (own) fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) fail(path, std::strerror(errno));
  int error = write_all(fd, content);
  if (own && ::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) fail(path, std::strerror(error));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  if (int fd = descriptor_named(path); fd >= 0) return write_directly(path, fd, content);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail(path, "it is a directory");
    if (!S_ISREG(st.st_mode)) return write_directly(path, -1, content);
  }
  // A regular file or none yet: through a symbolic link, the file the link names is
  // replaced, and the link stays.
  const fs::path target = final_target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string hidden = fmt::format(".{}.tmp-XXXXXX", target.filename().string());
  std::string tmpl = (dir / hidden).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail(path, std::strerror(errno));
  if (int error = write_all(fd, content); error != 0) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    fail(path, std::strerror(error));
  }
  // Keep the permissions an ordinary new file would get (mkstemp makes it 0600).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0 || std::rename(tmpl.c_str(), target.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmpl.c_str());
    fail(path, why);
  }
}

}  // namespace fundgap
