#include "graph/schema.h"

#include <gtest/gtest.h>

namespace pactgraph {
namespace {

TEST(Schema, DefaultHasTheCorpusTypes) {
  const Schema s = Schema::Default();
  for (const char* t : {"Company", "Organization", "Product", "Program", "Person", "Agreement", "Claim", "Term"}) {
    EXPECT_NE(s.FindEntityType(t), nullptr) << t;
  }
  const RelationTypeDef* supports = s.FindRelationType("SUPPORTS");
  ASSERT_NE(supports, nullptr);
  EXPECT_EQ(supports->subject_types, std::vector<std::string>{"Company"});
  EXPECT_EQ(supports->object_types, std::vector<std::string>{"Product"});
  EXPECT_TRUE(s.AllowsSlot(*supports, "on"));
  EXPECT_TRUE(s.AllowsSlot(*supports, "status"));  // universal
  EXPECT_FALSE(s.AllowsSlot(*supports, "title"));
  EXPECT_EQ(s.FindSlot("on")->kind, SlotKind::kNode);
  EXPECT_EQ(s.FindSlot("as")->kind, SlotKind::kLiteral);
  EXPECT_TRUE(s.FindRelationType("PARTNERS_WITH")->symmetric);
  EXPECT_EQ(s.FindRelationType("WORKS_FOR")->object_types, (std::vector<std::string>{"Company", "Organization"}));
}

TEST(Schema, IdsNeverChangeWhenExtended) {
  Schema s = Schema::Default();
  const TypeId supports = s.FindRelationType("SUPPORTS")->id;
  Schema extra;
  ASSERT_TRUE(extra.AddEntityType({0, "Standard", ""}).ok());
  ASSERT_TRUE(extra.AddEntityType({0, "Company", ""}).ok());
  ASSERT_TRUE(extra.AddRelationType({0, "IMPLEMENTS", {"Company"}, {"Standard"}, {}, false, "implements", ""}).ok());
  ASSERT_TRUE(s.Extend(extra).ok());
  EXPECT_EQ(s.FindRelationType("SUPPORTS")->id, supports);
  EXPECT_EQ(s.FindRelationType("IMPLEMENTS")->id, s.relation_types().size());
  EXPECT_NE(s.FindEntityType("Standard"), nullptr);
}

TEST(Schema, ClashingDefinitionIsRefused) {
  Schema s = Schema::Default();
  Status st = s.AddRelationType({0, "SUPPORTS", {"Person"}, {"Product"}, {}, false, "", ""});
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
}

TEST(Schema, UnknownTypeInRelationIsRefused) {
  Schema s = Schema::Default();
  Status st = s.AddRelationType({0, "FUNDS", {"Bank"}, {"Company"}, {}, false, "", ""});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Bank"), std::string::npos);
}

TEST(Schema, JsonRoundTripKeepsIds) {
  const Schema s = Schema::Default();
  Result<Schema> back = Schema::FromJson(s.ToJson(true));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(true), s.ToJson(true));
}

TEST(Schema, MalformedJsonIsAnError) {
  EXPECT_FALSE(Schema::FromJson("{").ok());
  EXPECT_FALSE(Schema::FromJson(R"({"relation_types": 3})").ok());
  EXPECT_FALSE(Schema::FromJson(R"({"slots": [{"name": "x", "kind": "maybe"}]})").ok());
}

}  // namespace
}  // namespace pactgraph
