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
          if (cm >= 0 && k == m.te + 1 && (TypeOf(mentions_[cm].entity) == "Company" || TypeOf(mentions_[cm].entity) == "Organization") &&
              mentions_[cm].te < u.toks.size() && TitleWords().count(Lower(u.toks[mentions_[cm].te].text))) {
            // P, C TITLE: "Jane Roe, Acme president and CEO, said"
            size_t e = mentions_[cm].te;
            while (e < u.toks.size() && u.toks[e].text != "," && u.toks[e].text != "." && u.mention_at[e] < 0 && e < mentions_[cm].te + 10) ++e;
            Add("WORKS_FOR", m.entity, mentions_[cm].entity, ui, "person-company-title-apposition", 0.75f, m.tb, e,
                {{"title", SpanText(u, mentions_[cm].te, e)}});
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

  // Adjectives and prepositions of interoperation; makers from appositions.
  for (size_t k = 0; k < u.toks.size(); ++k) {
    const std::string l = Lower(u.toks[k].text);
    // The verbs and nouns of the relation rules are read in the grammar phase (grammar.cc).
    if ((l == "interoperable" || l == "compatible") && k >= 3) {
      std::vector<int> ps = ProductsBeforeVerb(u, k);
      if (ps.size() == 2) Add("INTEROPERATES_WITH", ps[1], ps[0], ui, "made-interoperable", 0.5f, k >= 6 ? k - 6 : 0, k + 1, status());
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
