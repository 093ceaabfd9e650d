package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// runCompletion prints the completion script for a shell, made from the
// command table.
func runCompletion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("completion")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if len(pos) != 1 {
		return usageError(stderr, "completion", "needs the shell: bash, zsh or fish")
	}
	gen := map[string]func() string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}[pos[0]]
	if gen == nil {
		return usageError(stderr, "completion", "the shells are bash, zsh and fish, not "+pos[0])
	}
	if _, err := io.WriteString(stdout, gen()); err != nil {
		fmt.Fprintln(stderr, "sipdbg completion:", err)
		return exitFail
	}
	return exitOK
}

// scriptName is the command's name in the scripts: "sipdbg" for the bare
// form.
func scriptName(c *command) string {
	if c.name == "" {
		return "sipdbg"
	}
	return c.name
}

// extraFlags are the flags the dispatcher or the flag package answer
// themselves, offered with the command's own.
func extraFlags(c *command) []string {
	if c.name == "" {
		return []string{"--help", "--version"}
	}
	return []string{"--help"}
}

// extraText describes an extra flag.
func extraText(name string) string {
	if name == "--version" {
		return "print the version"
	}
	return "print the usage and the options"
}

// repeatable reports a flag that may be given several times (-i).
func repeatable(f *flag.Flag) bool {
	_, ok := f.Value.(*stringList)
	return ok
}

// shellQuote quotes s for bash, zsh and fish alike.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s for fish, where \' is the escape inside quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// ---- bash

// bashSpec is a value's completion as the bash script's helpers read it:
// a kind, then its words.
func bashSpec(v valueSpec) string {
	switch v.kind {
	case valFile:
		return strings.Join(append([]string{"files"}, v.globs...), " ")
	case valIface:
		return "iface"
	case valEnv:
		return "env"
	case valEnum, valCommand:
		return strings.Join(append([]string{"enum"}, valueWords(v)...), " ")
	}
	return "text"
}

const bashHelpers = `# _sipdbg_ifaces prints the network interfaces, and "any".
_sipdbg_ifaces() {
	local n
	if [[ -d /sys/class/net ]]; then
		for n in /sys/class/net/*; do
			[[ -e $n ]] && printf '%s\n' "${n##*/}"
		done
	elif command -v ip >/dev/null 2>&1; then
		ip -o link show 2>/dev/null | while IFS=': ' read -r _ n _; do
			printf '%s\n' "${n%%@*}"
		done
	fi
	echo any
}

# _sipdbg_fill KIND [WORD…] adds the candidates for $cur to COMPREPLY:
# enum WORD…, files [GLOB…] (and directories), iface, env; text has none.
_sipdbg_fill() {
	local kind=$1 f p
	shift
	case $kind in
	enum) COMPREPLY+=($(compgen -W "$*" -- "$cur")) ;;
	iface) COMPREPLY+=($(compgen -W "$(_sipdbg_ifaces)" -- "$cur")) ;;
	env) COMPREPLY+=($(compgen -e -- "$cur")) ;;
	files)
		compopt -o filenames 2>/dev/null
		while IFS= read -r f; do
			if (($# == 0)) || [[ -d $f ]]; then
				COMPREPLY+=("$f")
				continue
			fi
			for p in "$@"; do
				if [[ $f == $p ]]; then
					COMPREPLY+=("$f")
					break
				fi
			done
		done < <(compgen -f -- "$cur")
		;;
	esac
}

`

