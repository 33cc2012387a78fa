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

void write_file_atomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& why) {
    throw InputError(SourceLocation{}, fmt::format("cannot write '{}': {}", path, why));
  };
  fs::path target(path);
  if (fs::is_directory(target)) fail("it is a directory");
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string hidden = fmt::format(".{}.tmp-XXXXXX", target.filename().string());
  std::string tmpl = (dir / hidden).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail(std::strerror(errno));
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmpl.c_str());
      fail(why);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  // Keep the permissions an ordinary new file would get (mkstemp makes it 0600).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0 || std::rename(tmpl.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmpl.c_str());
    fail(why);
  }
}

}  // namespace fundgap
