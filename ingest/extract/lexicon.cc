#include "ingest/extract/lexicon.h"

namespace pactgraph::ingest::extract {

const Words& FunctionWords() {
  static const Words k = {
      "a", "an", "the", "this", "that", "these", "those", "it", "its", "in", "on", "at", "for", "from", "to", "of", "by",
      "with", "and", "or", "but", "as", "if", "while", "when", "where", "after", "before", "since", "until", "yes", "no",
      "not", "so", "then", "there", "here", "we", "our", "they", "their", "he", "his", "she", "her", "you", "your", "i",
      "my", "both", "each", "every", "all", "some", "any", "many", "several", "most", "other", "others", "under",
      "according", "technically", "in", "things", "will", "would", "can", "could", "should", "may", "might", "also",
      "however", "meanwhile", "now", "today", "yesterday", "tomorrow", "what", "which", "who", "why", "how", "one", "two",
      "being", "besides", "despite", "instead", "rather", "still", "though", "although", "because", "once", "over",
      "about", "into", "through", "between", "among", "around", "during", "without", "within", "against", "toward",
      "towards", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had", "said", "says",
      "more", "less", "first", "last", "new", "next", "such", "even", "just", "only", "finally", "together", "further",
      "furthermore", "moreover", "additionally", "in", "short", "users", "customers", "copyright", "central", "for",
      "like", "unlike", "under", "upon", "via", "per", "read", "see", "note", "update", "updated", "editor's",
      "analysts", "critics", "observers", "will", "let", "let's", "here's", "there's", "it's", "that's"};
  return k;
}

const Words& Months() {
  static const Words k = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                          "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return k;
}

const Words& CompanySuffixes() {
  static const Words k = {"inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "sa",
                          "technologies", "technology", "systems", "software", "networks", "labs", "laboratories", "group",
                          "holdings", "communications", "computing", "solutions", "microsystems", "enterprises",
                          "international", "partners", "ventures", "industries", "electronics", "semiconductor"};
  return k;
}

const Words& OrganizationWords() {
  static const Words k = {"association", "foundation", "consortium", "institute", "council", "agency", "commission", "forum",
                          "committee", "organization", "organisation", "university", "department", "ministry", "court",
                          "union", "board", "society", "federation", "office", "authority", "bureau", "project"};
  return k;
}

const Words& ProgramWords() {
  static const Words k = {"program", "programme", "programs", "certification", "initiative", "network"};
  return k;
}

const Words& ProductWords() {
  static const Words k = {"server", "servers", "desktop", "cloud", "hypervisor", "database", "db",
                          "studio", "edition", "platform", "suite", "os", "unix", "virtualization", "virtualisation",
                          "enterprise", "workstation", "client", "manager", "center", "centre", "cluster", "sql",
                          "runtime", "framework", "store", "services", "service", "app", "apps", "office", "mobile",
                          "phone", "tablet", "appliance", "engine", "toolkit", "sdk", "api", "browser",
                          "directory", "storage", "container", "containers", "kernel", "firmware", "chip",
                          "processor", "professional", "standard", "datacenter", "express", "premium", "ultimate",
                          "home", "basic", "web", "online", "gateway", "portal", "analytics", "distribution", "machine"};
  return k;
}

const Words& FirstNames() {
  static const Words k = {
      "aaron", "adam", "alan", "albert", "alex", "alexander", "alice", "amy", "andrew", "andy", "angela", "ann", "anna", "anne",
      "anthony", "arthur", "barbara", "ben", "benjamin", "bill", "bob", "brad", "brandon", "brian", "bruce", "carl", "carol",
      "catherine", "charles", "charlie", "chris", "christian", "christine", "christopher", "craig", "dan", "daniel", "darren",
      "dave", "david", "dean", "deborah", "dennis", "diane", "donald", "doug", "douglas", "ed", "edward", "elizabeth", "emily",
      "eric", "erik", "frank", "fred", "gary", "george", "gerald", "greg", "gregory", "harry", "helen", "henry", "ian", "jack",
      "james", "jamie", "jane", "janet", "jason", "jay", "jean", "jeff", "jeffrey", "jennifer", "jeremy", "jerry", "jessica",
      "jim", "joe", "john", "jon", "jonathan", "jose", "joseph", "josh", "julie", "justin", "karen", "kate", "keith", "kelly",
      "ken", "kenneth", "kevin", "kim", "kurt", "larry", "laura", "lee", "linda", "lisa", "marc", "marco", "margaret", "maria",
      "mark", "martin", "mary", "matt", "matthew", "michael", "michelle", "mike", "nancy", "nat", "nathan", "neil", "nick",
      "nicholas", "pat", "patrick", "paul", "peter", "phil", "philip", "rachel", "ralph", "ray", "rebecca", "richard", "rick",
      "rob", "robert", "roger", "ron", "ronald", "roy", "russ", "ryan", "sam", "samuel", "sandra", "sarah", "scott",
      "sean", "sharon", "simon", "stephen", "steve", "steven", "stuart", "susan", "ted", "terry", "thomas", "tim", "timothy",
      "todd", "tom", "tony", "victor", "walter", "wayne", "william", "jim", "jonathan", "sanjay", "rajesh", "raj", "amit",
      "hans", "klaus", "pierre", "jean-paul", "yuki", "hiroshi", "li", "wei", "ming", "olga", "ivan", "sergey", "ahmed",
      "mohammed", "carlos", "juan", "luis", "miguel", "ana", "sofia", "paula", "gil", "jim", "lars", "jan", "nils", "sven"};
  return k;
}

const Words& TitleWords() {
  static const Words k = {"president", "vice", "ceo", "cto", "cfo", "coo", "cio", "chief", "officer", "manager", "director",
                          "head", "chairman", "chairwoman", "chair", "founder", "co-founder", "editor", "analyst",
                          "spokesman", "spokeswoman", "spokesperson", "executive", "engineer", "architect", "evangelist",
                          "vp", "svp", "evp", "gm", "lead", "leader", "principal", "fellow", "counsel", "secretary",
                          "partner", "strategist", "owner", "researcher", "general"};
  return k;
}

const Words& SpeechVerbs() {
  static const Words k = {"said", "says", "wrote", "writes", "added", "adds", "noted", "notes", "explained", "remarked",
                          "stated", "commented", "told", "argued", "claimed", "insisted", "observed", "announced"};
  return k;
}

const Words& ActorVerbs() {
  static const Words k = {"announced", "announces", "agreed", "agrees", "signed", "signs", "partnered", "partners", "teamed",
                          "joined", "joins", "acquired", "acquires", "bought", "buys", "plans", "planned", "released",
                          "releases", "offers", "offered", "ships", "shipped", "sells", "sold", "provides", "provided",
                          "develops", "developed", "pays", "paid", "will", "has", "had", "have", "is", "was", "are", "were",
                          "made", "makes", "launched", "launches", "unveiled", "unveils", "supports", "supported",
                          "validates", "validated", "certified", "certifies", "licenses", "licensed", "settled", "settles",
                          "inked", "struck", "reached", "entered", "hopes", "wants", "intends", "expects", "introduced",
                          "moved", "worked", "works", "would", "can", "could", "did", "does", "listened", "decided"};
  return k;
}

const Words& PartnerCues() {
  static const Words k = {"partner", "partners", "partnered", "partnering", "partnership", "alliance", "allies", "ally",
                          "teamed", "team", "collaborate", "collaboration", "collaborating", "cooperation", "cooperate",
                          "agreement", "agreements", "deal", "pact", "accord", "settlement", "signed", "inked", "struck",
                          "together", "forces", "joint"};
  return k;
}

const Words& DealNouns() {
  static const Words k = {"agreement", "agreements", "deal", "pact", "accord", "settlement", "alliance", "contract", "partnership"};
  return k;
}

}  // namespace pactgraph::ingest::extract
