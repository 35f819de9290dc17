#include "shell/shell.h"

#include <histedit.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "graph/text.h"
#include "query/parser.h"

namespace pactgraph::shell {
namespace {

constexpr const char* kHelp = R"(Statements end with ';' and may span lines. For example:

  WHO SUPPORTS RHEL ON "Hyper-V Server 2008";
  WHAT DOES Microsoft SUPPORT;        WHAT RUNS ON RHEL;       WHO WORKS FOR Microsoft;
  MATCH (c:Company)-[s:SUPPORTS]->(p:Product {name: "RHEL"})
  WHERE s.as = "guest" RETURN c.name, s.on ORDER BY c.name;
  PATH Novell TO "Red Hat" MAX 4;     SHOW RHEL;
  TIMELINE "Quill OS";   CHANGES OF Vega BETWEEN 2018-01-01 AND 2021-12-31;   CONFLICTS;
  ... AS OF 2009-06-30   ... LIMIT 10   ... WITH CANDIDATES   EXPLAIN ...   PROFILE ...
  WHO ... / WHAT ... ORDER BY SOURCES  (the facts most documents state first)

Commands (one line, no ';'):
  \help                  this text
  \format [table|json|csv]  show or set the output format
  \explain [on|off]      after every answer, show its plan with rows and time per operator
  \timing [on|off]       show how long each query took, under its table (on by default)
  \x [on|off|auto]       expanded display: one block per row, a line per column (auto: when
                         the table is wider than the terminal); \x alone switches it
  \o [FILE]              send the answers to FILE (errors stay here); \o alone: back here
  \i FILE                run the statements in FILE, each on its own
  \sources [on|off|N]    show evidence under the rows, or hide it; N: sources per row
  \candidates [on|off]   answer with candidates too (facts below the confidence threshold),
                         marked, as WITH CANDIDATES does for one statement
  \confidence [X]        show or set the confidence threshold (0 to 1) below which facts
                         are candidates
  \quit                  leave (Ctrl-D does too)
  (sqlite's .output, .read, .mode, .timer and .help do what \o, \i, \format, \timing and \help do)

Tab completes keywords, verbs, relation and entity types, and entity names (in quotes or
bare). Up and down walk the history. Ctrl-C while typing discards the statement; Ctrl-C while
a query runs stops the query.
)";

// The engine of the query that is running, for the SIGINT handler; null between queries.
std::atomic<query::Engine*> g_running{nullptr};

void OnInterrupt(int) {
  if (query::Engine* e = g_running.load()) e->Cancel();
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

class Shell {
 public:
  Shell(const storage::Store& store, ShellOptions options)
      : store_(store), opts_(std::move(options)), engine_(store, opts_.limits), words_(query::CompletionWords(store.schema())) {}

  ~Shell() {
    if (hist_) history_end(hist_);
    if (el_) el_end(el_);
  }

  // Ctrl-C reaches the shell as a key while no query runs (the terminal's ISIG is off for the
  // whole session, not only while libedit edits a line, so a Ctrl-C typed just before libedit
  // takes the terminal is a key too), and as SIGINT while a query runs.
  void Signals(bool on) {
    if (!tty_) return;
    termios t = saved_tty_;
    if (!on) t.c_lflag &= ~static_cast<tcflag_t>(ISIG);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
  }

  int Run() {
    tty_ = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tty_) == 0;
    Signals(false);
    el_ = el_init("pactgraph", stdin, stdout, stderr);
    if (!el_) {
      if (tty_) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty_);
      std::cerr << "error: the terminal could not be set up for line editing\n";
      return 1;
    }
    hist_ = history_init();
    HistEvent ev;
    history(hist_, &ev, H_SETSIZE, 2000);
    history(hist_, &ev, H_SETUNIQUE, 1);
    if (!opts_.history_file.empty()) history(hist_, &ev, H_LOAD, opts_.history_file.c_str());
    el_set(el_, EL_CLIENTDATA, this);
    el_set(el_, EL_EDITOR, "emacs");
    el_set(el_, EL_PROMPT, &Shell::Prompt);
    el_set(el_, EL_HIST, history, hist_);
    el_set(el_, EL_ADDFN, "pg-complete", "complete a keyword, type or name", &Shell::Complete);
    el_set(el_, EL_BIND, "^I", "pg-complete", nullptr);
    // Ctrl-C while typing is a key (not a signal) that discards the statement.
    el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
    el_set(el_, EL_ADDFN, "pg-discard", "discard the statement being typed", &Shell::Discard);
    el_set(el_, EL_BIND, "^C", "pg-discard", nullptr);
    el_source(el_, nullptr);  // the user's ~/.editrc, if any

    // Ctrl-C while a query runs is SIGINT: it cancels the query.
    struct sigaction sa {};
    sa.sa_handler = &OnInterrupt;
    sigemptyset(&sa.sa_mask);
    struct sigaction old {};
    sigaction(SIGINT, &sa, &old);

    if (isatty(STDIN_FILENO)) {
      std::cout << "pactgraph shell on " << store_.dir() << ". End statements with ';'. \\help for help, \\quit to leave.\n";
    }
    for (;;) {
      int count = 0;
      const char* line = el_gets(el_, &count);
      // Ctrl-C never ends the shell: it discards what is typed (on an empty prompt it says how
      // to leave). Checked before the end of input: on an empty line libedit returns nothing.
      if (discard_) {
        discard_ = false;
        std::cout << (pending_.empty() && (!line || Trim(line).empty()) ? "^C (\\q or Ctrl-D leaves)\n" : "^C\n");
        pending_.clear();
        continue;
      }
      if (!line || count <= 0) {
        if (!pending_.empty()) std::cout << "\n";
        break;  // end of input
      }
      // Leaving, from any point: "\q" even in the middle of a statement (which is dropped);
      // "exit", "quit" and sqlite's ".quit"/".exit" at the start of one.
      {
        const std::string word = Trim(line);
        static const std::set<std::string> kLeave = {"exit", "quit", "exit;", "quit;", ".quit", ".exit", ":q", ":quit", ":exit"};
        if (word == "\\q" || word == "\\quit" || (pending_.empty() && kLeave.count(word))) break;
      }
      // sqlite's and DuckDB's dot-commands: the backslash command that does it, else a pointer.
      if (pending_.empty() && Trim(line).starts_with(".")) {
        std::string cmd = Trim(line);
        if (cmd == ".help") cmd = "\\help";
        else if (cmd.rfind(".mode", 0) == 0) cmd = "\\format" + cmd.substr(5);
        else if (cmd.rfind(".timer", 0) == 0) cmd = "\\timing" + cmd.substr(6);
        else if (cmd == ".output" || cmd.rfind(".output ", 0) == 0) cmd = "\\o" + cmd.substr(7);
        else if (cmd == ".read" || cmd.rfind(".read ", 0) == 0) cmd = "\\i" + cmd.substr(5);
        else {
          std::cerr << "error: unknown command " << cmd.substr(0, cmd.find(' ')) << " (the shell's commands begin with a backslash: \\help lists them)\n";
          continue;
        }
        AddHistory(Trim(line));
        if (!Command(cmd)) break;
        continue;
      }
      if (pending_.empty() && Trim(line).starts_with("\\")) {
        const std::string cmd = Trim(line);
        AddHistory(cmd);
        if (!Command(cmd)) break;
        continue;
      }
      pending_ += line;
      const std::string t = Trim(pending_);
      if (t.empty()) {
        pending_.clear();
        continue;
      }
      if (t.back() != ';') continue;  // the statement goes on, on the next line
      std::string one_line = t;
      std::replace(one_line.begin(), one_line.end(), '\n', ' ');
      AddHistory(one_line);
      Execute(t);
      pending_.clear();
    }
    sigaction(SIGINT, &old, nullptr);
    if (tty_) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty_);
    // A script read from standard input says by its exit status whether a statement failed.
    return !isatty(STDIN_FILENO) && failed_ ? 2 : 0;
  }

