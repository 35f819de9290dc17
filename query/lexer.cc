#include "query/lexer.h"

#include <cctype>

namespace pactgraph::query {
namespace {

bool WordStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool WordChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    for (;;) {
      SkipSpaceAndComments();
      Token t;
      t.pos = pos_;
      const size_t start = i_;
      if (i_ >= s_.size()) {
        t.kind = Tok::kEnd;
        out.push_back(t);
        return out;
      }
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (WordStart(c)) {
        Word(t);
      } else if (std::isdigit(c)) {
        Number(t);
      } else if (c == '"' || c == '\'') {
        String(t, static_cast<char>(c), Tok::kString);
      } else if (c == '`') {
        String(t, '`', Tok::kQuotedId);
      } else if (c == '$' && i_ + 1 < s_.size() && WordStart(static_cast<unsigned char>(s_[i_ + 1]))) {
        Advance();
        Word(t);
        t.kind = Tok::kParam;
      } else {
        Punct(t);
      }
      t.raw = std::string(s_.substr(start, i_ - start));
      t.pos.length = static_cast<uint32_t>(i_ - start);
      out.push_back(std::move(t));
    }
  }

 private:
  void Advance() {
    const unsigned char c = static_cast<unsigned char>(s_[i_]);
    ++i_;
    pos_.offset = static_cast<uint32_t>(i_);
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++pos_.column;  // a character begins with this byte (UTF-8 continuation bytes do not count)
    }
  }

  char Peek(size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  void SkipSpaceAndComments() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        Advance();
      } else if (c == '/' && Peek(1) == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') Advance();
      } else if (c == '-' && Peek(1) == '-' && Peek(2) == ' ') {
        while (i_ < s_.size() && s_[i_] != '\n') Advance();
      } else {
        return;
      }
    }
  }

  // Letters, digits and underscores; a hyphen joins two such runs (Hyper-V, x86-64), so that
  // product names can be written bare. Patterns put no letter right after a hyphen.
  void Word(Token& t) {
    t.kind = Tok::kWord;
    const size_t start = i_;
    for (;;) {
      while (i_ < s_.size() && WordChar(static_cast<unsigned char>(s_[i_]))) Advance();
      if (Peek() == '-' && std::isalnum(static_cast<unsigned char>(Peek(1)))) {
        Advance();
        continue;
      }
      break;
    }
    t.text = std::string(s_.substr(start, i_ - start));
  }

  void Number(Token& t) {
    const size_t start = i_;
    // A date: four digits, '-', two digits, '-', two digits.
    if (i_ + 10 <= s_.size()) {
      std::string_view d = s_.substr(i_, 10);
      bool date = d[4] == '-' && d[7] == '-';
      for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) date = date && std::isdigit(static_cast<unsigned char>(d[k]));
      if (date && (i_ + 10 == s_.size() || !WordChar(static_cast<unsigned char>(s_[i_ + 10])))) {
        for (int k = 0; k < 10; ++k) Advance();
        t.kind = Tok::kDate;
        t.text = std::string(d);
        return;
      }
    }
    while (std::isdigit(static_cast<unsigned char>(Peek()))) Advance();
    if (Peek() == '.' && std::isdigit(static_cast<unsigned char>(Peek(1)))) {
      Advance();
      while (std::isdigit(static_cast<unsigned char>(Peek()))) Advance();
    }
    if (WordChar(static_cast<unsigned char>(Peek()))) {
      // "3Com", "2nd": a word that starts with a digit.
      while (i_ < s_.size() && WordChar(static_cast<unsigned char>(s_[i_]))) Advance();
      t.kind = Tok::kWord;
    } else {
      t.kind = Tok::kNumber;
    }
    t.text = std::string(s_.substr(start, i_ - start));
  }

  void String(Token& t, char quote, Tok kind) {
    t.kind = kind;
    Advance();
    std::string value;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        Advance();
        c = s_[i_];
        switch (c) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          default: break;
        }
      } else if (c == '\n') {
        break;
      }
      value += c;
      Advance();
    }
    if (i_ >= s_.size() || s_[i_] != quote) {
      t.kind = Tok::kError;
      t.text = std::string("unterminated ") + (quote == '`' ? "quoted name" : "string") + ": the closing " +
               quote + " is missing";
      return;
    }
    Advance();
    t.text = std::move(value);
  }

  void Punct(Token& t) {
    t.kind = Tok::kPunct;
    static constexpr std::string_view kTwo[] = {"->", "<-", "<>", "!=", "<=", ">=", ".."};
    for (std::string_view op : kTwo) {
      if (s_.substr(i_, 2) == op) {
        Advance();
        Advance();
        t.text = std::string(op);
        return;
      }
    }
    const char c = s_[i_];
    if (std::string_view("()[]{},:;.*|+-<>=/#").find(c) != std::string_view::npos) {
      Advance();
      t.text = std::string(1, c);
      return;
    }
    t.kind = Tok::kError;
    const size_t start = i_;
    Advance();
    while (i_ < s_.size() && (static_cast<unsigned char>(s_[i_]) & 0xC0) == 0x80) Advance();
    t.text = "unexpected character '" + std::string(s_.substr(start, i_ - start)) + "'";
  }

  std::string_view s_;
  size_t i_ = 0;
  Pos pos_;
};

}  // namespace

bool Token::Is(std::string_view keyword) const {
  if (kind != Tok::kWord || text.size() != keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(keyword[i]))) {
      return false;
    }
  }
  return true;
}

std::vector<Token> Lex(std::string_view text) { return Lexer(text).Run(); }

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kWord: return "word \"" + t.text + "\"";
    case Tok::kString: return "string \"" + t.text + "\"";
    case Tok::kQuotedId: return "name `" + t.text + "`";
    case Tok::kNumber: return "number " + t.text;
    case Tok::kDate: return "date " + t.text;
    case Tok::kParam: return "parameter $" + t.text;
    case Tok::kPunct: return "\"" + t.text + "\"";
    case Tok::kError: return t.text;
    case Tok::kEnd: return "end of input";
  }
  return "?";
}

}  // namespace pactgraph::query
