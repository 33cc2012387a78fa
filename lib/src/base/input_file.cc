#include "fundgap/base/input_file.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace fundgap {

namespace {

[[noreturn]] void cannot(const std::string& why, const SourceLocation& named_at, std::string_view named_by) {
  throw InputError(named_at, named_by.empty() ? fmt::format("cannot {}", why)
                                              : fmt::format("cannot {} (named by {})", why, named_by));
}

std::string size_text(std::size_t bytes) {
  return bytes % (std::size_t{1} << 20) == 0 ? fmt::format("{} MiB", bytes >> 20) : fmt::format("{} bytes", bytes);
}

}  // namespace

std::string read_input_file(const std::string& path, std::size_t limit, const SourceLocation& named_at,
                            std::string_view named_by) {
  const bool standard_input = path == "-";
  const std::string name = standard_input ? std::string(kStdinName) : path;
  const int fd = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) cannot(fmt::format("open '{}': {}", name, std::strerror(errno)), named_at, named_by);
  struct Closer {
    int fd;
    bool own;
    ~Closer() {
      if (own) ::close(fd);
    }
  } closer{fd, !standard_input};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    cannot(fmt::format("read '{}': it is a directory", name), named_at, named_by);
  std::string text;
  if (S_ISREG(st.st_mode) && st.st_size > 0)
    text.reserve(static_cast<std::size_t>(std::min<off_t>(st.st_size, static_cast<off_t>(limit) + 1)));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      cannot(fmt::format("read '{}': {}", name, std::strerror(errno)), named_at, named_by);
    }
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > limit)
      cannot(fmt::format("read '{}': it is larger than {} (the limit)", name, size_text(limit)), named_at, named_by);
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace fundgap
