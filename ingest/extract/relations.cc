// The relations a sentence states: works-for from titles and appositions, the verbs of support,
// validation, running, interoperation, making, buying and licensing, and partnerships.
#include "ingest/internal/extractor.h"

#include <algorithm>

namespace pactgraph::ingest::extract {

void Extractor::Relations(size_t ui) {
  const Unit& u = units_[ui];
  const bool planned = Planned(u);
  auto status = [&] { return planned ? std::map<std::string, std::string>{{"status", "planned"}} : std::map<std::string, std::string>{}; };
  std::set<std::string> words;
  for (const Token& t : u.toks) words.insert(Lower(t.text));

  for (size_t mi : u.mentions) {
    const Mention& m = mentions_[mi];
    if (m.entity < 0 || !ents_[m.entity].keep) continue;
    const std::string type = ents_[m.entity].type;
    const Token* nt = Tok(u, static_cast<long>(m.te));
    // C's P [and P2] (products); C's TITLE, P (works for).
    // "its" and "their" are possessives of their own (coref.cc).
    if (type == "Company" && ((nt && nt->kind == Token::Kind::kPossessive) || m.possessive)) {
      const size_t after = m.possessive ? m.te : m.te + 1;  // the first word after the possessive
      // Title first: "Microsoft's general manager of virtualization, Mike Neil"
      size_t k = after;
      std::string title;
      bool has_title = false;
      while (k < u.toks.size() && u.toks[k].text != "," && u.mention_at[k] < 0 && k < after + 11) {
        has_title = has_title || TitleWords().count(Lower(u.toks[k].text));
        ++k;
      }
      // Titles may contain capitalised units: "senior vice present of the Server and Tools Business".
      size_t t_end = k;
      if (has_title) {
        while (t_end < u.toks.size() && u.toks[t_end].text != "," && t_end < after + 15) ++t_end;
        if (t_end + 1 < u.toks.size() && u.toks[t_end].text == ",") {
          const int pm = u.mention_at[t_end + 1];
          if (pm >= 0 && TypeOf(mentions_[pm].entity) == "Person") {
            title = SpanText(u, after, t_end);
            Add("WORKS_FOR", mentions_[pm].entity, m.entity, ui, "possessive-title-apposition", 0.8f, m.tb, mentions_[pm].te,
                {{"title", title}});
            continue;
          }
        }
      }
      // "Acme's Jane Roe, EVP of cloud": the person works there.
      if (after < u.toks.size() && u.mention_at[after] >= 0 && TypeOf(mentions_[u.mention_at[after]].entity) == "Person") {
        const Mention& pm = mentions_[u.mention_at[after]];
        std::map<std::string, std::string> q;
        if (pm.te + 1 < u.toks.size() && u.toks[pm.te].text == ",") {
          size_t e = pm.te + 1;
          bool titled = false;
          while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < pm.te + 12) {
            titled = titled || TitleWords().count(Lower(u.toks[e].text));
            ++e;
          }
          if (titled) q["title"] = SpanText(u, pm.te + 1, e);
        }
        Add("WORKS_FOR", pm.entity, m.entity, ui, "company-possessive-person", 0.7f, m.tb, pm.te, q);
        continue;
      }
      for (int p : ProductsFrom(u, after, m.refers ? after + 1 : after + 11, {"is", "was", "will", "to", "that", "which", "with", "on", "in", "for", "by"})) {
        // Not a product that only names what a group of people or a place works on: "its
        // Linux lab", "Acme's Windows team".
        bool modifier = false;
        for (size_t mi : u.mentions) {
          const Mention& pm = mentions_[mi];
          if (pm.entity != p || pm.tb < after || pm.te >= u.toks.size()) continue;
          // (Nor the platform of a device of the company's: "Nokia's MeeGo phone".)
          modifier = PeoplePlaceNouns().count(Lower(u.toks[pm.te].text)) > 0 || DeviceNouns().count(Lower(u.toks[pm.te].text)) > 0;
          break;
        }
        if (modifier) continue;
        // Not a product that names another maker: "Apple's Siri and Globex Assistant".
        const int named = CompanyPrefixOf(ents_[p].name);
        if (named >= 0 && named != m.entity) continue;
        const GazetteerEntry* g = ents_[p].known;
        if (g && !g->maker.empty() && !ents_[m.entity].known && Key(g->maker) != Key(ents_[m.entity].name) &&
            Key(g->maker) != Key(ShortName(m.entity))) {
          continue;
        }
        if (g && !g->maker.empty() && ents_[m.entity].known && Key(g->maker) != Key(ents_[m.entity].known->name) &&
            Key(g->maker) != Key(ents_[m.entity].name)) {
          continue;
        }
        Add("DEVELOPS", m.entity, p, ui, "possessive-product", 0.7f, m.tb, m.te + 6);
      }
    }
    // C's <adjectives> <noun>, P,: "Acme's cloud management platform, Foo, will ..."
    if (type == "Product" && m.tb >= 3 && u.toks[m.tb - 1].text == "," && nt && nt->text == ",") {
      for (long k = static_cast<long>(m.tb) - 2; k >= 0 && k >= static_cast<long>(m.tb) - 8; --k) {
        const int cm = u.mention_at[k];
        if (cm < 0) continue;
        const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
        if (TypeOf(mentions_[cm].entity) == "Company" && pt && pt->kind == Token::Kind::kPossessive) {
          Add("DEVELOPS", mentions_[cm].entity, m.entity, ui, "described-then-named", 0.6f, mentions_[cm].tb, m.te);
        }
        break;
      }
    }
    // P, C's <noun>: "Hyper-V, Microsoft's new hypervisor"
    if (type == "Product" && nt && nt->text == ",") {
      const int cm = u.mention_at.size() > m.te + 1 ? u.mention_at[m.te + 1] : -1;
      if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company") {
        const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
        if (pt && pt->kind == Token::Kind::kPossessive) {
          Add("DEVELOPS", mentions_[cm].entity, m.entity, ui, "product-apposition", 0.7f, m.tb, mentions_[cm].te + 3);
        }
      }
    }
    // "A and B, the first Acme phones to run Y"; "A, an Acme phone"; "A will be Acme's only Quill
    // phone": a device named as a company's is the company's, and the platform named before the
    // device's noun ("Quill phone") is what it runs.
    // (Past phrases of place and time first: "the B at the Nordic show in Bergen on Monday, the
    // first Acme phones".)
    const Token* after_phrases = nt;
    if (nt && (Lower(nt->text) == "at" || Lower(nt->text) == "in" || Lower(nt->text) == "during")) {
      size_t c = m.te;
      while (c < u.toks.size() && c < m.te + 12 && u.toks[c].text != "," && !ClauseEnds().count(Lower(u.toks[c].text)) &&
             !(u.mention_at[c] >= 0 && TypeOf(mentions_[u.mention_at[c]].entity) == "Product")) {
        ++c;
      }
      if (c < u.toks.size() && u.toks[c].text == ",") after_phrases = &u.toks[c];
    }
    const Token* dt = after_phrases && after_phrases->text == "," ? after_phrases : nt;
    if (type == "Product" && dt && (dt->text == "," || BeForms().count(Lower(dt->text)) || Lower(dt->text) == "will")) {
      size_t k = static_cast<size_t>(dt - u.toks.data()) + 1;
      // "the N9, launched in June, will be ...": past a participle's aside to the verb.
      if (dt->text == "," && k < u.toks.size() && !u.toks[k].capitalized && Lower(u.toks[k].text).ends_with("ed")) {
        size_t c = k + 1;
        while (c < u.toks.size() && c < k + 8 && u.toks[c].text != ",") ++c;
        if (c + 1 < u.toks.size() && u.toks[c].text == "," &&
            (BeForms().count(Lower(u.toks[c + 1].text)) || Lower(u.toks[c + 1].text) == "will")) {
          k = c + 2;
          if (Lower(u.toks[c + 1].text) == "will" && k < u.toks.size() && Lower(u.toks[k].text) == "be") ++k;
        }
      }
      if (Lower(dt->text) == "will" && k < u.toks.size() && Lower(u.toks[k].text) == "be") ++k;
      if (k < u.toks.size() && (NounMarkers().count(Lower(u.toks[k].text)) || Lower(u.toks[k].text) == "one")) ++k;
      int maker = -1, platform = -1;
      for (size_t j = k; j < u.toks.size() && j < k + 6; ++j) {
        const std::string w = Lower(u.toks[j].text);
        if (DeviceNouns().count(w)) {
          if (maker >= 0) {
            // The device's products: this one, and the list it ends ("A and the B, the first ...").
            std::vector<int> devices = {m.entity};
            for (long b = static_cast<long>(m.tb) - 1; b >= 1 && b + 12 >= static_cast<long>(m.tb); --b) {
              const std::string x = Lower(u.toks[b].text);
              if (x == "and" || x == "," || NounMarkers().count(x)) continue;
              const int bm = u.mention_at[b];
              if (bm < 0 || TypeOf(mentions_[bm].entity) != "Product") break;
              devices.push_back(mentions_[bm].entity);
              b = static_cast<long>(mentions_[bm].tb);
            }
            for (int d : devices) {
              Add("DEVELOPS", maker, d, ui, "device-of-company", 0.6f, m.tb, j + 1);
              if (platform >= 0 && platform != d) Add("RUNS_ON", d, platform, ui, "device-of-company", 0.55f, m.tb, j + 1);
            }
          }
          break;
        }
        const int jm = u.mention_at[j];
        if (jm >= 0 && maker < 0 && TypeOf(mentions_[jm].entity) == "Company") {
          maker = mentions_[jm].entity;
          j = mentions_[jm].te - 1;
          if (mentions_[jm].te < u.toks.size() && u.toks[mentions_[jm].te].kind == Token::Kind::kPossessive) ++j;
          continue;
        }
        if (jm >= 0 && maker >= 0 && platform < 0 && TypeOf(mentions_[jm].entity) == "Product") {
          platform = mentions_[jm].entity;
          j = mentions_[jm].te - 1;
          continue;
        }
        // Adjectives between ("first", "only", "new"); anything else ends the phrase.
        if (jm >= 0 || !IsWord(u.toks[j]) || u.toks[j].capitalized || ChunkPrepositions().count(w) || ClauseEnds().count(w) ||
            w == "and" || w == "or") {
          break;
        }
      }
    }
    // P, TITLE at|of C  /  P, C's TITLE  /  C TITLE P
    if (type == "Person") {
      if (nt && nt->text == ",") PersonApposition(ui, m);
      // "said Jane Roe of Acme": a person of a company works there.
      if (nt && Lower(nt->text) == "of" && m.te + 1 < u.toks.size() && u.mention_at[m.te + 1] >= 0) {
        const Mention& c = mentions_[u.mention_at[m.te + 1]];
        const std::string t = TypeOf(c.entity);
        const Token* after = Tok(u, static_cast<long>(c.te));
        if ((t == "Company" || t == "Organization") && c.tb == m.te + 1 && !(after && after->kind == Token::Kind::kPossessive)) {
          Add("WORKS_FOR", m.entity, c.entity, ui, "person-of-company", 0.6f, m.tb, c.te);
        }
      }
      // "Jane Roe became Acme's president", "she had been vice president of sales at Acme".
      Career(ui, m.entity, m.te, m.tb);
      // ... past an apposition that names nobody: "Jane Roe, a 47-year-old engineer, became ...".
      if (nt && nt->text == ",") {
        size_t close = m.te + 1;
        auto names_nobody = [&](size_t k) {
          const int mk = u.mention_at[k];
          if (mk < 0) return true;
          const std::string t = TypeOf(mentions_[mk].entity);
          return t != "Person" && t != "Company" && t != "Organization" && t != "Product";
        };
        while (close < u.toks.size() && close < m.te + 10 && u.toks[close].text != "," && u.toks[close].text != "." &&
               names_nobody(close)) {
          ++close;
        }
        if (close > m.te + 1 && close < u.toks.size() && u.toks[close].text == ",") Career(ui, m.entity, close + 1, m.tb);
      }
      // TITLE P ... C's: "CEO Jane Roe used Acme's earnings call".
      if (m.tb >= 1 && IsTitleToken(Lower(u.toks[m.tb - 1].text)) && (m.tb < 2 || u.mention_at[m.tb - 2] < 0)) {
        // A subordinate clause starts another statement: "chairman Jane Roe replaced him after
        // Acme's phones ..." says nothing of whom she works for.
        static const Words kClauseStarts = {"after", "before", "when", "while", "because", "since", "until", "whom", "who",
                                            "which", "that", "than", "but", "and", "or", "as", "if"};
        for (size_t k = m.te; k < u.toks.size() && k < m.te + 8; ++k) {
          const int cm = u.mention_at[k];
          if (u.toks[k].text == "," || u.toks[k].text == "." || kClauseStarts.count(Lower(u.toks[k].text))) break;
          if (cm < 0 || TypeOf(mentions_[cm].entity) != "Company") continue;
          const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
          if (pt && pt->kind == Token::Kind::kPossessive) {
            Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "title-person-company-possessive", 0.5f, m.tb - 1, mentions_[cm].te + 1,
                {{"title", u.toks[m.tb - 1].text}});
          }
          break;
        }
      }
      // C TITLE P: "Microsoft CEO Steve Ballmer", "Acme founder and chief executive Jane Roe";
      // "former Acme CEO Jane Roe" worked there.
      if (m.tb >= 2) {
        long k = static_cast<long>(m.tb) - 1;
        bool has_title = false;
        // A capitalised word of the field inside the title counts too ("Chief Technology Officer").
        auto in_title = [&](const std::string& l) {
          return TitleWords().count(l) || l == "of" || ((l == "and" || l == "&") && has_title) ||
                 (has_title && u.toks[k].capitalized && IsWord(u.toks[k]) && m.tb - k <= 8);
        };
        // A name of no type inside it is a word of the title ("Technology" of "Chief Technology Officer").
        auto untyped = [&](long at) { return u.mention_at[at] < 0 || TypeOf(mentions_[u.mention_at[at]].entity).empty(); };
        while (k >= 0 && untyped(k) && in_title(Lower(u.toks[k].text))) {
          has_title = true;
          --k;
        }
        if (has_title && k >= 0 && u.mention_at[k] >= 0 && TypeOf(mentions_[u.mention_at[k]].entity) == "Company" &&
            TitleWords().count(Lower(u.toks[k + 1].text))) {
          const Mention& c = mentions_[u.mention_at[k]];
          std::map<std::string, std::string> q = {{"title", SpanText(u, c.te, m.tb)}};
          if (c.tb >= 1 && Lower(u.toks[c.tb - 1].text) == "former") q["status"] = "ended";
          Add("WORKS_FOR", m.entity, c.entity, ui, "company-title-person", 0.7f, c.tb, m.te, q);
        }
      }
    }
  }

  // Adjectives and prepositions of interoperation; makers from appositions.
  for (size_t k = 0; k < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    // "before that she was chief operating officer of Acme": the person named last before.
    if (l == "he" || l == "she") {
      if (const int p = LastPerson(ui, k); p >= 0) Career(ui, p, k + 1, k);
    }
    // The verbs and nouns of the relation rules are read in the grammar phase (grammar.cc).
    if ((l == "interoperable" || l == "compatible") && k >= 3) {
      std::vector<int> ps = ProductsBeforeVerb(u, k);
      if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[1], ps[0], ui, "made-interoperable", 0.5f, k >= 6 ? k - 6 : 0, k + 1, status());
      // "A is fully interoperable with B", "A is compatible with B and C".
      if (ps.size() == 1 && k + 2 < u.toks.size() && Lower(u.toks[k + 1].text) == "with") {
        for (int p : ProductsFrom(u, k + 2, k + 14, {"to", "by", "that", "which", "in", "for", "so", "but"})) {
          if (p != ps[0]) Add("INTEROPERATES_WITH", ps[0], p, ui, "interoperable-with", 0.55f, k >= 6 ? k - 6 : 0, k + 4, status());
        }
      }
    }
    if (l == "between" && (words.count("move") || words.count("migrate") || words.count("interoperability") || words.count("interoperate"))) {
      std::vector<int> ps = ProductsFrom(u, k + 1, k + 20, {"to", "by", "that", "which", "in", "for"});
      if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[0], ps[1], ui, "between-products", 0.5f, k, k + 12, status());
    }
    // DEVELOPS: "X, the container platform from Acme" (the verbs are the rules').
    {
      // "X, the container platform from Acme"
      if (l == "from" && k + 1 < u.toks.size() && u.mention_at[k + 1] >= 0 && TypeOf(mentions_[u.mention_at[k + 1]].entity) == "Company") {
        long j = static_cast<long>(k) - 1;
        while (j >= 0 && u.mention_at[j] < 0 && u.toks[j].text != "," && k - j < 6) --j;
        if (j >= 1 && u.toks[j].text == "," && u.mention_at[j - 1] >= 0 && TypeOf(mentions_[u.mention_at[j - 1]].entity) == "Product") {
          Add("DEVELOPS", mentions_[u.mention_at[k + 1]].entity, mentions_[u.mention_at[j - 1]].entity, ui, "product-from-company", 0.6f,
              mentions_[u.mention_at[j - 1]].tb, k + 2);
        }
      }
    }
  }

  // Companies acting together are partners, each of each.
  const std::vector<int> group = JointGroup(u);
  for (size_t i = 0; i < group.size(); ++i) {
    for (size_t j = i + 1; j < group.size(); ++j) Add("PARTNERS_WITH", group[i], group[j], ui, "joint-actors", 0.6f, 0, u.toks.size());
  }
  // "Acme offers Quill together with Globex": the company acting and the one it acts with.
  for (size_t k = 1; k + 2 < u.toks.size(); ++k) {
    if (Lower(u.toks[k].text) != "together" || Lower(u.toks[k + 1].text) != "with") continue;
    const int with = u.mention_at[k + 2];
    if (with < 0 || mentions_[with].tb != k + 2 || TypeOf(mentions_[with].entity) != "Company" || mentions_[with].refers) continue;
    int doer = -1;
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.te > k) break;
      const bool owner = m.te < u.toks.size() && u.toks[m.te].kind == Token::Kind::kPossessive;
      if (TypeOf(m.entity) == "Company" && !owner && !(m.tb > 0 && Lower(u.toks[m.tb - 1].text) == "with")) {
        doer = m.entity;
        break;
      }
    }
    if (doer >= 0 && doer != mentions_[with].entity) Add("PARTNERS_WITH", doer, mentions_[with].entity, ui, "together-with", 0.55f, 0, u.toks.size());
  }
  // Partnerships and deals: two or more companies in a sentence with a partnership cue.
  bool cue = false, deal = false, purchase = false;
  for (const std::string& w : words) {
    cue = cue || PartnerCues().count(w);
    deal = deal || DealNouns().count(w);
  }
  // A purchase is no partnership: a purchase word before the first cue, or in the cue's own
  // stretch of words (no comma between), takes the cue. One in a later aside does not ("signed
  // an agreement with Beta to ..., including titles it owns once the acquisition closed").
  {
    size_t first_cue = u.toks.size();
    for (size_t k = 0; k < u.toks.size() && first_cue == u.toks.size(); ++k) {
      if (PartnerCues().count(Lower(u.toks[k].text))) first_cue = k;
    }
    bool comma = false;
    for (size_t k = 0; k < u.toks.size() && !purchase; ++k) {
      if (k > first_cue && (u.toks[k].text == "," || u.toks[k].text == ";")) comma = true;
      if (AcquisitionWords().count(Lower(u.toks[k].text)) && (k < first_cue || !comma)) purchase = true;
    }
  }
  cue = cue && !purchase;
  // Nor does a cue pair names again where a rule read the sentence's partnerships ("Acme's
  // partners include A, B and C" are Acme's, not each other's).
  // (This sentence's facts are the last ones: GrammarRelations(ui) has just run.)
  for (auto p = pending_.rbegin(); p != pending_.rend() && p->rel.source.sentence == ui; ++p) {
    if (p->rel.type == "PARTNERS_WITH" && p->rel.source.rule != "joint-actors") cue = false;
  }
  if (cue) {
    // The companies listed as acting together, else the first two the sentence names.
    std::vector<int> companies = group;
    // Else the nearest "A and B" before the cue ("..., HP and Asus showed ..., a year after
    // Microsoft and Qualcomm said they were working together": Microsoft and Qualcomm).
    if (companies.size() < 2) {
      size_t cue_at = u.toks.size();
      for (size_t k = 0; k < u.toks.size() && cue_at == u.toks.size(); ++k) {
        if (PartnerCues().count(Lower(u.toks[k].text))) cue_at = k;
      }
      for (size_t k = 0; k + 1 < u.mentions.size(); ++k) {
        const Mention& a = mentions_[u.mentions[k]];
        const Mention& b = mentions_[u.mentions[k + 1]];
        if (b.te > cue_at || a.refers || b.refers || a.entity == b.entity) continue;
        if (TypeOf(a.entity) != "Company" || TypeOf(b.entity) != "Company") continue;
        if (b.tb != a.te + 1 || (Lower(u.toks[a.te].text) != "and" && u.toks[a.te].text != "&")) continue;
        if (b.te < u.toks.size() && u.toks[b.te].kind == Token::Kind::kPossessive) continue;
        companies = {a.entity, b.entity};  // the last such pair before the cue wins
      }
    }
    if (companies.size() < 2) {
      companies = CompaniesNotPossessors(u);
      if (companies.size() > 2) companies.resize(2);
      // Not two of the list after "with": "plans for cooperation with A and B" pairs the doer
      // with each (the rules read it), not A with B.
      for (size_t mi : u.mentions) {
        const Mention& m = mentions_[mi];
        if (companies.empty() || m.entity != companies[0]) continue;
        if (m.tb > 0 && Lower(u.toks[m.tb - 1].text) == "with") companies.clear();
        break;
      }
    }
    if (companies.size() >= 2) {
      for (size_t i = 0; i < companies.size(); ++i) {
        for (size_t j = i + 1; j < companies.size(); ++j) Add("PARTNERS_WITH", companies[i], companies[j], ui, "partner-cue", 0.5f, 0, u.toks.size());
      }
      bool signing = false;
      for (const std::string& w : words) signing = signing || SigningVerbs().count(w);
      if (deal && signing) {
        const int ag = AgreementFor(companies[0], companies[1]);
        for (int party : companies) Add("PARTY_TO", party, ag, ui, "deal-parties", 0.5f, 0, u.toks.size());
      }
    }
  }

  // What the deal includes and excludes (deals.cc).
  DealScope(ui);
}

}  // namespace pactgraph::ingest::extract

