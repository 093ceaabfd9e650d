package session

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
)

// Aliases name endpoints for people: "edge" reads better than
// 192.0.2.10:5060 in a ladder of six hosts (sngrep's alias). An entry
// names an IP address with a port, or an IP address on every port; the
// first wins (Name). The zero value names nothing.
//
// It is the model's so that whatever shows addresses (the interface,
// the text report) and the configuration that fills it agree on the rule
// without knowing each other. Once filled it is only read.
type Aliases struct {
	exact map[netip.AddrPort]string
	host  map[netip.Addr]string
}

// Add names key, "IP" or "IP:PORT" ("[IPv6]:PORT"), as name. A key that
// is not an address, a name that is empty or has a control character in
// it (it goes to the terminal as it is), or an address named already
// (written another way: 2001:DB8::1 is 2001:db8::1) is an error.
func (a *Aliases) Add(key, name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("the alias of %q is empty", key)
	}
	for _, r := range name {
		if !unicode.IsGraphic(r) {
			return fmt.Errorf("the alias %q has a control character in it", name)
		}
	}
	if ap, err := netip.ParseAddrPort(key); err == nil {
		if err := checkAddr(key, ap.Addr()); err != nil {
			return err
		}
		if ap.Port() == 0 {
			return fmt.Errorf("%q: port 0 is no endpoint's", key)
		}
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		if old, ok := a.exact[ap]; ok {
			return fmt.Errorf("%s is named already (%q)", ap, old)
		}
		if a.exact == nil {
			a.exact = map[netip.AddrPort]string{}
		}
		a.exact[ap] = name
		return nil
	}
	ip, err := netip.ParseAddr(key)
	if err != nil {
		return fmt.Errorf("%q is no IP address or IP:PORT (an IPv6 address with a port in brackets: \"[2001:db8::1]:5060\")", key)
	}
	if err := checkAddr(key, ip); err != nil {
		return err
	}
	ip = ip.Unmap()
	if old, ok := a.host[ip]; ok {
		return fmt.Errorf("%s is named already (%q)", ip, old)
	}
	if a.host == nil {
		a.host = map[netip.Addr]string{}
	}
	a.host[ip] = name
	return nil
}

// checkAddr refuses a zone: a captured address never carries one, so an
// entry with it would name nothing, silently.
func checkAddr(key string, ip netip.Addr) error {
	if ip.Zone() != "" {
		return fmt.Errorf("%q: an address with a zone (%%%s) never matches a captured one", key, ip.Zone())
	}
	return nil
}

// Name returns the alias of ap: the entry of that IP and port, else the
// entry of the IP, else none. An IPv4-mapped IPv6 address is looked up
// as the IPv4 address it carries.
func (a Aliases) Name(ap netip.AddrPort) (string, bool) {
	if len(a.exact) == 0 && len(a.host) == 0 {
		return "", false
	}
	ip := ap.Addr().Unmap()
	if n, ok := a.exact[netip.AddrPortFrom(ip, ap.Port())]; ok {
		return n, true
	}
	n, ok := a.host[ip]
	return n, ok
}

// Label is the alias of ap, or ap itself as text when it has none.
func (a Aliases) Label(ap netip.AddrPort) string {
	if n, ok := a.Name(ap); ok {
		return n
	}
	return ap.String()
}

// Len is the number of entries.
func (a Aliases) Len() int { return len(a.exact) + len(a.host) }

// SetAliases gives the store the names its endpoints are shown by; the
// renderers of the store (call list, ladder, text report) read them
// with Aliases. Set it before the store is shown: it is not locked.
func (s *Store) SetAliases(a Aliases) { s.aliases = a }

// Aliases returns the names set by SetAliases; none by default.
func (s *Store) Aliases() Aliases { return s.aliases }
