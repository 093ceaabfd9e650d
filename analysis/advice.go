package analysis

import "strings"

// Advice in the words of the product that sent the credentials, known by
// its User-Agent (RFC 3261 §20.41). Each setting is named as the
// product's own documentation names it; for any other client the advice
// stays generic.
type product struct {
	match    []string // lower-case words of its User-Agent
	name     string
	password string // where its auth username and password are set
}

var products = []product{
	// baresip wiki, "Accounts": the accounts file line takes
	// ;auth_user= and ;auth_pass= (https://github.com/baresip/baresip/wiki/Accounts).
	{[]string{"baresip"}, "baresip", "the account line's ;auth_user= and ;auth_pass= in the accounts file (one password per account)"},
	// Asterisk res_pjsip: an auth object (type=auth, auth_type=userpass,
	// username=, password=, realm=) named by the endpoint's or the
	// registration's outbound_auth= (docs.asterisk.org, Module_Configuration/res_pjsip).
	{[]string{"asterisk", "fpbx"}, "Asterisk PJSIP", "the type=auth section's username= and password= (auth_type=userpass), named by outbound_auth= on the endpoint or registration"},
	// FreeSWITCH, "Sofia Gateway Authentication Params": username,
	// auth-username, password, realm (developer.signalwire.com).
	{[]string{"freeswitch"}, "FreeSWITCH", "the gateway's username= (or auth-username=), password= and realm="},
	// liblinphone's LinphoneAuthInfo (username, userid, passwd, realm,
	// domain; "Managing authentication: userid and passwords" in its API
	// documentation), kept in linphonerc as [auth_info_N] sections: the
	// real-client lab's testdata/lab/clients/phones/linphone/*.rc.
	{[]string{"linphone", "belle-sip"}, "linphone", "the account's authentication info (linphonerc [auth_info_N]: username=, passwd=, realm=), one entry per realm"},
}

// advice returns " <Product>: check <setting>." for the client of the
// call, or a generic sentence.
func advice(userAgent string) string {
	l := strings.ToLower(userAgent)
	for _, p := range products {
		for _, w := range p.match {
			if strings.Contains(l, w) {
				return " The client is " + p.name + ": check " + p.password + "."
			}
		}
	}
	return " Check the account's authentication username (often separate from the extension) and password in the client."
}
