// The grammar phase: relations stated by clauses, as the relation rules read them (rules.h).
// A sentence with a trigger word (a verb or noun some rule names) is parsed; each clause of the
// parse is a frame. A trigger the parse gave no relation for (the sentence did not link, or
// the parser read the word otherwise) is read by the chunker: the names before and after the
// word, its voice, negation and modal from the words around it. The rules then say which
// relation the frame states, and its phrases are matched to the article's names.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/schema.h"
#include "ingest/internal/extractor.h"
#include "ingest/parse.h"

namespace pactgraph::ingest::extract {

const RuleSet* ShippedRules() {
  static const Result<RuleSet> rules = RuleSet::Shipped(Schema::Default());
  return rules.ok() ? &*rules : nullptr;
}

// The entities named inside `spans` (bytes of unit `u`'s text) whose type `types` allows (all
// when empty), each once, in order.
std::vector<int> Extractor::EntitiesIn(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const {
  std::vector<int> out;
  for (const TextSpan& s : spans) {
    const uint32_t b = u.begin + s.begin, e = u.begin + s.end;
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.entity < 0 || !ents_[m.entity].keep || m.te == 0) continue;
      if (u.toks[m.tb].begin >= e || u.toks[m.te - 1].end <= b) continue;
      if (!Schema::TypeAllowed(types, ents_[m.entity].type)) continue;
      if (std::find(out.begin(), out.end(), m.entity) == out.end()) out.push_back(m.entity);
    }
  }
  return out;
}

