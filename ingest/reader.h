// Reading articles: text with a `Key: value` header (the corpus format), plain text (the first
// line is the title), HTML (through libxml2's HTML parser: title, date meta tags and the
// article's paragraphs, without scripts, navigation and boilerplate), folders (recursively) and
// standard input. What cannot be an article (binary, invalid UTF-8, empty, too large, HTML with
// no article text) is refused with a reason, so that a caller can skip it and go on.
#ifndef PACTGRAPH_INGEST_READER_H_
#define PACTGRAPH_INGEST_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "graph/status.h"

namespace pactgraph::ingest {

// One article as read: its metadata and its body, paragraphs separated by blank lines.
struct Article {
  std::string path;       // where it was read from ("-" for standard input)
  std::string format;     // "text" or "html"
  std::string title;
  std::string publisher;
  std::string date;       // YYYY-MM-DD when the source gives one
  std::string url;
  std::string body;
};

struct ReadOptions {
  size_t max_bytes = 16u << 20;  // a larger file is refused (no article is this long)
};

// Reads one article from `bytes`; `path` names it in messages and picks the format (".html",
// ".htm" or content that starts like HTML). kInvalidArgument with the reason when it is not an
// article: "binary file", "invalid UTF-8 at byte N", "empty", "larger than N bytes", "HTML
// with no article text".
Result<Article> ParseArticle(std::string_view bytes, const std::string& path, const ReadOptions& options = {});
// Reads the file at `path` ("-": standard input) and parses it.
Result<Article> ReadArticle(const std::string& path, const ReadOptions& options = {});

// True for a facts file by its name (.jsonl, .ndjson, .json): not an article.
bool IsFactsPath(const std::string& path);

// The files under `paths`, folders walked recursively (hidden files and folders skipped), in
// name order; a path that does not exist is kNotFound.
Result<std::vector<std::string>> ListArticleFiles(const std::vector<std::string>& paths);

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_READER_H_
