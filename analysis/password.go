package analysis

import "strings"

// Credential is a candidate username and secret for a realm ("*" for
// any). Its fields are exported so that fmt reaches Secret's String and
// never prints the secret.
type Credential struct {
	Realm  string
	User   string // "" matches any username
	Secret Secret
}

// verify recomputes the response of cr with each candidate that applies
// and reports match or mismatch: matched when a candidate reproduces
// it, wrong when the candidate for its user and realm does not.
func (d *diag) verify(r *attempt, cr *credential) (matched, wrong bool) {
	if kindOf(cr) != kindDigest {
		return false, false // AKA's secret is on the SIM; other schemes carry no digest
	}
	for _, cand := range byPreference(d.opt.Credentials, cr.Realm) {
		user, ok := applies(cand, cr)
		if !ok {
			continue
		}
		in := DigestInput{Method: r.req.Method(), URI: cr.URI, Username: user, Realm: cr.Realm, Secret: cand.Secret,
			Nonce: cr.Nonce, CNonce: cr.CNonce, NC: cr.NC, Qop: cr.Qop, Algorithm: cr.Alg(), Body: r.req.Body()}
		got, steps, err := Compute(in)
		if err != nil {
			continue // AKA and unknown algorithms cannot be recomputed from a password
		}
		steps = append(steps, Step{"captured", "response in " + header(cr), strings.ToLower(cr.Response)})
		if strings.EqualFold(got, cr.Response) {
			d.add(d.fPassword(r, cr, true, "", steps))
			return true, false
		}
		if other := d.otherRealmPassword(cand, in, cr); other != "" {
			d.add(d.fPassword(r, cr, false, "the client used realm \""+other+"\"'s password", steps))
			d.add(d.fRealmPasswordReused(r, cr, other, nil))
			return false, true
		}
		mistake := d.mistake(r, cr, in)
		d.add(d.fPassword(r, cr, false, mistake, steps))
		return false, mistake == "" // a mistake that reproduces it means the password is right
	}
	return false, false
}

func header(cr *credential) string {
	if cr.proxy {
		return hdrProxyAuthorization
	}
	return hdrAuthorization
}

// applies says whether a candidate is for these credentials, and with
// which username the response was computed (RFC 7616 §3.4.4 userhash:
// the header carries H(user:realm)).
func applies(c Credential, cr *credential) (string, bool) {
	if c.Realm != "*" && c.Realm != "" && c.Realm != cr.Realm {
		return "", false
	}
	if cr.UserHash {
		return c.User, c.User != "" && strings.EqualFold(UserHash(cr.Alg(), c.User, cr.Realm), cr.Username)
	}
	return cr.Username, c.User == "" || c.User == cr.Username
}

// mistake tries the usual client mistakes and names the one that
// reproduces the captured response, if any.
func (d *diag) mistake(r *attempt, cr *credential, in DigestInput) string {
	try := func(what string, change func(*DigestInput)) string {
		v := in
		change(&v)
		if got, _, err := Compute(v); err == nil && strings.EqualFold(got, cr.Response) {
			return what
		}
		return ""
	}
	ruri := requestURI(r.req)
	var tries []struct {
		what   string
		change func(*DigestInput)
	}
	add := func(what string, change func(*DigestInput)) {
		tries = append(tries, struct {
			what   string
			change func(*DigestInput)
		}{what, change})
	}
	for _, realm := range d.otherRealms(cr.Realm) {
		add("the client computed HA1 with realm \""+realm+"\" (another challenge's)", func(v *DigestInput) { v.Realm = realm })
	}
	add("the client hashed the Request-URI \""+ruri+"\", not the digest uri", func(v *DigestInput) { v.URI = ruri })
	add("the client hashed the digest uri without its parameters", func(v *DigestInput) { v.URI = stripParams(v.URI) })
	for _, u := range []string{userOf(r.req.From()), userOf(r.req.To()), cr.Username + "@" + cr.Realm} {
		add("the client hashed username \""+u+"\"", func(v *DigestInput) { v.Username = u })
	}
	if strings.EqualFold(cr.Qop, "auth-int") {
		add("the client hashed an empty body for auth-int", func(v *DigestInput) { v.Body = nil })
	}
	for _, t := range tries {
		if w := try(t.what, t.change); w != "" {
			return w
		}
	}
	return ""
}

