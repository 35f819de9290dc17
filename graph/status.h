// Status and Result<T>: how every pactgraph call reports failure. Our code does not throw.
//
// A Status is a code, a message and, when the error is about text (a JSONL line, a query, an
// article), the place in that text: a source name, a line and a column, all 1-based, and for a
// query the byte span it is about. ToString() renders it the way compilers do:
// "file.jsonl:7:12: message"; query::FormatError renders a query's error with the line of the
// text and a caret under the span, and the server gives line, column and span as JSON fields.
#ifndef PACTGRAPH_GRAPH_STATUS_H_
#define PACTGRAPH_GRAPH_STATUS_H_

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace pactgraph {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input: a malformed line, an unknown type, a bad flag
  kNotFound,            // an unknown entity, document or database
  kAlreadyExists,       // something that must be new is not
  kFailedPrecondition,  // the world is not in the state the call needs (database locked, ...)
  kCorruption,          // stored bytes that do not decode
  kIoError,             // the operating system or RocksDB failed to read or write
  kResourceExhausted,   // a limit was reached
  kAborted,             // stopped on purpose (an injected fault, a cancelled import)
  kInternal,            // a bug
};

const char* StatusCodeName(StatusCode code);

// Where in a text an error is. Line and column are 1-based; 0 means "not known". The span is
// the bytes [offset, offset + length) of the text the error is about (length 0: a point), known
// when has_span.
struct SourceLocation {
  std::string source;  // a file name, "<stdin>", "<query>"
  uint64_t line = 0;
  uint64_t column = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
  bool has_span = false;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLocation& location() const { return location_; }
  bool has_location() const { return !location_.source.empty() || location_.line != 0; }

  // Attaches the place in a text the error is about; returns *this for chaining.
  Status& At(std::string source, uint64_t line, uint64_t column) & {
    location_ = {std::move(source), line, column, 0, 0, false};
    return *this;
  }
  Status&& At(std::string source, uint64_t line, uint64_t column) && {
    location_ = {std::move(source), line, column, 0, 0, false};
    return std::move(*this);
  }
  // The same with the byte span of the text the error is about.
  Status&& At(std::string source, uint64_t line, uint64_t column, uint64_t offset, uint64_t length) && {
    location_ = {std::move(source), line, column, offset, length, true};
    return std::move(*this);
  }
  // Prefixes the message with context ("importing x.jsonl: ").
  Status WithContext(const std::string& context) const {
    Status s = *this;
    s.message_ = context + s.message_;
    return s;
  }

  // "source:line:column: message" when located, else "message".
  std::string ToString() const;

  // Marks a deliberately ignored failure so that a reader can find it.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  SourceLocation location_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : rep_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : rep_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(rep_).ok() && "a Result holds an error Status, never OK");
  }

  bool ok() const { return std::holds_alternative<T>(rep_); }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(rep_);
  }
  Status status() && { return ok() ? Status::OK() : std::get<Status>(std::move(rep_)); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(rep_); }
  const T& value() const& { return std::get<T>(rep_); }
  T&& value() && { return std::get<T>(std::move(rep_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> rep_;
};

}  // namespace pactgraph

#define PG_STATUS_CONCAT_INNER_(a, b) a##b
#define PG_STATUS_CONCAT_(a, b) PG_STATUS_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define PG_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::pactgraph::Status pg_status_ = (expr);      \
    if (!pg_status_.ok()) return pg_status_;      \
  } while (0)

// `PG_ASSIGN_OR_RETURN(T x, ResultExpr)`: declares x from the value, or returns the error.
#define PG_ASSIGN_OR_RETURN(lhs, expr) \
  PG_ASSIGN_OR_RETURN_IMPL_(PG_STATUS_CONCAT_(pg_result_, __LINE__), lhs, expr)
#define PG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()

#endif  // PACTGRAPH_GRAPH_STATUS_H_
