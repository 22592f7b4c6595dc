# messages.awk -- the fixed texts of the messages that C++ sources print:
# the string literals of every statement that hands text to a message sink
# (SINKS, an extended regex over the statement's code with its literals
# blanked), one fragment a line as "FILE:LINE<TAB>fragment".
#
#   awk -v SINKS='\*err *=|\<fail *\(' -f messages.awk src/*.cc
#
# A small lexer: comments are dropped, "..." and '.' literals kept whole
# (an escaped quote or a ';' inside one does not end it), a statement ends
# at ';', '{' or '}' outside them.  Adjacent literals are one fragment; the
# code between two literals splits them ("a: " + x + " b" gives "a:" and
# "b").  Fragments are trimmed of blanks, of ':' ',' ';' and of the quote or
# bracket that opens or closes what the code puts in between, and dropped
# unless they hold three letters in a row.
function flush_statement(    i, n, frags, f) {
	if (code ~ SINKS) {
		n = split(lits, frags, "\001")
		for (i = 1; i <= n; i++) {
			f = frags[i]
			gsub(/^[] :,;')]+/, "", f)
			gsub(/[[ :,;'(-]+$/, "", f)
			gsub(/[ \t]+/, " ", f)
			if (f ~ /[A-Za-z][A-Za-z][A-Za-z]/)
				printf "%s:%d\t%s\n", FILENAME, start, f
		}
	}
	code = ""; lits = ""; inlit = 0; start = 0
}
FNR == 1 { flush_statement(); incomment = 0 }
{
	line = $0
	n = length(line)
	for (i = 1; i <= n; i++) {
		c = substr(line, i, 1)
		if (incomment) {
			if (c == "*" && substr(line, i + 1, 1) == "/") { incomment = 0; i++ }
			continue
		}
		if (c == "/" && substr(line, i + 1, 1) == "/")
			break
		if (c == "/" && substr(line, i + 1, 1) == "*") { incomment = 1; i++; continue }
		if (c == "'") {  # a character literal: skip it whole
			j = i + 1
			if (substr(line, j, 1) == "\\") j++
			i = j + 1
			code = code "' '"
			continue
		}
		if (c == "\"") {
			if (start == 0) start = FNR
			lit = ""
			for (i++; i <= n; i++) {
				c = substr(line, i, 1)
				if (c == "\\") {
					e = substr(line, ++i, 1)
					lit = lit (e == "n" ? " " : e == "t" ? " " : e)
					continue
				}
				if (c == "\"") break
				lit = lit c
			}
			# adjacent literals join; code in between starts a new fragment
			if (inlit) lits = lits lit
			else lits = lits "\001" lit
			inlit = 1
			code = code "\"\""
			continue
		}
		if (c == ";" || c == "{" || c == "}") { flush_statement(); continue }
		if (c !~ /[ \t]/) {
			if (start == 0) start = FNR
			inlit = 0
		}
		code = code c
	}
	code = code " "
}
END { flush_statement() }