namespace pactgraph::ingest::extract {

namespace {

// The words of a verb group that gives someone a post: "became", "had been", "was named",
// "will become", "is to be".
const Words& CareerAuxiliaries() {
  static const Words k = {"will", "would", "had", "has", "have", "been", "be", "is", "was", "became", "becomes", "become",
                          "named", "appointed", "promoted", "to", "later", "previously", "formerly", "once", "also", "then", "recently"};
  return k;
}

// Words a title runs through besides its own: "president of the cloud group", "founder and CEO".
bool InTitle(const Token& t) {
  if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kNumber) return t.text == "&" || t.text == "-";
  static const Words kEnds = {"in", "on", "since", "until", "from", "at", "after", "before", "when", "for", "who", "which",
                              "that", "whose", "where", "while", "with", "to", "is", "was", "will", "said", "says"};
  return !kEnds.count(Lower(t.text));
}

}  // namespace

// The end of the verb group at token k that gives the subject a post ("became", "had been",
// "was named"), or k when there is none; *ended when the post is a past one ("had been",
// "was", "previously").
size_t Extractor::CareerVerbEnd(const Unit& u, size_t k, bool* ended) const {
  static const Words kHeads = {"became", "becomes", "become", "is", "was", "been", "be", "named", "appointed", "promoted"};
  size_t e = k;
  bool head = false, had = false, was = false, named = false, before = false;
  while (e < u.toks.size() && e < k + 5 && CareerAuxiliaries().count(Lower(u.toks[e].text))) {
    const std::string l = Lower(u.toks[e].text);
    head = head || kHeads.count(l);
    had = had || l == "had";
    was = was || l == "was";
    named = named || l == "named" || l == "appointed" || l == "promoted";
    before = before || l == "previously" || l == "formerly" || l == "once";
    ++e;
  }
  if (!head) return k;
  if (ended) *ended = had || before || (was && !named);
  return e;
}

