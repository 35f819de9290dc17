#include "graph/status.h"

namespace pactgraph {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kIoError: return "i/o error";
    case StatusCode::kResourceExhausted: return "resource exhausted";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out;
  if (has_location()) {
    out += location_.source.empty() ? "<input>" : location_.source;
    if (location_.line != 0) {
      out += ":" + std::to_string(location_.line);
      if (location_.column != 0) out += ":" + std::to_string(location_.column);
    }
    out += ": ";
  }
  out += message_;
  return out;
}

}  // namespace pactgraph
