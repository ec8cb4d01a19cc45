#include "graph/lexicon.h"

#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace stratamem::graph {
namespace {

using WordSet = std::unordered_set<std::string_view>;

bool In(const WordSet& set, std::string_view w) { return set.count(w) > 0; }

// A general list of English words that begin sentences in chat, notes, mail
// and prose without being names. Not tuned to any data set: function words,
// pronouns, auxiliaries, frequent adverbs, interjections and discourse words,
// frequent sentence-initial verbs and adjectives, kinship words.
const WordSet& CommonWords() {
  static const WordSet words = {
      // articles, determiners, pronouns
      "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
      "their", "i", "me", "you", "he", "she", "it", "we", "they", "him", "us", "them", "mine", "yours",
      "ours", "theirs", "myself", "yourself", "himself", "herself", "itself", "ourselves", "themselves",
      "some", "any", "no", "none", "all", "both", "each", "every", "either", "neither", "other",
      "another", "such", "what", "which", "who", "whom", "whose", "whatever", "whoever", "everyone",
      "everybody", "everything", "someone", "somebody", "something", "anyone", "anybody", "anything",
      "nobody", "nothing", "one", "ones", "many", "much", "more", "most", "few", "fewer", "less",
      "least", "several", "enough", "own", "same",
      // prepositions and conjunctions
      "about", "above", "across", "after", "against", "along", "among", "around", "as", "at",
      "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "but", "by",
      "despite", "down", "during", "except", "for", "from", "in", "inside", "into", "like", "near",
      "of", "off", "on", "onto", "out", "outside", "over", "past", "per", "since", "than", "through",
      "throughout", "till", "to", "toward", "towards", "under", "underneath", "unlike", "until", "up",
      "upon", "via", "with", "within", "without", "and", "or", "nor", "so", "yet", "because",
      "although", "though", "while", "whereas", "unless", "whether", "if", "once", "when", "whenever",
      "where", "wherever", "why", "how", "however", "then", "thus", "therefore", "hence", "also",
      "plus", "instead", "otherwise", "meanwhile", "moreover", "furthermore", "nevertheless",
      "nonetheless", "anyway", "anyways", "regardless", "according", "following", "including",
      "regarding", "concerning", "given",
      // auxiliaries and frequent verbs (also contracted)
      "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "doing",
      "have", "has", "had", "having", "will", "would", "shall", "should", "can", "could", "may",
      "might", "must", "ought", "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "you'd",
      "he's", "she's", "it's", "we're", "we've", "we'll", "we'd", "they're", "they've", "they'll",
      "they'd", "that's", "there's", "here's", "what's", "who's", "where's", "how's", "let's",
      "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't",
      "can't", "cannot", "couldn't", "shouldn't", "haven't", "hasn't", "hadn't", "mustn't",
      "get", "got", "gets", "getting", "go", "goes", "going", "gone", "went", "make", "makes", "made",
      "take", "takes", "took", "come", "came", "comes", "see", "saw", "seen", "look", "looks",
      "looking", "know", "knew", "think", "thought", "feel", "felt", "want", "wanted", "need",
      "needs", "needed", "try", "tried", "trying", "keep", "kept", "let", "say", "said", "says",
      "tell", "told", "ask", "asked", "give", "gave", "put", "use", "used", "using", "find", "found",
      "call", "called", "remember", "imagine", "guess", "hope", "wish", "love", "loved", "loving",
      "like", "liked", "hate", "enjoy", "enjoyed", "miss", "missed", "sounds", "sound", "seems",
      "seem", "seemed", "looks", "check", "please", "note", "noted", "sorry", "thank", "thanks",
      "welcome", "congrats", "congratulations", "cheers", "bye", "goodbye", "wait", "stop", "listen",
      "watch", "read", "play", "start", "started", "finished", "just", "can", "did",
      // frequent adverbs
      "not", "now", "here", "there", "today", "tonight", "tomorrow", "yesterday", "soon", "later",
      "lately", "recently", "already", "still", "again", "ago", "always", "never", "often",
      "sometimes", "usually", "rarely", "seldom", "ever", "even", "only", "really", "very", "quite",
      "rather", "pretty", "too", "maybe", "perhaps", "probably", "possibly", "certainly", "surely",
      "definitely", "absolutely", "totally", "completely", "exactly", "actually", "basically",
      "honestly", "seriously", "literally", "obviously", "clearly", "apparently", "hopefully",
      "luckily", "unfortunately", "fortunately", "sadly", "finally", "eventually", "suddenly",
      "first", "firstly", "second", "secondly", "third", "next", "last", "lastly", "later", "earlier",
      "overall", "generally", "especially", "particularly", "mostly", "mainly", "nearly", "almost",
      "about", "around", "together", "alone", "else", "back", "away", "well", "fine", "right",
      "left", "sure", "indeed", "besides", "altogether", "anymore", "someday", "somehow", "somewhere",
      "everywhere", "nowhere", "anywhere", "lol", "haha", "hahaha", "hehe", "lmao", "omg", "wow",
      "woah", "whoa", "oh", "ooh", "ah", "aah", "aw", "aww", "awww", "hey", "hi", "hello", "hiya",
      "yo", "yes", "yeah", "yep", "yup", "no", "nope", "nah", "ok", "okay", "alright", "hmm", "um",
      "uh", "ugh", "oops", "whoops", "yay", "hooray", "phew", "gosh", "dear", "ps", "btw", "fyi",
      "imo", "tbh", "asap", "tl;dr", "re", "fwd", "cc", "note", "reminder", "update", "todo",
      "attached", "enclosed", "regards", "best", "kind", "warm", "sincerely", "yours", "cheers",
      // frequent sentence-initial adjectives and nouns
      "good", "great", "nice", "cool", "awesome", "amazing", "wonderful", "fantastic", "excellent",
      "perfect", "lovely", "beautiful", "brilliant", "glad", "happy", "sad", "fun", "funny",
      "interesting", "exciting", "incredible", "impressive", "cute", "sweet", "true", "false",
      "new", "old", "big", "small", "little", "long", "short", "high", "low", "hard", "easy", "tough",
      "important", "different", "similar", "possible", "impossible", "likely", "unlikely", "wild",
      "crazy", "weird", "strange", "busy", "tired", "excited", "proud", "grateful", "thankful",
      "lucky", "ready", "late", "early", "whole", "full", "half", "main", "major", "minor", "real",
      "yesterday's", "today's", "tomorrow's", "everyone's", "someone's", "nobody's", "life", "work",
      "home", "school", "family", "friends", "people", "kids", "time", "day", "week", "weekend",
      "month", "year", "morning", "afternoon", "evening", "night", "tonight's", "things", "thing",
      "stuff", "lots", "plenty", "idea", "ideas", "question", "answer", "problem", "issue", "point",
      "reason", "way", "part", "side", "end", "rest", "place", "hope", "luck", "fact", "case",
      // kinship words, used as names ("Mom says") but not entities by themselves
      "mom", "mum", "mommy", "mummy", "mother", "dad", "daddy", "father", "grandma", "grandpa",
      "granny", "grandmother", "grandfather", "nana", "papa", "mama", "baby", "honey", "babe",
      "sis", "bro", "dude", "buddy", "pal", "mate", "guys", "folks", "sir", "madam", "ma'am",
      // labels that start notes and mail ("Warning: ...", "User: ...")
      "warning", "error", "tip", "important", "summary", "edit", "fix", "subject", "fw", "nb", "q",
      "user", "assistant", "system", "human", "bot", "ai", "agent", "model", "customer", "support",
  };
  return words;
}

}  // namespace