 private:
  static Shell* Self(EditLine* el) {
    void* p = nullptr;
    el_get(el, EL_CLIENTDATA, &p);
    return static_cast<Shell*>(p);
  }

  static char* Prompt(EditLine* el) {
    static char first[] = "pactgraph> ";
    static char more[] = "       ..> ";
    return Self(el)->pending_.empty() ? first : more;
  }

  static unsigned char Discard(EditLine* el, int) {
    Self(el)->discard_ = true;
    return CC_NEWLINE;
  }

  void AddHistory(const std::string& entry) {
    HistEvent ev;
    history(hist_, &ev, H_ENTER, entry.c_str());
    // Saved after every statement, so that a crash or a closed terminal loses nothing.
    if (!opts_.history_file.empty()) history(hist_, &ev, H_SAVE, opts_.history_file.c_str());
  }

  // ------------------------------------------------------------------------ completion

  static unsigned char Complete(EditLine* el, int) { return Self(el)->CompleteHere(); }

  unsigned char CompleteHere() {
    const LineInfo* li = el_line(el_);
    const std::string before(li->buffer, li->cursor);
    // Inside an open quote, the word is everything after it (names have spaces).
    size_t quotes = 0;
    size_t last_quote = std::string::npos;
    for (size_t i = 0; i < before.size(); ++i) {
      if (before[i] == '"') {
        ++quotes;
        last_quote = i;
      }
    }
    const bool quoted = quotes % 2 == 1;
    size_t start = before.size();
    if (quoted) {
      start = last_quote + 1;
    } else {
      while (start > 0 && !std::strchr(" \t\n(),[]{}:;=<>|", before[start - 1])) --start;
    }
    const std::string word = before.substr(start);
    if (word.empty() && !quoted) return CC_ERROR;

    std::vector<std::string> cands;  // what replaces the word
    if (!quoted) {
      const std::string lw = AsciiLower(word);
      for (const std::string& w : words_) {
        if (AsciiLower(w).starts_with(lw)) cands.push_back(w);
      }
    }
    // Entity names through the name index.
    const storage::Snapshot snap = store_.GetSnapshot();
    Result<std::vector<EntityId>> ids = store_.NamesWithPrefix(snap, word, 50);
    if (ids.ok() && !word.empty()) {
      for (EntityId id : *ids) {
        Result<Entity> e = store_.GetEntity(snap, id);
        if (!e.ok() || e->type == "Claim") continue;
        std::vector<std::string> names = {e->name};
        names.insert(names.end(), e->aliases.begin(), e->aliases.end());
        for (const std::string& n : names) {
          if (AsciiLower(n).starts_with(AsciiLower(word))) {
            const bool bare = !quoted && n.find_first_of(" \t\"'();,") == std::string::npos;
            cands.push_back(quoted ? n : bare ? n : "\"" + n + "\"");
          }
        }
      }
    }
    std::sort(cands.begin(), cands.end());
    cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
    if (cands.empty()) return CC_ERROR;
    if (cands.size() == 1) {
      std::string rest = cands[0];
      if (quoted) rest += "\"";
      el_deletestr(el_, static_cast<int>(word.size()));
      rest += " ";
      el_insertstr(el_, rest.c_str());
      return CC_REFRESH;
    }
    // Several: insert what they share, list them.
    std::string common = cands[0];
    for (const std::string& c : cands) {
      size_t k = 0;
      while (k < common.size() && k < c.size() && std::tolower(static_cast<unsigned char>(common[k])) ==
                                                      std::tolower(static_cast<unsigned char>(c[k]))) {
        ++k;
      }
      common.resize(k);
    }
    if (common.size() > word.size()) {
      el_deletestr(el_, static_cast<int>(word.size()));
      el_insertstr(el_, common.c_str());
    }
    std::cout << "\n";
    for (size_t i = 0; i < cands.size() && i < 40; ++i) std::cout << "  " << TerminalText(cands[i]) << "\n";
    if (cands.size() > 40) std::cout << "  ... and " << cands.size() - 40 << " more\n";
    std::cout.flush();
    return CC_REDISPLAY;
  }

