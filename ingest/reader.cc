#include "ingest/reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <memory>
#include <sstream>

#include "graph/names.h"
#include "graph/text.h"
#include "ingest/text_units.h"

namespace pactgraph::ingest {
namespace {

namespace fs = std::filesystem;

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A date at the start of `s` as YYYY-MM-DD, or empty.
std::string IsoDate(std::string_view s) {
  if (s.size() < 10) return {};
  for (size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !std::isdigit(static_cast<unsigned char>(s[i]))) return {};
  }
  return std::string(s.substr(0, 10));
}

bool LooksLikeHtml(std::string_view bytes, const std::string& path) {
  const std::string lower = AsciiLower(path);
  if (lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml")) return true;
  size_t i = 0;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  const std::string head = AsciiLower(bytes.substr(i, 15));
  return head.starts_with("<!doctype html") || head.starts_with("<html");
}

// ----------------------------------------------------------------------------------- text

// A short line without a sentence's end, followed by a line that starts like a sentence: a
// heading. A paragraph wrapped at a fixed width has long lines, or ends its last one with a period.
bool HeadingLine(const std::string& line, const std::string& next) {
  if (line.empty() || next.empty() || line.size() > 60) return false;
  const char last = line.back();
  if (last == '.' || last == ',' || last == ';' || last == '-' || last == '(' || last == '&') return false;
  const unsigned char first = static_cast<unsigned char>(next[0]);
  if (!std::isupper(first) && !std::isdigit(first)) return false;
  size_t words = 1;
  for (char c : line) words += c == ' ' ? 1 : 0;
  if (words > 8) return false;
  // A line that ends in a small word runs on: "... and", "... of the".
  const size_t sp = line.rfind(' ');
  static const std::set<std::string> kRunOn = {"and", "or", "of", "the", "a", "an", "to", "for", "in", "on", "with", "by", "at"};
  return !kRunOn.count(AsciiLower(sp == std::string::npos ? line : line.substr(sp + 1)));
}

// Text: `Key: value` header lines then a blank line (the corpus format), or plain text whose
// first line is the title.
Article ParseText(std::string_view text, const std::string& path) {
  Article a;
  a.path = path;
  a.format = "text";
  std::string normalised;
  normalised.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      normalised += '\n';
    } else {
      normalised += text[i];
    }
  }
  std::vector<std::string> lines;
  std::istringstream in(normalised);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t first = 0;
  while (first < lines.size() && Trim(lines[first]).empty()) ++first;

  // Header: lines "Key: value" (the key one word) up to the first blank line, with a title,
  // date, publisher or URL among them.
  size_t end = first;
  bool known = false;
  std::vector<std::pair<std::string, std::string>> fields;
  for (; end < lines.size() && !Trim(lines[end]).empty(); ++end) {
    const std::string& l = lines[end];
    const size_t colon = l.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 20) break;
    const std::string key = AsciiLower(Trim(l.substr(0, colon)));
    if (key.find(' ') != std::string::npos || !std::all_of(key.begin(), key.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) break;
    fields.emplace_back(key, Trim(l.substr(colon + 1)));
    known = known || key == "title" || key == "date" || key == "publisher" || key == "url";
  }
  const bool header = known && end > first && (end == lines.size() || Trim(lines[end]).empty());
  size_t body_from = first;
  if (header) {
    for (const auto& [k, v] : fields) {
      if (k == "title") a.title = v;
      if (k == "publisher") a.publisher = v;
      if (k == "date") a.date = IsoDate(v);
      if (k == "url") a.url = v;
    }
    body_from = end;
  } else if (first < lines.size()) {
    a.title = Trim(lines[first]);
    body_from = first + 1;
  }
  // The body: paragraphs separated by one blank line; lines of a paragraph joined by a space.
  std::string para;
  auto flush = [&] {
    if (para.empty()) return;
    if (!a.body.empty()) a.body += "\n\n";
    a.body += para;
    para.clear();
  };
  for (size_t i = body_from; i < lines.size(); ++i) {
    const std::string t = Trim(lines[i]);
    if (t.empty()) {
      flush();
    } else {
      // A list's item starts a paragraph: "* Acme says it will support ...", and so does a fact
      // sheet's line ("Host operating system: Quill OS"), which also ends one, as does a line
      // that opens a list with a colon.
      if (BulletLine(t) || FieldLine(t)) flush();
      para += (para.empty() ? "" : " ") + t;
      if (FieldLine(t) || t.back() == ':') {
        flush();
        continue;
      }
      // A heading, a dateline or a byline on a line of its own ("Friday, April 10", "By Jane
      // Roe") is a paragraph of its own, not the start of the sentence on the next line.
      if (para == t && i + 1 < lines.size() && HeadingLine(t, Trim(lines[i + 1]))) flush();
    }
  }
  flush();
  return a;
}