bool IsCommonWord(std::string_view w) { return In(CommonWords(), w); }

bool IsNeverAName(std::string_view w) {
  static const WordSet words = {
      "i", "i'm", "i've", "i'll", "i'd", "ok", "okay", "lol", "omg", "wow", "haha", "lmao", "btw",
      "fyi", "imo", "tbh", "asap", "yes", "no", "yeah", "hey", "hi", "oh", "ps", "mom", "mum",
      "mommy", "mummy", "dad", "daddy", "grandma", "grandpa", "granny", "nana", "papa", "mama",
      "sis", "bro", "sir", "madam", "a", "an", "the", "what", "why", "how",
      // generic acronyms: nouns, not names
      "api", "apis", "ram", "cpu", "gpu", "ceo", "cto", "cfo", "coo", "phd", "faq", "diy", "tv", "pc",
      "id", "ids", "ui", "ux", "ssd", "hdd", "usb", "pdf", "orm", "orms", "kpi", "roi", "eta",
      "rsvp"};
  return In(words, w);
}

bool IsPersonTitle(std::string_view w) {
  static const WordSet words = {
      "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "mayor",
      "senator", "judge", "coach", "chef", "ambassador", "minister", "president", "governor",
      "chancellor", "captain", "capt", "officer", "sergeant", "sgt", "detective", "inspector",
      "colonel", "lieutenant", "rev", "reverend", "pastor", "rabbi", "imam", "grandma", "grandpa",
      "granny", "nana", "aunt", "auntie", "uncle"};
  return In(words, w);
}