// bashCompletion is the bash script: data functions made from the table
// (each command's flags, what each flag's value and each argument is)
// and one completion function that reads the command line with them.
func bashCompletion() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# bash completion for sipdbg, made by `sipdbg completion bash` from its command table.\n")
	p("# Install: source <(sipdbg completion bash)\n")
	p("#      or: sipdbg completion bash > /etc/bash_completion.d/sipdbg\n\n")
	p("%s", bashHelpers)
	table := commandTable()

	p("# _sipdbg_flags CMD prints the options of CMD.\n_sipdbg_flags() {\n\tcase $1 in\n")
	for _, c := range table {
		var names []string
		for _, f := range c.flagList() {
			names = append(names, flagName(f))
		}
		p("\t%s) echo %s ;;\n", shellQuote(scriptName(c)), shellQuote(strings.Join(append(names, extraFlags(c)...), " ")))
	}
	p("\tesac\n}\n\n")

	p("# _sipdbg_value CMD FLAG prints what the flag's value is; nothing for a\n# flag without a value.\n_sipdbg_value() {\n\tcase $1:$2 in\n")
	for _, c := range table {
		for _, f := range c.flagList() {
			if !isBool(f) {
				p("\t%s) echo %s ;;\n", shellQuote(scriptName(c)+":"+f.Name), shellQuote(bashSpec(flagValue(f))))
			}
		}
	}
	p("\tesac\n}\n\n")

	p("# _sipdbg_arg CMD N prints what the Nth argument (from 0) of CMD is.\n_sipdbg_arg() {\n\tcase $1:$2 in\n")
	for _, c := range table {
		for i, a := range c.args {
			pattern := shellQuote(fmt.Sprintf("%s:%d", scriptName(c), i))
			if a.repeat {
				pattern = shellQuote(scriptName(c)+":") + "*"
			}
			p("\t%s) echo %s ;; # %s\n", pattern, shellQuote(bashSpec(a.value)), a.name)
		}
	}
	p("\tesac\n}\n\n")

	p(`# _sipdbg completes a sipdbg command line: the subcommand is the first
# word; options may come before or after the arguments, until --.
_sipdbg() {
	local cur=${COMP_WORDS[COMP_CWORD]} line=${COMP_LINE:0:COMP_POINT}
	local -a words spec
	if [[ -n $line ]]; then
		read -ra words <<<"$line"
		[[ $line == *[[:space:]] ]] && words+=("")
	else
		words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	fi
	local cword=$((${#words[@]} - 1)) cmd=sipdbg i=1 n=0 w f ended=
	if ((cword > 1)); then
		case ${words[1]} in
		%s)
			cmd=${words[1]}
			i=2
			;;
		esac
	fi
	COMPREPLY=()
	for (( ; i < cword; i++)); do
		w=${words[i]}
		if [[ -z $ended && $w == -?* ]]; then
			if [[ $w == -- ]]; then
				ended=1
				continue
			fi
			[[ $w == *=* ]] && continue
			f=${w#-}
			f=${f#-}
			read -ra spec <<<"$(_sipdbg_value "$cmd" "$f")"
			if ((${#spec[@]})); then
				((i++))
				if ((i == cword)); then
					_sipdbg_fill "${spec[@]}"
					return 0
				fi
			fi
			continue
		fi
		((n++))
	done
	if [[ -z $ended && $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_sipdbg_flags "$cmd")" -- "$cur"))
		return 0
	fi
	if ((cword == 1)); then
		COMPREPLY=($(compgen -W %s -- "$cur"))
	fi
	read -ra spec <<<"$(_sipdbg_arg "$cmd" "$n")"
	((${#spec[@]})) && _sipdbg_fill "${spec[@]}"
	return 0
}

complete -F _sipdbg sipdbg
`, strings.Join(commandNames(), "|"), shellQuote(strings.Join(commandNames(), " ")))
	return b.String()
}

// ---- zsh

// zshEscape escapes an option's description for _arguments' [...].
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// zshAction is the _arguments action for a value.
func zshAction(v valueSpec) string {
	switch v.kind {
	case valFile:
		if len(v.globs) == 0 {
			return "_files"
		}
		var exts []string
		for _, g := range v.globs {
			exts = append(exts, strings.TrimPrefix(g, "*."))
		}
		return `_files -g "*.(` + strings.Join(exts, "|") + `)"`
	case valIface:
		return "_sipdbg_ifaces"
	case valEnv:
		return "_parameters -g '*export*'"
	case valEnum, valCommand:
		return "(" + strings.Join(valueWords(v), " ") + ")"
	}
	return " "
}