// The employer a title names, the title starting at token `from`: "vice president of sales at
// Acme", "the head of Acme's cloud unit", "who leads Acme's devices group", "executive vice
// president of Acme Cloud Services" (a unit named after its company is the company's). Stops
// at the end of the sentence, a quotation or another person.
Extractor::Employer Extractor::EmployerAt(const Unit& u, size_t from, size_t limit) {
  static const Words kLeads = {"leads", "heads", "runs", "manages", "led", "headed", "ran", "managed"};
  bool has_title = false;
  for (size_t k = from; k < u.toks.size() && k < limit; ++k) {
    const std::string l = Lower(u.toks[k].text);
    if (u.toks[k].text == "." || u.toks[k].text == ";" || u.toks[k].kind == Token::Kind::kQuote) break;
    const int here = u.mention_at[k];
    if (k > from && here >= 0 && TypeOf(mentions_[here].entity) == "Person") break;
    has_title = has_title || TitleWords().count(l) || kLeads.count(l);
    const bool link = l == "at" || l == "of" || l == "for" || l == "with" || kLeads.count(l);
    if (!link || !has_title || k + 1 >= u.toks.size()) continue;
    int cm = u.mention_at[k + 1];
    // "executive director of the Ledger Foundation": a body named with "the" (one whose name
    // ends in a word of bodies: foundation, alliance, consortium ...).
    if (cm < 0 && Lower(u.toks[k + 1].text) == "the" && k + 2 < u.toks.size() && u.mention_at[k + 2] >= 0) {
      const Mention& o = mentions_[u.mention_at[k + 2]];
      const std::string& name = ents_[o.entity].name;
      const std::string last = Lower(name.substr(name.rfind(' ') == std::string::npos ? 0 : name.rfind(' ') + 1));
      if (TypeOf(o.entity) == "Organization" && OrganizationWords().count(last)) cm = u.mention_at[k + 2];
    }
    if (cm < 0) continue;
    const Mention& c = mentions_[cm];
    const std::string t = TypeOf(c.entity);
    const bool possessive = Tok(u, static_cast<long>(c.te)) && u.toks[c.te].kind == Token::Kind::kPossessive;
    if ((t == "Company" || t == "Organization") && !possessive) return {c.entity, k, c.te};
    if (t == "Company" && possessive) {
      // "of Acme's cloud unit": the unit is part of the title.
      size_t e = c.te + 1;
      while (e < u.toks.size() && e < c.te + 8 && u.mention_at[e] < 0 && InTitle(u.toks[e])) ++e;
      // "of Acme's Cloud and Enterprise group": a unit's capitalised name, then its word.
      const Words& kUnits = CompanyUnits();
      for (size_t f = e; f < u.toks.size() && f < e + 6; ++f) {
        const std::string w = Lower(u.toks[f].text);
        if (kUnits.count(w)) {
          e = f + 1;
          break;
        }
        if (!(u.toks[f].capitalized || w == "and" || w == "&")) break;
      }
      return {c.entity, e, e};
    }
    if (t != "Company" && t != "Organization" && t != "Person" && !possessive) {
      // A unit named after its company, not followed by the company itself ("of Acme Cloud at Globex").
      const std::string after = c.te < u.toks.size() ? Lower(u.toks[c.te].text) : std::string();
      const int pc = after == "at" || after == "of" ? -1 : CompanyPrefixOf(ents_[c.entity].name);
      if (pc >= 0) return {pc, c.te, c.te};
    }
  }
  return {};
}