bool IsPersonRoleNoun(std::string_view w) {
  static const WordSet words = {
      "sister", "brother", "mother", "father", "mom", "mum", "dad", "son", "daughter", "wife",
      "husband", "partner", "boyfriend", "girlfriend", "fiance", "fiancee", "fiancé", "fiancée",
      "cousin", "nephew", "niece", "aunt", "uncle", "grandson", "granddaughter", "grandmother",
      "grandfather", "grandma", "grandpa", "friend", "roommate", "flatmate", "neighbor",
      "neighbour", "colleague", "coworker", "co-worker", "boss", "manager", "mentor", "teacher",
      "tutor", "coach", "therapist", "doctor", "dentist", "nurse", "lawyer", "author", "writer",
      "novelist", "poet", "artist", "painter", "singer", "musician", "actor", "actress",
      "director", "architect", "engineer", "designer", "developer", "scientist", "researcher",
      "professor", "student", "ceo", "cto", "cfo", "founder", "cofounder", "co-founder", "chairman",
      "chairwoman", "spokesperson", "spokesman", "spokeswoman", "chef", "player", "captain",
      "stepmother", "stepfather", "stepson", "stepdaughter", "kid", "baby", "twin", "bestie"};
  return In(words, w);
}

bool IsGreeting(std::string_view w) {
  static const WordSet words = {"hey", "hi", "hello", "hiya", "dear", "thanks", "thank", "congrats",
                                "congratulations", "bye", "goodbye", "morning", "night", "cheers",
                                "welcome", "sorry", "yo"};
  return In(words, w);
}

bool IsSpeechVerb(std::string_view w) {
  static const WordSet words = {"said", "says", "told", "tells", "asked", "asks", "wrote", "writes",
                                "replied", "replies", "thinks", "thought", "believes", "explained",
                                "mentioned", "added", "insisted", "suggested", "recommended",
                                "texted", "called", "emailed", "promised", "admitted"};
  return In(words, w);
}

bool IsNameConnector(std::string_view w) {
  static const WordSet words = {"of", "for", "de", "del", "della", "des", "du", "da", "di", "la",
                                "le", "van", "von", "der", "den", "y", "&"};
  return In(words, w);
}

bool IsPlaceOrOrgHead(std::string_view w) {
  static const WordSet words = {
      "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "way",
      "square", "place", "park", "bridge", "station", "airport", "harbor", "harbour", "port",
      "lake", "river", "mount", "mountain", "mountains", "hill", "hills", "valley", "island",
      "islands", "key", "cape", "bay", "beach", "coast", "creek", "falls", "forest", "desert",
      "city", "town", "county", "state", "district", "province", "region", "republic", "kingdom",
      "museum", "library", "gallery", "theatre", "theater", "cinema", "stadium", "arena", "center",
      "centre", "hall", "hospital", "clinic", "school", "college", "university", "academy",
      "institute", "observatory", "church", "cathedral", "temple", "market", "mall", "store",
      "shop", "café", "cafe", "restaurant", "bar", "pub", "inn", "hotel", "club", "gym", "studio",
      "festival", "marathon", "prize", "award", "awards", "cup", "league", "championship",
      "conference", "summit", "expo", "fair", "show", "tour", "bank", "corp", "corporation",
      "inc", "ltd", "llc", "plc", "gmbh", "ag", "as", "co", "company", "group", "labs", "lab",
      "industries", "systems", "technologies", "software", "foods", "markets", "motors", "energy",
      "airlines", "air", "airways", "rail", "railways", "express", "media", "press", "news",
      "times", "post", "journal", "agency", "organization", "organisation", "association",
      "society", "foundation", "council", "committee", "parliament", "ministry", "department",
      "court", "circuit", "army", "navy", "police", "party", "union", "team", "band", "orchestra",
      "choir", "works", "act", "service", "services", "network", "cloud", "actions", "pages"};
  return In(words, w);
}

