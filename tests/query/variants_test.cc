// ON and the VARIANT_OF links: a question about a version is answered by what is stated about
// the product line, a question about the line by what is stated about its versions, and never
// by a sibling version.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "ingest/jsonl.h"
#include "query/engine.h"
#include "tests/testing.h"

namespace pactgraph::query {
namespace {

class Variants : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions so;
    so.create_if_missing = true;
    store_ = std::move(storage::Store::Open(dir_.File("db"), so)).value();
    std::ofstream f(dir_.File("facts.jsonl"));
    f << R"({"kind":"document","key":"variants-note","title":"A note on versions"})" "\n"
         R"({"kind":"entity","name":"Fjordsoft","type":"Company"})" "\n"
         R"({"kind":"entity","name":"Brightwave Labs","type":"Company"})" "\n"
         R"({"kind":"entity","name":"Lumen DB","type":"Product"})" "\n"
         R"({"kind":"entity","name":"Quill OS","type":"Product"})" "\n"
         R"({"kind":"entity","name":"Quill OS 6","type":"Product"})" "\n"
         R"({"kind":"entity","name":"Quill OS 7","type":"Product"})" "\n"
         R"({"kind":"relation","type":"VARIANT_OF","subject":"Quill OS 6","object":"Quill OS","source":{"doc":"variants-note","sentence":1}})" "\n"
         R"({"kind":"relation","type":"VARIANT_OF","subject":"Quill OS 7","object":"Quill OS","source":{"doc":"variants-note","sentence":1}})" "\n"
         R"({"kind":"relation","type":"SUPPORTS","subject":"Fjordsoft","object":"Lumen DB","qualifiers":{"on":"Quill OS"},"source":{"doc":"variants-note","sentence":2}})" "\n"
         R"({"kind":"relation","type":"SUPPORTS","subject":"Brightwave Labs","object":"Lumen DB","qualifiers":{"on":"Quill OS 6"},"source":{"doc":"variants-note","sentence":3}})" "\n";
    f.close();
    ASSERT_TRUE(ingest::ImportJsonlFile(*store_, dir_.File("facts.jsonl"), {}).ok());
  }

  std::set<std::string> Who(const std::string& q) {
    Engine engine(*store_);
    Result<std::vector<Answer>> a = engine.Run(q);
    EXPECT_TRUE(a.ok()) << q << ": " << a.status().ToString();
    std::set<std::string> out;
    if (!a.ok() || a->empty()) return out;
    for (const auto& row : a->front().rows) out.insert(row[0].text);
    return out;
  }

  pactgraph::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(Variants, AVersionIsAnsweredByItsProductLineButNotByASibling) {
  EXPECT_EQ(Who(R"(WHO SUPPORTS "Lumen DB" ON "Quill OS 7")"), (std::set<std::string>{"Fjordsoft"}));
}

TEST_F(Variants, TheProductLineIsAnsweredByItsVersions) {
  EXPECT_EQ(Who(R"(WHO SUPPORTS "Lumen DB" ON "Quill OS")"), (std::set<std::string>{"Fjordsoft", "Brightwave Labs"}));
}

TEST_F(Variants, ExactlyIsThatProductAlone) {
  EXPECT_EQ(Who(R"(WHO SUPPORTS "Lumen DB" ON EXACTLY "Quill OS 7")"), (std::set<std::string>{}));
  EXPECT_EQ(Who(R"(WHO SUPPORTS "Lumen DB" ON EXACTLY "Quill OS 6")"), (std::set<std::string>{"Brightwave Labs"}));
}

}  // namespace
}  // namespace pactgraph::query
