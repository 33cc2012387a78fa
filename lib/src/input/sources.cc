// Where scenario files come from: the file system or memory.
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "document.h"
#include "fundgap/base/input_file.h"
#include "fundgap/input/reader.h"

namespace fundgap {

namespace {

[[noreturn]] void cannot(const std::string& why, const SourceLocation& named_at, std::string_view named_by) {
  throw InputError(named_at, named_by.empty() ? fmt::format("cannot {}", why)
                                              : fmt::format("cannot {} (named by {})", why, named_by));
}

}  // namespace

std::string FileSystemSources::read(const std::string& path, const SourceLocation& named_at,
                                    std::string_view named_by) const {
  return read_input_file(path, input::kMaxFileBytes, named_at, named_by);
}

std::string FileSystemSources::identity(const std::string& path) const {
  if (path == "-") return std::string(kStdinName);
  // A path that cannot be resolved (a loop of symbolic links, a pipe's /dev/fd/N) is
  // itself: reading it then says what is wrong, or reads the pipe.
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
  if (ec) return std::filesystem::absolute(path, ec).lexically_normal().string();
  return canonical.string();
}

MemorySources::MemorySources(std::map<std::string, std::string> files) {
  for (auto& [path, text] : files) files_[identity(path)] = std::move(text);
}

std::string MemorySources::read(const std::string& path, const SourceLocation& named_at,
                                std::string_view named_by) const {
  auto it = files_.find(identity(path));
  if (it == files_.end()) cannot(fmt::format("open '{}': {}", path, std::strerror(ENOENT)), named_at, named_by);
  return it->second;
}

std::string MemorySources::identity(const std::string& path) const {
  return std::filesystem::path(path).lexically_normal().string();
}

}  // namespace fundgap
