// config -- the -f file.
#include "config.h"
#include "priority.h"
#include "rules.h"
#include "state.h"

namespace t2s {

namespace {

// split -- the words of one line: blanks separate, "..." quotes, an unquoted
// '#' at the start of a word begins a comment.
bool split(const std::string& line, std::vector<std::string>* words, std::string* err) {
    words->clear();
    std::string word;
    bool in_word = false, quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"') {
                quoted = false;
            } else if (c == '\\' && i + 1 < line.size() &&
                       (line[i + 1] == '"' || line[i + 1] == '\\')) {
                word += line[++i];
            } else {
                word += c;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            if (in_word)
                words->push_back(word);
            word.clear();
            in_word = false;
            continue;
        }
        if (c == '#' && !in_word)
            break;
        in_word = true;
        if (c == '"')
            quoted = true;
        else
            word += c;
    }
    if (quoted) {
        *err = "unterminated quote";
        return false;
    }
    if (in_word)
        words->push_back(word);
    return true;
}

bool setting(const std::string& word, const Options& opts, FileSpec* spec,
             std::vector<Options::Rule>* own_rules, std::string* err) {
    std::string::size_type eq = word.find('=');
    if (eq == std::string::npos) {
        *err = "expected key=value: " + word;
        return false;
    }
    std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    if (key == "tag") {
        std::string why = tag_problem(value, opts.format);
        if (!why.empty()) {
            *err = "invalid tag: " + value + " (" + why + ")";
            return false;
        }
        spec->tag = value;
        return true;
    }
    if (key == "priority")
        return parse_priority(value, &spec->pri, err);
    if (key == "record-start") {
        spec->record_start = value;
        return value.empty() || check_regex(value, err);  // empty: one line, one message
    }
    if (key == "max-rate") {
        if (!parse_long(value.c_str(), 1, 100000000, &spec->max_rate)) {
            *err = "invalid max-rate: " + value;
            return false;
        }
        return true;
    }
    Options::Rule rule;
    Options::Rule::Kind kind;
    if (key == "match")
        kind = Options::Rule::match;
    else if (key == "include")
        kind = Options::Rule::include;
    else if (key == "exclude")
        kind = Options::Rule::exclude;
    else {
        *err = "unknown setting: " + key;
        return false;
    }
    if (!parse_rule(kind, value, &rule, err)) {
        *err = key + ": " + *err;
        return false;
    }
    own_rules->push_back(rule);
    return true;
}

// beside -- a relative path in the config file called name is taken from
// the file's own directory, as the paths of an include are.
std::string beside(const std::string& name, const std::string& path) {
    std::string::size_type slash = name.find_last_of('/');
    if (path.empty() || path[0] == '/' || slash == std::string::npos)
        return path;
    return name.substr(0, slash + 1) + path;
}

// once_only -- false, with *err, when words[i] sets what one of words[1..i)
// set already: "tag=a tag=b" leaves the reader guessing which one holds.
// Rules may come several to a line.
bool once_only(const std::vector<std::string>& words, size_t i, std::string* err) {
    std::string key = words[i].substr(0, words[i].find('='));
    if (key == "match" || key == "include" || key == "exclude")
        return true;
    for (size_t j = 1; j < i; ++j) {
        if (words[j].substr(0, words[j].find('=')) == key) {
            *err = key + " set twice";
            return false;
        }
    }
    return true;
}

bool same_rules(const std::vector<Options::Rule>& a, const std::vector<Options::Rule>& b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].kind != b[i].kind || a[i].regex != b[i].regex || a[i].pri != b[i].pri)
            return false;
    return true;
}

bool same_settings(const FileSpec& a, const FileSpec& b) {
    return a.tag == b.tag && a.pri == b.pri && a.record_start == b.record_start &&
           a.max_rate == b.max_rate && same_rules(a.rules, b.rules);
}

}  // namespace

std::vector<FileSpec> specs_from_options(const Options& opts) {
    std::vector<FileSpec> specs;
    for (const std::string& file : opts.files) {
        FileSpec spec;
        spec.pattern = file;
        spec.tag = opts.tag;
        spec.pri = opts.pri;
        spec.rules = opts.rules;
        spec.record_start = opts.record_start;
        specs.push_back(spec);
    }
    return specs;
}

bool parse_config(const std::string& text, const std::string& name, const Options& opts,
                  std::vector<FileSpec>* specs, std::string* err) {
    size_t line_no = 0;
    std::vector<std::string> words;
    std::vector<size_t> lines;  // the line of each spec added here
    for (size_t pos = 0; pos < text.size();) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string::npos)
            eol = text.size();
        std::string line = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++line_no;
        std::string why;
        if (!split(line, &words, &why)) {
            *err = name + ":" + std::to_string(line_no) + ": " + why;
            return false;
        }
        if (words.empty())
            continue;
        FileSpec spec;
        spec.pattern = beside(name, words[0]);
        for (size_t i = 0; i < lines.size(); ++i) {
            const FileSpec& other = (*specs)[specs->size() - lines.size() + i];
            // "a.log" and "./a.log" are one file: one of them would be
            // followed, with settings the reader would not know which
            if (absolute_name(other.pattern, "") == absolute_name(spec.pattern, "")) {
                *err = name + ":" + std::to_string(line_no) + ": " + spec.pattern +
                       " is already on line " + std::to_string(lines[i]);
                return false;
            }
        }
        spec.tag = opts.tag;
        spec.pri = opts.pri;
        spec.record_start = opts.record_start;
        std::vector<Options::Rule> own;
        for (size_t i = 1; i < words.size(); ++i) {
            if (!once_only(words, i, &why) || !setting(words[i], opts, &spec, &own, &why)) {
                *err = name + ":" + std::to_string(line_no) + ": " + why;
                return false;
            }
        }
        spec.rules = own;
        spec.rules.insert(spec.rules.end(), opts.rules.begin(), opts.rules.end());
        specs->push_back(spec);
        lines.push_back(line_no);
    }
    return true;
}

std::vector<std::string> reload_notes(const std::vector<FileSpec>& before,
                                      const std::vector<FileSpec>& after) {
    std::vector<std::string> notes;
    for (const FileSpec& old : before) {
        const FileSpec* now = nullptr;
        for (const FileSpec& spec : after)
            if (spec.pattern == old.pattern)
                now = &spec;
        if (!now)
            notes.push_back(old.pattern + ": no longer listed; followed until the next start");
        else if (!same_settings(old, *now))
            notes.push_back(old.pattern + ": settings changed; they take effect at the next start");
    }
    return notes;
}

}  // namespace t2s
