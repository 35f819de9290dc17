// Incremental SHA-256 through OpenSSL's EVP interface: the content hash of an imported unit and
// the identity of an article's text.
#ifndef PACTGRAPH_INGEST_INTERNAL_SHA256_H_
#define PACTGRAPH_INGEST_INTERNAL_SHA256_H_

#include <openssl/evp.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace pactgraph::ingest {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const char* data, size_t n) { EVP_DigestUpdate(ctx_, data, n); }
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  // The digest in lower-case hex; call once.
  std::string HexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_INTERNAL_SHA256_H_
