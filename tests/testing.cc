#include "tests/testing.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace pactgraph::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pactgraph-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string Dump(const storage::Store& store) {
  std::string out;
  Status s = store.ForEachRecord([&](std::string_view cf, std::string_view k, std::string_view v) {
    out.append(cf).append("|").append(k).append("|").append(v).append("\n");
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace pactgraph::testing
