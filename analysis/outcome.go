package analysis

import "strings"

// What the element did with an answer to its challenge.

// retry judges r, the request that follows challenged attempt a. It
// reports whether r was re-challenged although a candidate password
// matched its credentials.
func (d *diag) retry(a, r *attempt, realms []string) bool {
	r.end(d.s)
	if a.req != nil && r.req.CSeq <= a.req.CSeq {
		d.add(d.fCSeq(a, r))
	}
	if len(r.creds) == 0 {
		d.add(d.fNoCredentials(a, true))
		return false
	}
	if handshake(a) {
		d.handshakeOutcome(a, r)
		return false
	}
	explained, matched := false, false
	failed := refused(r) && !d.slowRetry(a, r)
	for _, realm := range a.realms {
		ch := a.challengeFor(realm)
		e, m := d.answer(a, r, ch, failed)
		explained = explained || e
		matched = matched || m
	}
	return d.outcome(a, r, realms, explained, matched)
}

func (a *attempt) challengeFor(realm string) *challenge {
	for i := range a.challenges {
		if a.challenges[i].Realm == realm {
			return &a.challenges[i]
		}
	}
	return &challenge{} // a realm not challenged: a fresh zero, which no caller can share
}

// outcome judges what the element did with r's credentials.
func (d *diag) outcome(a, r *attempt, realms []string, explained, matched bool) bool {
	f := r.final
	switch {
	case f == nil:
		if r.ringing {
			d.add(d.fAccepted(a, r, a.realms))
		}
		return false
	case (f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER")) && d.slowRetry(a, r):
		d.add(d.fSlowRetry(a, r))
		return false
	case f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER"):
		// 403 is the usual refusal after a digest check; 404 to REGISTER
		// means the registrar does not know the user or domain. A 404 to
		// other requests names a missing target, met after auth.
		d.add(d.fForbidden(a, r))
		return false
	case !r.challenged():
		d.add(d.fAccepted(a, r, a.realms))
		return false
	}
	var again, passed []string
	for _, realm := range a.realms {
		if contains(r.realms, realm) {
			again = append(again, realm)
		} else {
			passed = append(passed, realm)
		}
	}
	// A new challenge from a realm met earlier in the chain comes from an
	// element before the ones that challenged a: the request did not
	// reach them, and nothing says they accepted anything.
	blockedEarlier := false
	for _, realm := range r.realms {
		blockedEarlier = blockedEarlier || (!contains(a.realms, realm) && contains(realms, realm))
	}
	if len(passed) > 0 && !blockedEarlier {
		d.add(d.fAccepted(a, r, passed))
	}
	for _, realm := range r.realms {
		// A realm challenged earlier in the chain, answered before, and
		// missing from this retry: §22.3 wants every realm's credentials.
		if !contains(a.realms, realm) && contains(realms, realm) && r.credFor(realm) == nil {
			d.add(d.fDropped(a, r, realm))
		}
	}
	loop := false
	for _, realm := range again {
		switch cr := r.credFor(realm); {
		case r.challengeFor(realm).Stale:
			if cr != nil && r.req.TimeNs-a.final.TimeNs > staleDelay {
				d.add(d.fSlowStale(a, r))
			}
		case cr != nil && cr.Auts:
			d.add(d.fAKAResync(a, r))
		case r.credFor(realm) == nil && len(r.creds) > 0 && len(realms) > 1:
			d.add(d.fDropped(a, r, realm))
		case !explained && r.credFor(realm) != nil && d.slowRetry(a, r):
			d.add(d.fSlowRetry(a, r))
		case !explained && r.credFor(realm) != nil:
			d.add(d.fRejected(a, r, realm, matched))
			// A right answer refused: the server checks something else,
			// unless the answer was auth-int, which servers may not check.
			loop = loop || (matched && !strings.EqualFold(cr.Qop, "auth-int"))
		}
	}
	return loop
}
