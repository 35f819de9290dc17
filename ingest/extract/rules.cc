#include "ingest/extract/rules.h"

#include "ingest/extract/lexicon.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <set>
#include <sstream>

namespace pactgraph::ingest {

// The shipped rule file's text, generated from ingest/extract/rules/relations.rules.
extern const char kShippedRules[];

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Fields(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t j = i;
    while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsLowerWord(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '-' || c == '\'')) return false;
  }
  return true;
}

std::string Joined(const std::vector<std::string>& words, size_t most) {
  std::string s;
  for (size_t i = 0; i < words.size() && i < most; ++i) s += (i ? ", " : "") + words[i];
  if (words.size() > most) s += ", ...";
  return s;
}

// The prepositions a role or slot may name: those the chunker reads (lexicon/chunk_prepositions.txt).
std::string KnownPrepositions() {
  std::vector<std::string> known(extract::ChunkPrepositions().begin(), extract::ChunkPrepositions().end());
  return Joined(known, 40);
}

TextSpan SpanOf(const SentenceParse& p, const Phrase& phrase) {
  return {p.words[phrase.first].begin, p.words[phrase.last].end};
}

// The plural a noun trigger also takes: "integration" -> "integrations", "alliance" -> "alliances".
std::string Plural(const std::string& noun) {
  if (noun.ends_with("s") || noun.ends_with("x") || noun.ends_with("ch") || noun.ends_with("sh")) return noun + "es";
  if (noun.size() > 1 && noun.back() == 'y' && !std::strchr("aeiou", noun[noun.size() - 2])) return noun.substr(0, noun.size() - 1) + "ies";
  return noun + "s";
}

}  // namespace