func (d *diag) otherRealms(realm string) []string {
	var out []string
	for i := range d.c.Txs {
		tx := &d.c.Txs[i]
		for _, ri := range tx.Response {
			m := d.s.Msg(int(ri))
			if m.Status != 401 && m.Status != 407 {
				continue
			}
			chs := d.sc.challenges(m)
			for i := range chs {
				if r := chs[i].Realm; r != realm && !contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func stripParams(uri string) string {
	if i := strings.IndexByte(uri, ';'); i >= 0 {
		return uri[:i]
	}
	return uri
}

func (d *diag) fPassword(r *attempt, cr *credential, ok bool, mistake string, steps []Step) Finding {
	who := "user \"" + cr.Username + "\", realm \"" + cr.Realm + "\""
	if ok {
		return Finding{Code: CodePasswordMatch, Severity: Info, Messages: d.idx(r.req), RFC: "RFC 2617 §3.2.2; RFC 7616 §3.4",
			Steps: steps, Summary: "the candidate password reproduces the captured " + header(cr) + " response (" + who + ")",
			Explanation: "Recomputing the digest from the candidate password and the captured method, digest uri, nonce, nc, cnonce " +
				"and qop gives the response the client sent: the client used this password."}
	}
	f := Finding{Code: CodePasswordMismatch, Severity: Error, Messages: d.idx(r.req), RFC: "RFC 2617 §3.2.2; RFC 7616 §3.4",
		Steps: steps, Summary: "the captured " + header(cr) + " response was not computed with the candidate password (" + who + ")",
		Explanation: "Recomputing the digest from the candidate password and the captured inputs gives another response: the client " +
			"used a different password, or a different username or realm inside HA1."}
	if mistake != "" {
		f.Summary = "the captured response matches the candidate password only if " + mistake
		f.Explanation = "With the standard inputs the response differs, but " + mistake + ": the password is right and the client " +
			"computes the digest over the wrong input. Fix the client (or its account settings)."
	}
	return f
}

// otherRealmPassword returns the realm whose candidate password
// reproduces the response cr sent for its own realm: the client sent
// one realm's password to another (a UA with one password per account
// behind a proxy and a registrar in different realms).
func (d *diag) otherRealmPassword(own Credential, in DigestInput, cr *credential) string {
	for _, c := range d.opt.Credentials {
		if c.Realm == "" || c.Realm == "*" || c.Realm == cr.Realm || c.Secret == own.Secret {
			continue
		}
		if c.User != "" && c.User != in.Username {
			continue
		}
		v := in
		v.Secret = c.Secret
		if got, _, err := Compute(v); err == nil && strings.EqualFold(got, cr.Response) {
			return c.Realm
		}
	}
	return ""
}

func (d *diag) fRealmPasswordReused(r *attempt, cr *credential, other string, steps []Step) Finding {
	// Asterisk res_pjsip: outbound_auth takes a list of auth objects and
	// an auth object's realm= says which challenge it answers
	// (docs.asterisk.org, Module_Configuration/res_pjsip); linphone keeps
	// one [auth_info_N] section per realm in its linphonerc.
	return Finding{Code: CodeRealmPasswordReused, Severity: Error, Messages: d.idx(r.req), RFC: "RFC 3261 §22.3; RFC 2617 §3.2.2",
		Steps: steps, Summary: d.concat("the client sent realm \"", other, "\"'s password to realm \"", cr.Realm, "\" (user \"", cr.Username, "\")"),
		Explanation: d.concat("The response for realm \"", cr.Realm, "\" is reproduced by the candidate password of realm \"", other,
			"\", not by its own: the client has one password and answers every challenge with it. It needs a second credential set "+
				"for \"", cr.Realm, "\" (Asterisk PJSIP: a second type=auth section with realm=", cr.Realm, ", listed in the endpoint's "+
				"outbound_auth=; linphone: a second auth_info entry with that realm). A client with a single password per account "+
				"cannot do it: make both elements accept the same password, or let only one of them challenge.")}
}

// byPreference returns the candidates that may answer realm, those for
// that realm first, then those for any realm ("*" or ""), each group in
// file order. The analysis checks a digest with the first that applies
// and the probe answers with the first (Pick): one rule for both.
func byPreference(cands []Credential, realm string) []Credential {
	var exact, any []Credential
	for _, c := range cands {
		switch c.Realm {
		case realm:
			exact = append(exact, c)
		case "*", "":
			any = append(any, c)
		}
	}
	return append(exact, any...)
}

// Pick returns the candidate to answer a challenge for realm with: one
// for that realm, else one for any realm ("*" or ""), the first in file
// order within each.
func Pick(cands []Credential, realm string) (Credential, bool) {
	if c := byPreference(cands, realm); len(c) > 0 {
		return c[0], true
	}
	return Credential{}, false
}
