// The whole-graph algorithms on small graphs whose answers are worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "graph/projection.h"

namespace pactgraph {
namespace {

// Relations numbered from 100 so that they are not confused with entity ids.
GraphProjection Build(EntityId max_id, const std::vector<std::pair<EntityId, EntityId>>& pairs, TypeId type = 1) {
  std::vector<ProjectedEdge> edges;
  RelationId r = 100;
  for (auto [s, o] : pairs) edges.push_back({s, type, o, r++});
  return GraphProjection(max_id, edges);
}

std::vector<EntityId> Walk(const std::vector<PathStep>& path) {
  std::vector<EntityId> out;
  for (const PathStep& s : path) {
    if (out.empty()) out.push_back(s.from);
    out.push_back(s.to);
  }
  return out;
}

// 1 - 2 - 3   and   4 - 5   and 6 alone (id 0 is no entity).
TEST(Projection, ComponentsIgnoreDirectionAndRespectTheMask) {
  GraphProjection g = Build(6, {{1, 2}, {3, 2}, {4, 5}});
  std::vector<uint32_t> c = g.Components({});
  EXPECT_EQ(c[1], c[2]);
  EXPECT_EQ(c[2], c[3]);
  EXPECT_EQ(c[4], c[5]);
  EXPECT_NE(c[1], c[4]);
  EXPECT_NE(c[6], c[1]);
  EXPECT_NE(c[6], c[4]);
  // Without vertex 2, 1 and 3 fall apart; 2 itself is left out.
  std::vector<bool> keep = {false, true, false, true, true, true, true};
  c = g.Components(keep);
  EXPECT_NE(c[1], c[3]);
  EXPECT_EQ(c[2], UINT32_MAX);
}

// A star: the centre has every relation.
TEST(Projection, PageRankDegreeAndBetweennessOfAStar) {
  GraphProjection g = Build(5, {{1, 2}, {1, 3}, {1, 4}, {5, 1}});
  const std::vector<double> pr = g.PageRank(30);
  double sum = 0;
  for (double x : pr) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-6);
  for (EntityId v : {2, 3, 4, 5}) EXPECT_GT(pr[1], pr[v]);
  EXPECT_NEAR(pr[2], pr[3], 1e-9);
  const std::vector<uint64_t> d = g.Degree();
  EXPECT_EQ(d[1], 4u);
  EXPECT_EQ(d[5], 1u);
  bool sampled = true;
  const std::vector<double> b = g.Betweenness(1000, 0, 1, &sampled);
  EXPECT_FALSE(sampled);
  // Every pair of the four leaves (6 pairs) goes through the centre.
  EXPECT_NEAR(b[1], 6.0, 1e-9);
  EXPECT_NEAR(b[2], 0.0, 1e-9);
  // Sampling every source gives the exact values.
  const std::vector<double> all = g.Betweenness(0, 100, 7, &sampled);
  EXPECT_TRUE(sampled);
  EXPECT_NEAR(all[1], 6.0, 1e-9);
}

// A path 1 - 2 - 3 - 4: betweenness 2 for 2 and 3 (pairs 1-3, 1-4 through 2; 2-4, 1-4 through 3).
TEST(Projection, BetweennessOfAPath) {
  GraphProjection g = Build(4, {{1, 2}, {2, 3}, {3, 4}});
  bool sampled = false;
  const std::vector<double> b = g.Betweenness(1000, 0, 1, &sampled);
  EXPECT_NEAR(b[2], 2.0, 1e-9);
  EXPECT_NEAR(b[3], 2.0, 1e-9);
  EXPECT_NEAR(b[1], 0.0, 1e-9);
}

// A diamond 1 -> 2 -> 4, 1 -> 3 -> 4, and a long way 1 -> 5 -> 6 -> 4.
TEST(Projection, AllShortestPathsAndTheLightestOne) {
  GraphProjection g = Build(6, {{1, 2}, {2, 4}, {1, 3}, {3, 4}, {1, 5}, {5, 6}, {6, 4}});
  bool more = true;
  auto paths = g.AllShortestPaths(1, 4, 6, {}, 10, &more);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_FALSE(more);
  std::set<std::vector<EntityId>> walks;
  for (const auto& p : paths) walks.insert(Walk(p));
  EXPECT_EQ(walks, (std::set<std::vector<EntityId>>{{1, 2, 4}, {1, 3, 4}}));
  paths = g.AllShortestPaths(1, 4, 6, {}, 1, &more);
  EXPECT_EQ(paths.size(), 1u);
  EXPECT_TRUE(more);
  EXPECT_TRUE(g.AllShortestPaths(1, 4, 1, {}, 10, &more).empty());  // two hops needed
  // Walking backwards along a relation is allowed: 4 to 1.
  EXPECT_EQ(g.AllShortestPaths(4, 1, 6, {}, 10, &more).size(), 2u);

  // Weights: relations 100..106 in the order given. Make the short ways expensive.
  auto weight = [](RelationId r) { return r <= 103 ? 5.0 : 1.0; };
  auto light = g.LightestPath(1, 4, {}, weight);
  ASSERT_TRUE(light);
  EXPECT_EQ(Walk(*light), (std::vector<EntityId>{1, 5, 6, 4}));
  auto even = g.LightestPath(1, 4, {}, [](RelationId) { return 1.0; });
  ASSERT_TRUE(even);
  EXPECT_EQ(even->size(), 2u);
  EXPECT_FALSE(g.LightestPath(1, 99, {}, weight));
}

TEST(Projection, NeighbourhoodByDepth) {
  GraphProjection g = Build(6, {{1, 2}, {2, 3}, {3, 4}, {5, 1}});
  auto one = g.Neighbourhood(1, 1, 100);
  std::set<EntityId> ids;
  for (const auto& r : one) ids.insert(r.id);
  EXPECT_EQ(ids, (std::set<EntityId>{1, 2, 5}));
  auto two = g.Neighbourhood(1, 2, 100);
  ids.clear();
  for (const auto& r : two) {
    ids.insert(r.id);
    if (r.id == 3) {
      EXPECT_EQ(r.depth, 2);
      ASSERT_TRUE(r.via);
      EXPECT_EQ(r.via->from, 2u);
    }
  }
  EXPECT_EQ(ids, (std::set<EntityId>{1, 2, 3, 5}));
  EXPECT_EQ(g.Neighbourhood(1, 3, 2).size(), 2u);  // the limit counts the start
  EXPECT_GT(g.MemoryBytes(), 0u);
}

}  // namespace
}  // namespace pactgraph