  // ------------------------------------------------------------------------ commands

  // Returns false for \quit.
  bool Command(const std::string& line) {
    std::istringstream in(line);
    std::string cmd, arg;
    in >> cmd >> arg;
    // A file's name is the rest of the line (it may hold spaces), without quotes around it.
    std::string file = Trim(line.substr(cmd.size()));
    if (file.size() >= 2 && (file.front() == '"' || file.front() == '\'') && file.back() == file.front()) {
      file = file.substr(1, file.size() - 2);
    }
    if (cmd == "\\quit" || cmd == "\\q") return false;
    if (cmd == "\\help" || cmd == "\\h" || cmd == "\\?") {
      std::cout << kHelp;
    } else if (cmd == "\\o" || cmd == "\\out" || cmd == "\\output") {
      Output(file);
    } else if (cmd == "\\i" || cmd == "\\include") {
      RunScript(file);
    } else if (cmd == "\\x") {
      using query::Expanded;
      if (arg.empty()) {
        opts_.format.expanded = opts_.format.expanded == Expanded::kOn ? Expanded::kOff : Expanded::kOn;
      } else if (arg == "on" || arg == "off" || arg == "auto") {
        opts_.format.expanded = arg == "on" ? Expanded::kOn : arg == "off" ? Expanded::kOff : Expanded::kAuto;
      } else {
        std::cerr << "error: \\x takes on, off or auto, not \"" << arg << "\"\n";
      }
      const char* names[] = {"off", "on", "auto (one block per row when the table is wider than the terminal)"};
      std::cout << "expanded display: " << names[static_cast<int>(opts_.format.expanded)] << "\n";
    } else if (cmd == "\\format") {
      if (!arg.empty() && !query::ParseFormat(arg, &opts_.format.format)) {
        std::cerr << "error: \\format takes table, json or csv, not \"" << arg << "\"\n";
      } else {
        const char* names[] = {"table", "json", "csv"};
        std::cout << "format: " << names[static_cast<int>(opts_.format.format)] << "\n";
      }
    } else if (cmd == "\\timing") {
      if (arg == "on" || arg == "off") {
        opts_.format.timing = arg == "on";
      } else if (!arg.empty()) {
        std::cerr << "error: \\timing takes on or off, not \"" << arg << "\"\n";
      }
      std::cout << "timing: " << (opts_.format.timing ? "on" : "off") << "\n";
    } else if (cmd == "\\explain") {
      if (arg == "on" || arg == "off") {
        opts_.show_plan = arg == "on";
      } else if (!arg.empty()) {
        std::cerr << "error: \\explain takes on or off, not \"" << arg << "\"\n";
      }
      std::cout << "plans after answers: " << (opts_.show_plan ? "on" : "off") << "\n";
    } else if (cmd == "\\sources") {
      if (arg == "on" || arg == "off") {
        opts_.format.evidence = arg == "on";
      } else if (uint64_t evidence = 0; arg.size() < 4 && ParseDigits(arg, &evidence) && evidence > 0) {
        opts_.format.evidence = true;
        opts_.limits.max_evidence = static_cast<size_t>(evidence);
        engine_.set_limits(opts_.limits);
      } else if (!arg.empty()) {
        std::cerr << "error: \\sources takes on, off or a number of sources per row (1-999), not \"" << arg << "\"\n";
      }
      std::cout << "sources: " << (opts_.format.evidence ? "on, up to " + std::to_string(opts_.limits.max_evidence) + " per row" : "off")
                << "\n";
    } else if (cmd == "\\candidates") {
      if (arg == "on" || arg == "off") {
        opts_.limits.candidates = arg == "on";
        engine_.set_limits(opts_.limits);
      } else if (!arg.empty()) {
        std::cerr << "error: \\candidates takes on or off, not \"" << arg << "\"\n";
      }
      std::cout << "candidates: " << (opts_.limits.candidates ? "on, marked in the answers" : "off, left out of the answers")
                << " (below confidence " << opts_.limits.min_confidence << ")\n";
    } else if (cmd == "\\confidence") {
      if (!arg.empty()) {
        Result<double> t = query::ParseMinConfidence(arg);
        if (t.ok()) {
          opts_.limits.min_confidence = *t;
          engine_.set_limits(opts_.limits);
        } else {
          std::cerr << "error: \\confidence: " << TerminalText(t.status().message(), true) << "\n";
        }
      }
      std::cout << "facts below confidence " << opts_.limits.min_confidence << " are candidates ("
                << (opts_.limits.candidates ? "shown, marked" : "left out") << ")\n";
    } else {
      std::cerr << "error: unknown command " << cmd
                << "; the commands are \\help, \\format, \\x, \\o, \\i, \\timing, \\explain, \\sources, \\candidates, "
                   "\\confidence, \\quit\n";
    }
    return true;
  }

