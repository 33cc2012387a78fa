#include "fundgap/base/output_file.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <streambuf>
#include <string_view>

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
int write_all(int fd, std::string_view content) {
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

// A stream buffer onto a descriptor that remembers the first write error.
class DescriptorBuffer final : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (error_ == 0 && n > 0) error_ = write_all(fd_, std::string_view(pbase(), n));
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_ == 0;
  }
  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

// The temporary files not yet renamed, for the signal handler to remove. Fixed storage:
// a handler may not allocate.
constexpr int kMaxPending = 32;
char pending_paths[kMaxPending][4096];
volatile std::sig_atomic_t pending[kMaxPending];

extern "C" void remove_pending_and_die(int signal) {
  for (int i = 0; i < kMaxPending; ++i)
    if (pending[i]) ::unlink(pending_paths[i]);
  std::signal(signal, SIG_DFL);
  std::raise(signal);  // delivered once this handler returns: the exit status says which signal
}

// Registers `path`; returns its slot, or -1 when there is no room (it is then only not
// removed on a signal).
int remember_pending(const std::string& path) {
  static const bool installed = [] {
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      // Leave a signal alone that the caller ignores or handles (nohup, a host program).
      if (::sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
        struct sigaction action {};
        action.sa_handler = remove_pending_and_die;
        sigemptyset(&action.sa_mask);
        ::sigaction(signal, &action, nullptr);
      }
    }
    return true;
  }();
  (void)installed;
  if (path.size() >= sizeof pending_paths[0]) return -1;
  for (int i = 0; i < kMaxPending; ++i)
    if (!pending[i]) {
      std::memcpy(pending_paths[i], path.c_str(), path.size() + 1);
      pending[i] = 1;
      return i;
    }
  return -1;
}

void forget_pending(int slot) {
  if (slot >= 0) pending[slot] = 0;
}

}  // namespace

struct OutputFiles::File {
  std::string path;    // as named
  std::string target;  // the regular file replaced; empty when written straight to
  std::string temp;    // the temporary file beside `target`
  int fd = -1;
  bool own_fd = false;
  int slot = -1;
  std::unique_ptr<DescriptorBuffer> buffer;
  std::unique_ptr<std::ostream> out;
};

OutputFiles::OutputFiles() = default;

OutputFiles::~OutputFiles() {
  if (!committed_) discard();
}

std::size_t OutputFiles::add(const std::string& path) {
  auto f = std::make_unique<File>();
  f->path = path;
  if (int fd = descriptor_named(path); fd >= 0) {
    if (::fcntl(fd, F_GETFL) == -1) fail(path, std::strerror(errno));
    f->fd = fd;
  } else if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) fail(path, "it is a directory");
    f->fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);  // a device or FIFO: no file to replace
    if (f->fd < 0) fail(path, std::strerror(errno));
    f->own_fd = true;
  } else {
    // A regular file or none yet: through a symbolic link, the file the link names is
    // replaced, and the link stays.
    const std::filesystem::path target = final_target(path);
    std::filesystem::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    std::string tmpl = (dir / fmt::format(".{}.tmp-XXXXXX", target.filename().string())).string();
    f->fd = ::mkstemp(tmpl.data());
    if (f->fd < 0) fail(path, std::strerror(errno));
    f->own_fd = true;
    f->target = target.string();
    f->temp = tmpl;
    f->slot = remember_pending(tmpl);
  }
  f->buffer = std::make_unique<DescriptorBuffer>(f->fd);
  f->out = std::make_unique<std::ostream>(f->buffer.get());
  files_.push_back(std::move(f));
  return files_.size() - 1;
}

std::ostream& OutputFiles::stream(std::size_t i) { return *files_.at(i)->out; }

void OutputFiles::commit() {
  committed_ = true;
  auto failed = [&](const File& f, int error) {
    discard();
    fail(f.path, std::strerror(error));
  };
  // Keep the permissions an ordinary new file would get (mkstemp makes it 0600).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  for (const auto& f : files_) {
    f->out->flush();
    if (int error = f->buffer->error(); error != 0) failed(*f, error);
    if (!f->temp.empty()) ::fchmod(f->fd, 0666 & ~mask);
    if (f->own_fd) {
      const int fd = f->fd;
      f->own_fd = false;
      if (::close(fd) != 0) failed(*f, errno);
    }
  }
  for (const auto& f : files_) {
    if (f->temp.empty()) continue;
    if (std::rename(f->temp.c_str(), f->target.c_str()) != 0) failed(*f, errno);
    forget_pending(f->slot);
    f->temp.clear();
  }
}

void OutputFiles::discard() noexcept {
  for (const auto& f : files_) {
    if (f->own_fd) ::close(f->fd);
    f->own_fd = false;
    if (!f->temp.empty()) ::unlink(f->temp.c_str());
    forget_pending(f->slot);
    f->temp.clear();
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  OutputFiles files;
  files.write(files.add(path), content);
  files.commit();
}

}  // namespace fundgap