int MonthNumber(std::string_view w) {
  static const std::unordered_map<std::string_view, int> months = {
      {"january", 1}, {"jan", 1},   {"february", 2}, {"feb", 2},       {"march", 3},    {"mar", 3},
      {"april", 4},   {"apr", 4},   {"may", 5},      {"june", 6},      {"jun", 6},      {"july", 7},
      {"jul", 7},     {"august", 8}, {"aug", 8},     {"september", 9}, {"sep", 9},      {"sept", 9},
      {"october", 10}, {"oct", 10}, {"november", 11}, {"nov", 11},     {"december", 12}, {"dec", 12}};
  auto it = months.find(w);
  return it == months.end() ? 0 : it->second;
}

bool IsWeekday(std::string_view w) {
  static const WordSet words = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
                                "fri", "sat", "sun"};
  return In(words, w);
}

bool IsSeason(std::string_view w) {
  static const WordSet words = {"spring", "summer", "fall", "autumn", "winter"};
  return In(words, w);
}

bool IsTimeZone(std::string_view w) {
  static const WordSet words = {"utc", "gmt", "cet", "cest", "eet", "eest", "wet", "bst", "ist",
                                "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "jst",
                                "kst", "aest", "aedt", "z"};
  return In(words, w);
}

bool IsDatePreposition(std::string_view w) {
  static const WordSet words = {"in", "on", "of", "since", "until", "till", "by", "from",
                                "through", "during", "early", "late", "mid", "last", "next",
                                "this", "every", "before", "after", "between", "to", "and"};
  return In(words, w);
}

bool IsTimeUnit(std::string_view w) {
  static const WordSet words = {
      "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
      "minutes", "h", "hr", "hrs", "hour", "hours", "day", "days", "night", "nights", "week",
      "weeks", "wk", "wks", "month", "months", "mo", "year", "years", "yr", "yrs", "decade",
      "decades", "century", "centuries"};
  return In(words, w);
}

bool IsUnit(std::string_view w) {
  static const WordSet words = {
      // sizes and rates
      "b", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib", "byte", "bytes", "kilobytes",
      "megabytes", "gigabytes", "terabytes", "bit", "bits", "kbps", "mbps", "gbps", "hz", "khz",
      "mhz", "ghz", "rpm", "fps", "qps", "rps", "ops", "w", "kw", "mw", "gw", "kwh", "mwh", "v",
      "mah", "dpi", "px", "pt",
      // length, area, volume, mass, temperature
      "mm", "cm", "m", "km", "meter", "meters", "metre", "metres", "kilometer", "kilometers",
      "kilometre", "kilometres", "mi", "mile", "miles", "ft", "foot", "feet", "inch",
      "inches", "yd", "yard", "yards", "ha", "hectare", "hectares", "acre", "acres", "sqm",
      "l", "ml", "liter", "liters", "litre", "litres", "gallon", "gallons", "oz", "ounce",
      "ounces", "cup", "cups", "mg", "g", "kg", "gram", "grams", "kilogram", "kilograms",
      "kilo", "kilos", "lb", "lbs", "pound", "pounds", "ton", "tons", "tonne", "tonnes", "stone",
      "°c", "°f", "degree", "degrees", "kcal", "cal", "calories", "mph", "kph", "km/h",
      "magnitude", "bpm", "mmhg",
      // money and ratios
      "%", "percent", "usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "inr", "cny",
      "dollar", "dollars", "euro", "euros", "cent", "cents", "bucks", "quid", "yen", "rupees",
      "pesos", "francs", "krona", "kronor", "points", "pts",
      // counts that behave like units in notes
      "characters", "chars", "words", "lines", "pages", "rows", "items", "records", "tokens",
      "spaces", "tabs", "steps", "reps", "laps", "stars", "votes"};
  return In(words, w) || IsTimeUnit(w);
}

