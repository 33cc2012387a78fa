// Writing output files so that a reader never sees half of one, and a command that
// writes several writes all of them or none.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace fundgap {

// The output files of one command, written as one. add() checks each path before the
// work starts and opens a temporary file beside it; the content is written (or
// streamed while the work runs) into the temporary files; commit() renames them all
// into place once every one is complete. Until then each path keeps its old content:
// on a failure, on destruction without commit(), and on SIGINT, SIGTERM or SIGHUP the
// temporary files (.NAME.tmp-XXXXXX) are removed.
//
// Through a symbolic link, the file the link names is replaced and the link stays. A
// path that is not a regular file (a device such as /dev/null, a FIFO) or that names an
// open descriptor (/dev/stdout, /dev/fd/N) is written straight to, and never replaced.
// Every failure throws InputError (no location) naming the path and the system's
// reason: "cannot write 'out/x.md': No such file or directory".
class OutputFiles {
 public:
  OutputFiles();
  ~OutputFiles();
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  // Checks that `path` can be written and prepares it; returns its index.
  std::size_t add(const std::string& path);
  // Where file `i`'s content goes: its temporary file, or the device itself.
  std::ostream& stream(std::size_t i);
  void write(std::size_t i, const std::string& content) { stream(i) << content; }
  // Moves every file into place. REQUIRES: called once.
  void commit();

 private:
  struct File;
  std::vector<std::unique_ptr<File>> files_;
  bool committed_ = false;
  void discard() noexcept;
};

// One output file: OutputFiles with only `path`.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace fundgap
