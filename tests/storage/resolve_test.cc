#include "storage/resolve.h"

#include <gtest/gtest.h>

#include "storage/import_session.h"
#include "tests/testing.h"

namespace pactgraph::storage {
namespace {

using pactgraph::testing::TempDir;

// A store where "Oracle" is both a company and a product, "RHEL" is an alias, and "Red Hat
// Enterprise Linux" has a near namesake to suggest.
class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.create_if_missing = true;
    Result<std::unique_ptr<Store>> s = Store::Open(dir_.File("db"), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ImportOptions io;
    io.sync = false;
    std::unique_ptr<ImportSession> session = std::move(store_->BeginImport(io)).value();
    rhel_ = session->DeclareEntity({"Product", "Red Hat Enterprise Linux", {"RHEL"}, {}})->id;
    oracle_company_ = session->DeclareEntity({"Company", "Oracle", {}, {}})->id;
    oracle_product_ = session->DeclareEntity({"Product", "Oracle", {}, {}})->id;
    microsoft_ = session->DeclareEntity({"Company", "Microsoft Corp.", {}, {}})->id;
    ASSERT_TRUE(session->Commit().ok());
  }

  Result<EntityId> Resolve(std::string_view text, ResolveOptions options = {}) {
    return ResolveEntity(*store_, store_->GetSnapshot(), text, options);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  EntityId rhel_ = 0, oracle_company_ = 0, oracle_product_ = 0, microsoft_ = 0;
};

TEST_F(ResolveTest, HashAndDigitsNameAnId) {
  Result<EntityId> id = Resolve("#" + std::to_string(rhel_));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, rhel_);
}

TEST_F(ResolveTest, AnIdPastSixtyFourBitsIsAnErrorNotAnException) {
  Result<EntityId> id = Resolve("#123456789012345678901234567");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "\"#123456789012345678901234567\" is not an entity id: an id is a whole number below 2^64");
  // 2^64 itself is one past the last id.
  EXPECT_EQ(Resolve("#18446744073709551616").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ResolveTest, AnIdNoEntityHasIsNotFound) {
  Result<EntityId> id = Resolve("#18446744073709551615");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(id.status().message(), "no entity has the id #18446744073709551615");
}

TEST_F(ResolveTest, AnAliasAndAnotherCaseNameTheSameEntity) {
  EXPECT_EQ(*Resolve("RHEL"), rhel_);
  EXPECT_EQ(*Resolve("rhel"), rhel_);
  EXPECT_EQ(*Resolve("red hat enterprise LINUX"), rhel_);
  EXPECT_EQ(*Resolve("Microsoft"), microsoft_);  // the legal form does not count
}

TEST_F(ResolveTest, AnAmbiguousNameListsEveryCandidateWithTypeAndId) {
  Result<EntityId> id = Resolve("Oracle");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "\"Oracle\" is ambiguous; it names \"Oracle\" (Company #" + std::to_string(oracle_company_) +
                                       "), \"Oracle\" (Product #" + std::to_string(oracle_product_) +
                                       "); use the full name or #ID");
}

TEST_F(ResolveTest, AnUnknownNameSuggestsTheNearestWithTheirTypes) {
  Result<EntityId> id = Resolve("Red Hat Enterprize Linux");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(id.status().message(),
            "no entity is named \"Red Hat Enterprize Linux\"; did you mean \"Red Hat Enterprise Linux\" (Product)?");
}

// Only near names are suggested: a name like nothing in the store gets none, not the five
// least unlike it.
TEST_F(ResolveTest, ANameNearNothingGetsNoSuggestions) {
  EXPECT_EQ(Resolve("Quillbert Systems").status().message(), "no entity is named \"Quillbert Systems\"");
  EXPECT_EQ(Resolve("Oracel").status().message().find("did you mean \"Oracle\""), std::string("no entity is named \"Oracel\"; ").size());
}

TEST_F(ResolveTest, ANameWithoutLettersGetsNoSuggestions) {
  EXPECT_EQ(Resolve("?!").status().message(), "no entity is named \"?!\"");
}

TEST_F(ResolveTest, BareDigitsAreANameUnlessAskedToBeAnId) {
  const std::string digits = std::to_string(rhel_);
  EXPECT_EQ(Resolve(digits).status().code(), StatusCode::kNotFound);
  Result<EntityId> id = Resolve(digits, {.bare_digits_as_id = true});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, rhel_);
  // Past 64 bits, bare digits are only a name nothing has.
  EXPECT_EQ(Resolve("123456789012345678901234567", {.bare_digits_as_id = true}).status().code(), StatusCode::kNotFound);
}

TEST_F(ResolveTest, AVeryLongNameIsQuotedByItsStart) {
  const std::string digits(550, '9');
  Result<EntityId> id = Resolve("#" + digits);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message(), "\"#" + digits.substr(0, 79) + "...\" (551 bytes) is not an entity id: an id is a whole number below 2^64");
}

}  // namespace
}  // namespace pactgraph::storage