// "Acme offers Quill together with Globex, which runs on Vega": a relative pronoun the parse
// left standing for itself names the nearest name before it whose type the role allows (the
// company next to "which" cannot run on anything; the product before it can). Empty when
// `spans` is not one relative pronoun or no such name precedes it.
std::vector<int> Extractor::RelativeAntecedent(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const {
  if (spans.size() != 1 || spans[0].end <= spans[0].begin || spans[0].end > u.text.size()) return {};
  const std::string word = Lower(u.text.substr(spans[0].begin, spans[0].end - spans[0].begin));
  if (word != "which" && word != "that") return {};
  const size_t k = TokenAt(u, spans[0].begin);
  int best = -1;
  size_t best_end = 0;
  for (size_t mi : u.mentions) {
    const Mention& m = mentions_[mi];
    if (m.entity < 0 || m.pair || !ents_[m.entity].keep || m.te == 0 || m.te > k) continue;
    if (!Schema::TypeAllowed(types, ents_[m.entity].type)) continue;
    if (best < 0 || m.te > best_end) {
      best = m.entity;
      best_end = m.te;
    }
  }
  if (best < 0) return {};
  return {best};
}

// "the next release of Vega": a phrase headed by a noun of lexicon/version_nouns.txt and
// followed by "of" and a name stands for that name. The spans with each such phrase widened
// over its of-phrase; `spans` as they are when none is.
std::vector<TextSpan> Extractor::OverOfPhrase(const Unit& u, const std::vector<TextSpan>& spans) const {
  std::vector<TextSpan> out = spans;
  for (TextSpan& s : out) {
    const size_t k = TokenAt(u, s.end);  // the token after the phrase
    if (k == 0 || k + 1 >= u.toks.size() || Lower(u.toks[k].text) != "of") continue;
    const size_t head = k - 1;
    if (u.toks[head].end - u.begin != s.end || !VersionNouns().count(Lower(u.toks[head].text))) continue;
    const int m = u.mention_at[k + 1];
    if (m < 0 || mentions_[m].tb != k + 1) continue;
    s.end = u.toks[mentions_[m].te - 1].end - u.begin;
  }
  return out;
}

// EntitiesIn, less the names that own the phrase's head: "Cortana's knowledge" is knowledge, not
// Cortana ("bringing Cortana's knowledge to Alexa" brings no product). A name owning another
// name ("Acme's Quill OS") leaves that name in.
std::vector<int> Extractor::HeadEntitiesIn(const Unit& u, const std::vector<TextSpan>& spans, const std::vector<std::string>& types) const {
  std::vector<int> out = EntitiesIn(u, spans, types);
  std::erase_if(out, [&](int e) {
    for (const TextSpan& s : spans) {
      const uint32_t b = u.begin + s.begin, end = u.begin + s.end;
      for (size_t mi : u.mentions) {
        const Mention& m = mentions_[mi];
        if (m.entity != e || m.te == 0 || u.toks[m.tb].begin < b || u.toks[m.te - 1].end > end) continue;
        const size_t k = m.te;
        const bool owns_a_noun = k + 1 < u.toks.size() && u.toks[k].kind == Token::Kind::kPossessive &&
                                 IsWord(u.toks[k + 1]) && !u.toks[k + 1].capitalized;
        // "its reminders" ("its" standing for the product), "its Office 365 integration": the
        // phrase's head is the noun after, something of the product's, not the product.
        const bool pronoun_owner = m.possessive && k < u.toks.size() && IsWord(u.toks[k]) && !u.toks[k].capitalized;
        const bool of_it = k < u.toks.size() && FeatureNouns().count(Lower(u.toks[k].text)) > 0;
        if (!owns_a_noun && !pronoun_owner && !of_it) return false;
      }
    }
    return true;
  });
  return out;
}

// The first token at or after byte `at` of unit `u`'s text.
size_t Extractor::TokenAt(const Unit& u, uint32_t at) const {
  const auto it = std::lower_bound(u.toks.begin(), u.toks.end(), u.begin + at, [](const Token& t, uint32_t b) { return t.begin < b; });
  return static_cast<size_t>(it - u.toks.begin());
}

void Extractor::GrammarRelations(size_t ui) {
  const Unit& u = units_[ui];
  std::vector<size_t> triggers;
  for (size_t k = 0; k < u.toks.size(); ++k) {
    if (IsWord(u.toks[k]) && rules_->Triggers(Lower(u.toks[k].text))) triggers.push_back(k);
  }
  if (triggers.empty()) return;
  std::set<size_t> stated;  // triggers that gave a relation
  if (o_.parser && parse_seconds_ < o_.max_parse_seconds) {
    const auto start = std::chrono::steady_clock::now();
    const SentenceParse p = o_.parser->Parse(u.text);
    parse_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (Frame& f : FramesOf(p)) {
      const size_t k = TokenAt(u, f.trigger.begin);
      if (k >= u.toks.size() || !rules_->Triggers(Lower(u.toks[k].text))) continue;
      Complete(ChunkFrame(u, k), &f);
      const size_t before = pending_.size();
      for (const RuleMatch& m : rules_->Match(f, u.text)) Apply(ui, f, m);
      // A clause the parse reads as negated (its facts are denials) or merely possible (it states
      // nothing) must not be read again by the chunker, which sees fewer words around the verb.
      const bool unsaid = f.negated || f.modality.find("may") != std::string::npos ||
                          f.modality.find("might") != std::string::npos || f.modality.find("could") != std::string::npos;
      if (pending_.size() > before || unsaid) stated.insert(k);
    }
  }
  for (size_t k : triggers) {
    if (stated.count(k) || Full(ui)) continue;
    const Frame f = ChunkFrame(u, k);
    for (const RuleMatch& m : rules_->Match(f, u.text)) Apply(ui, f, m);
  }
}

// The frames whose doer is a person, read again once every sentence is: the person stands for
// the company she works for (EmployerOf), at a lower confidence.
void Extractor::ApplyDeferred() {
  applying_deferred_ = true;
  std::vector<Deferred> todo;
  todo.swap(deferred_);
  for (const Deferred& d : todo) {
    RuleMatch m = d.match;
    m.confidence = std::min(m.confidence, 0.55f);
    Apply(d.unit, d.frame, m);
  }
  applying_deferred_ = false;
}

// The company person `p` works for, as the article's facts so far state it (not a post held
// before); -1 when none or more than one.
int Extractor::EmployerOf(int p) const {
  int employer = -1;
  for (const Pending& w : pending_) {
    if (w.rel.type != "WORKS_FOR" || w.subj != p || TypeOf(w.obj) != "Company") continue;
    if (const auto st = w.rel.qualifiers.find("status"); st != w.rel.qualifiers.end() && st->second == "ended") continue;
    if (employer >= 0 && employer != w.obj) return -1;
    employer = w.obj;
  }
  return employer;
}

// Fills what the parse left out of `parsed` from the chunker's reading of the same trigger: a
// missing subject (the second of two coordinated verbs) takes the names before the verb, a
// missing object the phrase after it (a pronoun needs nothing here: coref.cc made it a mention
// of what it stands for); and prepositions the
// parse attached deeper ("as a guest on Hyper-V": on the guest) are added as the chunker read
// them. The parse's own readings stay: its passive, its coordination, its relative clauses.
void Extractor::Complete(const Frame& chunked, Frame* parsed) {
  // The chunker's clause end bounds the parse's attachments too: a parse may hang "on Y" of "a
  // store running on Y" on the main verb.
  if (chunked.clause_end > parsed->trigger.end) {
    for (FramePrep& p : parsed->preps) {
      std::erase_if(p.objects, [&](const TextSpan& o) { return o.begin >= chunked.clause_end; });
    }
    std::erase_if(parsed->preps, [](const FramePrep& p) { return p.objects.empty(); });
  }
  if (parsed->nominal != chunked.nominal || parsed->passive != chunked.passive) {
    // The two read the word differently; only the prepositions are shared.
  } else {
    if (parsed->subjects.empty()) parsed->subjects = chunked.subjects;
    if (parsed->objects.empty()) parsed->objects = chunked.objects;
  }
  // An object the parse found inside what the chunker reads as a preposition's phrase ("runs on
  // A, B and C containers": "and C containers" linked as the verb's object) is that phrase's.
  if (!parsed->passive && !parsed->nominal) {
    std::erase_if(parsed->objects, [&](const TextSpan& o) {
      return std::any_of(chunked.preps.begin(), chunked.preps.end(), [&](const FramePrep& p) {
        return std::any_of(p.objects.begin(), p.objects.end(), [&](const TextSpan& q) { return o.begin >= q.begin && o.end <= q.end; });
      });
    });
  }
  // The chunker sees the words of ending around the trigger ("no longer", "dropped support for")
  // that a parse may attach elsewhere.
  if (chunked.ended) parsed->ended = true;
  // (Every phrase of a preposition the parse lacks: "on A and on B" is two phrases.)
  const size_t parsed_preps = parsed->preps.size();
  for (const FramePrep& p : chunked.preps) {
    const bool have = std::any_of(parsed->preps.begin(), parsed->preps.begin() + static_cast<long>(parsed_preps),
                                  [&](const FramePrep& q) { return q.prep == p.prep; });
    if (!have) parsed->preps.push_back(p);
  }
}

void Extractor::Apply(size_t ui, const Frame& f, const RuleMatch& m) {
  const Unit& u = units_[ui];
  const RelationRule& r = *m.rule;
  // "When it comes to Vega, ...": the idiom names a topic; nothing comes anywhere.
  if (const size_t k = TokenAt(u, f.trigger.begin); k >= 2 && Lower(u.toks[k - 1].text) == "it") {
    const std::string before = Lower(u.toks[k - 2].text);
    if ((before == "when" || before == "where" || before == "far") && LemmatizeVerb(Lower(u.toks[k].text)) == "come") return;
  }
  // Each role from the first of its places whose phrases name entities of the role's types.
  std::vector<int> subjects, objects;
  const std::vector<TextSpan>* subject_spans = &m.subjects;
  const std::vector<TextSpan>* object_spans = &m.objects;
  if (m.subject_from_announcers) {
    // Not a company the frame itself names in another role ("Quill OS is supported on Vega,
    // Nimbus and Tern Cloud": the clouds are where, not who).
    std::vector<int> named;
    for (const auto& [slot, spans] : m.node_slots) {
      for (int e : EntitiesIn(u, spans, {})) named.push_back(e);
    }
    for (const auto& option : m.object_options) {
      for (int e : EntitiesIn(u, option, {})) named.push_back(e);
    }
    for (int c : Announcers(u)) {
      if (std::find(named.begin(), named.end(), c) != named.end()) continue;
      if (Schema::TypeAllowed(r.subject.types, ents_[c].type)) subjects.push_back(c);
    }
  } else {
    // A company owning the phrase acts for it ("Acme's engineers built X"); a product owning
    // it is not the product ("Cortana's knowledge").
    const bool doer = Schema::TypeAllowed(r.subject.types, "Company") || Schema::TypeAllowed(r.subject.types, "Person");
    for (const auto& option : m.subject_options) {
      subjects = doer ? EntitiesIn(u, option, r.subject.types) : HeadEntitiesIn(u, option, r.subject.types);
      if (subjects.empty()) subjects = RelativeAntecedent(u, option, r.subject.types);
      subject_spans = &option;
      if (!subjects.empty()) break;
    }
    // A person acting for a company ("CEO Jane Roe disclosed plans for cooperation with Globex")
    // stands for her employer, once the article's WORKS_FOR facts are all read (ApplyDeferred).
    if (subjects.empty() && Schema::TypeAllowed(r.subject.types, "Company") && !Schema::TypeAllowed(r.subject.types, "Person")) {
      for (const auto& option : m.subject_options) {
        const std::vector<int> people = EntitiesIn(u, option, {"Person"});
        if (people.empty()) continue;
        if (!applying_deferred_) {
          deferred_.push_back({ui, f, m});
          return;
        }
        for (int person : people) {
          if (const int employer = EmployerOf(person); employer >= 0) subjects.push_back(employer);
        }
        subject_spans = &option;
        break;
      }
    }
  }
  for (const auto& option : m.object_options) {
    objects = HeadEntitiesIn(u, option, r.object.types);
    if (objects.empty()) objects = RelativeAntecedent(u, option, r.object.types);
    if (objects.empty()) objects = EntitiesIn(u, OverOfPhrase(u, option), r.object.types);
    object_spans = &option;
    if (!objects.empty()) break;
  }
  // The evidence: from the first phrase used to the last, the trigger included.
  uint32_t b = f.trigger.begin, e = f.trigger.end;
  auto widen = [&](const std::vector<TextSpan>& spans) {
    for (const TextSpan& s : spans) {
      b = std::min(b, s.begin);
      e = std::max(e, s.end);
    }
  };
  widen(*subject_spans);
  if (!m.subjects_pair_up) widen(*object_spans);
  for (const auto& [slot, spans] : m.node_slots) widen(spans);
  const size_t tb = TokenAt(u, b), te = std::max(TokenAt(u, e), tb + 1);
  std::map<std::string, std::string> q(m.literal_slots.begin(), m.literal_slots.end());
  if (m.subjects_pair_up) {
    for (size_t i = 0; i < subjects.size() && !Full(ui); ++i) {
      for (size_t j = i + 1; j < subjects.size(); ++j) {
        Add(r.relation, subjects[i], subjects[j], ui, r.name, m.confidence, tb, te, q);
        if (r.mutual) Add(r.relation, subjects[j], subjects[i], ui, r.name, m.confidence, tb, te, q);
      }
    }
    return;
  }
  // Node slots: each value a fact of its own ("on A and B": two facts).
  std::vector<std::map<std::string, std::string>> qualifiers = {q};
  for (const auto& [slot, spans] : m.node_slots) {
    const auto types = r.slot_types.find(slot);
    const std::vector<std::string> allowed = types == r.slot_types.end() ? std::vector<std::string>{} : types->second;
    std::vector<int> values = EntitiesIn(u, spans, allowed);
    if (values.empty()) values = EntitiesIn(u, OverOfPhrase(u, spans), allowed);
    if (values.empty()) continue;
    std::vector<std::map<std::string, std::string>> next;
    for (const auto& base : qualifiers) {
      for (int v : values) {
        auto with = base;
        with[slot] = ents_[v].name;
        next.push_back(std::move(with));
      }
    }
    qualifiers = std::move(next);
  }
  // "Quill OS is supported on Vega" with no one to support it: the running is stated all the
  // same (as RunsWhereSupported reads it off a support with a doer), unless denied or ended.
  // (A verb's passive only: a noun's frame may end further on, "support for X on Y ends in June".)
  if (subjects.empty() && !f.nominal && (r.relation == "SUPPORTS" || r.relation == "VALIDATES")) {
    for (int o : objects) {
      for (const auto& qq : qualifiers) {
        const int platform = SupportedPlatform(o, qq);
        if (platform < 0 || Full(ui)) continue;
        auto rq = qq;  // its other qualifiers ("as guest", a status) go with it
        rq.erase("on");
        Add("RUNS_ON", o, platform, ui, "runs-where-supported", std::min(m.confidence, 0.6f), tb, te, rq);
      }
    }
  }
  for (int s : subjects) {
    for (int o : objects) {
      for (const auto& qq : qualifiers) {
        if (Full(ui)) return;
        // A thing is not its own platform ("Quill OS on Quill OS" from one phrase read twice).
        if (const auto on = qq.find("on"); on != qq.end() && on->second == ents_[o].name) continue;
        Add(r.relation, s, o, ui, r.name, m.confidence, tb, te, qq);
        if (r.mutual) Add(r.relation, o, s, ui, r.name, m.confidence, tb, te, qq);
      }
    }
  }
}

// ------------------------------------------------------------------------ the chunker

bool Extractor::EndedNoun(const Unit& u, size_t k) const {
  // At most three words back ("ended its partnership"), to a name or a clause's end.
  for (long j = static_cast<long>(k) - 1, n = 0; j >= 0 && n < 3; --j, ++n) {
    const std::string w = Lower(u.toks[j].text);
    // ("its" is a mention of the company it stands for, and no end of the phrase.)
    const bool owner = w == "its" || w == "their" || w == "our";
    if ((u.mention_at[j] >= 0 && !owner) || ClauseEnds().count(w) || w == ",") break;
    if (EndingVerbs().count(w)) return true;
  }
  return k + 1 < u.toks.size() && EndingVerbs().count(Lower(u.toks[k + 1].text)) > 0;
}

// A frame read from the words around trigger token `k`, for a sentence the parser did not
// read (or read otherwise): the nearest list of names before it as its subjects, the phrase up
// to the first preposition as its object, each preposition's phrase after it; the voice from a
// form of "be" before a participle, negation and the modal from the words just before.
Frame Extractor::ChunkFrame(const Unit& u, size_t k) const {
  const Words& kPreps = ChunkPrepositions();
  const Words& kEnds = ClauseEnds();
  const Words& kVerbBefore = VerbCues();
  const Words& kBe = BeForms();
  Frame f;
  const Token& t = u.toks[k];
  const std::string l = Lower(t.text);
  const std::string lemma = LemmatizeVerb(l);
  f.trigger = {t.begin - u.begin, t.end - u.begin};
  const std::string prev = k > 0 ? Lower(u.toks[k - 1].text) : std::string();
  // (A possessive pronoun is no subject: "its purchase of" is a noun.)
  const bool prev_is_name_end = (k > 0 && u.mention_at[k - 1] >= 0 && u.toks[k - 1].kind != Token::Kind::kPossessive &&
                                 !mentions_[u.mention_at[k - 1]].possessive) ||
                                (k > 1 && AbbreviationPeriod(u, k - 1) && u.mention_at[k - 2] >= 0);  // "Acme Corp. supports"
  const std::string next = k + 1 < u.toks.size() ? Lower(u.toks[k + 1].text) : std::string();
  const Words& kDeterminers = NounMarkers();
  // A noun after a possessive, a determiner or an adjective ("Acme's partners", "full support");
  // a verb after its subject's name or a verb cue ("Acme partners with", "will support"). An
  // inflected form ("supports", "partners") is a noun only after a possessive or a determiner,
  // or before what follows a noun (a preposition, "include", "are", a comma): "the hypervisor
  // supports Quill OS" is a verb, "hardware partners for X include" a noun.
  const bool inflected = l != lemma;
  const bool noun_context = u.toks[k > 0 ? k - 1 : 0].kind == Token::Kind::kPossessive || kDeterminers.count(prev) ||
                            kPreps.count(next) || next == "include" || next == "includes" || next == "are" || next == "were" ||
                            next == "," || next == "such" || DealNouns().count(next) > 0;  // "a patent cross-licensing agreement"
  if (rules_->IsNoun(l) &&
      (!rules_->IsVerb(lemma) || (!kVerbBefore.count(prev) && !prev_is_name_end && (!inflected || noun_context)))) {
    f.nominal = true;
    f.lemma = l;
  } else if (!inflected && k > 0 && IsWord(u.toks[k - 1]) && !u.toks[k - 1].capitalized && u.mention_at[k - 1] < 0 &&
             !kVerbBefore.count(prev) && !prev_is_name_end && (next == "and" || next == "," || next == "." || next == "or") &&
             prev != "to" && prev != "and" && prev != "or" && prev != "also" && prev != "jointly" && prev != "together" &&
             prev != "not" && prev != "never") {
    // "contribute hardware design and language support": a base form between a noun and the
    // phrase's end is a noun ("design"), and a noun no rule reads states nothing.
    f.nominal = true;
    f.lemma = l;
  } else {
    f.lemma = lemma;
  }
  auto span_of = [&](size_t tb, size_t te) { return TextSpan{u.toks[tb].begin - u.begin, u.toks[te - 1].end - u.begin}; };

  // Voice, negation, modal: the few words before, back to a name or a clause's end.
  for (long j = static_cast<long>(k) - 1, n = 0; j >= 0 && n < 6; --j, ++n) {
    const std::string w = Lower(u.toks[j].text);
    if (u.mention_at[j] >= 0 || (kEnds.count(w) && !AbbreviationPeriod(u, static_cast<size_t>(j))) || w == ",") break;
    // A past participle after "be" is passive; "is acquiring", "are supports" are not.
    if (kBe.count(w) && l != lemma && !l.ends_with("ing") && l != lemma + "s" && l != lemma + "es" && n < 3) f.passive = true;
    // "not", "never", "cannot", "doesn't" / "won't" (one token), "no longer".
    if (w == "not" || w == "never" || w == "cannot" || w == "neither" || w == "nor" || w.ends_with("n't") || w.ends_with("n’t") ||
        (w == "longer" && j > 0 && Lower(u.toks[j - 1].text) == "no")) {
      f.negated = true;
    }
    if (w == "longer" && j > 0 && Lower(u.toks[j - 1].text) == "no") f.ended = true;
    if (w == "will" || w == "may" || w == "might" || w == "could") f.modality = w;
    if ((w == "plans" || w == "plan" || w == "planned" || w == "intends" || w == "intend" || w == "expects" || w == "expected") &&
        f.modality.empty()) {
      f.modality = "plan to";
    }
    if ((w == "agreed" || w == "agrees" || w == "agree") && j + 1 < static_cast<long>(k) && Lower(u.toks[j + 1].text) == "to" && f.modality.empty()) {
      f.modality = "agree to";
    }
  }
  if (f.nominal && EndedNoun(u, k)) f.ended = true;
  // "Quill OS, developed by Fjordsoft": a participle with its by-phrase.
  if (!f.nominal && l != lemma && k + 1 < u.toks.size() && Lower(u.toks[k + 1].text) == "by") f.passive = true;

  // Subjects: for a noun, the possessor just before it; for a verb, the nearest list of names
  // before it, whose members are joined by "and", commas or "both".
  // The nearest list of names before token `k`, whose members are joined by "and", commas or
  // "both"; for a noun (`in_object`), only across the words of the phrase it heads and the verb
  // it is the object of: a preposition or a clause's end before any name gives nothing.
  // "A and B, the first Acme phones to run Y": an infinitive inside an apposition that opens
  // with "the", "a" or "one" tells of the names before the comma; the names inside it (Acme)
  // are not its doers.
  long walk_from = static_cast<long>(k) - 1;
  if (!f.nominal && k >= 1 && Lower(u.toks[k - 1].text) == "to") {
    for (long c = static_cast<long>(k) - 2; c >= 1 && c + 10 >= static_cast<long>(k); --c) {
      const std::string x = Lower(u.toks[c].text);
      if (x == "." || x == ";" || x == ":") break;
      if (x != ",") continue;
      const std::string opener = Lower(u.toks[c + 1].text);
      if (opener != "the" && opener != "a" && opener != "an" && opener != "one") break;
      // "held up A and B at the Nordic show in Bergen on Monday, the first phones to run Y":
      // back over the phrases of place and time to the names they follow.
      for (long p = c - 1; p >= 0 && p + 16 >= c; --p) {
        const std::string x = Lower(u.toks[p].text);
        if (x == "." || x == ";" || x == ":" || x == ",") break;
        if (u.mention_at[p] < 0) continue;
        const Mention& m = mentions_[u.mention_at[p]];
        long before = static_cast<long>(m.tb) - 1;
        // (Names side by side are one phrase: "at Nokia World", read as two names.)
        while (before >= 0 && (kDeterminers.count(Lower(u.toks[before].text)) > 0 || u.mention_at[before] >= 0)) --before;
        const std::string bw = before >= 0 ? Lower(u.toks[before].text) : std::string();
        if (before >= 0 && (kPreps.count(bw) || bw == "at" || bw == "near" || bw == "during")) {
          p = before;  // a phrase of place or time: on to what is before it
          continue;
        }
        walk_from = static_cast<long>(m.te) - 1;
        break;
      }
      break;
    }
  }
  auto names_before = [&](bool in_object) {
    std::vector<TextSpan> out;
    bool in_list = false;
    bool separated = false;  // "and", a comma or "both" since the last member: two names side by side are no list
    // At most 60 tokens back, and a list of at most 20 names: a sentence that lists hundreds of
    // names before every verb must not cost their product.
    for (long j = walk_from; j >= 0 && j + 60 >= static_cast<long>(k) && out.size() < 20; --j) {
      const int mi = u.mention_at[j];
      const std::string w = Lower(u.toks[j].text);
      if (mi < 0) {
        if (w == "." && AbbreviationPeriod(u, static_cast<size_t>(j))) continue;  // "Acme Corp. will"
        if (w == "." || w == ";" || w == ":") break;
        // A member may have its article and a kind of product after it: "A, B and the C",
        // "the A application platform, B and C".
        const bool member_word = w == "the" || w == "its" || w == "their" || SoftwareKinds().count(w) > 0 || ProductNouns().count(w) > 0;
        if (in_list && w != "and" && w != "," && w != "both" && w != "&" && !member_word) break;
        if (w == "and" || w == "," || w == "both" || w == "&") separated = true;
        // "..., and both run Quill OS", "we support": a pronoun is the subject, and the names
        // before it belong to another clause ("A and B both run" keeps its names).
        if (!in_list && !in_object) {
          static const Words kPronouns = {"we", "you", "these", "those"};  // "they": often the subject again
          static const Words kQuantifiers = {"both", "each", "all"};
          const bool after_name = j > 0 && u.mention_at[j - 1] >= 0;
          if (kPronouns.count(w) && u.mention_at[j] < 0) break;
          if (kQuantifiers.count(w) && !after_name) break;
        }
        // "Acme says no system supported Quill OS before": a verb of speech ends the clause
        // whose subject is sought.
        // Not "Acme expects to support": the verb's own subject.
        if (!in_list && !in_object && (SpeechVerbs().count(w) || ThatSpeechVerbs().count(w)) &&
            !(j + 1 < static_cast<long>(u.toks.size()) && Lower(u.toks[j + 1].text) == "to")) {
          break;
        }
        // "customers who want to run Quill OS": the doer is the unnamed word before "who".
        if (!in_list && w == "who" && (j == 0 || u.mention_at[j - 1] < 0)) break;
        // "disclosed plans for cooperation with ...": across "for" or "of" after a noun of
        // intent or a deal's noun, to the doer of the verb.
        const std::string prev_word = j > 0 ? Lower(u.toks[j - 1].text) : std::string();
        // An infinitive's "to" ("used the call to disclose plans for ...") is no preposition.
        const bool infinitive = w == "to" && j + 1 < static_cast<long>(u.toks.size()) && u.mention_at[j + 1] < 0 &&
                                IsWord(u.toks[j + 1]) && !u.toks[j + 1].capitalized && !FunctionWords().count(Lower(u.toks[j + 1].text));
        const bool nested = infinitive || ((w == "for" || w == "of") && j > 0 && u.mention_at[j - 1] < 0 &&
                                           (PlanNouns().count(prev_word) || DealNouns().count(prev_word)));
        if (in_object && !in_list && !nested && (kPreps.count(w) || kEnds.count(w) || u.toks[j].kind == Token::Kind::kQuote)) break;
        if (w == "," && !in_list) {
          if (in_object) break;
          // A phrase set off by commas before the verb ("Fjord Cloud, developed by Acme, runs
          // on ...", "Acme, the cloud leader, will ..."): the subject is before it.
          for (long c = j - 1; c >= 0 && c >= j - 12; --c) {
            const std::string x = Lower(u.toks[c].text);
            if ((x == "." && !AbbreviationPeriod(u, static_cast<size_t>(c))) || x == ";" || x == ":") break;
            if (x == ",") {
              // A name alone between the commas renames what is before it ("Acme's
              // database, Lumen DB, runs on ..."): it is the subject.
              const int am = u.mention_at[c + 1];
              if (am >= 0 && mentions_[am].tb == static_cast<size_t>(c + 1) && mentions_[am].te == static_cast<size_t>(j) &&
                  !mentions_[am].refers) {
                out.insert(out.begin(), span_of(mentions_[am].tb, mentions_[am].te));
                return out;
              }
              j = c;
              break;
            }
          }
        }
        continue;
      }
      const Mention& m = mentions_[mi];
      if (in_list && !separated) break;
      j = static_cast<long>(m.tb);
      const Token* after = m.te < u.toks.size() ? &u.toks[m.te] : nullptr;
      if (after && after->kind == Token::Kind::kPossessive) {
        if (in_list) break;
        continue;  // "Acme's chief executive said": not the doer
      }
      // "On Acme's phones it runs on ...": a name after a preposition is not the doer.
      if (!in_list && !in_object && !m.refers && InPrepositionalPhrase(u, m)) continue;
      out.insert(out.begin(), span_of(m.tb, m.te));
      in_list = true;
      separated = false;
    }
    return out;
  };

  if (f.nominal) {
    // The possessor: "Acme's support for ..."
    for (long j = static_cast<long>(k) - 1; j >= 0 && j >= static_cast<long>(k) - 4; --j) {
      if (u.toks[j].kind == Token::Kind::kPossessive && j > 0 && u.mention_at[j - 1] >= 0) {
        const Mention& m = mentions_[u.mention_at[j - 1]];
        f.subjects.push_back(span_of(m.tb, m.te));
        break;
      }
      if (u.mention_at[j] >= 0 || kEnds.count(Lower(u.toks[j].text))) break;
    }
    // "Acme, the French maker of ...": the noun in apposition to a name tells of that name.
    if (f.subjects.empty()) {
      long j = static_cast<long>(k) - 1;
      while (j >= 1 && k - j <= 4 && u.mention_at[j] < 0 && IsWord(u.toks[j]) && !u.toks[j].capitalized &&
             !kEnds.count(Lower(u.toks[j].text)) && !kPreps.count(Lower(u.toks[j].text))) {
        --j;
      }
      if (j >= 1 && j < static_cast<long>(k) - 1 && u.toks[j].text == "," && kDeterminers.count(Lower(u.toks[j + 1].text)) &&
          u.mention_at[j - 1] >= 0) {
        const Mention& m = mentions_[u.mention_at[j - 1]];
        f.subjects.push_back(span_of(m.tb, m.te));
      }
    }
    // Else the doer of the verb whose object the noun is: "Acme announced support for ...",
    // "it completed the purchase of ...".
    if (f.subjects.empty()) f.subjects = names_before(true);
  } else {
    f.subjects = names_before(false);
    // "Lark, an app developed by Acme and also built on Quill": a participle coordinated with
    // one whose by-phrase names the doer tells of the same thing, the name the apposition
    // renames, not of the doer.
    if (!f.subjects.empty() && l != lemma && !l.ends_with("ing") && k >= 2) {
      size_t c = k - 1;
      if (Lower(u.toks[c].text) == "also" || Lower(u.toks[c].text) == "then") --c;
      const size_t first = TokenAt(u, f.subjects.front().begin);
      if (Lower(u.toks[c].text) == "and" && first >= 2 && first < c) {
        // "by" before the doer, a determiner and a few words of description between.
        long by = static_cast<long>(first) - 1;
        while (by >= 0 && static_cast<long>(first) - by <= 5 && Lower(u.toks[by].text) != "by" && u.toks[by].text != ",") {
          --by;
        }
        if (by >= 2 && Lower(u.toks[by].text) == "by" && Lower(u.toks[by - 1].text).ends_with("ed")) {
          // Back to the apposition's comma ", an app developed by": a name just before it.
          for (long j = by - 2; j >= 1 && by - j <= 6; --j) {
            if (u.toks[j].text != ",") continue;
            const std::string det = Lower(u.toks[j + 1].text);
            if ((det == "a" || det == "an" || det == "the" || det == "one") && u.mention_at[j - 1] >= 0) {
              const Mention& m = mentions_[u.mention_at[j - 1]];
              f.subjects = {span_of(m.tb, m.te)};
            }
            break;
          }
        }
      }
    }
    // A bare "-ing" form ("phones running Quill OS", "support for running Quill OS") modifies
    // the word just before it: its doer is a name only when that name is right there. A name
    // further back belongs to another clause. "Is running" (a form of "be" before) is a verb.
    if (l != lemma && l.ends_with("ing") && !prev_is_name_end) {
      bool progressive = false;
      for (long j = static_cast<long>(k) - 1; j >= 0 && j + 3 >= static_cast<long>(k); --j) {
        if (u.mention_at[j] >= 0) break;
        if (kBe.count(Lower(u.toks[j].text))) progressive = true;
      }
      if (!progressive) f.subjects.clear();
    }
    // "Tern Cloud, built around Quill OS, ..." or "its Vega line, built ...": a participle just
    // after a comma tells of the phrase just before the comma, and of the name that phrase ends
    // with or leaves one word after (names_before skips the comma phrase when a verb follows).
    if (l != lemma && !l.ends_with("s") && k >= 2 && u.toks[k - 1].text == ",") {
      size_t at = k - 2;
      if (u.mention_at[at] < 0 && at > 0 && IsWord(u.toks[at]) && !u.toks[at].capitalized && !kPreps.count(Lower(u.toks[at].text)) &&
          !kEnds.count(Lower(u.toks[at].text))) {
        --at;
      }
      if (u.mention_at[at] >= 0) {
        const Mention& m = mentions_[u.mention_at[at]];
        if (m.te >= u.toks.size() || u.toks[m.te].kind != Token::Kind::kPossessive) f.subjects = {span_of(m.tb, m.te)};
      }
    }
  }

  // "the operating system that Acme ships": the object is the name before "that".
  const bool relative_object = !f.nominal && !f.subjects.empty() && [&] {
    const size_t first = TokenAt(u, f.subjects.front().begin);
    // "that" after a noun ("the system that"), not after a verb or a date ("said on Tuesday that").
    if (first < 2) return false;
    const std::string that = Lower(u.toks[first - 1].text), before = u.toks[first - 2].text;
    // "Lumen DB, which Acme built on ...": the name before the comma.
    if (that == "which" && before == "," && first >= 3 && u.mention_at[first - 3] >= 0 &&
        !(u.toks[first - 3].kind == Token::Kind::kPossessive)) {
      return true;
    }
    // Not "a partnership under which Acme will run ...": after a preposition, "which" opens a
    // clause with a subject of its own and nothing missing.
    static const Words kRelativePreps = {"under", "in", "by", "through", "with", "for", "on", "at", "from", "to", "via", "during",
                                         "after", "before", "of", "within", "across", "over"};
    if (that == "which" && kRelativePreps.count(Lower(before))) return false;
    // "MeeGo, the operating system Acme had developed with Globex": a relative clause without
    // "that" in an apposition; the name before the comma is the object.
    if (IsWord(u.toks[first - 1]) && !u.toks[first - 1].capitalized && u.mention_at[first - 1] < 0 &&
        !FunctionWords().count(that) && !kPreps.count(that) && !kEnds.count(that)) {
      for (long c = static_cast<long>(first) - 2; c >= 2 && c + 5 >= static_cast<long>(first); --c) {
        const std::string x = Lower(u.toks[c].text);
        if (x != "the" && x != "a" && x != "an") {
          if (!IsWord(u.toks[c]) || u.toks[c].capitalized || u.mention_at[c] >= 0) break;
          continue;
        }
        if (u.toks[c - 1].text == "," && u.mention_at[c - 2] >= 0) return true;
        break;
      }
    }
    return (that == "that" || that == "which") && IsWord(u.toks[first - 2]) && !u.toks[first - 2].capitalized &&
           u.mention_at[first - 2] < 0 && !before.ends_with("ed") && !SpeechVerbs().count(Lower(before)) && Lower(before) != "today";
  }();

  // The object: from after the trigger ("validate and support X": after the second verb) to the
  // first preposition or the clause's end.
  size_t j = k + 1;
  if (j + 1 < u.toks.size() && Lower(u.toks[j].text) == "and" && rules_->Triggers(Lower(u.toks[j + 1].text))) j += 2;
  const size_t object_from = j;
  while (j < u.toks.size() && j < object_from + 25) {
    const std::string w = Lower(u.toks[j].text);
    if (u.mention_at[j] < 0 && (kPreps.count(w) || kEnds.count(w) || u.toks[j].kind == Token::Kind::kQuote)) break;
    // "will ship phones running Quill OS": a participle of a verb the rules read starts a
    // clause of its own; what it names is not the trigger's object.
    if (j > object_from && u.mention_at[j] < 0 && w.size() > 4 && w.ends_with("ing") && rules_->Triggers(w) && rules_->IsVerb(LemmatizeVerb(w))) break;
    ++j;
  }
  if (!f.nominal && j > object_from) f.objects.push_back(span_of(object_from, j));
  // A noun whose members are listed: "Acme's partners (for X) include A, B and C", "... are A
  // and B", "... such as A": the list is the noun's object.
  if (f.nominal) {
    size_t c = k + 1;
    if (c < u.toks.size() && kPreps.count(Lower(u.toks[c].text))) {
      while (c < u.toks.size() && c < k + 8 && Lower(u.toks[c].text) != "include" && Lower(u.toks[c].text) != "includes" &&
             Lower(u.toks[c].text) != "are" && Lower(u.toks[c].text) != "were" && Lower(u.toks[c].text) != "such" &&
             !kEnds.count(Lower(u.toks[c].text))) {
        ++c;
      }
    }
    const std::string w = c < u.toks.size() ? Lower(u.toks[c].text) : std::string();
    size_t from = 0;
    if (w == "include" || w == "includes" || w == "included" || w == "are" || w == "were") from = c + 1;
    if (w == "such" && c + 1 < u.toks.size() && Lower(u.toks[c + 1].text) == "as") from = c + 2;
    if (from > 0 && from < u.toks.size()) {
      size_t e = from;
      while (e < u.toks.size() && e < from + 30 && (u.mention_at[e] >= 0 || !(kEnds.count(Lower(u.toks[e].text)) || kPreps.count(Lower(u.toks[e].text))))) ++e;
      if (e > from) f.objects.push_back(span_of(from, e));
    }
  }
  if (relative_object && (j == object_from || !std::any_of(u.toks.begin() + object_from, u.toks.begin() + j, [&](const Token& t) {
                            return u.mention_at[&t - u.toks.data()] >= 0;
                          }))) {
    f.objects.clear();
    const size_t that = TokenAt(u, f.subjects.front().begin) - 1;
    for (long c = static_cast<long>(that) - 1; c >= 0 && c >= static_cast<long>(that) - 8; --c) {
      if (u.mention_at[c] >= 0) {
        const Mention& m = mentions_[u.mention_at[c]];
        f.objects.push_back(span_of(m.tb, m.te));
        break;
      }
      if (u.toks[c].text == "." || u.toks[c].text == ";") break;
    }
  }
  // "..., and Globex will manage": "and" (or a comma) before a name that a modal or a form of
  // "be" or "have" follows opens another clause.
  auto new_clause = [&](size_t at) {
    const std::string w = Lower(u.toks[at].text);
    if (u.mention_at[at] >= 0 || (w != "and" && w != ",")) return false;
    size_t n = at + 1;
    if (w == "," && n < u.toks.size() && Lower(u.toks[n].text) == "and") ++n;
    if (n >= u.toks.size() || u.mention_at[n] < 0) return false;
    const size_t end = mentions_[u.mention_at[n]].te;
    return end < u.toks.size() && ClauseOpeners().count(Lower(u.toks[end].text)) > 0;
  };
  // "... against a database running on Globex Cloud": a participle of a verb the rules read
  // starts a clause of its own; so does a second gerund ("support for running X on Y, and for
  // running Z on W"), not the first ("support for running X on Y").
  auto participle = [&](size_t at) {
    const std::string w = Lower(u.toks[at].text);
    if (at == k || at < 2 || u.mention_at[at] >= 0 || w.size() <= 4 || !w.ends_with("ing") || !rules_->Triggers(w)) return false;
    if (!kPreps.count(Lower(u.toks[at - 1].text))) return true;
    const std::string before = Lower(u.toks[at - 2].text);
    return before == "and" || before == ",";
  };
  // "..., a deal driven by Globex's patents": a comma and an article open an apposition, whose
  // phrases tell of the noun before it, not of the trigger.
  auto apposition = [&](size_t at) {
    if (u.toks[at].text != "," || at + 1 >= u.toks.size()) return false;
    const std::string n = Lower(u.toks[at + 1].text);
    return n == "a" || n == "an" || n == "the";
  };
  // Prepositions and their phrases, in order, to the clause's end.
  while (j < u.toks.size() && j < k + 40) {
    if (new_clause(j) || participle(j) || apposition(j)) {
      f.clause_end = u.toks[j].begin - u.begin;
      break;
    }
    const std::string w = Lower(u.toks[j].text);
    if (u.mention_at[j] >= 0 || !kPreps.count(w)) {
      if (kEnds.count(w) || u.toks[j].kind == Token::Kind::kQuote) break;
      ++j;
      continue;
    }
    FramePrep p;
    p.prep = w;
    size_t e = j + 1;
    while (e < u.toks.size() && e < j + 20) {
      const std::string x = Lower(u.toks[e].text);
      if (u.mention_at[e] < 0 && (kPreps.count(x) || kEnds.count(x) || u.toks[e].kind == Token::Kind::kQuote)) break;
      if (new_clause(e) || participle(e) || apposition(e)) {
        if (f.clause_end == 0) f.clause_end = u.toks[e].begin - u.begin;
        break;
      }
      ++e;
    }
    if (e > j + 1) p.objects.push_back(span_of(j + 1, e));
    // "runs on phones with Quill OS 6 or later": a device "with" a platform is that platform.
    if (p.prep == "with" && !f.preps.empty() && (f.preps.back().prep == "on" || f.preps.back().prep == "in") &&
        f.preps.back().objects.size() == 1 && !p.objects.empty()) {
      const Words& kDevices = DeviceNouns();
      const TextSpan& d = f.preps.back().objects.front();
      std::string words = Lower(u.text.substr(d.begin, d.end - d.begin));
      while (!words.empty() && (words.back() == ' ' || words.back() == ',')) words.pop_back();
      if (kDevices.count(words)) {
        f.preps.back().objects = p.objects;
        j = e;
        continue;
      }
    }
    f.preps.push_back(std::move(p));
    j = e;
  }
  return f;
}

}  // namespace pactgraph::ingest::extract