// "Jane Roe, <apposition>": the titles an apposition gives and whom they are at.
void Extractor::PersonApposition(size_t ui, const Mention& m) {
  const Unit& u = units_[ui];
  size_t lead = m.te + 1;
  bool former = false;
  while (lead < u.toks.size() && lead < m.te + 4) {
    const std::string l = Lower(u.toks[lead].text);
    if (l != "a" && l != "an" && l != "the" && l != "former" && l != "ex") break;
    former = former || l == "former" || l == "ex";
    ++lead;
  }
  auto qualifiers = [&](const std::string& title) {
    // ("who leads Acme" gives the post and no title.)
    std::map<std::string, std::string> q;
    if (!title.empty()) q["title"] = title;
    if (former) q["status"] = "ended";
    return q;
  };
  const int cm = lead < u.toks.size() ? u.mention_at[lead] : -1;
  if (cm >= 0 && mentions_[cm].tb == lead) {
    const Mention& c = mentions_[cm];
    const std::string t = TypeOf(c.entity);
    if (t == "Company" && Tok(u, static_cast<long>(c.te)) && u.toks[c.te].kind == Token::Kind::kPossessive) {
      // P, C's TITLE
      size_t e = c.te + 1;
      while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < c.te + 12) ++e;
      bool ok = false;
      for (size_t j = c.te + 1; j < e; ++j) ok = ok || TitleWords().count(Lower(u.toks[j].text));
      if (ok) Add("WORKS_FOR", m.entity, c.entity, ui, "person-company-title", 0.8f, m.tb, e, qualifiers(SpanText(u, c.te + 1, e)));
      return;
    }
    if ((t == "Company" || t == "Organization") && c.te < u.toks.size() && TitleWords().count(Lower(u.toks[c.te].text))) {
      // P, C TITLE: "Jane Roe, Acme president and CEO, said"; "Jane Roe, a former Acme executive"
      size_t e = c.te;
      while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && u.mention_at[e] < 0 && e < c.te + 10) ++e;
      Add("WORKS_FOR", m.entity, c.entity, ui, "person-company-title-apposition", 0.75f, m.tb, e, qualifiers(SpanText(u, c.te, e)));
      return;
    }
  }
  size_t from = m.te + 1;
  if (from < u.toks.size() && Lower(u.toks[from].text) == "who") ++from;
  while (from < u.toks.size() && (Lower(u.toks[from].text) == "a" || Lower(u.toks[from].text) == "an" || Lower(u.toks[from].text) == "the")) ++from;
  // "Jane Roe, CEO, Acme, said": a title, then the company, each set off by commas.
  {
    size_t e = from;
    bool titled = false;
    while (e < u.toks.size() && e < from + 8 && u.mention_at[e] < 0 && u.toks[e].text != "," && InTitle(u.toks[e])) {
      titled = titled || TitleWords().count(Lower(u.toks[e].text));
      ++e;
    }
    if (titled && e + 1 < u.toks.size() && u.toks[e].text == "," && u.mention_at[e + 1] >= 0) {
      const Mention& c = mentions_[u.mention_at[e + 1]];
      const std::string t = TypeOf(c.entity);
      const Token* after = Tok(u, static_cast<long>(c.te));
      if ((t == "Company" || t == "Organization") && c.tb == e + 1 && (!after || after->text == "," || after->text == ".")) {
        Add("WORKS_FOR", m.entity, c.entity, ui, "person-title-company-commas", 0.7f, m.tb, c.te, qualifiers(SpanText(u, from, e)));
        return;
      }
    }
  }
  if (const Employer r = EmployerAt(u, from, m.te + 14); r.company >= 0) {
    std::string t = SpanText(u, from, r.title_end);
    while (!t.empty() && (t.back() == ',' || t.back() == ' ')) t.pop_back();
    Add("WORKS_FOR", m.entity, r.company, ui, "person-title-at", 0.8f, m.tb, r.end, qualifiers(t));
    return;
  }
  // "At Acme the work was led by Jane Roe, president of the Devices Business": a titled
  // apposition naming no employer is at the company the sentence is set at.
  if (u.toks.size() > 2 && Lower(u.toks[0].text) == "at" && u.mention_at[1] >= 0 && mentions_[u.mention_at[1]].te < m.tb) {
    const int at = mentions_[u.mention_at[1]].entity;
    if (TypeOf(at) != "Company" && TypeOf(at) != "Organization") return;
    size_t e = m.te + 1;
    bool titled = false;
    while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < m.te + 12) {
      titled = titled || TitleWords().count(Lower(u.toks[e].text));
      const int mi = u.mention_at[e];
      if (mi >= 0 && (TypeOf(mentions_[mi].entity) == "Company" || TypeOf(mentions_[mi].entity) == "Person")) return;
      ++e;
    }
    if (titled) Add("WORKS_FOR", m.entity, at, ui, "titled-at-sentence-company", 0.6f, 0, e, qualifiers(SpanText(u, m.te + 1, e)));
  }
}