// zshMessage is a value's name as _arguments shows it (a colon would end
// it).
func zshMessage(s string) string { return strings.ReplaceAll(s, ":", `\:`) }

// zshCompletion is the zsh script: one _arguments call per command.
func zshCompletion() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("#compdef sipdbg\n")
	p("# zsh completion for sipdbg, made by `sipdbg completion zsh` from its command table.\n")
	p("# Install: sipdbg completion zsh > \"${fpath[1]}/_sipdbg\" (any directory in $fpath), then\n")
	p("# start a new zsh; or, after compinit: source <(sipdbg completion zsh)\n\n")
	p(`# _sipdbg_ifaces offers the network interfaces, and "any".
_sipdbg_ifaces() {
	local -a ifs expl
	if [[ -d /sys/class/net ]]; then
		ifs=(/sys/class/net/*(N:t))
	else
		ifs=(${${${(f)"$(ip -o link show 2>/dev/null)"}#*: }%%%%[:@]*})
	fi
	ifs+=(any)
	_wanted interfaces expl 'network interface' compadd -a ifs
}

# _sipdbg_commands offers the subcommands.
_sipdbg_commands() {
	local -a commands
	commands=(
`)
	table := commandTable()
	for _, c := range table {
		if c.name != "" {
			p("\t\t%s\n", shellQuote(c.name+":"+c.summary()))
		}
	}
	p("\t)\n\t_describe -t commands 'sipdbg command' commands\n}\n\n")
	for _, c := range table {
		p("_sipdbg_%s() {\n\t_arguments -S \\\n", scriptName(c))
		for _, f := range c.flagList() {
			spec := flagName(f) + "[" + zshEscape(flagShort(f)) + "]"
			if repeatable(f) {
				spec = "*" + spec
			}
			if !isBool(f) {
				spec += ":" + zshMessage(flagArg(f)) + ":" + zshAction(flagValue(f))
			}
			p("\t\t%s \\\n", shellQuote(spec))
		}
		for _, e := range extraFlags(c) {
			p("\t\t%s \\\n", shellQuote(e+"["+extraText(e)+"]"))
		}
		for i, a := range c.args {
			action := zshAction(a.value)
			if c.name == "" && i == 0 {
				action = "_sipdbg_first"
			}
			n := fmt.Sprint(i + 1)
			if a.repeat {
				n = "*"
			}
			p("\t\t%s \\\n", shellQuote(n+":"+zshMessage(a.name)+":"+action))
		}
		p("\t\t&& return 0\n\treturn 1\n}\n\n")
	}
	first := lookupCommand("").args[0].value
	p(`# _sipdbg_first is the first word: a subcommand or a capture.
_sipdbg_first() {
	local ret=1
	(( CURRENT == 2 )) && _sipdbg_commands && ret=0
	%s && ret=0
	return ret
}

# _sipdbg dispatches on the subcommand, the first word.
_sipdbg() {
	if (( CURRENT > 2 )); then
		case $words[2] in
		%s)
			local cmd=$words[2]
			shift words
			(( CURRENT-- ))
			_sipdbg_$cmd
			return
			;;
		esac
	fi
	_sipdbg_sipdbg
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_sipdbg "$@"
else
	compdef _sipdbg sipdbg
fi
`, zshAction(first), strings.Join(commandNames(), "|"))
	return b.String()
}

// ---- fish

// fishValue is the complete options that give a value's candidates.
func fishValue(v valueSpec) string {
	switch v.kind {
	case valFile:
		if len(v.globs) == 0 {
			return "-F"
		}
		return "-f -a " + fishQuote(`(__sipdbg_files "`+strings.Join(v.globs, `" "`)+`")`)
	case valIface:
		return "-f -a '(__sipdbg_ifaces)'"
	case valEnv:
		return "-f -a '(set --names --export)'"
	case valEnum, valCommand:
		return "-f -a " + fishQuote(strings.Join(valueWords(v), " "))
	}
	return "-f"
}