// ----------------------------------------------------------------------------------- HTML

struct XmlDocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string Name(const xmlNode* n) { return n->name ? AsciiLower(reinterpret_cast<const char*>(n->name)) : std::string(); }

std::string Attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (a->name && AsciiLower(reinterpret_cast<const char*>(a->name)) == name) {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
      std::string out = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
      return out;
    }
  }
  return {};
}

// Elements whose text is never article text.
bool Boilerplate(const std::string& name, const xmlNode* n) {
  static const char* const kSkip[] = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                                      "button", "select", "template", "svg", "iframe", "figure", "figcaption"};
  for (const char* s : kSkip) {
    if (name == s) return true;
  }
  // Containers a page marks as navigation, sharing, comments or advertising.
  const std::string cls = AsciiLower(Attr(n, "class") + " " + Attr(n, "id") + " " + Attr(n, "role"));
  for (const char* s : {"navigation", "comment", "share", "social", "advert", "related", "sidebar", "cookie", "newsletter", "byline", "breadcrumb", "footer", "menu"}) {
    if (cls.find(s) != std::string::npos) return true;
  }
  return false;
}

// The text under `n`, whitespace collapsed.
void CollectText(const xmlNode* n, std::string* out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      const char* t = reinterpret_cast<const char*>(c->content);
      if (!t) continue;
      for (; *t; ++t) {
        const bool space = std::isspace(static_cast<unsigned char>(*t));
        if (space) {
          if (!out->empty() && out->back() != ' ') *out += ' ';
        } else {
          *out += *t;
        }
      }
    } else if (c->type == XML_ELEMENT_NODE) {
      const std::string name = Name(c);
      if (name == "script" || name == "style") continue;
      if (name == "br" && !out->empty() && out->back() != ' ') *out += ' ';
      CollectText(c, out);
    }
  }
}

struct HtmlScan {
  std::string title_tag, h1, og_title, site, date, url;
  std::vector<std::string> paragraphs;          // every article paragraph, in order
  std::vector<std::string> in_article;          // those inside <article> or <main>
};

void Walk(const xmlNode* n, bool inside_article, HtmlScan* s) {
  for (const xmlNode* c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const std::string name = Name(c);
    if (name == "meta") {
      const std::string key = AsciiLower(Attr(c, "property").empty() ? Attr(c, "name") : Attr(c, "property"));
      const std::string content = Trim(Attr(c, "content"));
      if (key == "og:title" && s->og_title.empty()) s->og_title = content;
      if (key == "og:site_name" && s->site.empty()) s->site = content;
      if (key == "og:url" && s->url.empty()) s->url = content;
      for (const char* k : {"article:published_time", "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
                            "datepublished", "sailthru.date", "parsely-pub-date"}) {
        if (key == k && s->date.empty()) s->date = IsoDate(content);
      }
      continue;
    }
    if (name == "link" && AsciiLower(Attr(c, "rel")) == "canonical" && s->url.empty()) s->url = Trim(Attr(c, "href"));
    if (name == "time" && s->date.empty()) s->date = IsoDate(Trim(Attr(c, "datetime")));
    if (name == "title" && s->title_tag.empty()) {
      CollectText(c, &s->title_tag);
      continue;
    }
    if (name == "h1" && s->h1.empty()) {
      CollectText(c, &s->h1);
      s->h1 = Trim(s->h1);
      continue;
    }
    if (Boilerplate(name, c)) continue;
    if (name == "p" || name == "blockquote" || name == "li") {
      std::string t;
      CollectText(c, &t);
      t = Trim(t);
      // A paragraph of article text: a few words ending like a sentence, or a longer run.
      const size_t words = static_cast<size_t>(std::count(t.begin(), t.end(), ' ')) + 1;
      const bool sentence = !t.empty() && std::string(".!?\"'”’:").find(t.back()) != std::string::npos;
      if ((sentence && words >= 5) || words >= 12) {
        s->paragraphs.push_back(t);
        if (inside_article) s->in_article.push_back(t);
      }
      if (name != "li") continue;
    }
    Walk(c->children, inside_article || name == "article" || name == "main", s);
  }
}

