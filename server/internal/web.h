// The web page's files, built into the binary (server/web/ is turned into web_files.cc by
// embed.cmake at build time), and the OpenAPI document.
#ifndef PACTGRAPH_SERVER_INTERNAL_WEB_H_
#define PACTGRAPH_SERVER_INTERNAL_WEB_H_

#include <cstddef>
#include <string>
#include <vector>

namespace pactgraph::server {

struct WebFile {
  const char* path;  // "/index.html" is served at "/"
  const char* type;  // its content type
  const char* data;
  size_t size;
};

const std::vector<WebFile>& WebFiles();

// The OpenAPI 3 document of the endpoints (without the write endpoints under --read-only).
std::string OpenApi(bool read_only);

}  // namespace pactgraph::server

#endif  // PACTGRAPH_SERVER_INTERNAL_WEB_H_
