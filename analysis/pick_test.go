package analysis

import "testing"

// A credentials file with "*" before a realm's own line: the realm's
// line wins, for the probe's answer (Pick) and for the analysis' check
// alike.
func TestOneRuleForARealmsPassword(t *testing.T) {
	cands := []Credential{{Realm: "*", User: "alice", Secret: Password("anypw")}, {Realm: lab, User: "alice", Secret: Password("pw")}}
	if c, ok := Pick(cands, lab); !ok || c.Realm != lab {
		t.Errorf("Pick(%s) = %+v, want the realm's own line", lab, c)
	}
	if c, ok := Pick(cands, "other.test"); !ok || c.Realm != "*" {
		t.Errorf("Pick(other.test) = %+v, want the line for any realm", c)
	}
	if _, ok := Pick(cands[1:], "other.test"); ok {
		t.Error("Pick found a line for a realm nothing covers")
	}
	f := newFlow()
	f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
	f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
	f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "alice", lab, "pw", "n1", uri, "")})
	f.resp(200, "OK", "REGISTER", "b2", 2, "")
	fs := Diagnose(f.s, f.s.Calls()[0], Options{Credentials: cands})
	match := false
	for _, fd := range fs {
		match = match || fd.Code == CodePasswordMatch
		if fd.Code == CodePasswordMismatch {
			t.Errorf("checked with the line for any realm: %s", fd.Summary)
		}
	}
	if !match {
		t.Error("the realm's own password was not checked")
	}
}
