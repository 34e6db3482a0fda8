#pragma once
// SHA-256 (FIPS 180-4), used by content_hash. Written out here because the
// engine links no crypto library; the hash identifies outputs, it guards
// nothing secret.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sim::io {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t bytes);
  void update(std::string_view s) { update(s.data(), s.size()); }
  std::array<std::uint8_t, 32> digest();  // finishes the hash; call once
  std::string hex();                      // digest() as 64 lowercase hex digits

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace sim::io
