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

TEST(Schema, AFileMayUseTheTypesItsBaseHas) {
  const Schema base = Schema::Default();
  const std::string file = R"({"entity_types": [{"name": "Standard"}],
      "relation_types": [{"name": "IMPLEMENTS", "subject": ["Company"], "object": ["Standard", "Product"],
                          "slots": ["as"]}]})";
  EXPECT_EQ(Schema::FromJson(file).status().code(), StatusCode::kInvalidArgument);  // no base: Company is unknown
  Result<Schema> extended = Schema::FromJson(file, &base);
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  Schema stored = base;
  ASSERT_TRUE(stored.Extend(*extended).ok());
  ASSERT_NE(stored.FindRelationType("IMPLEMENTS"), nullptr);
  EXPECT_EQ(stored.FindRelationType("IMPLEMENTS")->id, base.relation_types().size() + 1);
  EXPECT_EQ(stored.FindRelationType("SUPPORTS")->id, base.FindRelationType("SUPPORTS")->id);
  // A clash with what the base has is still refused.
  Result<Schema> clash = Schema::FromJson(R"({"relation_types": [{"name": "SUPPORTS", "subject": ["Person"]}]})", &base);
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists);
}

TEST(Schema, OneDefinitionPastTheBoundIsRefused) {
  Schema s = Schema::Default();
  for (size_t i = s.entity_types().size(); i < Schema::kMaxEntityTypes; ++i) {
    ASSERT_TRUE(s.AddEntityType({0, "E" + std::to_string(i), ""}).ok()) << i;
  }
  for (size_t i = s.slots().size(); i < Schema::kMaxSlots; ++i) {
    ASSERT_TRUE(s.AddSlot({0, "s" + std::to_string(i), SlotKind::kLiteral, {}, ""}).ok()) << i;
  }
  for (size_t i = s.relation_types().size(); i < Schema::kMaxRelationTypes; ++i) {
    ASSERT_TRUE(s.AddRelationType({0, "R" + std::to_string(i), {"Company"}, {"E" + std::to_string(100 + i % 800)},
                                   {"s" + std::to_string(100 + i % 800)}, false, "", ""})
                    .ok())
        << i;
  }
  Status e = s.AddEntityType({0, "OneMore", ""});
  EXPECT_EQ(e.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(e.message(), "the schema holds at most 1,000 entity types; \"OneMore\" would be one more");
  EXPECT_EQ(s.AddSlot({0, "one_more", SlotKind::kLiteral, {}, ""}).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.AddRelationType({0, "ONE_MORE", {}, {}, {}, false, "", ""}).code(), StatusCode::kResourceExhausted);
  // What is there already may still be added again: nothing changes.
  EXPECT_TRUE(s.AddEntityType({0, "Company", ""}).ok());

  // The stored form at the bounds reads back whole, with its ids, and every lookup works.
  Result<Schema> back = Schema::FromJson(s.ToJson(true));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(true), s.ToJson(true));
  EXPECT_EQ(back->FindEntityType("E999")->id, 1000);
  EXPECT_EQ(back->EntityTypeById(1000)->name, "E999");
  EXPECT_EQ(back->RelationTypeById(1000)->name, "R999");
  EXPECT_EQ(back->FindSlot("s999")->id, 1000);
}

TEST(Schema, AHugeFileStopsAtTheBound) {
  std::string file = R"({"entity_types": [)";
  for (int i = 0; i < 100000; ++i) file += std::string(i ? "," : "") + R"({"name": "T)" + std::to_string(i) + "\"}";
  file += "]}";
  const Schema base = Schema::Default();
  Result<Schema> r = Schema::FromJson(file, &base);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("at most 1,000 entity types"), std::string::npos) << r.status().ToString();
}

TEST(Schema, AStoredSchemaPastTheBoundStillOpensButTakesNoMore) {
  // Written before the bounds existed: the database must still open.
  std::string stored = R"({"entity_types": [)";
  for (int i = 1; i <= 1200; ++i) stored += std::string(i > 1 ? "," : "") + R"({"id": )" + std::to_string(i) + R"(, "name": "T)" + std::to_string(i) + "\"}";
  stored += "]}";
  Result<Schema> s = Schema::FromJson(stored);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->entity_types().size(), 1200u);
  EXPECT_EQ(s->AddEntityType({0, "OneMore", ""}).code(), StatusCode::kResourceExhausted);
  Result<Schema> more = Schema::FromJson(R"({"entity_types": [{"name": "OneMore"}]})", &*s);
  EXPECT_EQ(more.status().code(), StatusCode::kResourceExhausted);
}

TEST(Schema, StoredIdsMustFitAndDiffer) {
  EXPECT_EQ(Schema::FromJson(R"({"entity_types": [{"id": 65537, "name": "A"}, {"id": 1, "name": "B"}]})").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Schema::FromJson(R"({"entity_types": [{"id": 3, "name": "A"}, {"id": 3, "name": "B"}]})").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(Schema::FromJson(R"({"entity_types": [{"id": 1)" + std::string(550, '0') + R"(, "name": "A"}]})").ok());
}

}  // namespace
}  // namespace pactgraph