  // ------------------------------------------------------------------------ queries

  // Through the same calls as `pactgraph query` and the server (Prepare, then Run each statement),
  // so that a query gives the same answer and the same error in all three. A text of several
  // statements with a syntax error in one is cut at its ';'s, so that the others still run and
  // the failing one is named by its number, as `pactgraph query < script` does.
  void Execute(const std::string& text) {
    std::vector<Result<query::Prepared>> parts = engine_.PrepareScript(text);
    size_t n = 0;
    for (const auto& p : parts) n += p.ok() ? p->statements.size() : 1;
    auto numbered = [&](size_t number) { return n > 1 ? "query " + std::to_string(number) + ": " : std::string(); };
    opts_.format.width = query::TerminalWidth();
    size_t number = 0;
    bool printed = false;
    for (auto& p : parts) {
      if (!p.ok()) {
        std::cerr << "error: " << numbered(++number) << TerminalText(query::FormatError(p.status(), text), true) << "\n";
        failed_ = true;
        continue;
      }
      for (size_t i = 0; i < p->statements.size(); ++i) {
        ++number;
        query::Statement& st = p->statements[i];
        if (opts_.show_plan && !st.explain) st.profile = true;
        g_running.store(&engine_);
        Signals(true);
        Result<query::Answer> a = engine_.Run(*p, i, {});
        Signals(false);
        g_running.store(nullptr);
        if (!a.ok()) {
          if (a.status().code() == StatusCode::kAborted) {
            // Ctrl-C stops the script, not only its running statement.
            std::cerr << numbered(number) << "cancelled" << (number < n ? "; the statements after it were not run" : "") << "\n";
            failed_ = true;
            return;
          } else {
            std::cerr << "error: " << numbered(number) << TerminalText(query::FormatError(a.status(), text), true) << "\n";
          }
          failed_ = true;
          continue;
        }
        if (printed) *out_ << "\n";
        query::Write(*a, opts_.format, *out_);
        // (With \explain on the statement runs as PROFILE: Write prints its plan after the answer.)
        out_->flush();
        printed = true;
      }
    }
  }

