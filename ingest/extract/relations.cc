// The relations a sentence states: works-for from titles and appositions, the verbs of support,
// validation, running, interoperation, making, buying and licensing, and partnerships.
#include "ingest/extract/extractor.h"

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
    if (type == "Company" && nt && nt->kind == Token::Kind::kPossessive) {
      // Title first: "Microsoft's general manager of virtualization, Mike Neil"
      size_t k = m.te + 1;
      std::string title;
      bool has_title = false;
      while (k < u.toks.size() && u.toks[k].text != "," && u.mention_at[k] < 0 && k < m.te + 12) {
        has_title = has_title || TitleWords().count(Lower(u.toks[k].text));
        ++k;
      }
      // Titles may contain capitalised units: "senior vice present of the Server and Tools Business".
      size_t t_end = k;
      if (has_title) {
        while (t_end < u.toks.size() && u.toks[t_end].text != "," && t_end < m.te + 16) ++t_end;
        if (t_end + 1 < u.toks.size() && u.toks[t_end].text == ",") {
          const int pm = u.mention_at[t_end + 1];
          if (pm >= 0 && TypeOf(mentions_[pm].entity) == "Person") {
            title = SpanText(u, m.te + 1, t_end);
            Add("WORKS_FOR", mentions_[pm].entity, m.entity, ui, "possessive-title-apposition", 0.8f, m.tb, mentions_[pm].te,
                {{"title", title}});
            continue;
          }
        }
      }
      // "Acme's Jane Roe, EVP of cloud": the person works there.
      if (m.te + 1 < u.toks.size() && u.mention_at[m.te + 1] >= 0 && TypeOf(mentions_[u.mention_at[m.te + 1]].entity) == "Person") {
        const Mention& pm = mentions_[u.mention_at[m.te + 1]];
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
      for (int p : ProductsFrom(u, m.te + 1, m.te + 12, {"is", "was", "will", "to", "that", "which", "with", "on", "in", "for", "by"})) {
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
    // P, TITLE at|of C  /  P, C's TITLE  /  C TITLE P
    if (type == "Person") {
      if (nt && nt->text == ",") {
        size_t k = m.te + 1;
        bool has_title = false;
        while (k < u.toks.size() && k < m.te + 14) {
          const std::string l = Lower(u.toks[k].text);
          has_title = has_title || TitleWords().count(l) || l == "leads" || l == "heads" || l == "runs" || l == "manages";
          if ((l == "at" || l == "of" || l == "for" || l == "with") && has_title) {
            const int cm = u.mention_at.size() > k + 1 ? u.mention_at[k + 1] : -1;
            if (cm >= 0 && (TypeOf(mentions_[cm].entity) == "Company" || TypeOf(mentions_[cm].entity) == "Organization") &&
                !(l == "of" && Tok(u, static_cast<long>(mentions_[cm].te)) && u.toks[mentions_[cm].te].kind == Token::Kind::kPossessive)) {
              // "of the Server and Tools Business" is part of the title; a company after "at" ends it.
              const std::string title = SpanText(u, m.te + 1, k);
              std::string t = title;
              while (!t.empty() && (t.back() == ',' || t.back() == ' ')) t.pop_back();
              Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "person-title-at", 0.8f, m.tb, mentions_[cm].te, {{"title", t}});
              break;
            }
          }
          if (u.toks[k].text == "." || u.toks[k].text == ";" || u.toks[k].kind == Token::Kind::kQuote) break;
          const int cm = u.mention_at[k];
          if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company" && Tok(u, static_cast<long>(mentions_[cm].te)) &&
              u.toks[mentions_[cm].te].kind == Token::Kind::kPossessive && k == m.te + 1) {
            // P, C's TITLE
            size_t e = mentions_[cm].te + 1;
            while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && e < mentions_[cm].te + 12) ++e;
            const std::string title = SpanText(u, mentions_[cm].te + 1, e);
            bool ok = false;
            for (size_t j = mentions_[cm].te + 1; j < e; ++j) ok = ok || TitleWords().count(Lower(u.toks[j].text));
            if (ok) Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "person-company-title", 0.8f, m.tb, e, {{"title", title}});
            break;
          }
          ++k;
        }
      }
      // TITLE P ... C's: "CEO Jane Roe used Acme's earnings call".
      if (m.tb >= 1 && IsTitleToken(Lower(u.toks[m.tb - 1].text)) && (m.tb < 2 || u.mention_at[m.tb - 2] < 0)) {
        for (size_t k = m.te; k < u.toks.size() && k < m.te + 8; ++k) {
          const int cm = u.mention_at[k];
          if (u.toks[k].text == "," || u.toks[k].text == ".") break;
          if (cm < 0 || TypeOf(mentions_[cm].entity) != "Company") continue;
          const Token* pt = Tok(u, static_cast<long>(mentions_[cm].te));
          if (pt && pt->kind == Token::Kind::kPossessive) {
            Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "title-person-company-possessive", 0.5f, m.tb - 1, mentions_[cm].te + 1,
                {{"title", u.toks[m.tb - 1].text}});
          }
          break;
        }
      }
      // C TITLE P: "Microsoft CEO Steve Ballmer"
      if (m.tb >= 2) {
        long k = static_cast<long>(m.tb) - 1;
        bool has_title = false;
        while (k >= 0 && u.mention_at[k] < 0 && TitleWords().count(Lower(u.toks[k].text)) + (Lower(u.toks[k].text) == "of") > 0) {
          has_title = true;
          --k;
        }
        if (has_title && k >= 0 && u.mention_at[k] >= 0 && TypeOf(mentions_[u.mention_at[k]].entity) == "Company") {
          const Mention& c = mentions_[u.mention_at[k]];
          Add("WORKS_FOR", m.entity, c.entity, ui, "company-title-person", 0.7f, c.tb, m.te, {{"title", SpanText(u, c.te, m.tb)}});
        }
      }
    }
  }

  // Verbs of support, validation, running and interoperation.
  for (size_t k = 0; k < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    std::string rel;
    if (l == "support" || l == "supports" || l == "supported" || l == "supporting") rel = "SUPPORTS";
    if (l == "validate" || l == "validates" || l == "validated" || l == "certify" || l == "certifies" || l == "certified" ||
        l == "validating" || l == "certifying") {
      rel = "VALIDATES";
    }
    if (!rel.empty()) {
      // "validate and support": both relations over the same objects.
      std::vector<std::string> rels = {rel};
      size_t obj_from = k + 1;
      if (k + 2 < u.toks.size() && Lower(u.toks[k + 1].text) == "and") {
        const std::string l2 = Lower(u.toks[k + 2].text);
        if (l2.starts_with("support")) rels.push_back("SUPPORTS");
        if (l2.starts_with("validat") || l2.starts_with("certif")) rels.push_back("VALIDATES");
        if (rels.size() > 1) obj_from = k + 3;
      }
      std::vector<int> subjects = ActorsBefore(u, k);
      const bool passive = k > 0 && (Lower(u.toks[k - 1].text) == "be" || Lower(u.toks[k - 1].text) == "been" ||
                                     Lower(u.toks[k - 1].text) == "is" || Lower(u.toks[k - 1].text) == "are");
      std::vector<int> objects;
      size_t on_at = u.toks.size();
      for (size_t j = obj_from; j < u.toks.size() && j < obj_from + 25; ++j) {
        const std::string w = Lower(u.toks[j].text);
        if (w == "on" || w == "within" || w == "under" || w == "in") {
          on_at = j;
          break;
        }
        if (w == "." || w == ";" || w == "while") break;
      }
      if (passive) {
        // "X will be supported on Y": the products before the verb; the announcing companies.
        objects = ProductsBeforeVerb(u, k);
        subjects = Announcers(u);
      } else if (obj_from < u.toks.size() && Lower(u.toks[obj_from].text) == "for") {
        // "support for Java": the noun, with the acting companies before it.
        objects = ProductsFrom(u, obj_from + 1, on_at, {"to", "by", "with", "that", "which"});
      } else {
        objects = ProductsFrom(u, obj_from, on_at, {"for", "to", "by", "with", "that", "which"});
      }
      std::vector<int> ons = on_at < u.toks.size() ? ProductsFrom(u, on_at + 1, on_at + 20, {"for", "to", "by", "that", "which", "while", "with"}) : std::vector<int>{};
      std::string as;
      for (size_t j = obj_from; j < std::min(on_at, u.toks.size()); ++j) {
        const std::string w = Lower(u.toks[j].text);
        if (w == "guest" || w == "guests") as = "guest";
        if (w == "host" || w == "hosts") as = "host";
      }
      for (const std::string& r : rels) {
        for (int s : subjects) {
          for (int o : objects) {
            if (Full(ui)) break;
            if (ons.empty()) {
              auto q = status();
              if (!as.empty()) q["as"] = as;
              Add(r, s, o, ui, "verb-" + Lower(r), 0.6f, 0, u.toks.size(), q);
            }
            for (int on : ons) {
              auto q = status();
              q["on"] = ents_[on].name;
              if (!as.empty()) q["as"] = as;
              Add(r, s, o, ui, "verb-" + Lower(r) + "-on", 0.7f, 0, u.toks.size(), q);
              // Supported as a guest on a platform: it runs there.
              if (r == "SUPPORTS" && as == "guest") {
                auto rq = status();
                rq["as"] = as;
                Add("RUNS_ON", o, on, ui, "supported-guest-runs-on", 0.6f, 0, u.toks.size(), rq);
              }
            }
          }
        }
      }
    }
    // RUNS_ON: "run P on Q", "P runs on Q", "running P virtualized on Q"
    if (l == "run" || l == "runs" || l == "running" || l == "hosted" || l == "host" || l == "hosting") {
      size_t on_at = u.toks.size();
      for (size_t j = k + 1; j < u.toks.size() && j < k + 20; ++j) {
        if (Lower(u.toks[j].text) == "on" || Lower(u.toks[j].text) == "within") {
          on_at = j;
          break;
        }
      }
      if (on_at < u.toks.size()) {
        std::vector<int> guests = ProductsFrom(u, k + 1, on_at, {"for", "to", "by"});
        if (guests.empty()) guests = ProductsBeforeVerb(u, k);
        std::vector<int> hosts = ProductsFrom(u, on_at + 1, on_at + 20, {"for", "to", "by", "that", "which", "while", "with"});
        for (size_t gi = 0; gi < guests.size() && !Full(ui); ++gi) {
          for (int h : hosts) Add("RUNS_ON", guests[gi], h, ui, "verb-runs-on", 0.6f, k, on_at + 4, status());
        }
      }
    }
    // INTEROPERATES_WITH: "P interoperate(s) with Q", "between P and Q"
    if (l.starts_with("interoperat") || l == "integrate" || l == "integrates" || l == "manage") {
      std::vector<int> left = ProductsBeforeVerb(u, k);
      size_t with_at = k + 1;
      if (with_at < u.toks.size() && Lower(u.toks[with_at].text) == "with") ++with_at;
      std::vector<int> right = ProductsFrom(u, with_at, with_at + 15, {"to", "by", "that", "which", "in"});
      for (size_t ai = 0; ai < left.size() && !Full(ui); ++ai) {
        for (int b : right) Add("INTEROPERATES_WITH", left[ai], b, ui, "verb-interoperate", 0.5f, k, with_at + 4, status());
      }
    }
    if ((l == "interoperable" || l == "compatible") && k >= 3) {
      std::vector<int> ps = ProductsBeforeVerb(u, k);
      if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[1], ps[0], ui, "made-interoperable", 0.5f, k >= 6 ? k - 6 : 0, k + 1, status());
    }
    if (l == "between" && (words.count("move") || words.count("migrate") || words.count("interoperability") || words.count("interoperate"))) {
      std::vector<int> ps = ProductsFrom(u, k + 1, k + 20, {"to", "by", "that", "which", "in", "for"});
      if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[0], ps[1], ui, "between-products", 0.5f, k, k + 12, status());
    }
    // DEVELOPS: "Acme develops|ships|released X", "X, developed by Acme", "X ... from Acme",
    // "the hypervisor that Acme ships".
    {
      if (MakingVerbs().count(l)) {
        const bool by = k + 2 < u.toks.size() && Lower(u.toks[k + 1].text) == "by";
        if (by) {
          const int cm = u.mention_at[k + 2];
          if (cm >= 0 && TypeOf(mentions_[cm].entity) == "Company") {
            for (int p : ProductsBeforeVerb(u, k)) Add("DEVELOPS", mentions_[cm].entity, p, ui, "made-by", 0.7f, k, k + 3);
          }
        } else if (const size_t b = k > 1 && AbbreviationPeriod(u, k - 1) ? k - 1 : k;
                   b > 0 && u.mention_at[b - 1] >= 0 && TypeOf(mentions_[u.mention_at[b - 1]].entity) == "Company" &&
                   mentions_[u.mention_at[b - 1]].tb > 0 &&
                   (Lower(u.toks[mentions_[u.mention_at[b - 1]].tb - 1].text) == "that" ||
                    Lower(u.toks[mentions_[u.mention_at[b - 1]].tb - 1].text) == "which")) {
          // "the hypervisor that Acme ships": the product is the sentence's subject.
          const size_t that = mentions_[u.mention_at[b - 1]].tb - 1;
          for (int p : ProductsBeforeVerb(u, that)) Add("DEVELOPS", mentions_[u.mention_at[b - 1]].entity, p, ui, "that-company-makes", 0.6f, 0, k + 1);
        } else if (l != "built" && l != "created" && l != "designed" && l != "produced") {
          for (int c : ActorsBefore(u, k)) {
            if (Full(ui)) break;
            for (int p : ProductsFrom(u, k + 1, k + 10, {"to", "for", "with", "on", "in", "by", "that", "which", "as"})) {
              Add("DEVELOPS", c, p, ui, "company-makes", 0.6f, k, k + 6);
            }
          }
        }
      }
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
    // ACQUIRES
    if (l == "acquire" || l == "acquires" || l == "acquired" || l == "buys" || l == "bought") {
      std::vector<int> buyers = ActorsBefore(u, k);
      const int om = k + 1 < u.toks.size() ? u.mention_at[k + 1] : -1;
      if (om >= 0 && TypeOf(mentions_[om].entity) == "Company") {
        for (int b : buyers) Add("ACQUIRES", b, mentions_[om].entity, ui, "verb-acquire", 0.7f, k, k + 4, status());
      }
    }
    // LICENSES: "A licenses X to B"
    if (l == "license" || l == "licenses" || l == "licensed" || l == "licensing") {
      std::vector<int> licensors = ActorsBefore(u, k);
      for (size_t j = k + 1; j < u.toks.size() && j < k + 15; ++j) {
        if (Lower(u.toks[j].text) == "to" && j + 1 < u.toks.size() && u.mention_at[j + 1] >= 0 &&
            TypeOf(mentions_[u.mention_at[j + 1]].entity) == "Company") {
          for (int a : licensors) Add("LICENSES", a, mentions_[u.mention_at[j + 1]].entity, ui, "verb-license-to", 0.6f, k, j + 3, status());
          break;
        }
      }
    }
  }

  // Two companies acting together are partners.
  if (std::pair<int, int> p = JointActors(u); p.first >= 0) {
    Add("PARTNERS_WITH", p.first, p.second, ui, "joint-actors", 0.6f, 0, u.toks.size());
  }
  // Partnerships and deals: two or more companies in a sentence with a partnership cue.
  bool cue = false, deal = false;
  for (const std::string& w : words) {
    cue = cue || PartnerCues().count(w);
    deal = deal || DealNouns().count(w);
  }
  if (cue) {
    const std::vector<int> companies = Distinct(Of(u, "Company"));
    if (companies.size() >= 2) {
      Add("PARTNERS_WITH", companies[0], companies[1], ui, "partner-cue", 0.5f, 0, u.toks.size());
      bool signing = false;
      for (const std::string& w : words) signing = signing || SigningVerbs().count(w);
      if (deal && signing) {
        const int ag = AgreementFor(companies[0], companies[1]);
        Add("PARTY_TO", companies[0], ag, ui, "deal-parties", 0.5f, 0, u.toks.size());
        Add("PARTY_TO", companies[1], ag, ui, "deal-parties", 0.5f, 0, u.toks.size());
      }
    }
  }

  // What the deal includes and excludes (deals.cc).
  DealScope(ui);
}

}  // namespace pactgraph::ingest::extract
