// Helpers shared by the tests: temporary databases and whole-store dumps.
#ifndef PACTGRAPH_TESTS_TESTING_H_
#define PACTGRAPH_TESTS_TESTING_H_

#include <memory>
#include <string>

#include "storage/store.h"

namespace pactgraph::testing {

// A fresh directory under the system temporary directory, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Every key and value of every column family, as one string, for exact before/after comparison.
std::string Dump(const storage::Store& store);

// Writes `text` to `path`.
void WriteFile(const std::string& path, const std::string& text);

}  // namespace pactgraph::testing

#endif  // PACTGRAPH_TESTS_TESTING_H_
