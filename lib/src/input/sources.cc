// Where scenario files come from: the file system or memory.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) cannot(fmt::format("read '{}': it is a directory", path), named_at, named_by);
  std::ifstream in(path, std::ios::binary);
  if (!in) cannot(fmt::format("open '{}': {}", path, std::strerror(errno)), named_at, named_by);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) cannot(fmt::format("read '{}': {}", path, std::strerror(errno)), named_at, named_by);
  return buffer.str();
}

std::string FileSystemSources::identity(const std::string& path) const {
  return std::filesystem::weakly_canonical(path).string();
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
