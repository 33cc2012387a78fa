// A YAML document as a tree whose every node knows the file, line and column it came
// from. Scenario files are read into this tree so that `extends` (merging files) and
// `--set` (command-line overrides) can combine values from several sources while every
// diagnostic still names the exact place a value came from. Private to the library.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fundgap/base/diagnostic.h"

namespace fundgap::input {

class Node {
 public:
  enum class Kind { null, scalar, sequence, map };

  // Declared here and defaulted in document.cc, where Node is complete: `pairs` holds
  // Nodes, and clang 14 with libstdc++ 12 would otherwise need them complete in the class.
  Node();
  ~Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;

  Kind kind = Kind::null;
  std::string text;                          // Kind::scalar
  bool quoted = false;                       // a scalar written in quotes
  std::vector<Node> items;                   // Kind::sequence
  std::vector<std::pair<Node, Node>> pairs;  // Kind::map, in file order, duplicates kept
  SourceLocation where;

  bool IsNull() const { return kind == Kind::null; }
  bool IsScalar() const { return kind == Kind::scalar; }
  bool IsSequence() const { return kind == Kind::sequence; }
  bool IsMap() const { return kind == Kind::map; }
  const std::string& Scalar() const { return text; }
  std::size_t size() const;

  // The value under `key` in a map (the first, if duplicated), or nullptr.
  const Node* find(const std::string& key) const;
  Node* find(const std::string& key);
};

// Limits on one parsed file (docs/format.md): values (YAML nodes) once aliases are
// expanded, the bytes of their text, and how deep they nest.
inline constexpr std::size_t kMaxNodes = 2'000'000;
inline constexpr std::size_t kMaxExpandedText = std::size_t{64} << 20;
inline constexpr int kMaxDepth = 64;
// The largest scenario file (or file it extends) read, in bytes.
inline constexpr std::size_t kMaxFileBytes = std::size_t{32} << 20;

// Parses `file` as YAML. Throws InputError at the parser's position on a syntax error,
// at an alias that refers to a value it is in, and past the limits above. Throws InputError at the parser's position on a syntax error.
// A value left empty (`key:`) is located at its key.
Node parse_yaml(const std::shared_ptr<const SourceFile>& file);

// Whether `n` is a distribution, `{normal: {...}}` and the like: a map with a key naming
// one (beside it may stand `plan:`). Such a map is a single value: it replaces rather
// than merges.
bool is_distribution(const Node& n);
// The pair of a distribution's map that names it (`triangular: [...]`). REQUIRES:
// is_distribution(n).
const std::pair<Node, Node>& distribution_entry(const Node& n);

// Applies `overlay` to `base` the way `extends` does: maps merge key by key, scalars and
// lists replace, and a null value removes the key.
void merge_into(Node& base, const Node& overlay);

}  // namespace fundgap::input