// "P became Acme's president", "P had been vice president of sales at Acme", "P joined Acme
// as chief architect": posts taken, held or left, the verb group starting at token `at`.
void Extractor::Career(size_t ui, int person, size_t at, size_t tb) {
  const Unit& u = units_[ui];
  if (at >= u.toks.size()) return;
  // "joined Acme as TITLE"
  const std::string v = Lower(u.toks[at].text);
  if ((v == "joined" || v == "joins" || v == "rejoined") && at + 1 < u.toks.size() && u.mention_at[at + 1] >= 0) {
    const Mention& c = mentions_[u.mention_at[at + 1]];
    if ((TypeOf(c.entity) == "Company" || TypeOf(c.entity) == "Organization") && c.te + 1 < u.toks.size() &&
        Lower(u.toks[c.te].text) == "as") {
      size_t e = c.te + 1;
      bool titled = false;
      while (e < u.toks.size() && e < c.te + 9 && u.mention_at[e] < 0 && InTitle(u.toks[e])) {
        titled = titled || TitleWords().count(Lower(u.toks[e].text));
        ++e;
      }
      if (titled) Add("WORKS_FOR", person, c.entity, ui, "joined-as", 0.7f, tb, e, {{"title", SpanText(u, c.te + 1, e)}});
    }
    return;
  }
  bool ended = false;
  size_t k = CareerVerbEnd(u, at, &ended);
  if (k == at) return;
  while (k < u.toks.size() && (Lower(u.toks[k].text) == "the" || Lower(u.toks[k].text) == "a" || Lower(u.toks[k].text) == "an")) ++k;
  if (k >= u.toks.size()) return;
  auto qualifiers = [&](const std::string& title) {
    std::map<std::string, std::string> q = {{"title", title}};
    if (ended) q["status"] = "ended";
    return q;
  };
  if (const int cm = u.mention_at[k]; cm >= 0 && mentions_[cm].tb == k) {
    // "became Acme's president"
    const Mention& c = mentions_[cm];
    if (TypeOf(c.entity) != "Company" || !Tok(u, static_cast<long>(c.te)) || u.toks[c.te].kind != Token::Kind::kPossessive) return;
    size_t e = c.te + 1;
    bool titled = false;
    while (e < u.toks.size() && e < c.te + 9 && u.mention_at[e] < 0 && InTitle(u.toks[e])) {
      titled = titled || TitleWords().count(Lower(u.toks[e].text));
      ++e;
    }
    if (titled) Add("WORKS_FOR", person, c.entity, ui, "became-company-title", 0.7f, tb, e, qualifiers(SpanText(u, c.te + 1, e)));
    return;
  }
  // "had been president of the Business Division at Acme": the title starts right away.
  const bool starts = TitleWords().count(Lower(u.toks[k].text)) ||
                      (k + 1 < u.toks.size() && TitleWords().count(Lower(u.toks[k + 1].text)) && u.mention_at[k] < 0);
  if (!starts) return;
  if (const Employer r = EmployerAt(u, k, k + 14); r.company >= 0) {
    Add("WORKS_FOR", person, r.company, ui, "became-title-at", 0.7f, tb, r.end, qualifiers(SpanText(u, k, r.title_end)));
  }
}