std::vector<Frame> FramesOf(const SentenceParse& p) {
  std::vector<Frame> out;
  if (!p.parsed()) return out;
  for (const Clause& c : p.clauses) {
    Frame f;
    f.lemma = c.lemma;
    f.trigger = {p.words[c.verb].begin, p.words[c.verb].end};
    f.nominal = c.nominal;
    f.passive = c.passive;
    f.negated = c.negated;
    f.modality = c.modality;
    f.parsed = true;
    for (const Phrase& s : c.subjects) f.subjects.push_back(SpanOf(p, s));
    for (const Phrase& o : c.objects) f.objects.push_back(SpanOf(p, o));
    for (const Attachment& a : c.attachments) {
      FramePrep fp;
      fp.prep = a.prep;
      for (const Phrase& o : a.objects) fp.objects.push_back(SpanOf(p, o));
      f.preps.push_back(std::move(fp));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<RuleSet> RuleSet::Shipped(const Schema& schema) { return Parse(kShippedRules, "relations.rules", schema); }

Result<RuleSet> RuleSet::Parse(std::string_view text, std::string_view file, const Schema& schema) {
  RuleSet set;
  std::set<std::string> names;
  RelationRule* rule = nullptr;
  size_t rule_line = 0;
  const std::string f(file);
  auto error = [&](size_t line, const std::string& why) { return Status::InvalidArgument(f + ":" + std::to_string(line) + ": " + why); };
  // A rule is complete when it has a relation, a trigger and roles the relation's types allow.
  auto finish = [&]() -> Status {
    if (!rule) return Status::OK();
    if (rule->relation.empty()) return error(rule_line, "rule \"" + rule->name + "\" has no relation");
    if (rule->verbs.empty() && rule->nouns.empty()) return error(rule_line, "rule \"" + rule->name + "\" has neither verbs nor nouns");
    const RelationTypeDef* rel = schema.FindRelationType(rule->relation);
    if (rule->subject.from.empty()) rule->subject.from = {"subject"};
    if (rule->object.from.empty()) rule->object.from = {"object"};
    if (rule->subject.types.empty()) rule->subject.types = rel->subject_types;
    if (rule->object.types.empty()) rule->object.types = rel->object_types;
    rule->symmetric = rel->symmetric;
    return Status::OK();
  };
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // a byte-order mark
    const std::string_view raw = line;  // an example runs to the end of its line, '#' included
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const std::vector<std::string> w = Fields(line);
    if (w.empty()) {
      if (nl == text.size()) break;
      continue;
    }
    const std::string& key = w[0];
    if (key == "rule") {
      PG_RETURN_IF_ERROR(finish());
      if (w.size() != 2 || !IsLowerWord(w[1])) return error(line_no, "a rule line is \"rule NAME\", NAME in lower-case letters and dashes");
      if (!names.insert(w[1]).second) return error(line_no, "rule \"" + w[1] + "\" is defined twice");
      set.rules_.emplace_back();
      rule = &set.rules_.back();
      rule->name = w[1];
      rule->where = f + ":" + std::to_string(line_no);
      rule_line = line_no;
      continue;
    }
    if (!rule) return error(line_no, "\"" + key + "\" before the first \"rule NAME\" line");
    if (key == "relation") {
      if (w.size() != 2) return error(line_no, "\"relation\" takes one relation type");
      if (!rule->relation.empty()) return error(line_no, "\"relation\" is given twice in rule \"" + rule->name + "\"");
      const RelationTypeDef* rel = schema.FindRelationType(w[1]);
      if (!rel) {
        std::vector<std::string> known;
        for (const RelationTypeDef& r : schema.relation_types()) known.push_back(r.name);
        return error(line_no, "unknown relation type \"" + w[1] + "\" (the schema has " + Joined(known, 30) +
                                  "; add one with `pactgraph schema --add`)");
      }
      rule->relation = w[1];
    } else if (key == "verbs" || key == "nouns") {
      if (w.size() < 2) return error(line_no, "\"" + key + "\" needs at least one word");
      for (size_t i = 1; i < w.size(); ++i) {
        if (!IsLowerWord(w[i])) return error(line_no, "\"" + w[i] + "\" is not a word in lower case");
        auto& words = key == "verbs" ? rule->verbs : rule->nouns;
        if (std::find(words.begin(), words.end(), w[i]) != words.end()) return error(line_no, "\"" + w[i] + "\" is listed twice");
        words.push_back(w[i]);
      }
    } else if (key == "subject" || key == "object") {
      if (rule->relation.empty()) return error(line_no, "\"relation\" comes before \"" + key + "\"");
      RuleRole role;
      bool types = false;
      for (size_t i = 1; i < w.size(); ++i) {
        if (w[i] == ":") {
          types = true;
          continue;
        }
        if (!types) {
          if (w[i] != "subject" && w[i] != "object" && !extract::ChunkPrepositions().count(w[i])) {
            return error(line_no, "\"" + w[i] + "\": a role comes from subject, object or a preposition (" + KnownPrepositions() + ")");
          }
          role.from.push_back(w[i]);
          continue;
        }
        if (!schema.FindEntityType(w[i])) return error(line_no, "unknown entity type \"" + w[i] + "\"");
        const RelationTypeDef* rel = schema.FindRelationType(rule->relation);
        if (!Schema::TypeAllowed(key == "subject" ? rel->subject_types : rel->object_types, w[i])) {
          return error(line_no, rule->relation + " does not take a " + w[i] + " as its " + key);
        }
        role.types.push_back(w[i]);
      }
      if (role.from.empty()) return error(line_no, "\"" + key + "\" says where it comes from: subject, object or a preposition");
      (key == "subject" ? rule->subject : rule->object) = std::move(role);
    } else if (key == "slot" || key == "mark") {
      if (rule->relation.empty()) return error(line_no, "\"relation\" comes before \"" + key + "\"");
      if (w.size() < 3) return error(line_no, key == "slot" ? "a slot line is \"slot NAME PREPOSITION...\"" : "a mark line is \"mark NAME WORD=VALUE...\"");
      const SlotDef* slot = schema.FindSlot(w[1]);
      const RelationTypeDef* rel = schema.FindRelationType(rule->relation);
      if (!slot || !schema.AllowsSlot(*rel, w[1])) return error(line_no, rule->relation + " has no qualifier slot \"" + w[1] + "\"");
      if (key == "slot") {
        if (slot->kind != SlotKind::kNode) return error(line_no, "\"" + w[1] + "\" holds a value, not a name: use \"mark\"");
        for (size_t i = 2; i < w.size(); ++i) {
          if (!extract::ChunkPrepositions().count(w[i])) {
            return error(line_no, "\"" + w[i] + "\" is not a preposition the extractor reads (" + KnownPrepositions() + ")");
          }
          rule->slots[w[1]].push_back(w[i]);
        }
        rule->slot_types[w[1]] = slot->types;
      } else {
        if (slot->kind == SlotKind::kNode) return error(line_no, "\"" + w[1] + "\" holds a name, not a value: use \"slot\"");
        for (size_t i = 2; i < w.size(); ++i) {
          const size_t eq = w[i].find('=');
          if (eq == std::string::npos || eq == 0 || eq + 1 == w[i].size()) return error(line_no, "\"" + w[i] + "\" is not WORD=VALUE");
          rule->marks[w[1]][Lower(w[i].substr(0, eq))] = w[i].substr(eq + 1);
        }
      }
    } else if (key == "unless") {
      if (w.size() < 2) return error(line_no, "an unless line is \"unless PREPOSITION...\"");
      for (size_t i = 1; i < w.size(); ++i) {
        if (!IsLowerWord(w[i])) return error(line_no, "\"" + w[i] + "\" is not a preposition in lower case");
        if (!extract::ChunkPrepositions().count(w[i])) {
          return error(line_no, "\"" + w[i] + "\" is not a preposition the extractor reads (" + KnownPrepositions() + ")");
        }
        rule->unless.push_back(w[i]);
      }
    } else if (key == "agentless") {
      if (w.size() != 2 || w[1] != "announcers") return error(line_no, "the one agentless reading is \"agentless announcers\"");
      rule->agentless_announcers = true;
    } else if (key == "mutual") {
      if (w.size() != 1) return error(line_no, "\"mutual\" takes nothing after it");
      rule->mutual = true;
    } else if (key == "confidence") {
      double c = -1;
      const auto [end, ec] = w.size() == 2 ? std::from_chars(w[1].data(), w[1].data() + w[1].size(), c) : std::from_chars_result{};
      if (w.size() != 2 || ec != std::errc() || end != w[1].data() + w[1].size() || !(c > 0 && c <= 1)) {
        return error(line_no, "a confidence is a number above 0 and at most 1");
      }
      rule->confidence = static_cast<float>(c);
    } else if (key == "example") {
      const size_t at = raw.find("example");
      std::string_view rest = raw.substr(at + 7);
      while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
      while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.remove_suffix(1);
      rule->example = std::string(rest);
    } else {
      return error(line_no, "unknown key \"" + key +
                                "\" (a rule has relation, verbs, nouns, subject, object, slot, mark, unless, agentless, mutual, confidence, example)");
    }
    if (nl == text.size()) break;
  }
  PG_RETURN_IF_ERROR(finish());
  set.Index();
  return set;
}

void RuleSet::Extend(const RuleSet& other) {
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < rules_.size(); ++i) at[rules_[i].name] = i;
  for (const RelationRule& r : other.rules_) {
    if (const auto same = at.find(r.name); same != at.end()) {
      rules_[same->second] = r;
    } else {
      at[r.name] = rules_.size();
      rules_.push_back(r);
    }
  }
  Index();
}

void RuleSet::Index() {
  by_verb_.clear();
  by_noun_.clear();
  verbs_.clear();
  nouns_.clear();
  for (size_t i = 0; i < rules_.size(); ++i) {
    for (const std::string& v : rules_[i].verbs) {
      by_verb_[v].push_back(i);
      ++verbs_[v];
    }
    for (const std::string& n : rules_[i].nouns) {
      for (const std::string& form : {n, Plural(n)}) {
        auto& list = by_noun_[form];
        if (list.empty() || list.back() != i) list.push_back(i);
      }
      ++nouns_[n];
      ++nouns_[Plural(n)];
    }
  }
}

bool RuleSet::Triggers(std::string_view lower) const {
  const std::string w(lower);
  return nouns_.count(w) > 0 || verbs_.count(LemmatizeVerb(w)) > 0;
}

std::vector<RuleMatch> RuleSet::Match(const Frame& frame, std::string_view sentence) const {
  std::vector<RuleMatch> out;
  const std::string& m = frame.modality;
  if (m.find("may") != std::string::npos || m.find("might") != std::string::npos || m.find("could") != std::string::npos) return out;
  const auto& index = frame.nominal ? by_noun_ : by_verb_;
  const auto it = index.find(frame.lemma);
  if (it == index.end()) return out;

  // The frame in the active voice: who does it, to what.
  std::vector<TextSpan> doers, things;
  std::set<size_t> used_preps;  // preps read as doer or thing are not slots too
  auto prep_phrases = [&](const std::string& p, bool mark_used) {
    std::vector<TextSpan> spans;
    for (size_t i = 0; i < frame.preps.size(); ++i) {
      if (frame.preps[i].prep != p) continue;
      spans.insert(spans.end(), frame.preps[i].objects.begin(), frame.preps[i].objects.end());
      if (mark_used) used_preps.insert(i);
    }
    return spans;
  };
  if (frame.nominal) {
    doers = frame.subjects;
    for (const char* p : {"by", "from"}) {
      if (doers.empty()) doers = prep_phrases(p, true);
    }
    // The thing is the first for/of/to phrase in the sentence: "its acquisition of Globex for
    // 2 billion dollars" is of Globex.
    for (const FramePrep& fp : frame.preps) {
      if ((fp.prep == "for" || fp.prep == "of" || fp.prep == "to") && !fp.objects.empty()) {
        things = prep_phrases(fp.prep, true);
        break;
      }
    }

  } else if (frame.passive) {
    doers = prep_phrases("by", true);
    things = frame.subjects;
  } else {
    doers = frame.subjects;
    things = frame.objects;
  }

  for (size_t ri : it->second) {
    const RelationRule& r = rules_[ri];
    if (std::any_of(frame.preps.begin(), frame.preps.end(), [&](const FramePrep& p) {
          return !p.objects.empty() && std::find(r.unless.begin(), r.unless.end(), p.prep) != r.unless.end();
        })) {
      continue;
    }
    std::set<size_t> rule_used = used_preps;
    auto role = [&](const RuleRole& role) {
      std::vector<std::vector<TextSpan>> options;
      for (const std::string& from : role.from) {
        if (from == "subject" && !doers.empty()) options.push_back(doers);
        if (from == "object" && !things.empty()) options.push_back(things);
        // "Acme's partners for X include A and B": the members the noun's sentence lists, after
        // its own prepositions' phrases.
        if (from == "object" && frame.nominal && !frame.objects.empty()) options.push_back(frame.objects);
        if (from != "subject" && from != "object") {
          std::vector<TextSpan> spans;
          for (size_t i = 0; i < frame.preps.size(); ++i) {
            if (frame.preps[i].prep != from) continue;
            spans.insert(spans.end(), frame.preps[i].objects.begin(), frame.preps[i].objects.end());
            rule_used.insert(i);
          }
          if (!spans.empty()) options.push_back(std::move(spans));
        }
      }
      return options;
    };
    RuleMatch match;
    match.rule = &r;
    match.subject_options = role(r.subject);
    match.object_options = role(r.object);
    if (!match.subject_options.empty()) match.subjects = match.subject_options.front();
    if (!match.object_options.empty()) match.objects = match.object_options.front();
    if (r.subject.from == r.object.from) {
      // "Acme and Fjordsoft partner": one list, every pair of it; without one, the announcers
      // ("a cross-license agreement" in a release of two companies).
      // (One phrase may name several: "between A and B" read by the chunker is one phrase.)
      if (match.subjects.empty()) {
        if (!r.agentless_announcers || !(frame.passive || frame.nominal)) continue;
        match.subject_from_announcers = true;
      }
      match.objects.clear();
      match.object_options.clear();
      match.subjects_pair_up = true;
    } else {
      if (match.objects.empty()) continue;
      if (match.subjects.empty()) {
        if (!r.agentless_announcers || !(frame.passive || frame.nominal)) continue;
        match.subject_from_announcers = true;
      }
    }
    for (const auto& [slot, preps] : r.slots) {
      for (size_t i = 0; i < frame.preps.size(); ++i) {
        if (rule_used.count(i) || std::find(preps.begin(), preps.end(), frame.preps[i].prep) == preps.end()) continue;
        auto& spans = match.node_slots[slot];
        spans.insert(spans.end(), frame.preps[i].objects.begin(), frame.preps[i].objects.end());
      }
    }
    for (const auto& [slot, words] : r.marks) {
      // The words of the object's phrases and of the preposition named like the slot ("as a
      // guest").
      std::vector<TextSpan> marked = match.objects.empty() ? match.subjects : match.objects;
      for (const FramePrep& fp : frame.preps) {
        if (fp.prep == slot) marked.insert(marked.end(), fp.objects.begin(), fp.objects.end());
      }
      for (const TextSpan& s : marked) {
        for (const std::string& word : Fields(sentence.substr(s.begin, s.end - s.begin))) {
          std::string lw = Lower(word);
          while (!lw.empty() && std::ispunct(static_cast<unsigned char>(lw.back()))) lw.pop_back();
          if (const auto v = words.find(lw); v != words.end()) match.literal_slots[slot] = v->second;
        }
      }
    }
    if (frame.ended) {
      match.literal_slots["status"] = "ended";
    } else if (frame.negated) {
      match.literal_slots["status"] = "denied";
    } else if (m == "will" || m.find("plan") != std::string::npos || m.find("expect") != std::string::npos ||
        m.find("intend") != std::string::npos || m.find("going to") != std::string::npos || m.find("agree") != std::string::npos) {
      // ("has agreed to acquire": a deal signed, not yet closed.)
      match.literal_slots["status"] = "planned";
    }
    match.confidence = frame.parsed ? r.confidence : std::min(r.confidence, std::max(0.05f, r.confidence - 0.05f));
    out.push_back(std::move(match));
  }
  return out;
}

}  // namespace pactgraph::ingest
