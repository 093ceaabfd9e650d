package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// The server's side of a NAT fix, in the words of the server that
// answered: its Server header (RFC 3261 §20.35), or the User-Agent a
// server may put in responses instead. Each setting is named as the
// product's own documentation names it; for any other server the advice
// stays generic.
type natServer struct {
	match   []string // lower-case words of its Server header
	name    string
	contact string // how it uses the packet's source for Contact and responses
	media   string // how it sends media where the RTP comes from
}

var natServers = []natServer{
	// Asterisk res_pjsip endpoint options force_rport, rewrite_contact,
	// rtp_symmetric and direct_media (docs.asterisk.org, Configuration
	// reference res_pjsip, type=endpoint; "Configuring res_pjsip to work
	// through NAT").
	{[]string{"asterisk", "fpbx", "freepbx"}, "Asterisk",
		"on the PJSIP endpoint set force_rport=yes and rewrite_contact=yes",
		"on the PJSIP endpoint set rtp_symmetric=yes (and direct_media=no, so that Asterisk relays the media)"},
	// Kamailio nathelper: nat_uac_test() to detect, fix_nated_register()
	// for a REGISTER (with received_avp), fix_nated_contact() or
	// set_contact_alias() for dialogs, fix_nated_sdp() flag 2 to rewrite
	// c= (kamailio.org/docs/modules/5.6.x/modules/nathelper.html).
	{[]string{"kamailio", "openser", "sip-router"}, "Kamailio",
		"with nathelper, test nat_uac_test(\"19\") and then call fix_nated_register() for REGISTER, set_contact_alias() or fix_nated_contact() for the rest",
		"with nathelper, fix_nated_sdp(\"2\") rewrites c= to the source address, or relay the media with rtpengine"},
	// OpenSIPS nathelper has the same functions (opensips.org/docs/
	// modules/3.6.x/nathelper.html).
	{[]string{"opensips"}, "OpenSIPS",
		"with nathelper, test nat_uac_test() and then call fix_nated_register() for REGISTER, fix_nated_contact() for the rest",
		"with nathelper, fix_nated_sdp() flag 2 rewrites c= to the source address, or relay the media with rtpengine/rtpproxy"},
	// FreeSWITCH mod_sofia profile parameters apply-nat-acl,
	// aggressive-nat-detection, NDLB-received-in-nat-reg-contact, and RTP
	// auto-adjust (developer.signalwire.com, mod_sofia; NDLB).
	{[]string{"freeswitch"}, "FreeSWITCH",
		"in the Sofia profile set apply-nat-acl (nat.auto) and aggressive-nat-detection=true; NDLB-received-in-nat-reg-contact=true adds received to a REGISTER's Contact",
		"keep RTP auto-adjust on in the Sofia profile (disable-rtp-auto-adjust=false), so that FreeSWITCH sends where the RTP comes from"},
}

// natServerOf returns the product of the element that answered in tx,
// from its responses' Server (or User-Agent) header, if it is known. It reads
// message text: the finding that asks is rare.
func (d *diag) natServerOf(tx *session.Transaction) (natServer, bool) {
	for _, mi := range tx.Response {
		m := d.s.Msg(int(mi))
		ua := m.Header("Server")
		if len(ua) == 0 {
			ua = m.Header("User-Agent")
		}
		if len(ua) == 0 {
			continue
		}
		l := strings.ToLower(ua[0])
		for _, p := range natServers {
			for _, w := range p.match {
				if strings.Contains(l, w) {
					return p, true
				}
			}
		}
	}
	return natServer{}, false
}
