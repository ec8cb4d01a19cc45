// The word lists behind the native entity extractor (extractor.h). All
// lookups take lower-case ASCII words; each list says what it is for.
#ifndef STRATAMEM_GRAPH_LEXICON_H_
#define STRATAMEM_GRAPH_LEXICON_H_

#include <string_view>

namespace stratamem::graph {

// Words that start sentences without being names ("Thanks", "Yesterday",
// "The", "Wow"), kinship words used as names ("Mom"), and the function words
// that never begin a name. A capitalised word on this list is not an entity.
bool IsCommonWord(std::string_view lower);

// Not a name even mid-sentence: "I" and its contractions, kinship words
// ("told Mom"), interjections ("OK", "LOL"), generic acronyms ("API", "CEO").
bool IsNeverAName(std::string_view lower);

// Titles written before a person's name ("Dr", "Mayor", "Grandma"); the
// folded key drops them, and they make the name a person.
bool IsPersonTitle(std::string_view lower);

// Nouns that, right before a name, say it is a person: "my sister Giulia",
// "architect Tove Lindgren", "CEO, Irena Novak".
bool IsPersonRoleNoun(std::string_view lower);

// Greetings and thanks that address someone: "Hey Marco", "Thanks, Mel".
bool IsGreeting(std::string_view lower);

// Verbs that, right after a name, say it is a person: "Mom says", "Kim told".
bool IsSpeechVerb(std::string_view lower);

// Lower-case words that may join capitalised words into one name:
// "University of Tromso", "Habitat for Humanity", "Ember & Oak".
bool IsNameConnector(std::string_view lower);

// Last words of place and organisation names ("Street", "Museum", "Labs"):
// such a name is never typed as a person.
bool IsPlaceOrOrgHead(std::string_view lower);

// 1..12 for "January".."December" (also "Jan", "Sept"), 0 otherwise.
int MonthNumber(std::string_view lower);
bool IsWeekday(std::string_view lower);    // "monday".."sunday", "mon".."sun"
bool IsSeason(std::string_view lower);     // "spring", "summer", "fall", "autumn", "winter"
bool IsTimeZone(std::string_view lower);   // "utc", "gmt", "cet", "pst", ...
// Words that, before "May", make it the month: "in May", "since May".
bool IsDatePreposition(std::string_view lower);

// Units after a number ("km", "minutes", "GB", "percent", "euros"); the
// extractor asks only right after a number.
bool IsUnit(std::string_view lower);
bool IsTimeUnit(std::string_view lower);    // "ms", "s", "minutes", "days", "years", ...
bool IsScaleWord(std::string_view lower);   // "thousand", "million", "billion", "trillion"
// Number words before a time unit ("two weeks", "ten days"): their value, 0 if not one.
int NumberWord(std::string_view lower);

// File extensions that make "name.ext" a path ("py", "rs", "json", "lock").
bool IsFileExtension(std::string_view lower);
// Top-level domains that make "host.tld" a URL ("com", "dev", "internal").
bool IsTopLevelDomain(std::string_view lower);
// File names without an extension that are still files ("dockerfile", "makefile").
bool IsBareFileName(std::string_view lower);

// Abbreviations whose period does not end a sentence ("dr.", "st.", "e.g.").
bool IsAbbreviation(std::string_view lower_with_period);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_LEXICON_H_