bool IsScaleWord(std::string_view w) {
  static const WordSet words = {"hundred", "thousand", "million", "billion", "trillion", "bn", "mn"};
  return In(words, w);
}

int NumberWord(std::string_view w) {
  static const std::unordered_map<std::string_view, int> words = {
      {"one", 1},      {"two", 2},     {"three", 3},  {"four", 4},     {"five", 5},
      {"six", 6},      {"seven", 7},   {"eight", 8},  {"nine", 9},     {"ten", 10},
      {"eleven", 11},  {"twelve", 12}, {"fifteen", 15}, {"twenty", 20}, {"thirty", 30},
      {"forty", 40},   {"fifty", 50},  {"hundred", 100}};
  auto it = words.find(w);
  return it == words.end() ? 0 : it->second;
}

bool IsFileExtension(std::string_view w) {
  static const WordSet words = {
      "py", "pyi", "ipynb", "rs", "go", "c", "cc", "cpp", "cxx", "h", "hh", "hpp", "hxx", "java",
      "kt", "kts", "scala", "swift", "m", "mm", "cs", "fs", "rb", "php", "pl", "lua", "r", "jl",
      "js", "mjs", "cjs", "jsx", "ts", "tsx", "vue", "svelte", "html", "htm", "css", "scss", "less",
      "json", "jsonl", "yaml", "yml", "toml", "ini", "cfg", "conf", "env", "xml", "csv", "tsv",
      "sql", "db", "sqlite", "md", "rst", "txt", "adoc", "tex", "pdf", "doc", "docx", "xls",
      "xlsx", "ppt", "pptx", "png", "jpg", "jpeg", "gif", "svg", "webp", "mp3", "mp4", "wav",
      "mov", "zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "whl", "jar", "war", "so", "dll", "dylib",
      "a", "o", "exe", "bin", "sh", "bash", "zsh", "fish", "ps1", "bat", "cmd", "lock", "log",
      "proto", "graphql", "gql", "tf", "hcl", "nix", "cmake", "mk", "gradle", "sln", "csproj",
      "plist", "pem", "crt", "key", "pub", "hnsw", "parquet", "arrow", "onnx", "safetensors", "pt",
      "ckpt", "npz", "npy", "wasm", "map", "d", "dart", "ex", "exs", "erl", "hs", "ml", "clj",
      "elm", "zig", "nim", "v", "sv", "vhd"};
  return In(words, w);
}

bool IsTopLevelDomain(std::string_view w) {
  static const WordSet words = {
      "com", "org", "net", "edu", "gov", "mil", "int", "io", "ai", "dev", "app", "co", "me", "info",
      "biz", "xyz", "tech", "cloud", "site", "online", "internal", "local", "localhost", "lan",
      "corp", "home", "test", "example", "uk", "de", "fr", "nl", "es", "it", "se", "no", "dk",
      "fi", "pl", "ch", "at", "be", "pt", "ie", "us", "ca", "au", "nz", "jp", "cn", "kr", "in",
      "br", "mx", "ar", "ru", "eu", "tv", "fm", "gg", "sh", "ly", "so", "to"};
  return In(words, w);
}

bool IsBareFileName(std::string_view w) {
  static const WordSet words = {"dockerfile", "makefile", "gnumakefile", "jenkinsfile", "procfile",
                                "gemfile", "rakefile", "vagrantfile", "brewfile", "justfile",
                                "containerfile", "cmakelists", "license", "readme", "changelog"};
  return In(words, w);
}

bool IsAbbreviation(std::string_view w) {
  static const WordSet words = {
      "mr.", "mrs.", "ms.", "mx.", "dr.", "prof.", "st.", "mt.", "ft.", "jr.", "sr.", "vs.",
      "etc.", "e.g.", "i.e.", "a.m.", "p.m.", "u.s.", "u.k.", "no.", "inc.", "ltd.", "co.",
      "corp.", "ave.", "rd.", "blvd.", "dept.", "approx.", "capt.", "sgt.", "gen.", "col.",
      "lt.", "rev.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.",
      "oct.", "nov.", "dec.", "mon.", "tue.", "wed.", "thu.", "fri.", "sat.", "sun.", "cf.",
      "fig.", "vol.", "p.", "pp."};
  return In(words, w);
}

}  // namespace stratamem::graph