Result<Article> ParseHtml(std::string_view bytes, const std::string& path) {
  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  std::unique_ptr<xmlDoc, XmlDocDeleter> doc(
      htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), path.c_str(), "UTF-8", flags));
  if (!doc) return Status::InvalidArgument("HTML that libxml2 cannot parse");
  HtmlScan s;
  Walk(xmlDocGetRootElement(doc.get()), false, &s);
  Article a;
  a.path = path;
  a.format = "html";
  a.title = Trim(!s.og_title.empty() ? s.og_title : !s.h1.empty() ? s.h1 : s.title_tag);
  a.publisher = s.site;
  a.date = s.date;
  a.url = s.url;
  const std::vector<std::string>& paras = s.in_article.empty() ? s.paragraphs : s.in_article;
  for (const std::string& p : paras) a.body += (a.body.empty() ? "" : "\n\n") + p;
  if (a.body.empty()) return Status::InvalidArgument("HTML with no article text (no paragraph of sentences outside navigation and scripts)");
  return a;
}

}  // namespace

Result<Article> ParseArticle(std::string_view bytes, const std::string& path, const ReadOptions& options) {
  if (bytes.size() > options.max_bytes) {
    return Status::InvalidArgument("larger than " + WithThousands(options.max_bytes) + " bytes (" + WithThousands(bytes.size()) +
                                   "); no article is that long");
  }
  // A UTF-8 byte order mark is not text.
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  size_t controls = 0;
  for (char c : bytes) {
    if (c == '\0') return Status::InvalidArgument("a binary file (it contains NUL bytes)");
    const auto u = static_cast<unsigned char>(c);
    controls += u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
  }
  if (controls > 8 && controls * 100 > bytes.size()) return Status::InvalidArgument("a binary file (control characters)");
  if (const size_t bad = InvalidUtf8At(bytes); bad != std::string_view::npos) {
    return Status::InvalidArgument("invalid UTF-8 at byte " + std::to_string(bad + 1));
  }
  if (Trim(bytes).empty()) return Status::InvalidArgument("empty");
  if (LooksLikeHtml(bytes, path)) return ParseHtml(bytes, path);
  Article a = ParseText(bytes, path);
  if (Trim(a.body).empty()) return Status::InvalidArgument("no text after the title");
  return a;
}

Result<Article> ReadArticle(const std::string& path, const ReadOptions& options) {
  std::string bytes;
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return Status::InvalidArgument(path + ": a folder, not a file");
    const auto size = fs::file_size(path, ec);
    if (ec) return Status::NotFound(path + ": " + ec.message());
    if (size > options.max_bytes) {
      return Status::InvalidArgument(path + ": larger than " + WithThousands(options.max_bytes) + " bytes (" + WithThousands(size) +
                                     "); no article is that long");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": cannot be read");
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  Result<Article> a = ParseArticle(bytes, path, options);
  if (!a.ok()) return Status(a.status().code(), path + ": " + a.status().message());
  return a;
}

bool IsFactsPath(const std::string& path) {
  const std::string lower = AsciiLower(path);
  return lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json");
}

Result<std::vector<std::string>> ListArticleFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::NotFound(p + ": no such file or folder");
    if (!fs::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) return Status::IoError(p + ": " + ec.message());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace pactgraph::ingest
