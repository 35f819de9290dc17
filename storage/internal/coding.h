// Byte-level encoding used by the store's keys and records (see storage/FORMAT.md).
// Integers in keys are fixed-width big-endian so that byte order is numeric order; integers in
// values are LEB128 varints; strings are a varint length and the bytes.
#ifndef PACTGRAPH_STORAGE_INTERNAL_CODING_H_
#define PACTGRAPH_STORAGE_INTERNAL_CODING_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace pactgraph::storage {

// Each writes its bytes into a buffer first and appends them at once (one capacity check, not
// one per byte: keys are built for every relation an import adds).
inline void PutBig16(std::string& out, uint16_t v) {
  const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 2);
}
inline void PutBig32(std::string& out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (24 - 8 * i));
  out.append(b, 4);
}
inline void PutBig64(std::string& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (56 - 8 * i));
  out.append(b, 8);
}
inline uint16_t GetBig16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}
inline uint32_t GetBig32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}
inline uint64_t GetBig64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

inline void PutVarint(std::string& out, uint64_t v) {
  char b[10];
  size_t n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  out.append(b, n);
}
inline void PutBytes(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s.data(), s.size());
}

// Reads a value written with the Put functions. Every Get returns false, and the decoder stays
// failed, once the input is short or malformed; callers check ok() once at the end.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool GetByte(uint8_t* v) {
    if (!ok_ || in_.empty()) return ok_ = false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool GetVarint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift <= 63 && ok_ && !in_.empty(); shift += 7) {
      const auto b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      result |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return ok_ = false;
  }
  bool GetBytes(std::string* s) {
    uint64_t n = 0;
    if (!GetVarint(&n) || n > in_.size()) return ok_ = false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool GetFixed32(uint32_t* v) {
    if (!ok_ || in_.size() < 4) return ok_ = false;
    *v = GetBig32(in_.data());
    in_.remove_prefix(4);
    return true;
  }

  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace pactgraph::storage

#endif  // PACTGRAPH_STORAGE_INTERNAL_CODING_H_