const fishHelpers = `# __sipdbg_cmd prints the subcommand (the first word), or sipdbg.
function __sipdbg_cmd
    set -l words (commandline -opc)
    if set -q words[2]; and contains -- $words[2] %s
        echo $words[2]
    else
        echo sipdbg
    end
end

function __sipdbg_is -a cmd
    test (__sipdbg_cmd) = $cmd
end

# __sipdbg_arg CMD N [more]: the word being completed is CMD's Nth
# argument (from 0), or with "more" its Nth or a later one.
function __sipdbg_arg -a cmd n more
    __sipdbg_is $cmd; or return 1
    set -l words (commandline -opc)
    set -l i 2
    test $cmd = sipdbg; or set i 3
    set -l count 0
    set -l ended
    while test $i -le (count $words)
        set -l w $words[$i]
        if test -z "$ended"; and string match -qr -- '^-.' $w
            if test $w = --
                set ended 1
            else if not string match -q -- '*=*' $w; and __sipdbg_takes_value $cmd (string replace -r -- '^--?' '' $w)
                set i (math $i + 1)
            end
        else
            set count (math $count + 1)
        end
        set i (math $i + 1)
    end
    if test -n "$more"
        test $count -ge $n
    else
        test $count -eq $n
    end
end

# __sipdbg_files GLOB…: the files that match, and directories.
function __sipdbg_files
    set -l tok (commandline -ct)
    for f in $tok*
        if test -d $f
            echo $f/
            continue
        end
        for g in $argv
            if string match -q -- $g $f
                echo $f
                break
            end
        end
    end
end

# __sipdbg_ifaces prints the network interfaces, and "any".
function __sipdbg_ifaces
    if test -d /sys/class/net
        for n in /sys/class/net/*
            basename $n
        end
    else if command -q ip
        ip -o link show 2>/dev/null | string replace -r '^[0-9]+: ([^:@]+).*' '$1'
    end
    echo any
end

`

// fishCompletion is the fish script: complete lines per command, with
// the conditions above.
func fishCompletion() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# fish completion for sipdbg, made by `sipdbg completion fish` from its command table.\n")
	p("# Install: sipdbg completion fish > ~/.config/fish/completions/sipdbg.fish\n\n")
	p(fishHelpers, strings.Join(commandNames(), " "))
	table := commandTable()
	p("# __sipdbg_takes_value CMD NAME: the flag takes a value.\nfunction __sipdbg_takes_value\n    switch \"$argv[1]:$argv[2]\"\n")
	var valued []string
	for _, c := range table {
		for _, f := range c.flagList() {
			if !isBool(f) {
				valued = append(valued, fishQuote(scriptName(c)+":"+f.Name))
			}
		}
	}
	p("        case %s\n            return 0\n    end\n    return 1\nend\n\n", strings.Join(valued, " "))
	p("complete -c sipdbg -f\n")
	for _, c := range table {
		if c.name != "" {
			p("complete -c sipdbg -n 'test (count (commandline -opc)) -eq 1' -a %s -d %s\n", fishQuote(c.name), fishQuote(c.summary()))
		}
	}
	for _, c := range table {
		cond := fishQuote("__sipdbg_is " + scriptName(c))
		p("\n# %s\n", c.title())
		for _, f := range c.flagList() {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-s " + f.Name
			}
			val := ""
			if !isBool(f) {
				val = " -r " + fishValue(flagValue(f))
			}
			p("complete -c sipdbg -n %s %s%s -d %s\n", cond, opt, val, fishQuote(flagShort(f)))
		}
		for _, e := range extraFlags(c) {
			p("complete -c sipdbg -n %s -l %s -d %s\n", cond, strings.TrimPrefix(e, "--"), fishQuote(extraText(e)))
		}
		for i, a := range c.args {
			if a.value.kind == valText {
				continue
			}
			more := ""
			if a.repeat {
				more = " more"
			}
			p("complete -c sipdbg -n %s %s\n", fishQuote(fmt.Sprintf("__sipdbg_arg %s %d%s", scriptName(c), i, more)), fishValue(a.value))
		}
	}
	return b.String()
}