// Officers whose sentence names no employer: "chairman Jane Roe", "Sales and Field Group
// President Jane Roe", "Jane Roe, chief executive since 2006", "Jane Roe is to step in as
// president". They work for the company in focus (CompanyInFocus), a guess from context with
// a confidence to match. Only people no other rule gave an employer, and only the titles of a
// company's officers (lexicon/officer_titles.txt).
void Extractor::ContextEmployers() {
  std::set<int> employed;
  for (const Pending& p : pending_) {
    if (p.rel.type == "WORKS_FOR") employed.insert(p.subj);
  }
  auto officer = [](const Token& t) { return OfficerTitles().count(Lower(t.text)) > 0; };
  auto title_word = [&](const Token& t) {
    const std::string l = Lower(t.text);
    return IsWord(t) && (TitleWords().count(l) || l == "of" || l == "and" || l == "operating" || l == "financial" ||
                         l == "technology" || l == "senior" || l == "executive");
  };
  for (size_t ui = 1; ui < units_.size() && !OutOfTime(); ++ui) {
    const Unit& u = units_[ui];
    for (size_t mi : u.mentions) {
      const Mention& m = mentions_[mi];
      if (m.entity < 0 || m.refers || !ents_[m.entity].keep || TypeOf(m.entity) != "Person" || employed.count(m.entity)) continue;
      size_t tb = 0, te = 0;
      // Before the name: the officer's title word right before it, with the capitalised unit
      // in front ("Server and Tools Business President").
      if (m.tb >= 1 && officer(u.toks[m.tb - 1]) && u.mention_at[m.tb - 1] < 0) {
        tb = m.tb - 1;
        while (tb > 0 && tb + 8 > m.tb && u.mention_at[tb - 1] < 0 && IsWord(u.toks[tb - 1]) &&
               (u.toks[tb - 1].capitalized || title_word(u.toks[tb - 1]))) {
          --tb;
        }
        while (tb < m.tb && !officer(u.toks[tb]) && !u.toks[tb].capitalized) ++tb;  // not "of" or "and" first
        // Not the sentence's first word unless it is a title: "Yesterday Jane Roe".
        te = m.tb;
      } else if (m.te + 1 < u.toks.size()) {
        size_t k = m.te;
        if (u.toks[k].text == ",") {
          // After the name, as an apposition: "Jane Roe, chief executive since 2006,".
          ++k;
          while (k < u.toks.size() && (Lower(u.toks[k].text) == "the" || Lower(u.toks[k].text) == "a")) ++k;
        } else {
          // After a verb of taking a post: "is to step in as president", "was named chief executive".
          static const Words kTake = {"as", "named", "appointed", "became", "become", "becomes", "promoted", "elected"};
          size_t v = k;
          while (v < u.toks.size() && v < k + 6 && IsWord(u.toks[v]) && !u.toks[v].capitalized && u.mention_at[v] < 0 &&
                 !kTake.count(Lower(u.toks[v].text))) {
            ++v;
          }
          if (v >= u.toks.size() || !kTake.count(Lower(u.toks[v].text))) continue;
          k = v + 1;
          if (k < u.toks.size() && Lower(u.toks[k].text) == "to") ++k;
          while (k < u.toks.size() && (Lower(u.toks[k].text) == "the" || Lower(u.toks[k].text) == "a" || Lower(u.toks[k].text) == "its")) ++k;
        }
        if (k >= u.toks.size() || u.mention_at[k] >= 0 || !(officer(u.toks[k]) || (k + 1 < u.toks.size() && officer(u.toks[k + 1]) && title_word(u.toks[k])))) continue;
        tb = k;
        te = k;
        while (te < u.toks.size() && te < k + 8 && u.mention_at[te] < 0 && title_word(u.toks[te])) ++te;
        while (te > tb && !TitleWords().count(Lower(u.toks[te - 1].text))) --te;  // not "... and" or "... of"
        // "chief executive of Acme": the employer is named after all, and other rules read it.
        if (te < u.toks.size() && (Lower(u.toks[te].text) == "of" || Lower(u.toks[te].text) == "at")) continue;
      }
      if (te <= tb) continue;
      const int c = CompanyInFocus(ui, std::min(tb, m.tb));
      if (c < 0) continue;
      employed.insert(m.entity);
      Add("WORKS_FOR", m.entity, c, ui, "officer-of-company-in-focus", 0.55f, std::min(tb, m.tb), std::max(te, m.te),
          {{"title", SpanText(u, tb, te)}});
    }
  }
}

// The company a sentence is about at token `before`: the last company named before it in the
// sentence, else in the two sentences before it in the same paragraph. Not one of a pair ("the
// two companies").
int Extractor::CompanyInFocus(size_t ui, size_t before) const {
  for (size_t j = ui; j >= 1 && j + 3 > ui; --j) {
    const Unit& u = units_[j];
    if (j < ui && (u.end > units_[j + 1].begin || a_.body.substr(u.end, units_[j + 1].begin - u.end).find("\n\n") != std::string::npos)) break;
    for (size_t t = j == ui ? before : u.toks.size(); t-- > 0;) {
      const int mi = u.mention_at[t];
      if (mi < 0 || mentions_[mi].pair || mentions_[mi].entity < 0) continue;
      if (TypeOf(mentions_[mi].entity) == "Company" && ents_[mentions_[mi].entity].keep) return mentions_[mi].entity;
    }
  }
  return -1;
}

}  // namespace pactgraph::ingest::extract
