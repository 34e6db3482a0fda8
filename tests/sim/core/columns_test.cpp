#include <gtest/gtest.h>

#include "sim/core/columns.hpp"

namespace {

TEST(AgentTable, BindsColumnsAndReportsTheirShape) {
  std::vector<std::uint8_t> a(4, 1);
  std::vector<float> b(4, 2.5f);
  std::vector<std::string> names(4, "x");
  sim::AgentTable t("household");
  t.bind(a, "a", "persons", "first");
  t.bind(b, "b", "yuan", "second");
  t.bind(names, "name", "", "third");
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.bytes_per_agent(), 1u + 4u + sizeof(std::string));
  ASSERT_NE(t.find("b"), nullptr);
  EXPECT_EQ(t.find("b")->info().type, sim::DType::f32);
  EXPECT_DOUBLE_EQ(t.find("b")->as_double(3), 2.5);
  EXPECT_EQ(t.find("name")->strings()->at(0), "x");
  // Writes through the view reach the model's vector (what a checkpoint needs).
  static_cast<float*>(t.find("b")->data())[1] = 7.0f;
  EXPECT_EQ(b[1], 7.0f);
  EXPECT_NO_THROW(t.check_consistent());
  b.push_back(1.0f);
  EXPECT_THROW(t.check_consistent(), sim::Error);
  EXPECT_THROW(t.bind(a, "a", "", ""), sim::Error);
}

}  // namespace
