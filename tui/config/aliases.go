package config

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// aliases reads [aliases] (or aliases = {...}): "IP" or "IP:PORT" keys,
// each naming an endpoint (session.Aliases says how they are looked up).
// path is the key's full path, "aliases" first.
func (p *parser) aliases(path []string, v *unstable.Node, line int) error {
	switch {
	case len(path) == 1 && v.Kind == unstable.InlineTable:
		for c := v.Children(); c.Next(); {
			kv := c.Node()
			if err := p.aliases(append(path[:1:1], keyPath(kv)...), kv.Value(), p.line(kv, line)); err != nil {
				return err
			}
		}
		return nil
	case len(path) == 1:
		return p.errorf(line, "aliases must be a table ([aliases])")
	case len(path) > 2:
		// A bare 192.0.2.10 is a dotted key in TOML: four keys, not one.
		return p.errorf(line, "aliases: quote the address: %q = \"NAME\"", strings.Join(path[1:], "."))
	}
	key := path[1]
	name, err := p.str("aliases."+key, v, line)
	if err != nil {
		return p.errorf(line, "the alias of %q must be a string", key)
	}
	if err := p.cfg.Aliases.Add(key, name); err != nil {
		return p.errorf(line, "aliases: %v", err)
	}
	if looksLikePort(key) {
		p.warnf(line, "aliases: %q is read as an IPv6 address; with a port it is written \"[%s]:%s\"",
			key, key[:strings.LastIndexByte(key, ':')], key[strings.LastIndexByte(key, ':')+1:])
	}
	return nil
}

// looksLikePort: an IPv6 key without brackets whose last group is a SIP
// port ("2001:db8::1:5060") is a valid address, but likely meant as one
// with the port.
func looksLikePort(key string) bool {
	if strings.HasPrefix(key, "[") || strings.Count(key, ":") < 2 {
		return false
	}
	for _, port := range []string{":5060", ":5061", ":5080", ":5062"} {
		if strings.HasSuffix(key, port) {
			return true
		}
	}
	return false
}