  // \i FILE: the file's statements, as if typed (each its own, numbered in errors).
  void RunScript(const std::string& path) {
    if (path.empty()) {
      std::cerr << "error: \\i (and .read) needs a file of statements: \\i FILE\n";
      return;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "error: cannot read " << TerminalText(path) << ": " << std::strerror(errno) << "\n";
      failed_ = true;
      return;
    }
    std::stringstream text;
    text << in.rdbuf();
    if (Trim(text.str()).empty()) return;
    Execute(text.str());
  }

  // \o FILE: answers go to the file (errors and the commands' replies stay on the terminal);
  // \o alone: back to the terminal. A file that cannot be opened leaves them where they were.
  void Output(const std::string& path) {
    if (path.empty()) {
      if (file_.is_open()) file_.close();
      out_ = &std::cout;
      std::cout << "output: the terminal\n";
      return;
    }
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) {
      std::cerr << "error: cannot write to " << TerminalText(path) << ": " << std::strerror(errno) << " (output stays "
                << (out_ == &std::cout ? "on the terminal" : "in " + TerminalText(output_path_)) << ")\n";
      return;
    }
    if (file_.is_open()) file_.close();
    file_ = std::move(f);
    output_path_ = path;
    out_ = &file_;
    std::cout << "output: " << TerminalText(path) << "\n";
  }

  const storage::Store& store_;
  ShellOptions opts_;
  query::Engine engine_;
  std::vector<std::string> words_;
  EditLine* el_ = nullptr;
  History* hist_ = nullptr;
  std::string pending_;  // the lines of a statement not yet ended with ';'
  bool tty_ = false;      // standard input is a terminal; saved_tty_ is its settings at start
  termios saved_tty_{};
  bool discard_ = false;
  bool failed_ = false;  // a statement failed (the exit status of a script)
  std::ofstream file_;   // where answers go after \o FILE
  std::string output_path_;
  std::ostream* out_ = &std::cout;  // answers: the terminal, or file_
};

}  // namespace

int RunShell(const storage::Store& store, ShellOptions options) {
  Shell shell(store, std::move(options));
  return shell.Run();
}

}  // namespace pactgraph::shell
